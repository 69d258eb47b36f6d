// The local runner: executes a compiled PipelineSpec on this machine.
export { runPipeline, type RunPipelineOptions } from './runPipeline.ts';
export { newRunId } from './runId.ts';
export { resolveRunParameters } from './runParameters.ts';
export { MANIFEST_KEY, SPEC_KEY, type RunManifest, type TaskRecord, type OutputRecord, type InputRecord, type RunOwner, type ResumeRecord } from './manifest.ts';
export { runManifestSchema, type StoredManifest, type StoredTask, type StoredOutput } from './manifestSchema.ts';
export {
  effectiveRunState,
  effectiveTaskState,
  localProbe,
  currentOwner,
  procStartTicks,
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_STALE_MS,
  type EffectiveRunState,
  type EffectiveTaskState,
  type ProcessProbe,
  type OwnerVerdict,
} from './runOwner.ts';
export { readRunManifest, readRunState, planResume, resumeParameters, lockForResume, clearRerunLeftovers, RESUME_LOCK, type ResumePlan, type RunStateView, type ReadOptions } from './resumeRun.ts';
export { resolveRunArtifacts } from './runArtifacts.ts';
export { storedArtifactSource, type StoredArtifactOptions } from './storedArtifact.ts';
