// The KFP run a task belongs to, read from the output artifact URIs the driver provisioned, for binding sealed
// artifacts to their run (SealContext.runId). Every 2.x driver can tell us this way; nothing else can:
//  - `{{$.pipeline_job_uuid}}` is resolved only from 2.5.0 (backend/src/v2/driver/resolve.go), and only in
//    parameters, and env values are copied verbatim (driver.go initPodSpecPatch), so no env var can carry it;
//  - the driver builds every output URI from the run id (backend/src/v2/metadata/client.go@2.0.5..2.17.0 GetPipeline:
//    pipeline_root = <root>/<pipeline name>/<run id>; GenerateOutputURI joins with "/" and drops the query), where
//    the run id is the KFP run's (argocompiler/argo.go runID() = {{workflow.uid}}, which the API server replaces
//    with the run id: apiserver/template/v2_template.go ReplaceUID(options.RunId)):
//      2.0.5 - 2.4.x  <root>/<pipeline>/<run id>/<task>/<output>          (driver.go@2.0.5 generateOutputURI,
//                                                                           @2.3.0 GenerateOutputURI(root, [task, name]))
//      2.5.0 - HEAD   <root>/<pipeline>/<run id>/<task>/<uuid>/<output>   (driver.go@2.5.0 provisionOutputs outputURISalt;
//                                                                           @2.17.0 taskRootRemote + name)
// The pipeline root may have any number of segments, so the layout is read from the end. A KFP run id is a UUID;
// so is the 2.5+ salt, a task name of ours never is (DSL names), which tells the two layouts apart. Every output
// must agree, and the task (and pipeline) can be checked against what the caller expects.
// Trust: the ExecutorInput comes from KFP's launcher, outside any enclave. The run id read here binds artifacts so
// that a store cannot swap them between runs; it does not stop the node itself from lying about the run.
import { PipelineError } from '../../core/index.ts';

export interface KfpTaskIdentity {
  pipelineName: string;
  runId: string;
  task: string;
  /** 'salted' for the 2.5+ layout with a per-execution UUID folder. */
  layout: 'plain' | 'salted';
}

export interface RunIdOptions {
  /** Names the component in errors. */
  component?: string;
  /** The task this execution must be (refused otherwise). */
  task?: string;
  /** The compiled pipelineInfo.name (refused otherwise). */
  pipelineName?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** More outputs than any component has; a bound on the work an input can ask for. */
const MAX_OUTPUTS = 1000;

/** The KFP run id of the task an ExecutorInput belongs to. */
export function runIdFromExecutorInput(executorInput: unknown, options: RunIdOptions = {}): string {
  return kfpTaskIdentity(executorInput, options).runId;
}

export function kfpTaskIdentity(executorInput: unknown, options: RunIdOptions = {}): KfpTaskIdentity {
  const fail = (reason: string): never => {
    throw new PipelineError('pipeline.badExecutorInput', { component: options.component ?? '(unknown)', reason });
  };
  const input = typeof executorInput === 'string' ? parseJson(executorInput, fail) : executorInput;
  const outputs = (input as { outputs?: { artifacts?: unknown } } | null)?.outputs?.artifacts;
  if (outputs === undefined || outputs === null || typeof outputs !== 'object') return fail('it has no output artifacts to read the KFP run id from');
  const entries = Object.entries(outputs as Record<string, unknown>);
  if (entries.length === 0) fail('it has no output artifacts to read the KFP run id from');
  if (entries.length > MAX_OUTPUTS) fail(`more than ${MAX_OUTPUTS} output artifacts`);
  let found: KfpTaskIdentity | undefined;
  for (const [key, list] of entries) {
    const uri = (list as { artifacts?: { uri?: unknown }[] } | null)?.artifacts?.[0]?.uri;
    if (typeof uri !== 'string') fail(`output '${key}' has no URI`);
    const id = identityOf(uri as string, key, fail);
    if (options.task !== undefined && id.task !== options.task) fail(`output '${key}' belongs to task '${id.task}', not '${options.task}'`);
    if (options.pipelineName !== undefined && id.pipelineName !== options.pipelineName) fail(`output '${key}' belongs to pipeline '${id.pipelineName}', not '${options.pipelineName}'`);
    if (found && (found.runId !== id.runId || found.task !== id.task || found.pipelineName !== id.pipelineName || found.layout !== id.layout)) {
      fail(`output '${key}' names run ${id.runId} of task '${id.task}', another output run ${found.runId} of task '${found.task}': the output URIs disagree`);
    }
    found ??= id;
  }
  return found!;
}

function identityOf(uri: string, key: string, fail: (reason: string) => never): KfpTaskIdentity {
  if (uri.length > 4096) fail(`output '${key}' has a URI longer than 4096 characters`);
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^?#]*)$/.exec(uri);
  if (!m) fail(`output '${key}' URI is not a KFP artifact URI (scheme://path, no query)`);
  const segments = m![1].split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) fail(`output '${key}' URI has an empty or dot segment`);
  const n = segments.length;
  if (segments[n - 1] !== key) fail(`output '${key}' URI does not end with /${key} (the driver names the file after the output)`);
  const at = (i: number) => segments[n - 1 - i] ?? '';
  // salted: <pipeline>/<run>/<task>/<salt>/<key>; plain: <pipeline>/<run>/<task>/<key>
  const salted = UUID.test(at(1)) && UUID.test(at(3)) && !UUID.test(at(2)) && n >= 6;
  const plain = UUID.test(at(2)) && !UUID.test(at(1)) && n >= 5;
  if (!salted && !plain) fail(`output '${key}' URI has no KFP run id where the driver puts it (<pipeline>/<run id>/<task>[/<uuid>]/${key})`);
  return salted ? { pipelineName: at(4), runId: at(3), task: at(2), layout: 'salted' } : { pipelineName: at(3), runId: at(2), task: at(1), layout: 'plain' };
}

function parseJson(text: string, fail: (reason: string) => never): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fail('it is not JSON');
  }
}
