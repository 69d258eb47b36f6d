// Starts pipeline runs from the dashboard, each in its own CHILD PROCESS (runChild.ts, which runs
// it as `sealed run --run-dir DIR` does), so a run that exhausts memory or hangs cannot take the
// dashboard with it. Before anything is spawned the parameters go through the pipeline's own
// validation (unknown names, types, ranges, enums: 400) and the dashboard's limits: data_size at
// most `maxDataSize` (400), at most `maxPerUser` runs running or waiting per user (429), and a
// bounded queue behind `maxConcurrent` running children (503 when full). Both refusals carry
// Retry-After.
//
// A run that can start at once answers as soon as its first run.json is on disk, so the app
// can poll it; a queued run answers at once, and the API shows it as a running run whose tasks
// are all pending (RunState has no "queued") until its child writes run.json.
//
// The child gets `--max-old-space-size=<memoryMb>` (V8's heap cap: a run past it dies with
// "heap out of memory", the dashboard does not) and SEALED_DATA_POLICY = {localPaths: 'roots',
// dataRoots, allowPrivateNetworks}: from the dashboard, data may come only from the configured
// data roots and public http(s) addresses. Closing the server drops the queue and sends SIGTERM
// to every child (the run records its end, "run cancelled"), SIGKILL after `killGraceMs`.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { printable, redactParameters } from '../../core/index.ts';
import { DATA_POLICY_ENV, makeSourcePolicy, serializeSourcePolicy } from '../../data/source/index.ts';
import type { PipelineEntry } from '../../cli/pipelineCatalog.ts';
import { newRunId, validateParameters, type ParameterValue } from '../../pipeline/index.ts';
import { API_LIMITS, type RunDetail, type RunSummary } from '../api/contract.ts';
import { ApiError } from './apiError.ts';
import { PASSWORD_ENV } from './initialPassword.ts';
import type { RunChildJob } from './runChild.ts';

/** The environment variable `sealed run` reads its data-source policy from (src/data/source/sourcePolicy.ts). */

export interface RunLimits {
  /** Largest data_size a dashboard run may ask for (`sealed ui --max-data-size`). */
  maxDataSize: number;
  /** V8 heap cap of each run's process, MiB (`sealed ui --run-memory`). */
  memoryMb: number;
  /** Runs executing at once (`sealed ui --max-concurrent-runs`). */
  maxConcurrent: number;
  /** Runs waiting behind them (`sealed ui --max-queued-runs`); more are refused with 503. */
  maxQueued: number;
  /** Runs one user may have running or waiting (`sealed ui --max-runs-per-user`); more are 429. */
  maxPerUser: number;
  /** How long a started child may take to write its first run.json. */
  startTimeoutMs: number;
  /** SIGTERM -> SIGKILL grace on close. */
  killGraceMs: number;
}

export const DEFAULT_RUN_LIMITS: Readonly<RunLimits> = {
  maxDataSize: 1_000_000,
  memoryMb: 2048,
  maxConcurrent: 1,
  maxQueued: 4,
  maxPerUser: 3,
  startTimeoutMs: 60_000,
  killGraceMs: 5_000,
};

/** What the dashboard allows runs it starts to read (the SEALED_DATA_POLICY contract). */
export interface DashboardDataPolicy {
  /** Absolute folders local data may come from (`--data-root`, repeatable); none by default. */
  dataRoots: string[];
  /** Allow loopback, private and link-local addresses (`--allow-private-networks`). */
  allowPrivateNetworks: boolean;
}

export interface RunLauncherOptions {
  runsDir: string;
  entry: PipelineEntry;
  now: () => number;
  /** Failures after the 202 (a child that could not start, died) have no request to answer. */
  onError: (error: unknown) => void;
  limits?: Partial<RunLimits>;
  dataPolicy?: Partial<DashboardDataPolicy>;
  /** The catalog the child loads (a module exporting a PipelineCatalog); default: `sealed run`'s pipeline. */
  childCatalog?: { module: string; export: string };
  /** The dashboard's key folder: runs started here are sealed with it (`sealed run --seal --keys DIR`). */
  keysDir?: string;
}

/** Seconds a refused client should wait before trying again. */
const RETRY_AFTER_S = 30;
/** Bytes of a child's stderr kept for the message of a run that could not start. */
const STDERR_KEPT = 4096;
const POLL_MS = 25;

// The child runs what this process runs: the built JavaScript (dist/app, scripts/buildApp.mjs) or the
// TypeScript sources. tsx's loader (an absolute URL, so it resolves whatever the working folder) is
// given either way: a pipeline catalog module the dashboard was configured with may be TypeScript.
const CHILD_ENTRY = fileURLToPath(new URL(import.meta.url.endsWith('.js') ? './runChild.js' : './runChild.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface QueuedRun {
  id: string;
  user: string;
  runDir: string;
  parameters: Record<string, ParameterValue>;
  queuedAt: string;
}

interface ActiveRun extends QueuedRun {
  child: ChildProcess;
  exited: Promise<void>;
  /** The end of the child's stderr (progress, and `sealed: <error>` when it fails). */
  stderrTail: () => string;
  /** Until its run.json exists, the API shows it as a queued run. */
  starting: boolean;
}

export class RunLauncher {
  readonly #limits: RunLimits;
  readonly #policy: DashboardDataPolicy;
  readonly #queue: QueuedRun[] = [];
  readonly #active = new Map<string, ActiveRun>();
  #closed = false;

  constructor(private readonly options: RunLauncherOptions) {
    this.#limits = { ...DEFAULT_RUN_LIMITS, ...options.limits };
    this.#policy = { dataRoots: [], allowPrivateNetworks: false, ...options.dataPolicy };
  }

  get limits(): Readonly<RunLimits> {
    return this.#limits;
  }

  /** Validates, then starts (resolving once run.json exists) or queues; resolves with the new run's id. */
  async start(user: string, given: Record<string, string | number | boolean>): Promise<string> {
    const parameters = this.#validate(given);
    const id = this.#newId();
    if (await fsp.lstat(join(this.options.runsDir, id)).then(() => true, () => false)) throw new ApiError(409, 'dashboard.runExists', { run: id });
    // From here to the claim (#spawn or the queue) nothing awaits: two requests at once cannot both take the last place.
    if (this.#closed) throw new ApiError(503, 'dashboard.runQueueFull', { running: this.#active.size, queued: this.#queue.length }, { retryAfter: RETRY_AFTER_S });
    const mine = [...this.#active.values(), ...this.#queue].filter((r) => r.user === user).length;
    if (mine >= this.#limits.maxPerUser) throw new ApiError(429, 'dashboard.userRunLimit', { user, limit: this.#limits.maxPerUser }, { retryAfter: RETRY_AFTER_S });
    const startsNow = this.#active.size < this.#limits.maxConcurrent && this.#queue.length === 0;
    if (!startsNow && this.#queue.length >= this.#limits.maxQueued) {
      throw new ApiError(503, 'dashboard.runQueueFull', { running: this.#active.size, queued: this.#queue.length }, { retryAfter: RETRY_AFTER_S });
    }
    const run: QueuedRun = { id, user, runDir: join(this.options.runsDir, id), parameters, queuedAt: new Date(this.options.now()).toISOString() };
    if (!startsNow) {
      this.#queue.push(run);
      return id;
    }
    // Claimed before the first await, so two requests at once cannot both take the slot.
    const active = this.#spawn(run);
    try {
      await this.#firstManifest(active);
    } catch (e) {
      active.child.kill('SIGKILL');
      throw e;
    }
    return id;
  }

  /** Runs waiting for a slot, as the API shows them: running, every task pending. */
  queued(): RunSummary[] {
    return this.#waiting().map((r) => this.#summary(r));
  }

  queuedDetail(id: string): RunDetail | undefined {
    const run = this.#waiting().find((r) => r.id === id);
    if (!run) return undefined;
    return {
      summary: this.#summary(run),
      tasks: this.options.entry.pipeline.tasks.map((t) => ({ name: t.name, component: t.component.name, state: 'pending', parameters: {}, outputs: [], hasLog: false })),
      edges: [],
    };
  }

  /** Drops the queue, cancels the running children and waits until they have exited. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#queue.length = 0;
    const running = [...this.#active.values()];
    for (const run of running) run.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const run of running) if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    }, this.#limits.killGraceMs);
    await Promise.all(running.map((r) => r.exited));
    clearTimeout(timer);
  }

  /** Queued runs, and started ones whose run.json is not there yet, oldest first. */
  #waiting(): QueuedRun[] {
    return [...[...this.#active.values()].filter((r) => r.starting), ...this.#queue];
  }

  #validate(given: Record<string, string | number | boolean>): Record<string, ParameterValue> {
    for (const [param, value] of Object.entries(given)) {
      if (typeof value === 'string' && value.length > API_LIMITS.parameterChars) throw new ApiError(400, 'dashboard.parameterTooLong', { param, limit: API_LIMITS.parameterChars });
    }
    const { pipeline } = this.options.entry;
    const parameters = validateParameters(`pipeline '${pipeline.name}'`, pipeline.parameters, given);
    const dataSize = parameters.data_size;
    if (typeof dataSize === 'number' && dataSize > this.#limits.maxDataSize) throw new ApiError(400, 'dashboard.dataSizeLimit', { got: dataSize, limit: this.#limits.maxDataSize });
    return parameters;
  }

  #newId(): string {
    for (;;) {
      const id = newRunId(new Date(this.options.now()));
      if (!this.#active.has(id) && !this.#queue.some((r) => r.id === id)) return id;
    }
  }

  #summary(run: QueuedRun): RunSummary {
    const dataSize = run.parameters.data_size;
    return {
      id: run.id,
      pipeline: this.options.entry.pipeline.name,
      state: 'running',
      createdAt: run.queuedAt,
      ...(typeof dataSize === 'number' ? { dataSize } : {}),
      parameters: redactParameters(run.parameters) as RunSummary['parameters'],
      sealed: this.options.keysDir !== undefined,
    };
  }

  #spawn(run: QueuedRun): ActiveRun {
    const policy = makeSourcePolicy({ localPaths: 'roots', dataRoots: this.#policy.dataRoots, allowPrivateNetworks: this.#policy.allowPrivateNetworks });
    const child = spawn(process.execPath, [`--max-old-space-size=${this.#limits.memoryMb}`, '--import', TSX_LOADER, CHILD_ENTRY], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // The dashboard's first password never reaches a run.
      env: { ...withoutPassword(process.env), [DATA_POLICY_ENV]: serializeSourcePolicy(policy) },
      // In the dashboard's process group: a Ctrl-C in its terminal cancels the runs too (each records "run cancelled").
      detached: false,
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_KEPT);
    });
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const active: ActiveRun = { ...run, child, exited, stderrTail: () => stderr, starting: true };
    this.#active.set(run.id, active);
    child.once('error', (e) => this.options.onError(e));
    void exited.then(() => {
      this.#active.delete(run.id);
      if (child.exitCode !== 0 && !this.#closed) {
        const how = child.signalCode !== null ? `signal ${child.signalCode}` : `exit code ${child.exitCode}`;
        this.options.onError(new Error(`run '${run.id}': its process ended with ${how}: ${this.#why(stderr)}`));
      }
      this.#pump();
    });
    const job: RunChildJob = {
      runDir: run.runDir,
      parameters: run.parameters,
      ...(this.options.childCatalog ? { catalog: this.options.childCatalog } : {}),
      // The folder's path, not its keys: the child opens and checks the folder itself.
      ...(this.options.keysDir !== undefined ? { keys: this.options.keysDir } : {}),
    };
    child.send(job, (e) => {
      if (e) this.options.onError(e);
    });
    return active;
  }

  /** Resolves once the child has written run.json; rejects if it exits or times out first. */
  async #firstManifest(active: ActiveRun): Promise<void> {
    const manifest = join(active.runDir, 'run.json');
    let ended = false;
    void active.exited.then(() => {
      ended = true;
      active.starting = false;
    });
    const deadline = Date.now() + this.#limits.startTimeoutMs;
    for (;;) {
      if (await fsp.lstat(manifest).then(() => true, () => false)) {
        active.starting = false;
        return;
      }
      const reason = (): string => this.#why(active.stderrTail());
      if (ended) throw new ApiError(500, 'dashboard.runStartFailed', { run: active.id, reason: reason() });
      if (Date.now() > deadline) throw new ApiError(503, 'dashboard.runStartFailed', { run: active.id, reason: `no run.json after ${this.#limits.startTimeoutMs / 1000} s` });
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Why a child ended, from its stderr: V8's heap exhaustion prints a native stack, not a useful last line. */
  #why(stderr: string): string {
    if (/heap out of memory|Allocation failed/i.test(stderr)) return `it ran out of memory (heap cap ${this.#limits.memoryMb} MiB, sealed ui --run-memory)`;
    return lastLine(stderr) || 'no error output';
  }

  /** Starts queued runs while there are free slots; their failures go to onError. */
  #pump(): void {
    while (!this.#closed && this.#active.size < this.#limits.maxConcurrent && this.#queue.length > 0) {
      const next = this.#queue.shift()!;
      const active = this.#spawn(next);
      this.#firstManifest(active).catch((e: unknown) => {
        active.child.kill('SIGKILL');
        this.options.onError(e);
      });
    }
  }
}

function withoutPassword(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy[PASSWORD_ENV];
  return copy;
}

/** The last non-empty line of a child's stderr, bounded and without terminal controls. */
function lastLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const line = lines.at(-1) ?? '';
  return printable(line.length > 200 ? line.slice(0, 200) + '...' : line);
}
