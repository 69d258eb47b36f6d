// OneHotEncoder(handle_unknown='ignore') with dense output, as in scikit-learn 1.2.1.
// Categories are the values seen at fit time, sorted by Unicode code point (Python's string
// order, which np.unique uses for object arrays; JS's default sort compares UTF-16 units and
// differs above U+FFFF). A missing value seen at fit time becomes its own category, last, named
// `nan` in feature names (scikit-learn puts np.nan last and prints it as `nan`); we store it as
// `null`. At transform time an unseen value, or a missing value when none was seen in fit,
// gives an all-zero block.
import { DataError } from '../../core/index.ts';
import { MISSING_CODE, type Table } from '../../data/index.ts';
import { categoricalInput } from './columnInput.ts';
import type { DenseMatrix, RowKernel } from './denseMatrix.ts';
import type { FitResult } from './medianImputer.ts';

export interface OneHotEncoderState {
  readonly kind: 'oneHot';
  readonly columns: readonly string[];
  /** Sorted categories per column; `null` is the missing-value category, always last. */
  readonly categories: readonly (readonly (string | null)[])[];
}

/** Orders strings by code point, as Python compares `str`. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (U+D800..DFFF) starts a code point above U+FFFF, which sorts after U+E000..FFFF.
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

export function fitOneHotEncoder(table: Table, columns: readonly string[]): FitResult<OneHotEncoderState> {
  if (table.numRows === 0) throw new DataError('preprocess.noRows', { transformer: 'one-hot encoder' });
  const categories = columns.map((name) => {
    const col = categoricalInput(table, name);
    const seen = new Uint8Array(col.dictionary.length);
    let missing = false;
    for (const code of col.codes) {
      if (code === MISSING_CODE) missing = true;
      else seen[code] = 1;
    }
    const cats: (string | null)[] = col.dictionary.filter((_, k) => seen[k] === 1).sort(compareCodePoints);
    if (missing) cats.push(null);
    return cats;
  });
  return { state: { kind: 'oneHot', columns: [...columns], categories }, warnings: [] };
}

export function oneHotOutputWidth(state: OneHotEncoderState): number {
  return state.categories.reduce((s, c) => s + c.length, 0);
}

export function oneHotFeatureNames(state: OneHotEncoderState): string[] {
  return state.columns.flatMap((name, j) => state.categories[j].map((c) => `${name}_${c ?? 'nan'}`));
}

export function oneHotTransform(state: OneHotEncoderState, table: Table, out: DenseMatrix, offset: number): void {
  oneHotKernel(state, table)(out, offset, 0, table.numRows);
}

/** Resolves each column's dictionary to output positions once; the kernel fills rows [start, end). */
export function oneHotKernel(state: OneHotEncoderState, table: Table): RowKernel {
  const plans = state.columns.map((name, j) => {
    const col = categoricalInput(table, name);
    const cats = state.categories[j];
    const position = new Map<string, number>();
    cats.forEach((c, k) => {
      if (c !== null) position.set(c, k);
    });
    // this table's dictionary code -> output column, -1 for values unseen at fit time
    const target = Int32Array.from(col.dictionary, (v) => position.get(v) ?? -1);
    const missingTarget = cats.length > 0 && cats[cats.length - 1] === null ? cats.length - 1 : -1;
    return { codes: col.codes, width: cats.length, target, missingTarget };
  });
  return (out, offset, start, end) => {
    const { nCols: cols, data } = out;
    let block = offset;
    for (const { codes, width, target, missingTarget } of plans) {
      for (let i = start, row = start * cols; i < end; i++, row += cols) {
        for (let k = 0; k < width; k++) data[row + block + k] = 0;
        const code = codes[i];
        const t = code === MISSING_CODE ? missingTarget : target[code];
        if (t >= 0) data[row + block + t] = 1;
      }
      block += width;
    }
  };
}
