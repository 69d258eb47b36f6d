// Path safety for everything read from the runs folder. Nothing is joined from raw request
// input: a run id must be a folder the runs folder lists (a real directory, not a symlink), and
// task and output names are looked up in the run's own run.json (runLookup.ts). Every file is
// then resolved with realpath and must lie inside its run folder, which must lie inside the
// runs folder, so a symlink or a `..` in run.json cannot lead elsewhere; the file is opened
// with O_NOFOLLOW and must be a regular file.
import { constants, promises as fsp, type Dirent } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ApiError } from './apiError.ts';

export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** The run folders of `runsDir`: real directories only; symlinked folders are not runs. */
export async function listRunFolders(runsDir: string): Promise<string[]> {
  const entries: Dirent[] = await fsp.readdir(runsDir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
}

/** The real path of run `id`'s folder; 404 unless the runs folder lists it. */
export async function runFolder(runsDir: string, id: string): Promise<string> {
  if (!(await listRunFolders(runsDir)).includes(id)) throw new ApiError(404, 'dashboard.unknownRun', { run: id });
  const root = await fsp.realpath(runsDir);
  const dir = await fsp.realpath(join(root, id)).catch(() => undefined);
  if (dir === undefined || !isInside(root, dir)) throw new ApiError(404, 'dashboard.unknownRun', { run: id });
  return dir;
}

export interface RunFile {
  handle: FileHandle;
  size: number;
  mtimeMs: number;
  /** Real path: the key of per-file caches. */
  path: string;
}

/** Opens `file` (relative, from run.json) of the run in `runDir` (a real path from runFolder). */
export async function openRunFile(runDir: string, runId: string, file: string): Promise<RunFile> {
  const refused = (): ApiError => new ApiError(404, 'dashboard.outsideRun', { run: runId, file });
  const candidate = resolve(runDir, file);
  if (!isInside(runDir, candidate)) throw refused();
  const real = await fsp.realpath(candidate).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
    throw e;
  });
  if (real === undefined) throw new ApiError(404, 'dashboard.notAFile', { run: runId, file });
  if (!isInside(runDir, real)) throw refused();
  const handle = await fsp.open(real, constants.O_RDONLY | constants.O_NOFOLLOW).catch((e: NodeJS.ErrnoException) => {
    // ELOOP: the last component was swapped for a symlink after realpath looked.
    if (e.code === 'ELOOP') throw refused();
    throw e;
  });
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw new ApiError(404, 'dashboard.notAFile', { run: runId, file });
  }
  return { handle, size: stat.size, mtimeMs: stat.mtimeMs, path: real };
}

/** The whole file as text, refusing files over `limit` bytes. */
export async function readRunFile(runDir: string, runId: string, file: string, limit: number): Promise<string> {
  const opened = await openRunFile(runDir, runId, file);
  try {
    if (opened.size > limit) throw new ApiError(422, 'dashboard.tooLargeToShow', { run: runId, file, size: opened.size, limit });
    return await opened.handle.readFile('utf8');
  } finally {
    await opened.handle.close();
  }
}

/** Whether `file` exists as a regular file inside the run folder (for logs of running tasks). */
export async function runFileExists(runDir: string, runId: string, file: string): Promise<boolean> {
  try {
    await (await openRunFile(runDir, runId, file)).handle.close();
    return true;
  } catch (e) {
    if (e instanceof ApiError) return false;
    throw e;
  }
}
