// The three transformer kinds behind one dispatch table, so the column transformer and the
// serialiser handle every kind the same way: fit, output width, feature names, transform.
import type { Table } from '../../data/index.ts';
import type { InputKind } from './columnInput.ts';
import type { DenseMatrix } from './denseMatrix.ts';
import { fitMedianImputer, medianImputerOutputColumns, medianImputerTransform, type FitResult, type MedianImputerState } from './medianImputer.ts';
import { fitOneHotEncoder, oneHotFeatureNames, oneHotTransform, type OneHotEncoderState } from './oneHotEncoder.ts';
import { fitYeoJohnson, yeoJohnsonTransform, type YeoJohnsonState } from './yeoJohnson.ts';

export type TransformerKind = 'medianImputer' | 'yeoJohnson' | 'oneHot';
export type TransformerState = MedianImputerState | YeoJohnsonState | OneHotEncoderState;

/** The column kind each transformer reads. */
export const inputKindOf: Record<TransformerKind, InputKind> = {
  medianImputer: 'numeric',
  yeoJohnson: 'numeric',
  oneHot: 'categorical',
};

export function fitTransformer(kind: TransformerKind, table: Table, columns: readonly string[]): FitResult<TransformerState> {
  switch (kind) {
    case 'medianImputer':
      return fitMedianImputer(table, columns);
    case 'yeoJohnson':
      return fitYeoJohnson(table, columns);
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

export function applyTransformer(state: TransformerState, table: Table, out: DenseMatrix, offset: number): void {
  switch (state.kind) {
    case 'medianImputer':
      return medianImputerTransform(state, table, out, offset);
    case 'yeoJohnson':
      return yeoJohnsonTransform(state, table, out, offset);
    case 'oneHot':
      return oneHotTransform(state, table, out, offset);
  }
}
