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
