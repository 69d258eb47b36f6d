// Follows a KFP run until it ends: polls GET runs/{id}, reports each task whose state changed
// and a progress line whenever the run state or the count of finished tasks changes. A few
// network failures in a row are tolerated (an ingress restarting must not end a long watch).
// Aborting the signal stops watching only; the run keeps going on the cluster.
import { setTimeout as sleep } from 'node:timers/promises';
import { IoError } from '../../core/errors.ts';
import { isTerminalState, type KfpRun } from './apiSchemas.ts';
import { progressLine, taskLine } from './formatRun.ts';
import type { KfpClient } from './kfpClient.ts';

export interface WatchRunOptions {
  /** Time between two polls (default 5 s). */
  intervalMs?: number;
  signal?: AbortSignal;
  /** Receives each progress line. */
  report?: (line: string) => void;
  /** Tasks the pipeline has, when known, so the count is right before every task has started. */
  expectedTasks?: number;
  /** Failed polls in a row before giving up (default 3). */
  maxConsecutiveFailures?: number;
}

export interface WatchRunResult {
  /** The last state read; undefined when watching stopped before the first answer. */
  run: KfpRun | undefined;
  /** True when the signal stopped the watch before the run ended. */
  stopped: boolean;
}

export async function watchRun(client: Pick<KfpClient, 'getRun'>, runId: string, options: WatchRunOptions = {}): Promise<WatchRunResult> {
  const { signal, report = () => {}, intervalMs = 5000, maxConsecutiveFailures = 3 } = options;
  const taskStates = new Map<string, string>();
  let lastProgress = '';
  let failures = 0;
  let run: KfpRun | undefined;
  while (!signal?.aborted) {
    try {
      run = await client.getRun(runId, signal);
      failures = 0;
    } catch (e) {
      if (signal?.aborted) break;
      if (!retryable(e) || ++failures > maxConsecutiveFailures) throw e;
      report(`reading run ${runId} failed (${(e as Error).message}); retrying`);
      if (!(await pause(intervalMs, signal))) break;
      continue;
    }
    const tasks = run.run_details?.task_details ?? [];
    for (const task of tasks) {
      const key = task.task_id || task.display_name || '';
      const state = task.state ?? 'PENDING';
      if (taskStates.get(key) !== state) report(taskLine(task));
      taskStates.set(key, state);
    }
    const done = tasks.filter((t) => isTerminalState(t.state)).length;
    const line = progressLine(run, done, Math.max(options.expectedTasks ?? 0, tasks.length));
    if (line !== lastProgress) report(line);
    lastProgress = line;
    if (isTerminalState(run.state)) return { run, stopped: false };
    if (!(await pause(intervalMs, signal))) break;
  }
  return { run, stopped: true };
}

/** Network trouble and 5xx answers may pass; refused credentials or a missing run will not. */
function retryable(e: unknown): boolean {
  return e instanceof IoError && e.code !== 'kfp.authRefused' && e.code !== 'kfp.tlsUntrusted';
}

/** Waits `ms`; false when the signal ended the wait. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
