// The deploy's state folder (mode 0700) and state file (state.json, mode 0600, written to a
// temporary name then renamed): which steps finished, with what inputs, and the values they
// learnt (cluster name, image tag, load balancer IP). A re-run skips the finished steps whose
// inputs are unchanged, so a failed `up` resumes at the step that failed. The folder also holds
// the cluster's kubeconfig (0600): an admin credential, so the folder must be ours and closed.
import { promises as fsp, constants } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/index.ts';
import { UsageError, IoError } from '../../core/index.ts';

export const STATE_FILE = 'state.json';
export const LOCK_FILE = 'lock';
export const KUBECONFIG_FILE = 'kubeconfig';
const STATE_LIMIT = 1024 * 1024;

export interface StepRecord {
  fingerprint: string;
  finishedAt: string;
  outputs: Record<string, string>;
}

export interface DeployState {
  version: 1;
  steps: Record<string, StepRecord>;
}

export function emptyState(): DeployState {
  return { version: 1, steps: {} };
}

/** Creates the folder (0700) if missing; refuses a symlink, a folder of another user, or one others may enter. */
export async function openStateDir(dir: string): Promise<void> {
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await fsp.lstat(dir);
  if (st.isSymbolicLink()) throw new UsageError('deploy.unsafeStateDir', { path: dir, reason: 'is a symbolic link', fix: 'give the real folder' });
  if (!st.isDirectory()) throw new UsageError('deploy.unsafeStateDir', { path: dir, reason: 'is not a folder', fix: 'give a folder' });
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) throw new UsageError('deploy.unsafeStateDir', { path: dir, reason: 'belongs to another user', fix: 'use a folder of your own' });
  if ((st.mode & 0o077) !== 0) throw new UsageError('deploy.unsafeStateDir', { path: dir, reason: `has mode ${(st.mode & 0o777).toString(8)}: others may read the kubeconfig in it`, fix: `chmod 700 ${dir}` });
}

export async function readState(dir: string): Promise<DeployState> {
  const path = join(dir, STATE_FILE);
  let handle: fsp.FileHandle;
  try {
    // O_NOFOLLOW: a symlink planted in place of the state file is not followed.
    handle = await fsp.open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw new IoError('deploy.badState', { path, reason: (e as NodeJS.ErrnoException).code === 'ELOOP' ? 'is a symbolic link' : (e as Error).message });
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new IoError('deploy.badState', { path, reason: 'is not a regular file' });
    if ((st.mode & 0o077) !== 0) throw new IoError('deploy.badState', { path, reason: `has mode ${(st.mode & 0o777).toString(8)}, expected 600` });
    if (st.size > STATE_LIMIT) throw new IoError('deploy.badState', { path, reason: `is larger than ${STATE_LIMIT} bytes` });
    const text = await handle.readFile('utf8');
    return parseState(text, path);
  } finally {
    await handle.close();
  }
}

function parseState(text: string, path: string): DeployState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new IoError('deploy.badState', { path, reason: `not JSON (${(e as Error).message})` });
  }
  const bad = (reason: string): never => {
    throw new IoError('deploy.badState', { path, reason });
  };
  if (typeof value !== 'object' || value === null) return bad('not an object');
  const v = value as { version?: unknown; steps?: unknown };
  if (v.version !== 1) return bad('unknown version');
  if (typeof v.steps !== 'object' || v.steps === null || Array.isArray(v.steps)) return bad("'steps' is not an object");
  const steps: Record<string, StepRecord> = {};
  for (const [id, r] of Object.entries(v.steps as Record<string, unknown>)) {
    const rec = r as Partial<StepRecord> | null;
    if (!rec || typeof rec.fingerprint !== 'string' || typeof rec.finishedAt !== 'string' || typeof rec.outputs !== 'object' || rec.outputs === null) return bad(`step '${id}' is malformed`);
    const outputs: Record<string, string> = {};
    for (const [k, o] of Object.entries(rec.outputs)) if (typeof o === 'string') outputs[k] = o;
    steps[id] = { fingerprint: rec.fingerprint, finishedAt: rec.finishedAt, outputs };
  }
  return { version: 1, steps };
}

export async function writeState(dir: string, state: DeployState): Promise<void> {
  await writeFileAtomic(join(dir, STATE_FILE), JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
}

/**
 * Holds the folder for one `up` or `down` at a time (a lock file made with O_EXCL holding our pid):
 * two runs on one state would race on its file and run the same steps twice. A lock left by a
 * process that is gone is taken over. Returns the release function.
 */
export async function lockStateDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fsp.writeFile(path, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => fsp.rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new IoError('io.writeFailed', { path, reason: (e as Error).message });
      const pid = Number((await fsp.readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new UsageError('deploy.locked', { path: dir, pid });
      await fsp.rm(path, { force: true });
    }
  }
  throw new UsageError('deploy.locked', { path: dir, pid: 0 });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
