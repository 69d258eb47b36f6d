// Files holding secrets in the state folder (the password hash, the TLS key) are readable by
// their owner only. Such a file is opened with O_NOFOLLOW (a symlink is refused, never followed:
// whoever can plant a link in the state folder must not get the dashboard to read or chmod
// another file) and checked with fstat on the descriptor: a regular file owned by this user.
// One found with wider permissions (copied around, restored from a backup) is narrowed back to
// 0600 through the descriptor (fchmod, which cannot reach a symlink's target) with a warning,
// so the dashboard still starts.
//
// The state and runs folders must be this user's and writable by nobody else: another local
// user who can write there could swap the password hash or plant runs. A folder that is not is
// refused at start with the command that fixes it.
import { constants, promises as fsp, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { IoError, UsageError } from '../../core/index.ts';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** O_NONBLOCK: opening a FIFO planted under the name returns at once instead of waiting for a writer. */
const SECRET_OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;
const USER_FILE_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

const currentUid = (): number | undefined => (typeof process.getuid === 'function' ? process.getuid() : undefined);

/** Reads a private file of the state folder, first narrowing its mode to 0600; undefined when it does not exist. */
export async function readPrivateFile(path: string, warn: (message: string) => void): Promise<string | undefined> {
  const before = await fsp.lstat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw new IoError('io.readFailed', { path, reason: e.message }, { cause: e });
  });
  if (!before) return undefined;
  if (before.isSymbolicLink()) throw new UsageError('dashboard.secretFileSymlink', { path });
  if (!before.isFile()) throw new IoError('io.notAFile', { path });
  const handle = await fsp.open(path, SECRET_OPEN_FLAGS).catch((e: NodeJS.ErrnoException) => {
    // ELOOP: swapped for a symlink after the lstat.
    if (e.code === 'ELOOP') throw new UsageError('dashboard.secretFileSymlink', { path });
    throw new IoError('io.readFailed', { path, reason: e.message }, { cause: e });
  });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new IoError('io.notAFile', { path });
    const uid = currentUid();
    if (uid !== undefined && stat.uid !== uid) throw new UsageError('dashboard.secretFileOwner', { path });
    if ((stat.mode & 0o077) !== 0) {
      await handle.chmod(PRIVATE_FILE_MODE);
      warn(`${path} was readable by others (mode ${(stat.mode & 0o777).toString(8)}); changed it to 600`);
    }
    return await readText(handle, path);
  } finally {
    await handle.close();
  }
}

/**
 * A file the user named (--key, --password-file): a symlink is followed (the user chose the path,
 * e.g. certbot's live/ links) but it must lead to a regular file, and it is never chmodded.
 */
export async function readUserFile(path: string): Promise<string> {
  const handle = await fsp.open(path, USER_FILE_FLAGS).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new IoError('io.notFound', { path }, { cause: e });
    throw new IoError('io.readFailed', { path, reason: e.message }, { cause: e });
  });
  try {
    if (!(await handle.stat()).isFile()) throw new IoError('io.notAFile', { path });
    return await readText(handle, path);
  } finally {
    await handle.close();
  }
}

async function readText(handle: FileHandle, path: string): Promise<string> {
  return handle.readFile('utf8').catch((e: Error) => {
    throw new IoError('io.readFailed', { path, reason: e.message }, { cause: e });
  });
}

/** The state folder: created owner-only; an existing one must be this user's and not writable by others. */
export async function makeStateDir(path: string): Promise<void> {
  await fsp.mkdir(path, { recursive: true, mode: PRIVATE_DIR_MODE }).catch((e: Error) => {
    throw new IoError('io.writeFailed', { path, reason: e.message }, { cause: e });
  });
  await checkOwnDir(path, 'state folder');
}

/** Refuses a folder that another user owns or that group or others may write to. */
export async function checkOwnDir(path: string, what: string): Promise<void> {
  let stat: Stats;
  try {
    stat = await fsp.stat(path);
  } catch (e) {
    throw new IoError('io.readFailed', { path, reason: (e as Error).message }, { cause: e });
  }
  if (!stat.isDirectory()) throw new UsageError('dashboard.unsafeDir', { what, path, reason: 'is not a folder', fix: 'give a folder' });
  const uid = currentUid();
  if (uid !== undefined && stat.uid !== uid) {
    throw new UsageError('dashboard.unsafeDir', { what, path, reason: `is owned by uid ${stat.uid}, not by this user (uid ${uid})`, fix: `chown ${uid} '${path}', or use a folder of your own` });
  }
  if ((stat.mode & 0o022) !== 0) {
    throw new UsageError('dashboard.unsafeDir', { what, path, reason: `is writable by ${(stat.mode & 0o002) !== 0 ? 'everyone' : 'its group'} (mode ${(stat.mode & 0o777).toString(8)})`, fix: `chmod go-w '${path}'` });
  }
}
