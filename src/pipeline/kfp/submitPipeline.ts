// Puts a compiled pipeline on KFP and starts a run of it: uploads the pipeline when none of that
// name exists (KFP then makes its first version, named like the pipeline), else adds a version;
// finds or creates the experiment; creates the run on exactly the version just uploaded.
//
// Multi-user Kubeflow accepts an upload without a namespace as a *shared* pipeline (no
// authorization is checked for it: backend/src/apiserver/server/pipeline_upload_server.go,
// canUploadVersionedPipeline returns early for an empty namespace), then refuses the experiment
// ("An experiment cannot have an empty namespace in multi-user mode", experiment_server.go). So
// the namespace is settled before the upload, and whatever this submit uploaded is deleted
// again when a later step fails.
import { DataError, PipelineError, SealedError, UsageError } from '../../core/errors.ts';
import { printable } from '../../core/terminalText.ts';
import { compareReleases, compiledForRelease } from '../compiler/index.ts';
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
  /** False when an existing version was run. */
  uploaded: boolean;
  version: KfpPipelineVersion;
  experiment: KfpExperiment;
  experimentCreated: boolean;
  run: KfpRun;
}

/**
 * Refuses, before anything is written, to act without a namespace on a multi-user server (the
 * KFP SDK asks GET healthz the same question: sdk/python/kfp/client/client.py, Client.__init__),
 * and to send a file compiled for a newer KFP release than the server's (healthz `tag_name`,
 * backend/src/apiserver/main.go): an older backend would reject or silently drop what that release
 * added (src/pipeline/compiler/kfpVersions.ts).
 */
export async function checkCluster(client: KfpClient, command: string, signal?: AbortSignal, compiledFor?: string): Promise<void> {
  if (client.namespace !== undefined && compiledFor === undefined) return;
  let info: { multi_user?: boolean; tag_name?: string };
  try {
    info = await client.serverInfo(signal);
  } catch (e) {
    // A proxy that does not pass /healthz through: the API calls themselves will tell.
    if (e instanceof PipelineError && e.code === 'kfp.httpStatus' && / 404: /.test(e.message)) return;
    throw e;
  }
  if (client.namespace === undefined && info.multi_user === true) throw new UsageError('kfp.namespaceRequired', { host: client.host, command });
  // "unknown" or a development build: nothing to compare with.
  if (compiledFor !== undefined && info.tag_name !== undefined && (compareReleases(compiledFor, info.tag_name) ?? 0) > 0) {
    throw new UsageError('kfp.clusterTooOld', { host: client.host, compiledFor, cluster: printable(info.tag_name.slice(0, 40)) });
  }
}

export async function submitPipeline(client: KfpClient, compiled: CompiledPipeline, options: SubmitOptions, signal?: AbortSignal): Promise<Submitted> {
  await checkCluster(client, 'sealed submit', signal, compiledForRelease(compiled.sdkVersion));
  const { pipeline, version, pipelineCreated } = await uploadPipelineOrVersion(client, compiled, options, signal);
  const created: Created = { pipeline, version, pipelineCreated };
  try {
    return { pipeline, pipelineCreated, uploaded: true, version, ...(await startRun(client, pipeline, version, options, created, signal)) };
  } catch (e) {
    // After Ctrl-C the run may exist already; leave everything as it is.
    if (signal?.aborted) throw e;
    throw await undo(client, e, created);
  }
}

/** A run of a version already on KFP: nothing is uploaded. */
export async function submitVersion(
  client: KfpClient,
  pipeline: KfpPipeline,
  version: KfpPipelineVersion,
  options: Omit<SubmitOptions, 'pipelineName' | 'versionName'>,
  signal?: AbortSignal,
): Promise<Submitted> {
  await checkCluster(client, 'sealed submit', signal);
  const created: Created = {};
  try {
    return { pipeline, pipelineCreated: false, uploaded: false, version, ...(await startRun(client, pipeline, version, options, created, signal)) };
  } catch (e) {
    if (signal?.aborted) throw e;
    throw await undo(client, e, created);
  }
}

/** What this submit created, so that a failure can take it back. */
interface Created {
  pipeline?: KfpPipeline;
  /** The version uploaded (with `pipeline`); the pipeline too when `pipelineCreated`. */
  version?: KfpPipelineVersion;
  pipelineCreated?: boolean;
  experiment?: KfpExperiment;
}

async function startRun(
  client: KfpClient,
  pipeline: KfpPipeline,
  version: KfpPipelineVersion,
  options: Pick<SubmitOptions, 'experiment' | 'runName' | 'parameters'>,
  created: Created,
  signal: AbortSignal | undefined,
): Promise<{ experiment: KfpExperiment; experimentCreated: boolean; run: KfpRun }> {
  const { experiment, created: experimentCreated } = await client.findOrCreateExperiment(options.experiment, signal);
  if (experimentCreated) created.experiment = experiment;
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
  return { experiment, experimentCreated, run };
}

/**
 * Deletes what this submit created: the experiment (it holds no run, since creating the run is
 * what failed), the version it uploaded, and the pipeline when it created that (version first:
 * before 2.4 a pipeline with versions cannot be deleted, resource_manager.go DeletePipeline).
 * Returns the error to throw: the original one, saying what was removed or left.
 */
async function undo(client: KfpClient, error: unknown, created: Created): Promise<unknown> {
  if (!(error instanceof SealedError)) return error;
  const { pipeline, version, pipelineCreated, experiment } = created;
  const steps: [what: string, action: () => Promise<void>][] = [];
  if (experiment) steps.push([`experiment '${experiment.display_name}' (${experiment.experiment_id})`, () => client.deleteExperiment(experiment.experiment_id)]);
  if (pipeline && version) {
    const name = pipeline.display_name ?? pipeline.pipeline_id;
    if (pipelineCreated) {
      steps.push([`pipeline '${name}' (${pipeline.pipeline_id})`, async () => {
        await client.deletePipelineVersion(pipeline.pipeline_id, version.pipeline_version_id);
        await client.deletePipeline(pipeline.pipeline_id);
      }]);
    } else {
      steps.push([`version '${version.display_name ?? version.pipeline_version_id}' (${version.pipeline_version_id}) of pipeline '${name}'`, () => client.deletePipelineVersion(pipeline.pipeline_id, version.pipeline_version_id)]);
    }
  }
  if (steps.length === 0) return error;
  const Kind = error.constructor as new (code: 'kfp.cleanedUp' | 'kfp.cleanupFailed', args: never, options: { cause: unknown }) => SealedError;
  const removed: string[] = [];
  for (const [what, action] of steps) {
    try {
      await action();
      removed.push(what);
    } catch (cleanup) {
      const left = steps.slice(removed.length).map(([w]) => w).join(' and ');
      return new Kind('kfp.cleanupFailed', { reason: error.message, left, cleanup: (cleanup as Error).message } as never, { cause: error });
    }
  }
  return new Kind('kfp.cleanedUp', { reason: error.message, removed: removed.join(' and ') } as never, { cause: error });
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
