// Data rows of a CSV file, by one pass over its bytes (the caller caches the count per file).
// The count follows the same rules as the page reader: line breaks inside quoted fields do not
// end a row, blank lines are not rows. The pass takes any stream of chunks, so a sealed
// artifact is counted while it is decrypted and checked (storedArtifacts.ts).
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
  return countCsvRowsIn(rangeChunks(source, start), 0);
}

/** Rows of the content `chunks` gives, from byte `start` (the first data row) to the end. */
export async function countCsvRowsIn(chunks: AsyncIterable<Uint8Array>, start: number): Promise<number> {
  let mode: number = PLAIN;
  let fieldStart = true;
  let content = false;
  let rows = 0;
  let skip = start;
  for await (const whole of chunks) {
    const chunk = skip > 0 ? whole.subarray(Math.min(skip, whole.length)) : whole;
    skip -= whole.length - chunk.length;
    for (let i = 0; i < chunk.length; i++) {
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

/** The bytes of a random-access source from `start` to its end, one reused 1 MiB buffer at a time. */
async function* rangeChunks(source: ByteSource, start: number): AsyncGenerator<Uint8Array> {
  const chunk = new Uint8Array(CHUNK_BYTES);
  for (let position = start; position < source.size; ) {
    const n = await source.read(chunk, position);
    if (n === 0) return;
    position += n;
    yield chunk.subarray(0, n);
  }
}
