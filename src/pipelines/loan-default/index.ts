// The loan-default pipeline and its seven components, plus the pieces they are built from.
export { loanDefaultPipeline, loanDefaultComponents } from './pipeline.ts';
export { loadData } from './components/loadData.ts';
export { createTrainTestSet } from './components/createTrainTestSet.ts';
export { preprocessFeatures } from './components/preprocessFeatures.ts';
export { trainModel } from './components/trainModel.ts';
export { compileModel } from './components/compileModel.ts';
export { batchInference } from './components/batchInference.ts';
export { plotRocCurve } from './components/plotRocCurve.ts';
export * from './schema.ts';
export { LOAN_DEFAULT_PREPROCESSOR } from './preprocessorSpec.ts';
export { CREDIT_RISK_AUGMENT_SPEC } from './augmentSpec.ts';
export { generateSyntheticCreditRisk, DEFAULT_SYNTHETIC_ROWS } from './syntheticData.ts';
export { renderRocPlot } from './rocPlot.ts';
export { rawFieldOf, topReasons, type Reason } from './reasons.ts';
