// Public API of preprocessing: scikit-learn 1.2.1-identical transformers (median imputer,
// Yeo-Johnson power transform, one-hot encoder) and a column transformer composing them into
// a dense matrix, with a versioned JSON form of the fitted result.
export { createColumnTransformer, FittedColumnTransformer } from './columnTransformer.ts';
export type { ColumnTransformer, ColumnTransformerSpec, ParallelFitOptions, TransformerSpec, NamedTransformerState, InputColumn } from './columnTransformer.ts';
export { parseSealedPreprocessor, type SealedPreprocessor } from './sealedPreprocessor.ts';
export type { TransformerKind, TransformerState } from './transformers.ts';
export { denseMatrix, matrixColumn, type DenseMatrix } from './denseMatrix.ts';
export { fitMedianImputer, medianImputerTransform, nanMedian, type MedianImputerState, type FitResult } from './medianImputer.ts';
export { fitYeoJohnson, yeoJohnsonTransform, yeoJohnsonLambda, yeoJohnsonSearch, yeoJohnsonValue, type YeoJohnsonSearch, type YeoJohnsonState } from './yeoJohnson.ts';
export { yeoJohnsonLambdas, yeoJohnsonSearches, type LambdaOptions } from './parallelLambdas.ts';
export { fitStandardScaler, type ScalerStats } from './standardScaler.ts';
export { fitOneHotEncoder, oneHotTransform, oneHotFeatureNames, compareCodePoints, type OneHotEncoderState } from './oneHotEncoder.ts';
export { brentMinimize, bracketMinimum, type BrentOptions, type BrentResult } from './brent.ts';
export { numpySum, numpySumGather, numpySumSquaredDeviations, numpySumSquaredDeviationsGather } from './numpySum.ts';
