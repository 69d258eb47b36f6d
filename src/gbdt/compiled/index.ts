export { compileModel, isCompiledModel, loadCompiledModel, CompiledModel, COMPILED_FORMAT, COMPILED_VERSION, type CompiledPredictOptions } from './compiledModel.ts';
export { flattenModel, type FlatForest } from './flatForest.ts';
