// Compiler: pipeline definition -> KFP v2 PipelineSpec (an object; YAML emission comes later).
export { compilePipeline, executorArgs, SDK_VERSION, DEFAULT_IMAGE, DEFAULT_EXECUTOR_COMMAND, type CompileOptions } from './compilePipeline.ts';
export { topologicalOrder } from '../graph/topologicalOrder.ts';
