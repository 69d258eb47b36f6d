// Path safety for everything read from the runs folder. Nothing is joined from raw request
// input: a run id must be a folder the runs folder lists (a real directory, not a symlink), and
// task and output names are looked up in the run's own run.json (runLookup.ts). Every file is
// then resolved with realpath and must lie inside its run folder, which must lie inside the
// runs folder, so a symlink or a `..` in run.json cannot lead elsewhere.
//
// Only regular files are opened: the path is lstat'ed first (a FIFO, device, socket or folder
// is refused without being opened: opening a FIFO for reading blocks until a writer comes, and
// holds one of libuv's four threadpool threads meanwhile, which stalls every other file
// operation of the server), then opened with O_NOFOLLOW | O_NONBLOCK (so a FIFO swapped in
// after the lstat still cannot block the open; see open(2), "O_NONBLOCK ... FIFO") and checked
// again with fstat on the descriptor, which must be the same regular file (device and inode).
// Every read of a whole file has a deadline (READ_DEADLINE_MS): a file on a stuck network or
// FUSE mount answers 503 instead of holding the request forever.
import { constants, promises as fsp, type Dirent, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ApiError } from './apiError.ts';
import { fileByteSource } from './byteSource.ts';
import type { OpenedFile, RunFiles } from './runSource.ts';

/** How long one whole-file read (run.json, a log tail, a JSON view) may take. */
export const READ_DEADLINE_MS = 10_000;
/** Open flags of every file read from a run folder. O_NONBLOCK: an open never waits (FIFO). */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;

/** What a non-regular file is, for the refusal message. */
export function fileKind(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'a special file';
}

/** Resolves as `work` does, or rejects with 503 once `ms` have passed (the work itself cannot be cancelled). */
export function withDeadline<T>(work: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(timedOut()), ms);
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

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
  /** Change time and inode: with mtime and size, the version of the file per-file caches are keyed by (utimes can reset mtime, not ctime). */
  ctimeMs: number;
  ino: number;
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
  const notRegular = (stat: Stats): ApiError => new ApiError(404, 'dashboard.notRegularFile', { run: runId, file, kind: fileKind(stat) });
  const before = await fsp.lstat(real);
  if (!before.isFile()) throw notRegular(before);
  const handle = await fsp.open(real, OPEN_FLAGS).catch((e: NodeJS.ErrnoException) => {
    // ELOOP: the last component was swapped for a symlink after realpath looked.
    if (e.code === 'ELOOP') throw refused();
    throw e;
  });
  const stat = await handle.stat().catch(async (e: unknown) => {
    await handle.close();
    throw e;
  });
  if (!stat.isFile() || stat.ino !== before.ino || stat.dev !== before.dev) {
    await handle.close();
    if (!stat.isFile()) throw notRegular(stat);
    // Replaced between the lstat and the open: answered as if the old file had gone.
    throw new ApiError(404, 'dashboard.notAFile', { run: runId, file });
  }
  return { handle, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, path: real };
}

/** A 503 for a read that outlived READ_DEADLINE_MS. */
export function readTimedOut(runId: string, file: string, ms = READ_DEADLINE_MS): ApiError {
  return new ApiError(503, 'dashboard.readTimeout', { run: runId, file, seconds: ms / 1000 });
}

/** The whole file as text, refusing files over `limit` bytes; open and read within `deadlineMs`. */
export async function readRunFile(runDir: string, runId: string, file: string, limit: number, deadlineMs = READ_DEADLINE_MS): Promise<string> {
  const read = async (): Promise<string> => {
    const opened = await openRunFile(runDir, runId, file);
    try {
      if (opened.size > limit) throw new ApiError(422, 'dashboard.tooLargeToShow', { run: runId, file, size: opened.size, limit });
      return await opened.handle.readFile('utf8');
    } finally {
      await opened.handle.close();
    }
  };
  return withDeadline(read(), deadlineMs, () => readTimedOut(runId, file, deadlineMs));
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

const CHUNK_BYTES = 1024 * 1024;

/** The whole content of an open run file from its first byte, in chunks (positional reads: each call starts afresh on the same descriptor). */
export async function* handleChunks(handle: FileHandle): AsyncGenerator<Uint8Array> {
  for (let position = 0; ; ) {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    const { bytesRead } = await handle.read(buf, 0, buf.length, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buf.subarray(0, bytesRead);
  }
}

/** The files of the run in `runDir` (a real path from runFolder), through the checks above. */
export function localRunFiles(runDir: string, runId: string): RunFiles {
  return {
    open: async (file) => openedLocalFile(await openRunFile(runDir, runId, file)),
    readText: (file, limit, deadlineMs) => readRunFile(runDir, runId, file, limit, deadlineMs),
    exists: (file) => runFileExists(runDir, runId, file),
  };
}

/** An open run file as the routes read it: positional reads on its descriptor. */
export function openedLocalFile(file: RunFile): OpenedFile {
  return {
    path: file.path,
    size: file.size,
    mtimeMs: file.mtimeMs,
    ctimeMs: file.ctimeMs,
    ino: file.ino,
    chunks: () => handleChunks(file.handle),
    random: fileByteSource(file.handle, file.size),
    stream: () => file.handle.createReadStream({ start: 0, autoClose: true }),
    close: () => file.handle.close(),
  };
}
