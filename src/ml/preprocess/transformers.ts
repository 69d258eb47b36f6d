// The three transformer kinds behind one dispatch table, so the column transformer and the
// serialiser handle every kind the same way: fit, output width, feature names, transform.
import type { Table } from '../../data/index.ts';
import type { InputKind } from './columnInput.ts';
import type { RowKernel } from './denseMatrix.ts';
import { fitMedianImputer, medianImputerKernel, medianImputerOutputColumns, type FitResult, type MedianImputerState } from './medianImputer.ts';
import { fitOneHotEncoder, oneHotFeatureNames, oneHotKernel, type OneHotEncoderState } from './oneHotEncoder.ts';
import { fitYeoJohnson, yeoJohnsonKernel, type YeoJohnsonSearch, type YeoJohnsonState } from './yeoJohnson.ts';

export type TransformerKind = 'medianImputer' | 'yeoJohnson' | 'oneHot';
export type TransformerState = MedianImputerState | YeoJohnsonState | OneHotEncoderState;

/** The column kind each transformer reads. */
export const inputKindOf: Record<TransformerKind, InputKind> = {
  medianImputer: 'numeric',
  yeoJohnson: 'numeric',
  oneHot: 'categorical',
};

/** `searches`: Yeo-Johnson searches already done for `columns` (ignored by the other kinds). */
export function fitTransformer(kind: TransformerKind, table: Table, columns: readonly string[], searches?: readonly YeoJohnsonSearch[]): FitResult<TransformerState> {
  switch (kind) {
    case 'medianImputer':
      return fitMedianImputer(table, columns);
    case 'yeoJohnson':
      return fitYeoJohnson(table, columns, { searches });
    case 'oneHot':
      return fitOneHotEncoder(table, columns);
  }
}

/** Output feature names without the transformer prefix (sklearn's per-transformer names). */
export function transformerFeatureNames(state: TransformerState): string[] {
  switch (state.kind) {
    case 'medianImputer':
      return medianImputerOutputColumns(state);
    case 'yeoJohnson':
      return [...state.columns];
    case 'oneHot':
      return oneHotFeatureNames(state);
  }
}

/** The transformer's row kernel for `table` (input columns checked once, here). */
export function transformerKernel(state: TransformerState, table: Table): RowKernel {
  switch (state.kind) {
    case 'medianImputer':
      return medianImputerKernel(state, table);
    case 'yeoJohnson':
      return yeoJohnsonKernel(state, table);
    case 'oneHot':
      return oneHotKernel(state, table);
  }
}
