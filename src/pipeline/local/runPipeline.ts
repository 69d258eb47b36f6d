// The local runner: executes a compiled PipelineSpec task by task, calling each component
// through the same executeComponent entry a KFP container uses.
//
//   check run dir, parameters, input artifacts, plan (IR -> tasks in dependency order)
//   -> write pipeline.json, copy input artifacts to inputs/, write run.json
//   -> loop: start ready tasks (all dependencies succeeded) up to `concurrency`
//   -> on the first failure or cancellation start nothing new (fail fast, like Argo's DAG
//      default), let running tasks finish, mark the rest 'skipped'
//   -> run.json final state; resolves with the manifest (never rejects for a task failure).
// While it runs, run.json records its owner (this process) and a heartbeat rewritten every
// HEARTBEAT_INTERVAL_MS, so readers can tell a run whose process died (runOwner.ts).
// With `resume` (resumeRun.ts) it continues the run already in runDir instead: the kept tasks'
// records and outputs stay as they are, the other tasks run again.
import { PipelineError, UsageError, errorLine, redactParameters } from '../../core/index.ts';
import type { PipelineSpec } from '../ir/index.ts';
import type { ComponentRuntime } from '../dsl/context.ts';
import { plainCodec, type ArtifactCodec, type ComponentRegistry } from '../executor/index.ts';
import { silentReporter, type RunReporter } from '../report/index.ts';
import { LocalArtifactStore, type ArtifactStore } from '../store/index.ts';
import { MANIFEST_KEY, ManifestWriter, SPEC_KEY, type OutputRecord, type RunManifest, type TaskRecord } from './manifest.ts';
import { HEARTBEAT_INTERVAL_MS, currentOwner } from './runOwner.ts';
import type { ResumePlan } from './resumeRun.ts';
import { newRunId } from './runId.ts';
import { resolveRunParameters } from './runParameters.ts';
import { importRunArtifacts, resolveRunArtifacts } from './runArtifacts.ts';
import { planTasks, type PlannedTask } from './planTasks.ts';
import { runTask } from './runTask.ts';
import type { FinishedOutputs } from './taskExecutorInput.ts';

export interface RunPipelineOptions {
  /** Folder for this run; it must not already hold a run.json. */
  runDir: string;
  parameters?: Record<string, unknown>;
  /**
   * Run input artifacts (root.inputDefinitions.artifacts) by name: local paths of files or
   * folders, copied into the run directory as `inputs/<name><extension>`. Optional ones may be left out.
   */
  artifacts?: Record<string, string | undefined>;
  /** Tasks run at the same time at most (default 2). */
  concurrency?: number;
  reporter?: RunReporter;
  signal?: AbortSignal;
  runId?: string;
  /** Defaults to a LocalArtifactStore rooted at runDir. */
  store?: ArtifactStore;
  now?: () => Date;
  /** Debug mode (--debug, SEALED_DEBUG=1): a failed task's log.txt gets the stack of its error. */
  debug?: boolean;
  /**
   * Continue the run in runDir (see planResume in resumeRun.ts) instead of starting one: runDir
   * must hold that run.json; `parameters` are the run's real values (its recorded ones, with
   * redacted ones given again); its input artifacts are the ones already in inputs/.
   */
  resume?: ResumePlan;
  /** How often the heartbeat is rewritten (default HEARTBEAT_INTERVAL_MS). */
  heartbeatMs?: number;
  /** Handed to every component as `ctx.runtime` (data-source policy); default as executeComponent's. */
  runtime?: Pick<ComponentRuntime, 'dataPolicy'>;
  /**
   * How the run's artifacts are read and written, made once the run id is known: src/seal's
   * SealingCodec for a sealed run. Default: plain files.
   */
  codecFor?: (runId: string) => ArtifactCodec;
  /**
   * Called after run.json's last write (e.g. to sign the run manifest); its failure fails the run
   * call, the run's results stay as written.
   */
  afterRun?: (manifest: RunManifest, store: ArtifactStore) => Promise<void>;
}

export async function runPipeline(spec: PipelineSpec, registry: ComponentRegistry, options: RunPipelineOptions): Promise<RunManifest> {
  const store = options.store ?? new LocalArtifactStore(options.runDir);
  const reporter = options.reporter ?? silentReporter;
  const now = options.now ?? (() => new Date());
  const concurrency = options.concurrency ?? 2;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new UsageError('pipeline.paramRange', { owner: 'the local runner', param: 'concurrency', bound: '>= 1', got: String(concurrency) });
  }
  const runParameters = resolveRunParameters(spec, options.parameters ?? {});
  const resume = options.resume;
  // A resumed run keeps the input artifacts already copied into it (planResume checked them).
  const artifactPaths = resume ? {} : await resolveRunArtifacts(spec, options.artifacts ?? {});
  const plan = planTasks(spec, registry);
  if (!resume && (await store.stat(MANIFEST_KEY))) throw new UsageError('pipeline.runDirInUse', { path: store.uriFor(MANIFEST_KEY) });

  const started = now();
  // Recorded redacted: a data URL's credentials must not end up in run.json.
  const recordedParameters = redactParameters(runParameters);
  const redactedNames = Object.keys(runParameters).filter((k) => recordedParameters[k] !== runParameters[k]);
  const kept = new Set(resume?.keep ?? []);
  const manifest: RunManifest = resume
    ? {
        ...resume.manifest,
        state: 'running',
        finishedAt: undefined,
        error: undefined,
        tasks: Object.fromEntries(
          plan.map((t): [string, TaskRecord] => [t.name, kept.has(t.name) ? resume.manifest.tasks[t.name] : { state: 'pending', component: t.component.name }]),
        ),
        resumes: [...(resume.manifest.resumes ?? []), { at: started.toISOString(), rerun: plan.filter((t) => !kept.has(t.name)).map((t) => t.name) }],
      }
    : {
        id: options.runId ?? newRunId(started),
        pipeline: spec.pipelineInfo.name,
        parameters: recordedParameters,
        ...(redactedNames.length > 0 ? { redactedParameters: redactedNames } : {}),
        state: 'running',
        createdAt: started.toISOString(),
        tasks: Object.fromEntries(plan.map((t): [string, TaskRecord] => [t.name, { state: 'pending', component: t.component.name }])),
      };
  manifest.owner = currentOwner(started);
  const codec = options.codecFor?.(manifest.id) ?? plainCodec;
  if (resume && (resume.manifest.sealed === true) !== codec.sealed) {
    throw new UsageError('pipeline.resumeSealedMismatch', { runDir: options.runDir, sealed: resume.manifest.sealed === true });
  }
  if (codec.sealed) manifest.sealed = true;
  let runArtifacts: Record<string, OutputRecord>;
  if (resume) {
    runArtifacts = resume.manifest.inputs ?? {};
  } else {
    await store.put(SPEC_KEY, { bytes: JSON.stringify(spec, null, 2) + '\n' });
    runArtifacts = await importRunArtifacts(spec, artifactPaths, store, { codec, runId: manifest.id });
    if (Object.keys(runArtifacts).length > 0) manifest.inputs = runArtifacts as RunManifest['inputs'];
  }
  const writer = new ManifestWriter(store, manifest);
  writer.save();
  // The heartbeat: unref'd, so it never keeps the process alive; stopped before the last write.
  const heartbeat = setInterval(() => {
    if (manifest.owner) manifest.owner.heartbeatAt = now().toISOString();
    writer.save();
  }, options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();
  reporter.runStarted({ runId: manifest.id, pipeline: manifest.pipeline, runDir: options.runDir, tasks: plan.map((t) => t.name) });

  const finished = new Map<string, FinishedOutputs>();
  for (const name of kept) finished.set(name, { artifacts: manifest.tasks[name].outputs ?? {}, parameters: {} });
  const signal = options.signal ?? new AbortController().signal;
  let firstError: string | undefined;
  const running = new Map<string, Promise<void>>();

  const start = (task: PlannedTask): Promise<void> => {
    const record = manifest.tasks[task.name];
    const t0 = now();
    Object.assign(record, { state: 'running', startedAt: t0.toISOString() });
    writer.save();
    reporter.taskStarted({ task: task.name, component: task.component.name });
    const ctx = { spec, runParameters, runArtifacts, finished, uriFor: (k: string) => store.uriFor(k), store, reporter, signal, codec, runId: manifest.id, debug: options.debug === true, ...(options.runtime ? { runtime: options.runtime } : {}) };
    return runTask(task, ctx, (r) => {
      record.parameters = redactParameters(r.parameters);
      record.inputs = r.inputs;
    }).then(
      (result) => {
        finished.set(task.name, { artifacts: result.outputs, parameters: {} });
        finish(task.name, t0, { state: 'succeeded', outputs: result.outputs, ...(result.log ? { log: result.log } : {}) });
      },
      async (e: unknown) => {
        // A task that stopped because the run was cancelled says so, not "operation aborted".
        const message = signal.aborted && (e as Error)?.name === 'AbortError' ? new PipelineError('pipeline.cancelled', {}).message : errorMessage(e);
        firstError ??= new PipelineError('pipeline.taskFailed', { task: task.name, reason: message }).message;
        const log = (await store.stat(`${task.name}/log.txt`).catch(() => undefined)) ? { log: `${task.name}/log.txt` } : {};
        finish(task.name, t0, { state: 'failed', error: message, ...log });
      },
    );
  };

  const finish = (name: string, t0: Date, update: Partial<TaskRecord>): void => {
    const t1 = now();
    const record = manifest.tasks[name];
    Object.assign(record, update, { finishedAt: t1.toISOString(), durationMs: t1.getTime() - t0.getTime() });
    writer.save();
    reporter.taskFinished({
      task: name,
      state: record.state as 'succeeded' | 'failed',
      durationMs: record.durationMs,
      ...(record.error ? { error: record.error } : {}),
    });
  };

  for (const name of kept) reporter.taskFinished({ task: name, state: 'succeeded', durationMs: manifest.tasks[name].durationMs });
  // Nothing below throws in normal operation; if something does, the heartbeat must not outlive the run.
  try {
    while (true) {
      const stopping = firstError !== undefined || signal.aborted;
      if (!stopping) {
        for (const task of plan) {
          if (running.size >= concurrency) break;
          const ready = manifest.tasks[task.name].state === 'pending' && task.dependencies.every((d) => manifest.tasks[d].state === 'succeeded');
          if (!ready) continue;
          const p = start(task).finally(() => running.delete(task.name));
          running.set(task.name, p);
        }
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
  } catch (e) {
    clearInterval(heartbeat);
    throw e;
  }

  for (const task of plan) {
    const record = manifest.tasks[task.name];
    if (record.state !== 'pending') continue;
    record.state = 'skipped';
    reporter.taskFinished({ task: task.name, state: 'skipped' });
  }
  if (firstError === undefined && signal.aborted) firstError = new PipelineError('pipeline.cancelled', {}).message;
  const ended = now();
  manifest.state = firstError === undefined ? 'succeeded' : 'failed';
  manifest.finishedAt = ended.toISOString();
  if (firstError !== undefined) manifest.error = firstError;
  clearInterval(heartbeat);
  writer.save();
  await writer.flush();
  if (options.afterRun) await options.afterRun(manifest, store);
  reporter.runFinished({
    runId: manifest.id,
    runDir: options.runDir,
    state: manifest.state,
    durationMs: ended.getTime() - started.getTime(),
    ...(firstError !== undefined ? { error: firstError } : {}),
  });
  return manifest;
}

/** As recorded in run.json: one line, URLs redacted (errorText.ts). */
function errorMessage(e: unknown): string {
  return errorLine(e);
}

