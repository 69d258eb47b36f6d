// The record parser: one pass over bytes, writing each field straight into typed-array column
// builders (float64 for numeric columns, int32 codes for categorical ones). It never builds a
// string per row or per numeric field, and it can be fed a file chunk by chunk: `parse` stops
// before a record that is not complete in the buffer and reports how far it got, so the caller
// can carry the tail over to the next chunk.
//
// Grammar (RFC 4180 plus what real files do): fields separated by ',', records by LF, CRLF or
// a lone CR; a field starting with '"' is quoted ('""' is a literal quote; commas and line
// breaks inside are data; text after the closing quote up to the next ',' is appended, as
// pandas does); a '"' inside an unquoted field is literal. Blank lines are skipped.
import { DataError } from '../../core/errors.ts';
import { categoricalColumn, MISSING_CODE, numericColumn, type Column } from '../column.ts';
import { Table } from '../table.ts';
import { ByteDictionary, HASH_PRIME, HASH_SEED, hashBytes, hashFinish } from './byteDictionary.ts';
import { assembleDecimal, parseNumberBytes, parseSpecialNumber, slowParse } from './parseNumber.ts';

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Value checks made while reading, so an error can name the exact line. */
export const CHECK_INTEGER = 1;
export const CHECK_BINARY = 2;

export interface EngineColumn {
  name: string;
  numeric: boolean;
  /** Numeric column whose type was inferred so far: a non-number demotes it to categorical. */
  inferring: boolean;
  nullable: boolean;
  /** 0, CHECK_INTEGER or CHECK_BINARY. */
  check: number;
  /** Allowed categories, in dictionary order; values outside are an error. */
  categories?: readonly string[];
}

export interface EngineConfig {
  columns: readonly EngineColumn[];
  naValues: readonly string[];
  file?: string;
  /** Line number of the first byte handed to `parse` (1-based). */
  firstLine: number;
}

/** Thrown (internally) when an inferred numeric column meets a non-number; the reader restarts. */
export class DemoteColumn extends Error {
  constructor(readonly columnName: string) {
    super(`column '${columnName}' is not numeric`);
  }
}

const TEXT_LIMIT = 40;
const KIND_NUMBER = 0;
const KIND_CATEGORY = 1;
const KIND_EXTRA = 2; // fields beyond the last column: counted for the error message only

export class CsvEngine {
  readonly nCols: number;
  rows = 0;
  line: number;
  private capacity = 0;
  private readonly cols: readonly EngineColumn[];
  private readonly isNumeric: Uint8Array;
  private readonly kinds: Uint8Array; // KIND_NUMBER or KIND_CATEGORY
  private readonly checks: Uint8Array; // 1 when a numeric value needs checkNumber
  private readonly closed: Uint8Array; // 1 when categories are fixed
  private readonly notNull: Uint8Array;
  private values: Float64Array[];
  private codes: Int32Array[];
  private readonly dicts: ByteDictionary[];
  private readonly naSet: ReadonlySet<string>;
  private readonly naNumeric: ByteDictionary | null; // set when an NA token looks like a number
  private scratch: Uint8Array = new Uint8Array(1024);
  private scratchLen = 0;
  private final = false;
  private readonly file: string | undefined;

  constructor(config: EngineConfig) {
    const cols = config.columns;
    this.cols = cols;
    this.nCols = cols.length;
    this.file = config.file;
    this.line = config.firstLine;
    this.isNumeric = Uint8Array.from(cols, (c) => (c.numeric ? 1 : 0));
    this.kinds = Uint8Array.from(cols, (c) => (c.numeric ? KIND_NUMBER : KIND_CATEGORY));
    this.checks = Uint8Array.from(cols, (c) => (c.numeric && (c.check !== 0 || !c.nullable) ? 1 : 0));
    this.closed = Uint8Array.from(cols, (c) => (c.categories !== undefined ? 1 : 0));
    this.notNull = Uint8Array.from(cols, (c) => (c.nullable ? 0 : 1));
    this.values = cols.map(() => new Float64Array(0));
    this.codes = cols.map(() => new Int32Array(0));
    this.dicts = cols.map((c) => {
      const d = new ByteDictionary();
      d.addMissingTokens(config.naValues);
      if (!c.numeric && c.categories) for (const v of c.categories) d.addValue(v);
      return d;
    });
    this.naSet = new Set(config.naValues);
    const numericLooking = config.naValues.filter(looksNumeric);
    if (numericLooking.length > 0) {
      this.naNumeric = new ByteDictionary();
      this.naNumeric.addMissingTokens(numericLooking);
    } else this.naNumeric = null;
  }

  /** Stops inference: from now on a non-number in a numeric column is an error. */
  lockTypes(): void {
    for (const c of this.cols) c.inferring = false;
  }

  /** Makes room for `n` rows in total. */
  reserve(n: number): void {
    if (n <= this.capacity) return;
    for (let c = 0; c < this.nCols; c++) {
      if (this.isNumeric[c]) {
        const v = new Float64Array(n);
        v.set(this.values[c].subarray(0, this.rows));
        this.values[c] = v;
      } else {
        const v = new Int32Array(n);
        v.set(this.codes[c].subarray(0, this.rows));
        this.codes[c] = v;
      }
    }
    this.capacity = n;
  }

  /**
   * Parses records in b[start, end) and returns the offset after the last complete record.
   * With `final` false, a record running into `end` is left for the next call. Stops early once
   * `rows` reaches `maxRows`.
   */
  parse(b: Uint8Array, start: number, end: number, final: boolean, maxRows: number): number {
    const nCols = this.nCols;
    const kinds = this.kinds;
    this.final = final;
    let pos = start;
    while (pos < end) {
      if (this.rows >= maxRows) return pos;
      const recStart = pos;
      const recLine = this.line;
      const first = b[pos];
      if (first === LF || first === CR) {
        // Blank line.
        if (first === CR) {
          if (pos + 1 < end) pos += b[pos + 1] === LF ? 2 : 1;
          else if (!final) return recStart;
          else pos++;
        } else pos++;
        this.line++;
        continue;
      }
      if (this.rows === this.capacity) this.reserve(Math.max(1024, this.capacity * 2));
      const row = this.rows;
      let col = 0;
      while (true) {
        const kind = col < nCols ? kinds[col] : KIND_EXTRA;
        if (pos < end && b[pos] === QUOTE) pos = this.quotedField(b, pos, end, col, kind, row, recLine);
        else if (kind === KIND_NUMBER) pos = this.numberField(b, pos, end, col, row, recLine);
        else if (kind === KIND_CATEGORY) pos = this.categoryField(b, pos, end, col, row, recLine);
        else pos = skipField(b, pos, end, final);
        if (pos < 0) {
          this.line = recLine;
          return recStart;
        }
        col++;
        if (pos < end && b[pos] === COMMA) {
          pos++;
          continue;
        }
        break;
      }
      if (pos < end) {
        if (b[pos] === CR) {
          if (pos + 1 < end) pos += b[pos + 1] === LF ? 2 : 1;
          else if (!final) {
            this.line = recLine;
            return recStart;
          } else pos++;
        } else pos++;
        this.line++;
      }
      if (col !== nCols) {
        throw new DataError('data.csv.fieldCount', { found: col, expected: nCols }, { location: { file: this.file, line: recLine } });
      }
      this.rows++;
    }
    return pos;
  }

  // Each field reader returns the offset of the byte after the field (',', a line break or
  // `end`), or -1 when the field runs into `end` and more input may follow.

  private quotedField(b: Uint8Array, pos: number, end: number, col: number, kind: number, row: number, line: number): number {
    const next = this.scanQuoted(b, pos, end, this.final, line);
    if (next < 0 || (next >= end && !this.final)) return -1;
    if (kind !== KIND_EXTRA) this.store(col, row, this.scratch, 0, this.scratchLen, line);
    return next;
  }

  /**
   * Scans and parses a plain decimal in one pass; anything else goes through `store`. The digit
   * accumulation repeats parseNumber.ts on purpose: finding the field's end and parsing it in
   * the same loop is what makes numeric columns fast, and a shared helper would scan twice.
   */
  private numberField(b: Uint8Array, pos: number, end: number, col: number, row: number, line: number): number {
    let p = pos;
    let neg = false;
    if (p < end && b[p] === 45) {
      neg = true;
      p++;
    }
    let hi = 0;
    let lo = 0;
    let nd = 0;
    let nLo = 0;
    let exp10 = 0;
    let digits = 0;
    let fits = true;
    let frac = false;
    while (p < end) {
      const d = b[p] - 48;
      if (d < 0 || d > 9) {
        if (d !== -2 || frac) break; // '.' is 46
        frac = true;
        p++;
        continue;
      }
      digits++;
      if (frac) exp10--;
      if (nd < 15) {
        if (nd > 0 || d !== 0) {
          hi = hi * 10 + d;
          nd++;
        }
      } else if (nd < 19) {
        lo = lo * 10 + d;
        nLo++;
        nd++;
      } else fits = false;
      p++;
    }
    const t = p < end ? b[p] : -1;
    if (t === -1 && !this.final) return -1;
    if (digits > 0 && (t === COMMA || t === LF || t === CR || t === -1) && this.naNumeric === null) {
      let v = fits ? assembleDecimal(hi, lo, nLo, exp10) : NaN;
      if (v !== v) v = slowParse(b, pos, p);
      else if (neg) v = -v;
      if (this.checks[col] === 1) this.checkNumber(col, v, line);
      this.values[col][row] = v;
      return p;
    }
    p = skipField(b, p, end, this.final);
    if (p >= 0) this.store(col, row, b, pos, p, line);
    return p;
  }

  /** Hashes the bytes while looking for the end of the field. */
  private categoryField(b: Uint8Array, pos: number, end: number, col: number, row: number, line: number): number {
    let p = pos;
    let h = HASH_SEED;
    while (p < end) {
      const c = b[p];
      if (c === COMMA || c === LF || c === CR) break;
      h = Math.imul(h ^ c, HASH_PRIME);
      p++;
    }
    if (p >= end && !this.final) return -1;
    this.storeCategory(col, row, b, pos, p, hashFinish(h), line);
    return p;
  }

  /**
   * Reads the quoted field starting at b[pos] into `scratch` and returns the offset of the
   * byte after it (a delimiter or `end`), or -1 when the buffer ends first and more may come.
   */
  private scanQuoted(b: Uint8Array, pos: number, end: number, final: boolean, recLine: number): number {
    let s = this.scratch;
    let n = 0;
    let p = pos + 1;
    while (true) {
      if (p >= end) {
        if (!final) return -1;
        throw new DataError('data.csv.unterminatedQuote', {}, { location: { file: this.file, line: recLine } });
      }
      const c = b[p];
      if (c === QUOTE) {
        if (p + 1 >= end && !final) return -1;
        if (p + 1 < end && b[p + 1] === QUOTE) {
          if (n === s.length) s = this.growScratch();
          s[n++] = QUOTE;
          p += 2;
          continue;
        }
        p++;
        break;
      }
      if (c === LF || (c === CR && !(p + 1 < end && b[p + 1] === LF))) this.line++;
      if (n === s.length) s = this.growScratch();
      s[n++] = c;
      p++;
    }
    while (p < end) {
      const c = b[p];
      if (c === COMMA || c === LF || c === CR) break;
      if (n === s.length) s = this.growScratch();
      s[n++] = c;
      p++;
    }
    this.scratchLen = n;
    return p;
  }

  private growScratch(): Uint8Array {
    const s = new Uint8Array(this.scratch.length * 2);
    s.set(this.scratch);
    this.scratch = s;
    return s;
  }

  private store(col: number, row: number, src: Uint8Array, fs: number, fe: number, line: number): void {
    if (this.isNumeric[col] === 1) {
      let v: number;
      if (fs === fe) v = NaN;
      else if (this.naNumeric !== null && this.naNumeric.lookup(src, fs, fe) === MISSING_CODE) v = NaN;
      else {
        v = parseNumberBytes(src, fs, fe);
        if (v !== v) v = this.notPlainNumber(col, src, fs, fe, line);
      }
      if (this.checks[col] === 1) this.checkNumber(col, v, line);
      this.values[col][row] = v;
      return;
    }
    this.storeCategory(col, row, src, fs, fe, hashBytes(src, fs, fe), line);
  }

  private storeCategory(col: number, row: number, src: Uint8Array, fs: number, fe: number, h: number, line: number): void {
    let code: number;
    if (fs === fe) code = MISSING_CODE;
    else if (this.closed[col] === 1) {
      code = this.dicts[col].lookupHashed(src, fs, fe, h);
      if (code === -2) {
        const c = this.cols[col];
        throw new DataError('data.schema.unknownCategory', { value: clip(decode(src, fs, fe)), allowed: c.categories ?? [] }, { location: this.where(col, line) });
      }
    } else code = this.dicts[col].codeOfHashed(src, fs, fe, h);
    if (code === MISSING_CODE && this.notNull[col] === 1) {
      throw new DataError('data.schema.missingValue', {}, { location: this.where(col, line) });
    }
    this.codes[col][row] = code;
  }

  /** A numeric field that is not a plain decimal: a missing token, an infinity, or an error. */
  private notPlainNumber(col: number, src: Uint8Array, fs: number, fe: number, line: number): number {
    const text = decode(src, fs, fe);
    if (this.naSet.has(text)) return NaN;
    const special = parseSpecialNumber(text);
    if (special === special) return special;
    if (this.cols[col].inferring) throw new DemoteColumn(this.cols[col].name);
    throw new DataError('data.csv.notANumber', { text: clip(text) }, { location: this.where(col, line) });
  }

  private checkNumber(col: number, v: number, line: number): void {
    const c = this.cols[col];
    if (v !== v) {
      if (!c.nullable) throw new DataError('data.schema.missingValue', {}, { location: this.where(col, line) });
      return;
    }
    if (c.check === CHECK_BINARY && v !== 0 && v !== 1) {
      throw new DataError('data.schema.notBinary', { value: v }, { location: this.where(col, line) });
    }
    if (c.check === CHECK_INTEGER && !Number.isInteger(v)) {
      throw new DataError('data.schema.notInteger', { value: v }, { location: this.where(col, line) });
    }
  }

  private where(col: number, line: number) {
    return { file: this.file, line, column: col + 1, field: this.cols[col].name };
  }

  /** The rows parsed so far as a Table (exact-length arrays); resets the row count to 0. */
  takeTable(): Table {
    const n = this.rows;
    const columns: Column[] = this.cols.map((c, i) =>
      c.numeric
        ? numericColumn(c.name, this.values[i].length === n ? this.values[i] : this.values[i].slice(0, n))
        : categoricalColumn(c.name, this.codes[i].length === n ? this.codes[i] : this.codes[i].slice(0, n), this.dicts[i].values.slice()),
    );
    this.values = this.cols.map(() => new Float64Array(0));
    this.codes = this.cols.map(() => new Int32Array(0));
    this.capacity = 0;
    this.rows = 0;
    return new Table(columns);
  }
}

/** An NA token such as '-999' must be checked before number parsing would accept it. */
function looksNumeric(token: string): boolean {
  const b = Buffer.from(token, 'utf8');
  return !Number.isNaN(parseNumberBytes(b, 0, b.length));
}

/** The end of an unquoted field starting at b[pos] (see the field readers). */
function skipField(b: Uint8Array, pos: number, end: number, final: boolean): number {
  let p = pos;
  while (p < end) {
    const c = b[p];
    if (c > COMMA) {
      p++;
      continue;
    }
    if (c === COMMA || c === LF || c === CR) break;
    p++;
  }
  return p >= end && !final ? -1 : p;
}

function decode(b: Uint8Array, start: number, end: number): string {
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');
}

function clip(text: string): string {
  return text.length > TEXT_LIMIT ? `${text.slice(0, TEXT_LIMIT)}...` : text;
}
