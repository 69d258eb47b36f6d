// Whether a remembered value (writtenMemo.ts) is exactly what the CSV reader would return for
// the bytes its writer produced, and that value when it is. The writers (writeCsv,
// writeMatrixCsv) spell every finite number so that it reads back as the same double, a
// missing value as an empty field, a category as its text (quoted when needed); the reader
// gives categorical dictionaries in first-seen order. Everything else is checked here, and any
// doubt answers undefined, so the caller parses the file as before:
//   -0 reads back as 0, and NaN with any payload as the canonical NaN: fixed in a copy;
//   infinities, a category the reader would read as missing (an NA token, ''), a text that is
//   not valid UTF-8, a missing value in a one-column file (an empty line, which the reader
//   skips), names that need quoting or trimming, no rows: undefined;
//   the schema's columns, kinds and checks (nullable, integer, 0/1, closed categories) as the
//   reader enforces them: a violation is undefined, so the parse reports it with its line.
import type { DenseMatrix } from '../../core/denseMatrix.ts';
import { categoricalColumn, MISSING_CODE, numericColumn, type Column } from '../column.ts';
import { DEFAULT_NA_VALUES } from '../csv/naValues.ts';
import { isNumericType, type ColumnSchema, type Schema } from '../schema/types.ts';
import { Table } from '../table.ts';
import type { WrittenValue } from './writtenMemo.ts';

export interface ConformOptions {
  /** Whether the reader expects a header line (the writer must have written one). */
  readonly header: boolean;
  /** The reader's schema: exactly these columns (any order) when there is a header. */
  readonly schema: Schema;
  /** Names of a headerless file's columns, in order (default: the schema's). */
  readonly columnNames?: readonly string[];
}

const NA = new Set(DEFAULT_NA_VALUES);
const PLAIN_NAME = /^[^\s",\uFEFF](?:[^",\r\n]*[^\s",])?$/;

/** The table the CSV reader would return, or undefined when that is not certain. */
export function conformTable(value: WrittenValue, options: ConformOptions): Table | undefined {
  if (value.kind !== 'table' || value.header !== options.header) return undefined;
  const t = value.table;
  if (t.numRows === 0 || t.numCols === 0) return undefined;
  const specs = options.schema.columns;
  let names: readonly string[];
  if (options.header) {
    if (t.numCols !== specs.length) return undefined;
    names = t.columnNames;
    if (!names.every((n) => PLAIN_NAME.test(n) && isWellFormed(n))) return undefined;
  } else {
    names = options.columnNames ?? specs.map((c) => c.name);
    if (names.length !== t.numCols) return undefined;
  }
  const out: Column[] = [];
  for (let j = 0; j < t.numCols; j++) {
    const spec = specs.find((c) => c.name === names[j]);
    if (spec === undefined) return undefined;
    const c = conformColumn(t.columns[j], names[j], spec, t.numCols === 1);
    if (c === undefined) return undefined;
    out.push(c);
  }
  return new Table(out);
}

/** The matrix the headerless numeric reader would return, or undefined when that is not certain. */
export function conformMatrix(value: WrittenValue): DenseMatrix | undefined {
  if (value.kind !== 'matrix') return undefined;
  const { data, nRows, nCols } = value.matrix;
  if (nRows === 0 || nCols === 0 || data.length !== nRows * nCols) return undefined;
  const values = canonicalNumbers(data, nCols === 1, true, 0);
  return values === undefined ? undefined : { data: values, nRows, nCols };
}

function conformColumn(c: Column, name: string, spec: ColumnSchema, only: boolean): Column | undefined {
  if (isNumericType(spec.type) !== (c.kind === 'numeric')) return undefined;
  const nullable = spec.nullable ?? true;
  if (c.kind === 'numeric') {
    const check = spec.type === 'binary' ? BINARY : spec.type === 'integer' ? INTEGER : 0;
    const values = canonicalNumbers(c.values, only, nullable, check);
    return values === undefined ? undefined : numericColumn(name, values);
  }
  return conformCategories(c.codes, c.dictionary, name, spec, only, nullable);
}

const INTEGER = 1;
const BINARY = 2;
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
f64[0] = NaN;
const NAN_LO = u32[0];
const NAN_HI = u32[1];

/**
 * The values as they read back: the same array when nothing changes, a copy with -0 and odd
 * NaNs made canonical, or undefined when a value cannot read back or breaks the checks.
 */
function canonicalNumbers(v: Float64Array, only: boolean, nullable: boolean, check: number): Float64Array | undefined {
  let out: Float64Array | undefined;
  const bits = new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x !== x) {
      if (!nullable || only) return undefined;
      if (bits[2 * i] !== NAN_LO || bits[2 * i + 1] !== NAN_HI) (out ??= v.slice())[i] = NaN;
      continue;
    }
    if (x === Infinity || x === -Infinity) return undefined;
    if (x === 0) {
      if (1 / x < 0) (out ??= v.slice())[i] = 0;
      continue;
    }
    if (check === BINARY ? x !== 1 : check === INTEGER && !Number.isInteger(x)) return undefined;
  }
  return out ?? v;
}

/** Codes renumbered to first-seen order (the reader's dictionary), or undefined. */
function conformCategories(codes: Int32Array, dictionary: readonly string[], name: string, spec: ColumnSchema, only: boolean, nullable: boolean): Column | undefined {
  const remap = new Int32Array(dictionary.length).fill(-2);
  const order: string[] = [];
  // By text, not by code: a dictionary may hold a text twice, and parsing gives it one code.
  const seen = new Map<string, number>();
  let identity = true;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code === MISSING_CODE) {
      if (!nullable || only) return undefined;
      continue;
    }
    if (code < 0 || code >= dictionary.length) return undefined;
    if (remap[code] !== -2) continue;
    const text = dictionary[code];
    if (text === '' || NA.has(text) || !isWellFormed(text)) return undefined;
    const earlier = seen.get(text);
    if (earlier !== undefined) {
      remap[code] = earlier;
      identity = false;
      continue;
    }
    seen.set(text, order.length);
    remap[code] = order.length;
    if (code !== order.length) identity = false;
    order.push(text);
  }
  // A closed category set is the reader's dictionary, in its order; every value must be in it.
  if (spec.categories !== undefined) {
    const at = new Map(spec.categories.map((v, k) => [v, k]));
    if (at.size !== spec.categories.length || spec.categories.some((v) => v === '' || NA.has(v))) return undefined;
    for (let k = 0; k < dictionary.length; k++) {
      if (remap[k] === -2) continue;
      const target = at.get(dictionary[k]);
      if (target === undefined) return undefined;
      remap[k] = target;
      if (target !== k) identity = false;
    }
    return categoricalColumn(name, identity ? codes : renumber(codes, remap), spec.categories.slice());
  }
  if (order.length !== dictionary.length) identity = false;
  return categoricalColumn(name, identity ? codes : renumber(codes, remap), order);
}

function renumber(codes: Int32Array, remap: Int32Array): Int32Array {
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    out[i] = c === MISSING_CODE ? MISSING_CODE : remap[c];
  }
  return out;
}

/** Whether the text survives UTF-8 encoding unchanged (no lone surrogate). */
function isWellFormed(text: string): boolean {
  return Buffer.from(text, 'utf8').toString('utf8') === text;
}
