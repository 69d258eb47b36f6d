// Runs one task: outputs are written to a staging folder, and moved to
// `<task>/<output><extension>` only after the component succeeded; on failure the staging
// folder is removed, so a run directory never holds a half-written artifact.
import { errorDetail, errorLine, redactText } from '../../core/index.ts';
import { outputExtension } from '../dsl/artifacts.ts';
import type { ComponentRuntime } from '../dsl/context.ts';
import { executeComponent, type ArtifactCodec, type ExecutorOutput } from '../executor/index.ts';
import type { ArtifactTypeName, ParameterValue } from '../ir/index.ts';
import type { RunReporter } from '../report/index.ts';
import type { ArtifactStore, CheckedOut } from '../store/index.ts';
import { INLINE_METADATA_LIMIT, type OutputRecord } from './manifest.ts';
import type { PlannedTask } from './planTasks.ts';
import { resolveTaskInput, type TaskInputContext } from './taskExecutorInput.ts';
import { recordingCodec } from './digestCodec.ts';

export interface TaskRunContext extends TaskInputContext {
  store: ArtifactStore;
  reporter: RunReporter;
  signal: AbortSignal;
  /** Debug mode: a failed task's log gets the error's stack, not just its message. */
  debug?: boolean;
  /** Handed to every component as `ctx.runtime` (data-source policy); see ExecuteOptions.runtime. */
  runtime?: Pick<ComponentRuntime, 'dataPolicy'>;
  /** How artifacts are read and written (plain or sealed); default plain. */
  codec?: ArtifactCodec;
  runId: string;
}

export interface TaskRunResult {
  parameters: Record<string, ParameterValue>;
  inputs: Record<string, string>;
  outputs: Record<string, OutputRecord>;
  /** Log key, when the task logged anything. */
  log?: string;
}

/** Hands the resolved inputs to `onResolved` before running, so the caller can record them. */
export async function runTask(task: PlannedTask, ctx: TaskRunContext, onResolved: (r: Pick<TaskRunResult, 'parameters' | 'inputs'>) => void): Promise<TaskRunResult> {
  const outputs = task.component.outputs as Record<string, { type: ArtifactTypeName; extension: string; extensionParameter?: string }>;
  const logKey = `${task.name}/log.txt`;
  let logged = false;
  let logWrites: Promise<void> = Promise.resolve();
  const log = (raw: string): void => {
    // What a component logs may quote a URL with its credentials (log.txt is served by the dashboard).
    const text = redactText(raw);
    logged = true;
    ctx.reporter.taskLog({ task: task.name, text });
    logWrites = logWrites.then(() => ctx.store.append(logKey, text.endsWith('\n') ? text : text + '\n'));
  };
  const staging = await ctx.store.createStaging(task.name);
  const checkedOut = new Map<string, CheckedOut>();
  try {
    // An output's extension may follow a parameter (the run's artifact_format): resolved first.
    const declared = Object.fromEntries(Object.entries(outputs).map(([key, o]) => [key, `${staging}/${key}${o.extension}`]));
    const taskParameters = resolveTaskInput(task, ctx, declared).parameters;
    const fileNames = Object.fromEntries(Object.entries(outputs).map(([key, o]) => [key, key + outputExtension(o, taskParameters)]));
    const stagedUris = Object.fromEntries(Object.entries(fileNames).map(([key, f]) => [key, `${staging}/${f}`]));
    // Components read local files: a remote store's inputs are checked out (downloaded, digest
    // checked) for the task and removed after it; the local store hands out its own files.
    const wanted = new Set(Object.values(resolveTaskInput(task, ctx, stagedUris).inputKeys));
    for (const key of wanted) checkedOut.set(key, await ctx.store.checkout(key));
    const resolved = resolveTaskInput(task, { ...ctx, uriFor: (k) => checkedOut.get(k)?.path ?? ctx.uriFor(k) }, stagedUris);
    onResolved({ parameters: resolved.parameters, inputs: resolved.inputKeys });
    let result: ExecutorOutput;
    try {
      result = await executeComponent(task.component, resolved.executorInput, {
        signal: ctx.signal,
        ...(ctx.runtime ? { runtime: ctx.runtime } : {}),
        sharedProcess: true,
        codec: recordingCodec(ctx.codec),
        identity: { runId: ctx.runId, task: task.name },
        producers: resolved.producers,
        reporter: { log, progress: (u) => ctx.reporter.taskProgress({ task: task.name, ...u }) },
      });
    } catch (e) {
      // One line in the task log (the stack, with our source paths, only in debug mode); URLs redacted.
      const text = ctx.debug ? errorDetail(e) : errorLine(e);
      logWrites = logWrites.then(() => ctx.store.append(logKey, `error: ${text}\n`));
      logged = true;
      throw e;
    } finally {
      await logWrites;
    }
    const records: Record<string, OutputRecord> = {};
    for (const [key, fileName] of Object.entries(fileNames)) {
      const stored = await ctx.store.put(`${task.name}/${fileName}`, { file: stagedUris[key] });
      const metadata = result.artifacts[key]?.artifacts[0]?.metadata ?? {};
      records[key] = { path: stored.key, sha256: stored.sha256, size: stored.size, type: outputs[key].type };
      if (Object.keys(metadata).length > 0) records[key].metadata = metadata;
      const metadataJson = JSON.stringify(metadata);
      if (metadataJson.length > INLINE_METADATA_LIMIT) {
        const filed = await ctx.store.put(`${task.name}/${fileName}.metadata.json`, { bytes: metadataJson + '\n' });
        records[key].metadataPath = filed.key;
      }
    }
    return { parameters: resolved.parameters, inputs: resolved.inputKeys, outputs: records, ...(logged ? { log: logKey } : {}) };
  } finally {
    for (const c of checkedOut.values()) await c.release();
    await ctx.store.discardStaging(staging);
  }
}
