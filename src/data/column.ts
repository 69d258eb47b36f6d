// Columns are typed arrays. Numeric columns hold float64 with NaN for missing; categorical
// columns are dictionary-encoded: `codes[i]` indexes `dictionary`, -1 marks a missing value.
// Dictionaries keep first-seen order; code that needs sorted categories sorts them itself.

export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
}

export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  readonly codes: Int32Array;
  readonly dictionary: readonly string[];
}

export type Column = NumericColumn | CategoricalColumn;

export const MISSING_CODE = -1;

export function numericColumn(name: string, values: Float64Array | ArrayLike<number>): NumericColumn {
  return { kind: 'numeric', name, values: values instanceof Float64Array ? values : Float64Array.from(values) };
}

export function categoricalColumn(name: string, codes: Int32Array, dictionary: readonly string[]): CategoricalColumn {
  return { kind: 'categorical', name, codes, dictionary };
}

/** Builds a categorical column from strings; `null`/`undefined`/'' are missing. */
export function categoricalFromStrings(name: string, values: ArrayLike<string | null | undefined>): CategoricalColumn {
  const index = new Map<string, number>();
  const dictionary: string[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || v === '') {
      codes[i] = MISSING_CODE;
      continue;
    }
    let c = index.get(v);
    if (c === undefined) {
      c = dictionary.length;
      index.set(v, c);
      dictionary.push(v);
    }
    codes[i] = c;
  }
  return { kind: 'categorical', name, codes, dictionary };
}

export function columnLength(c: Column): number {
  return c.kind === 'numeric' ? c.values.length : c.codes.length;
}

/** Value at row i as it would be written: number (NaN = missing) or string (null = missing). */
export function valueAt(c: Column, i: number): number | string | null {
  if (c.kind === 'numeric') return c.values[i];
  const code = c.codes[i];
  return code === MISSING_CODE ? null : c.dictionary[code];
}

export function takeColumn(c: Column, indices: ArrayLike<number>): Column {
  const n = indices.length;
  if (c.kind === 'numeric') {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = c.values[indices[i]];
    return { kind: 'numeric', name: c.name, values: out };
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = c.codes[indices[i]];
  return { kind: 'categorical', name: c.name, codes: out, dictionary: c.dictionary };
}

/**
 * Source rows from which takeColumns gathers through buckets (columns of 8 bytes a row larger
 * than ~1 MB: a random gather misses the caches on almost every row).
 */
export const BUCKETED_TAKE_MIN_ROWS = 1 << 17;
/** Source rows per bucket: 32768 rows (256 KB of a float column) stay in the L2 cache. */
const BUCKET_SHIFT = 15;

/**
 * takeColumn for each column. For large tables the indices are first grouped by which block of
 * 32768 source rows they read (a counting sort of (source, destination) pairs, shared by all
 * columns), so each column's reads stay inside one cache-sized block at a time and its writes
 * go to a few sequential streams: ~35% less time than a plain random gather of 1M rows x 12
 * columns. The result is the same as takeColumn's, value for value.
 */
export function takeColumns(columns: readonly Column[], indices: ArrayLike<number>): Column[] {
  const nSrc = columns.length > 0 ? columnLength(columns[0]) : 0;
  const n = indices.length;
  if (columns.length < 2 || nSrc < BUCKETED_TAKE_MIN_ROWS || n < BUCKETED_TAKE_MIN_ROWS || !inRange(indices, nSrc)) return columns.map((c) => takeColumn(c, indices));
  const { src, dst } = bucketed(indices, nSrc);
  return columns.map((c) => {
    if (c.kind === 'numeric') return { kind: 'numeric', name: c.name, values: gatherFloat(c.values, src, dst, n) };
    return { kind: 'categorical', name: c.name, codes: gatherInt(c.codes, src, dst, n), dictionary: c.dictionary };
  });
}

/** Whether every index is an integer row of the source (others keep takeColumn's behaviour). */
function inRange(indices: ArrayLike<number>, nSrc: number): boolean {
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (!(r >= 0 && r < nSrc) || r !== Math.floor(r)) return false;
  }
  return true;
}

/** (source, destination) pairs ordered by source block, destinations ascending within each. */
function bucketed(indices: ArrayLike<number>, nSrc: number): { src: Int32Array; dst: Int32Array } {
  const n = indices.length;
  const nBuckets = (nSrc >> BUCKET_SHIFT) + 1;
  const next = new Int32Array(nBuckets + 1);
  for (let i = 0; i < n; i++) next[(indices[i] >> BUCKET_SHIFT) + 1]++;
  for (let b = 0; b < nBuckets; b++) next[b + 1] += next[b];
  const src = new Int32Array(n);
  const dst = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = indices[i];
    const at = next[s >> BUCKET_SHIFT]++;
    src[at] = s;
    dst[at] = i;
  }
  return { src, dst };
}

function gatherFloat(values: Float64Array, src: Int32Array, dst: Int32Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[dst[k]] = values[src[k]];
  return out;
}

function gatherInt(codes: Int32Array, src: Int32Array, dst: Int32Array, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[dst[k]] = codes[src[k]];
  return out;
}
