// The local runner: executes a compiled PipelineSpec on this machine.
export { runPipeline, type RunPipelineOptions } from './runPipeline.ts';
export { newRunId } from './runId.ts';
export { resolveRunParameters } from './runParameters.ts';
export { MANIFEST_KEY, SPEC_KEY, type RunManifest, type TaskRecord, type OutputRecord, type InputRecord } from './manifest.ts';
export { resolveRunArtifacts } from './runArtifacts.ts';
