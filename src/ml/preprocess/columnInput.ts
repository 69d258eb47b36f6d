// Input checks shared by every transformer: the column must exist, be of the kind the
// transformer works on, and (numeric) hold only finite numbers or NaN. scikit-learn refuses
// infinities in all three transformers (`force_all_finite='allow-nan'`), and so do we.
import { DataError } from '../../core/index.ts';
import type { CategoricalColumn, Column, NumericColumn, Table } from '../../data/index.ts';

export type InputKind = 'numeric' | 'categorical';

function requireColumn(table: Table, name: string, kind: InputKind): Column {
  if (!table.has(name)) throw new DataError('preprocess.missingColumn', { column: name });
  const col = table.column(name);
  if (col.kind !== kind) throw new DataError('preprocess.wrongColumnKind', { column: name, expected: kind, actual: col.kind });
  return col;
}

// Arrays found free of ±Infinity already: a fit and the transforms after it check each input
// column several times (checkInputs, each transformer, each kernel), one pass over it each time.
// A table's columns are immutable, so an array once checked stays valid; weak, so it goes with its table.
const finiteChecked = new WeakSet<Float64Array>();

/** The values of numeric column `name`, refusing ±Infinity. */
export function numericInput(table: Table, name: string): Float64Array {
  const v = (requireColumn(table, name, 'numeric') as NumericColumn).values;
  if (finiteChecked.has(v)) return v;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x === Infinity || x === -Infinity) throw new DataError('preprocess.infiniteValue', { column: name, row: i, value: x });
  }
  finiteChecked.add(v);
  return v;
}

export function categoricalInput(table: Table, name: string): CategoricalColumn {
  return requireColumn(table, name, 'categorical') as CategoricalColumn;
}

/** Checks every column up front so a transform fails before it writes anything. */
export function checkInputs(table: Table, inputs: readonly { name: string; kind: InputKind }[]): void {
  for (const { name, kind } of inputs) {
    if (kind === 'numeric') numericInput(table, name);
    else categoricalInput(table, name);
  }
}
