// Puts a compiled pipeline on KFP and starts a run of it: uploads the pipeline when none of that
// name exists (KFP then makes its first version, named like the pipeline), else adds a version;
// finds or creates the experiment; creates the run on exactly the version just uploaded.
import { DataError } from '../../core/errors.ts';
import type { KfpExperiment, KfpPipeline, KfpPipelineVersion, KfpRun } from './apiSchemas.ts';
import type { CompiledPipeline } from './compiledPipelineFile.ts';
import type { KfpClient } from './kfpClient.ts';
import type { RuntimeValue } from './runtimeParameters.ts';

export interface SubmitOptions {
  pipelineName: string;
  /** Name of the new version when the pipeline already exists. */
  versionName: string;
  experiment: string;
  runName: string;
  parameters: Record<string, RuntimeValue>;
}

export interface Submitted {
  pipeline: KfpPipeline;
  pipelineCreated: boolean;
  version: KfpPipelineVersion;
  experiment: KfpExperiment;
  experimentCreated: boolean;
  run: KfpRun;
}

export async function submitPipeline(client: KfpClient, compiled: CompiledPipeline, options: SubmitOptions, signal?: AbortSignal): Promise<Submitted> {
  const { pipeline, version, pipelineCreated } = await uploadPipelineOrVersion(client, compiled, options, signal);
  const { experiment, created: experimentCreated } = await client.findOrCreateExperiment(options.experiment, signal);
  const run = await client.createRun(
    {
      displayName: options.runName,
      experimentId: experiment.experiment_id,
      pipelineId: pipeline.pipeline_id,
      pipelineVersionId: version.pipeline_version_id,
      parameters: options.parameters,
    },
    signal,
  );
  return { pipeline, pipelineCreated, version, experiment, experimentCreated, run };
}

async function uploadPipelineOrVersion(
  client: KfpClient,
  compiled: CompiledPipeline,
  options: SubmitOptions,
  signal: AbortSignal | undefined,
): Promise<{ pipeline: KfpPipeline; version: KfpPipelineVersion; pipelineCreated: boolean }> {
  const existing = await client.findPipeline(options.pipelineName, signal);
  if (existing) {
    const version = await client.uploadPipelineVersion(existing.pipeline_id, options.versionName, compiled.upload, { description: compiled.description }, signal);
    return { pipeline: existing, version, pipelineCreated: false };
  }
  const pipeline = await client.uploadPipeline(options.pipelineName, compiled.upload, { description: compiled.description }, signal);
  // The upload answers with the pipeline only; its single version is the newest one.
  const { versions } = await client.listPipelineVersions(pipeline.pipeline_id, { pageSize: 1, sortBy: 'created_at desc' }, signal);
  if (versions.length === 0) {
    throw new DataError('kfp.badResponse', { host: client.host, action: `listing versions of pipeline ${pipeline.pipeline_id}`, reason: 'the pipeline just uploaded has no version' });
  }
  return { pipeline, version: versions[0], pipelineCreated: true };
}
