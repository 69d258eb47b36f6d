// The component executor: KFP ExecutorInput in, ExecutorOutput out.
export { executeComponent, type ExecuteOptions, type ExecutionReporter } from './executeComponent.ts';
export { parseExecutorInput, type ExecutorInput, type ExecutorOutput, type RuntimeArtifact } from './executorInput.ts';
export { uriToPath } from './uriToPath.ts';
export { ComponentRegistry } from './registry.ts';
export { plainCodec, type ArtifactCodec, type ArtifactIdentity, type CodecRead, type CodecWrite } from './artifactCodec.ts';
export { runIdFromExecutorInput, kfpTaskIdentity, type KfpTaskIdentity, type RunIdOptions } from './runIdFromUris.ts';
