// Splits one record into strings. Used for the header (and for small things), where speed does
// not matter; the same quoting rules as the engine.
const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

export interface SplitRecord {
  fields: string[];
  /** Offset after the record and its line break. */
  next: number;
  /** Line breaks consumed, including those inside quoted fields. */
  lines: number;
}

/**
 * The record at b[pos]; null when it runs into `end` and `final` is false. Returns
 * `unterminated: true` instead of fields when a quote is still open at the end of the input.
 */
export function splitRecord(b: Uint8Array, pos: number, end: number, final: boolean): SplitRecord | 'unterminated' | null {
  const fields: string[] = [];
  let lines = 0;
  let p = pos;
  while (true) {
    const bytes: number[] = [];
    if (p < end && b[p] === QUOTE) {
      p++;
      while (true) {
        if (p >= end) return final ? 'unterminated' : null;
        const c = b[p];
        if (c === QUOTE) {
          if (p + 1 >= end && !final) return null;
          if (b[p + 1] === QUOTE && p + 1 < end) {
            bytes.push(QUOTE);
            p += 2;
            continue;
          }
          p++;
          break;
        }
        if (c === LF || (c === CR && !(p + 1 < end && b[p + 1] === LF))) lines++;
        bytes.push(c);
        p++;
      }
    }
    while (p < end && b[p] !== COMMA && b[p] !== LF && b[p] !== CR) bytes.push(b[p++]);
    if (p >= end && !final) return null;
    fields.push(Buffer.from(bytes).toString('utf8'));
    if (p < end && b[p] === COMMA) {
      p++;
      continue;
    }
    break;
  }
  if (p < end) {
    if (b[p] === CR) {
      if (p + 1 < end) p += b[p + 1] === LF ? 2 : 1;
      else if (!final) return null;
      else p++;
    } else p++;
    lines++;
  }
  return { fields, next: p, lines };
}
