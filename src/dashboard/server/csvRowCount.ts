// Data rows of a CSV file, by one pass over its bytes (the caller caches the count per file).
// The count follows the same rules as the page reader: line breaks inside quoted fields do not
// end a row, blank lines are not rows.
import type { ByteSource } from './byteSource.ts';

const CHUNK_BYTES = 1024 * 1024;
const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

// Scanner modes. QUOTE_SEEN: a quote inside a quoted field, which closes it unless another
// quote follows (an escaped quote).
const PLAIN = 0;
const QUOTED = 1;
const QUOTE_SEEN = 2;

/** Rows from byte `start` (the first data row) to the end. */
export async function countCsvRows(source: ByteSource, start: number): Promise<number> {
  const chunk = new Uint8Array(CHUNK_BYTES);
  let mode: number = PLAIN;
  let fieldStart = true;
  let content = false;
  let rows = 0;
  for (let position = start; position < source.size; ) {
    const n = await source.read(chunk, position);
    if (n === 0) break;
    position += n;
    for (let i = 0; i < n; i++) {
      const c = chunk[i];
      if (mode === QUOTED) {
        if (c === QUOTE) mode = QUOTE_SEEN;
        continue;
      }
      if (mode === QUOTE_SEEN) {
        if (c === QUOTE) {
          mode = QUOTED;
          continue;
        }
        mode = PLAIN;
      }
      if (c === LF || c === CR) {
        if (content) rows++;
        content = false;
        fieldStart = true;
        continue;
      }
      content = true;
      if (c === COMMA) fieldStart = true;
      else if (c === QUOTE && fieldStart) {
        mode = QUOTED;
        fieldStart = false;
      } else fieldStart = false;
    }
  }
  return content ? rows + 1 : rows;
}
