// Public API of the gradient-boosting engine (depends on core only).
export { train, trainAsync, Booster, type TrainOptions, type EvalSet, type EvalResult, type EvalsResult } from './booster.ts';
export { denseMatrix, type DenseMatrix } from './denseMatrix.ts';
export { columnMatrix, isColumnMatrix, type ColumnMatrix, type ColumnValues, type TrainingMatrix } from './data/columnMatrix.ts';
export type { GbdtModel } from './model.ts';
export { predict, modelObjective, type PredictOptions } from './predict/predict.ts';
export { toXgboostJson, fromXgboostJson, XGBOOST_JSON_VERSION } from './io/xgboostJson.ts';
export { parseModel, serializeModel, modelFormatFromPath, toXgboostUbj, fromXgboostUbj, type ModelFormat } from './io/index.ts';
export { featureImportance, IMPORTANCE_TYPES, type ImportanceType } from './importance/index.ts';
export { predictContributions, shapTables, contributionsOf, ContributionsPool, type ShapTables } from './explain/index.ts';
export { toOnnx } from './onnx/index.ts';
export { parseTrainParams, knownParamNames, PARAM_LIMITS, type TrainParams, type TrainParamsInput, type ObjectiveName, type GrowPolicy } from './trainParams.ts';
export { numGroup } from './model.ts';
export { checkMemory, checkArrayLength, memoryLimit, formatBytes, MEMORY_LIMIT_ENV } from './memoryBudget.ts';
export { createMetric, supportedMetrics, type Metric } from './metric/index.ts';
export { RegTree } from './tree/regTree.ts';
export { supportedObjectives } from './objective/index.ts';
export * from './compiled/index.ts';
