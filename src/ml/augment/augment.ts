// Grows a table to `dataSize` rows the way the reference `load_data` step does, with a seed.
//
//   repeat each row k = dataSize // rows + 1 times in place -> keep the first dataSize rows
//   -> perturb the spec's columns, in spec order -> make every row distinct -> table
//
// The reference then calls `drop_duplicates()` and asserts the row count still equals
// `data_size`: it relies on the continuous noise (income, loan amount, interest rate) making
// collisions practically impossible and crashes with an AssertionError if one happens. We keep
// that intent — exactly dataSize rows, no two equal — without the crash: a row that equals an
// earlier one gets its perturbations redrawn (continuing the same seeded stream) until it is
// distinct. When no row collides, which is always the case when the reference succeeds, the
// output equals the reference's for `np.random.seed(seed)`, value for value.
import { DataError, UsageError } from '../../core/errors.ts';
import { takeColumn, type CategoricalColumn, type Column, type NumericColumn } from '../../data/column.ts';
import { Table } from '../../data/table.ts';
import { distinctCodes, integerNoise, normalNoise, perturbCategorical, perturbNumeric, resampleOne } from './perturb.ts';
import { RandomState } from '../../core/random/randomState.ts';
import { RowSet } from './rowHash.ts';
import type { AugmentSpec, CategoryResample, IntegerNoise, NormalNoise, Perturbation } from './spec.ts';
import { validateAugmentSpec } from './validate.ts';

export interface AugmentOptions {
  /** Requested row count. Below the table's row count the table is returned unchanged. */
  dataSize: number;
  /** Seed of the numpy-compatible generator, an integer in [0, 2^32 - 1]. */
  seed: number;
  /** The label column; it is copied unchanged and may not be perturbed. */
  label: string;
  spec: AugmentSpec;
  /** Redraws allowed per colliding row before giving up. Default 100. */
  maxRedraws?: number;
}

export interface AugmentResult {
  table: Table;
  /** `sourceRow[i]` is the input row that output row i was made from. */
  sourceRow: Int32Array;
}

const MAX_UINT32 = 0xffffffff;

export function augmentRows(table: Table, options: AugmentOptions): AugmentResult {
  const { dataSize, seed, label, spec } = options;
  if (!Number.isSafeInteger(dataSize) || dataSize < 0) throw new UsageError('augment.badSize', { value: String(dataSize) });
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_UINT32) throw new UsageError('augment.badSeed', { value: String(seed) });
  validateAugmentSpec(table, spec, label);

  const rows = table.numRows;
  if (dataSize < rows || (dataSize === 0 && rows === 0)) return { table, sourceRow: identity(rows) };
  if (rows === 0) throw new DataError('augment.emptyInput', { dataSize });

  const sourceRow = repeatedRows(rows, dataSize);
  const rng = new RandomState(seed);
  const targets = spec.perturbations.map((p) => perturbColumn(p, table.column(p.column), rng, sourceRow));
  const byName = new Map<string, Column>(targets.map((t) => [t.out.name, t.out]));
  const columns = table.columns.map((c) => byName.get(c.name) ?? takeColumn(c, sourceRow));

  const redraw = (row: number): void => {
    for (const t of targets) redrawCell(t, rng, row, sourceRow[row]);
  };
  makeRowsDistinct(columns, dataSize, redraw, options.maxRedraws ?? 100);
  return { table: new Table(columns), sourceRow };
}

/** A perturbed output column with what is needed to redraw one of its cells. */
type Target =
  | { p: IntegerNoise | NormalNoise; src: NumericColumn; out: NumericColumn }
  | { p: CategoryResample; src: CategoricalColumn; out: CategoricalColumn; choices: Int32Array };

// Kinds were checked by validateAugmentSpec; the casts only restate that.
function perturbColumn(p: Perturbation, src: Column, rng: RandomState, sourceRow: Int32Array): Target {
  if (p.kind === 'resampleCategory') {
    const cat = src as CategoricalColumn;
    const choices = distinctCodes(cat.codes, sourceRow, cat.dictionary.length);
    return { p, src: cat, choices, out: { ...cat, codes: perturbCategorical(p, rng, cat.codes, sourceRow, choices) } };
  }
  const num = src as NumericColumn;
  return { p, src: num, out: { ...num, values: perturbNumeric(p, rng, num.values, sourceRow) } };
}

function redrawCell(t: Target, rng: RandomState, row: number, from: number): void {
  if (t.p.kind === 'resampleCategory') {
    const c = t as Extract<Target, { choices: Int32Array }>;
    const u = rng.randomSample();
    c.out.codes[row] = resampleOne(c.p, u, c.choices[rng.integer(0, c.choices.length)], c.src.codes[from]);
  } else {
    const n = t as Extract<Target, { src: NumericColumn }>;
    n.out.values[row] = n.p.kind === 'integerNoise' ? integerNoise(n.p, rng, n.src.values[from]) : normalNoise(n.p, rng, n.src.values[from]);
  }
}

function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Row 0 k times, row 1 k times, ..., cut at dataSize (numpy `repeat` then `iloc[:dataSize]`). */
function repeatedRows(rows: number, dataSize: number): Int32Array {
  const k = Math.floor(dataSize / rows) + 1;
  const out = new Int32Array(dataSize);
  for (let i = 0; i < dataSize; i++) out[i] = Math.floor(i / k);
  return out;
}

function makeRowsDistinct(columns: readonly Column[], n: number, redraw: (row: number) => void, maxRedraws: number): void {
  const seen = new RowSet(columns, n);
  for (let row = 0; row < n; row++) {
    let attempts = 0;
    while (!seen.add(row)) {
      if (attempts === maxRedraws) throw new DataError('augment.cannotDeduplicate', { row, attempts });
      redraw(row);
      seen.rehash(row);
      attempts++;
    }
  }
}
