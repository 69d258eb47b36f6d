// Reading a run folder's state, and resuming a run that did not finish (`sealed run --resume`).
//
// readRunState is the CLI-side reader: run.json checked against the one schema
// (manifestSchema.ts), with the state a reader shows (runOwner.ts: a `running` run whose owner is
// gone is `interrupted`).
//
// planResume decides what a resume does:
//   refuse a run that is still running (owner alive), a run of another pipeline, a run whose
//   pipeline.json is not what this version compiles, a run whose input artifacts are damaged;
//   keep every task that succeeded, whose outputs are all present with their recorded sha256
//   (and their metadata side files present), and whose upstream tasks are all kept;
//   rerun the others (the first of them in pipeline order is "where the run resumes");
//   refuse a run that succeeded with nothing to rerun.
// The kept tasks' files and records are not touched; runPipeline (with `resume`) runs the rest
// with the same atomic writes as any run, so a resume that fails leaves them as they were.
// A lock file (RESUME_LOCK) keeps two resumes of one folder from running at once.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { excerpt, PipelineError, UsageError } from '../../core/index.ts';
import type { ParameterValue, PipelineSpec } from '../ir/index.ts';
import { MANIFEST_KEY, SPEC_KEY, type OutputRecord, type RunManifest } from './manifest.ts';
import { runManifestSchema, runOwnerSchema } from './manifestSchema.ts';
import type { ComponentRegistry } from '../executor/index.ts';
import { LocalArtifactStore, type ArtifactStore } from '../store/index.ts';
import { planTasks } from './planTasks.ts';
import { currentOwner, effectiveRunState, effectiveTaskState, localProbe, type EffectiveRunState, type EffectiveTaskState, type ProcessProbe } from './runOwner.ts';

/** run.json is small (large metadata lives in side files); a bigger one is not read. */
const MANIFEST_LIMIT = 16 * 1024 * 1024;
export const RESUME_LOCK = '.resume.lock';

export interface RunStateView {
  manifest: RunManifest;
  state: EffectiveRunState;
  /** Why the state differs from the recorded one (or why it is believed running). */
  reason?: string;
  tasks: Record<string, EffectiveTaskState>;
}

/** How a reader names the folder in messages (default: the path as given). */
export interface ReadOptions {
  now?: number;
  probe?: ProcessProbe;
  label?: string;
}

/** run.json of `runDir`, checked; a UsageError naming the folder when there is none or it is not a run.json. */
export async function readRunManifest(runDir: string, label: string = runDir): Promise<RunManifest> {
  const path = join(runDir, MANIFEST_KEY);
  const fail = (reason: string): never => {
    throw new UsageError('pipeline.resumeNoRun', { runDir: label, reason });
  };
  const stat = await fsp.lstat(path).catch(() => undefined);
  if (!stat) return fail('it holds no run.json');
  if (!stat.isFile()) return fail('its run.json is not a regular file');
  if (stat.size > MANIFEST_LIMIT) return fail(`its run.json is larger than ${MANIFEST_LIMIT} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(await fsp.readFile(path, 'utf8'));
  } catch (e) {
    return fail(`its run.json is not JSON (${excerpt((e as Error).message)})`);
  }
  const parsed = runManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(`its run.json is not a run record (${excerpt(`${issue.path.join('.') || '/'}: ${issue.message}`)})`);
  }
  return parsed.data as RunManifest;
}

/** The state of the run in `runDir` as a reader shows it. */
export async function readRunState(runDir: string, options: ReadOptions = {}): Promise<RunStateView> {
  const manifest = await readRunManifest(runDir, options.label);
  const verdict = effectiveRunState(manifest, options.now ?? Date.now(), options.probe ?? localProbe());
  const tasks = Object.fromEntries(Object.entries(manifest.tasks).map(([name, t]) => [name, effectiveTaskState(t, verdict.state)]));
  return { manifest, state: verdict.state, ...(verdict.reason !== undefined ? { reason: verdict.reason } : {}), tasks };
}

export interface ResumePlan {
  manifest: RunManifest;
  /** Tasks whose records and outputs stay, in pipeline order. */
  keep: string[];
  /** Tasks that run again, in pipeline order; the first is where the run resumes. */
  rerun: string[];
  /** Why the first rerun task runs again. */
  why: string;
}

/** Whether an output is on disk as recorded (a FIFO or unreadable file counts as damaged). */
async function outputIntact(store: ArtifactStore, record: OutputRecord): Promise<boolean> {
  try {
    // verify: a remote store's recorded digest is metadata anyone who can write the object can rewrite.
    const stored = await store.stat(record.path, { verify: true });
    if (!stored || stored.sha256 !== record.sha256 || stored.size !== record.size) return false;
    if (record.metadataPath !== undefined && !(await store.stat(record.metadataPath))) return false;
    return true;
  } catch {
    return false;
  }
}

/**
 * What a resume of the run in `runDir` keeps and reruns; refuses (UsageError) when there is
 * nothing to resume or it must not be resumed. `store` defaults to a LocalArtifactStore on runDir.
 */
export async function planResume(
  spec: PipelineSpec,
  registry: ComponentRegistry,
  runDir: string,
  options: ReadOptions & { store?: ArtifactStore } = {},
): Promise<ResumePlan> {
  const store = options.store ?? new LocalArtifactStore(runDir);
  const label = options.label ?? runDir;
  const plan = planTasks(spec, registry);
  const view = await readRunState(runDir, options);
  const manifest = view.manifest;
  if (view.state === 'running') throw new UsageError('pipeline.resumeRunning', { runDir: label, reason: view.reason ?? 'run.json records no owner, so it may still be running' });
  if (manifest.pipeline !== spec.pipelineInfo.name) throw new UsageError('pipeline.resumeOtherPipeline', { runDir: label, recorded: excerpt(manifest.pipeline), current: spec.pipelineInfo.name });
  let recordedSpec: unknown;
  try {
    recordedSpec = JSON.parse((await store.get(SPEC_KEY)).toString('utf8'));
  } catch {
    recordedSpec = undefined;
  }
  if (!sameJson(recordedSpec, JSON.parse(JSON.stringify(spec)))) throw new UsageError('pipeline.resumeSpecChanged', { runDir: label });
  for (const [name, record] of Object.entries(manifest.inputs ?? {})) {
    if (!(await outputIntact(store, record))) throw new UsageError('pipeline.resumeInputDamaged', { runDir: label, input: name, path: record.path });
  }
  const keep: string[] = [];
  const rerun: string[] = [];
  let why = '';
  for (const task of plan) {
    const record = manifest.tasks[task.name];
    let reason: string | undefined;
    if (!record || record.state !== 'succeeded') reason = `task '${task.name}' ${record ? `is ${effectiveTaskState(record, view.state)}` : 'has no record'}`;
    else if (!task.dependencies.every((d) => keep.includes(d))) reason = `task '${task.name}' reads from a task that runs again`;
    else {
      const declared = Object.keys(task.component.outputs);
      const outputs = record.outputs ?? {};
      const missing = declared.find((o) => !Object.hasOwn(outputs, o));
      if (missing !== undefined) reason = `task '${task.name}' has no record of its output '${missing}'`;
      for (const [key, out] of Object.entries(outputs)) {
        if (reason !== undefined) break;
        if (!(await outputIntact(store, out))) reason = `output '${key}' of task '${task.name}' (${out.path}) is missing or does not match its recorded sha256`;
      }
    }
    if (reason === undefined) keep.push(task.name);
    else {
      if (rerun.length === 0) why = reason;
      rerun.push(task.name);
    }
  }
  if (rerun.length === 0 && manifest.state === 'succeeded') throw new UsageError('pipeline.resumeNothingToDo', { runDir: label });
  return { manifest, keep, rerun, why: why || 'the run did not record its end' };
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * The parameters a resume runs with: the recorded ones, each given one checked against its
 * record. A given value must equal the recorded one; a parameter recorded redacted (it held a
 * secret) must be given again, and its redacted form must match the record.
 * `optionFor` names the command-line option of a parameter, for messages.
 */
export function resumeParameters(
  manifest: RunManifest,
  runDir: string,
  given: Readonly<Record<string, ParameterValue>>,
  redact: (value: ParameterValue) => ParameterValue,
  optionFor: (param: string) => string = (p) => `parameter '${p}'`,
): Record<string, ParameterValue> {
  const redacted = new Set(manifest.redactedParameters ?? Object.keys(manifest.parameters).filter((k) => looksRedacted(manifest.parameters[k])));
  const out: Record<string, ParameterValue> = { ...manifest.parameters };
  for (const [param, value] of Object.entries(given)) {
    if (!Object.hasOwn(manifest.parameters, param)) continue;
    const recorded = manifest.parameters[param];
    const matches = redacted.has(param) ? redact(value) === recorded : value === recorded;
    if (!matches) {
      throw new UsageError('pipeline.resumeParamDiffers', { runDir, param, option: optionFor(param), recorded: excerpt(JSON.stringify(recorded)), given: excerpt(JSON.stringify(redact(value))) });
    }
    out[param] = value;
  }
  for (const param of redacted) {
    if (!Object.hasOwn(given, param)) throw new UsageError('pipeline.resumeParamRedacted', { runDir, param, option: optionFor(param), recorded: excerpt(String(manifest.parameters[param])) });
  }
  return out;
}

/** A run.json written before `redactedParameters` was recorded: a URL with a hidden part. */
function looksRedacted(value: ParameterValue): boolean {
  return typeof value === 'string' && /^\s*[a-z][a-z0-9+.-]*:\/\//i.test(value) && value.includes('***');
}

/**
 * Takes the folder's resume lock (only one resume at a time), refusing when a live process holds
 * it; a lock left by a process that died is taken over. Resolves with the release function.
 */
export async function lockForResume(runDir: string, options: ReadOptions = {}): Promise<() => Promise<void>> {
  const path = join(runDir, RESUME_LOCK);
  const now = options.now ?? Date.now();
  const probe = options.probe ?? localProbe();
  const label = options.label ?? runDir;
  const owner = currentOwner(new Date(now), probe);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fsp.writeFile(path, JSON.stringify(owner) + '\n', { flag: 'wx', mode: 0o644 });
      return () => fsp.rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const held = runOwnerSchema.safeParse(await fsp.readFile(path, 'utf8').then((t) => JSON.parse(t) as unknown, () => undefined));
    // The lock's heartbeat is never refreshed (a resume refreshes run.json's), so only the
    // process checks count here: a lock from another machine is honoured until removed by hand.
    if (held.success) {
      const verdict = effectiveRunState({ state: 'running', owner: { ...held.data, heartbeatAt: new Date(now).toISOString() } }, now, probe);
      if (verdict.state === 'running') throw new UsageError('pipeline.resumeLocked', { runDir: label, pid: held.data.pid, host: excerpt(held.data.host), lock: path });
    }
    await fsp.rm(path, { force: true });
  }
  throw new PipelineError('pipeline.resumeNoRun', { runDir: label, reason: `could not take the lock ${RESUME_LOCK}` });
}

/** Leftovers of the interrupted attempt of the tasks that run again: staging folders and logs. */
export async function clearRerunLeftovers(runDir: string, rerun: readonly string[]): Promise<void> {
  for (const folder of [...rerun, 'inputs']) {
    const dir = join(runDir, folder);
    const entries = await fsp.readdir(dir).catch(() => [] as string[]);
    for (const name of entries) if (name.startsWith('.staging-')) await fsp.rm(join(dir, name), { recursive: true, force: true });
    if (folder !== 'inputs') await fsp.rm(join(dir, 'log.txt'), { force: true });
  }
}
