// Who runs a run, and whether it still does. run.json says `running` from the moment a run starts
// until it records its end; a process killed with SIGKILL (or a machine that lost power) never
// records that end. So every run records its owner process (pid, the process's start time, host)
// and refreshes a heartbeat while it runs, and every reader derives the state it shows with
// `effectiveRunState`: a `running` run whose owner is gone is `interrupted`.
//
// On the owner's host (same host name, same boot, same pid namespace) the owner is gone when its
// pid is not alive, or when that pid now belongs to another process: Linux's /proc/<pid>/stat
// field 22 `starttime` (clock ticks after boot, proc(5)) differs from the recorded one, so a
// reused pid is not mistaken for the owner. Elsewhere (another host sharing the runs folder,
// another container, or a platform without /proc) only the heartbeat can tell: the owner is gone
// when it is older than HEARTBEAT_STALE_MS.
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { RunManifest, RunOwner, TaskRecord } from './manifest.ts';

/** How often a running run rewrites run.json's `owner.heartbeatAt`. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
/** A heartbeat older than this (three missed beats, plus slack for a busy event loop) means the owner is gone. */
export const HEARTBEAT_STALE_MS = 3 * HEARTBEAT_INTERVAL_MS + 15_000;

export type EffectiveRunState = RunManifest['state'] | 'interrupted';
export type EffectiveTaskState = TaskRecord['state'] | 'interrupted';

/** What a reader can find out about processes on its own machine (injectable for tests). */
export interface ProcessProbe {
  host: string;
  /** Linux: /proc/sys/kernel/random/boot_id. */
  bootId?: string;
  /** Linux: the reader's pid namespace (readlink /proc/self/ns/pid); pids compare only within one. */
  pidNamespace?: string;
  /** Whether a process with this pid exists (signal 0; EPERM means it exists but is not ours). */
  alive(pid: number): boolean;
  /** The process's start time in clock ticks after boot, when the platform tells (Linux). */
  startTicks(pid: number): number | undefined;
}

/** /proc/<pid>/stat field 22. The command name (field 2) is in parentheses and may hold spaces or ')', so fields are counted after the last ')'. */
export function procStartTicks(pid: number): number | undefined {
  if (process.platform !== 'linux' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state), so field 22 is fields[19].
    const ticks = Number(fields[19]);
    return Number.isSafeInteger(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

function readOptional(read: () => string): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return read().trim() || undefined;
  } catch {
    return undefined;
  }
}

let cachedLocal: ProcessProbe | undefined;

/** This machine, as seen from this process. */
export function localProbe(): ProcessProbe {
  cachedLocal ??= {
    host: hostname(),
    bootId: readOptional(() => readFileSync('/proc/sys/kernel/random/boot_id', 'latin1')),
    pidNamespace: readOptional(() => readlinkSync('/proc/self/ns/pid')),
    alive(pid: number): boolean {
      if (!Number.isSafeInteger(pid) || pid <= 0) return false;
      try {
        process.kill(pid, 0);
        return true;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
    startTicks: procStartTicks,
  };
  return cachedLocal;
}

/** The owner record of this process, with its first heartbeat at `now`. */
export function currentOwner(now: Date, probe: ProcessProbe = localProbe()): RunOwner {
  const startTicks = probe.startTicks(process.pid);
  return {
    pid: process.pid,
    host: probe.host,
    ...(startTicks !== undefined ? { startTicks } : {}),
    ...(probe.bootId !== undefined ? { bootId: probe.bootId } : {}),
    ...(probe.pidNamespace !== undefined ? { pidNamespace: probe.pidNamespace } : {}),
    heartbeatAt: now.toISOString(),
  };
}

export interface OwnerVerdict {
  state: EffectiveRunState;
  /** Why a `running` run is shown `interrupted` (or why it is believed alive), for messages. */
  reason?: string;
}

/**
 * The state a reader shows: the recorded one, except that a `running` run whose owner is gone
 * is `interrupted`. A run.json without an owner (written before owners were recorded) keeps its
 * recorded state: nothing tells whether it still runs.
 */
export function effectiveRunState(manifest: { state: EffectiveRunState; owner?: RunOwner }, now: number, probe: ProcessProbe = localProbe()): OwnerVerdict {
  if (manifest.state !== 'running') return { state: manifest.state };
  const owner = manifest.owner;
  if (!owner) return { state: 'running' };
  const sameMachine =
    owner.host === probe.host &&
    (owner.bootId === undefined || probe.bootId === undefined || owner.bootId === probe.bootId) &&
    (owner.pidNamespace === undefined || probe.pidNamespace === undefined || owner.pidNamespace === probe.pidNamespace);
  const beat = Date.parse(owner.heartbeatAt);
  const stale = !Number.isFinite(beat) || now - beat > HEARTBEAT_STALE_MS;
  const where = `pid ${owner.pid} on ${owner.host}`;
  if (owner.host === probe.host && owner.bootId !== undefined && probe.bootId !== undefined && owner.bootId !== probe.bootId) {
    return { state: 'interrupted', reason: `its owner (${where}) ran before this machine restarted` };
  }
  if (sameMachine) {
    if (!probe.alive(owner.pid)) return { state: 'interrupted', reason: `its owner (${where}) is no longer running` };
    const ticks = owner.startTicks === undefined ? undefined : probe.startTicks(owner.pid);
    if (ticks !== undefined && ticks !== owner.startTicks) return { state: 'interrupted', reason: `its owner (${where}) is no longer running (the pid now belongs to another process)` };
    // Without a start time to compare (no /proc), a live pid is trusted only while it beats.
    if (ticks === undefined && stale) return { state: 'interrupted', reason: `its owner (${where}) has not written a heartbeat since ${owner.heartbeatAt}` };
    return { state: 'running', reason: `its owner (${where}) is running` };
  }
  if (stale) return { state: 'interrupted', reason: `its owner (${where}) has not written a heartbeat since ${owner.heartbeatAt}` };
  return { state: 'running', reason: `its owner (${where}) wrote a heartbeat at ${owner.heartbeatAt}` };
}

/** A task's state as shown: running tasks of an interrupted run are interrupted too. */
export function effectiveTaskState(task: { state: EffectiveTaskState }, run: EffectiveRunState): EffectiveTaskState {
  return run === 'interrupted' && task.state === 'running' ? 'interrupted' : task.state;
}
