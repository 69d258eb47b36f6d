// File-system rules of a key folder. The folder is this user's, mode 0700, never a symbolic
// link; secret files in it are regular files of this user readable by nobody else (0600).
// A file is checked with lstat, then opened with O_NOFOLLOW (a link swapped in after the lstat
// is refused, never followed) and O_NONBLOCK (a FIFO planted under the name cannot make the
// open wait for a writer), then checked again with fstat on the descriptor, which is what is
// read. Nothing here ever chmods or touches a file it refuses. New files are created with
// O_EXCL|O_NOFOLLOW under a temporary name in the folder and renamed into place when complete.
import { randomBytes } from 'node:crypto';
import { constants, promises as fsp, type Stats } from 'node:fs';
import { join } from 'node:path';
import { IoError } from '../core/index.ts';
import { KeyError } from './keyErrors.ts';

export const KEY_DIR_MODE = 0o700;
export const SECRET_FILE_MODE = 0o600;
export const PUBLIC_FILE_MODE = 0o644;
/** Key files are small; anything larger is not one of ours and is not read whole. */
export const MAX_KEY_FILE_BYTES = 64 * 1024;

export const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export const currentUid = (): number | undefined => (typeof process.getuid === 'function' ? process.getuid() : undefined);

/** A path quoted for a POSIX shell, for the `fix:` part of a message. */
export function shellQuote(path: string): string {
  return `'${path.replace(/'/g, `'\\''`)}'`;
}

/** What a non-regular entry is, for messages. */
export function kindOf(stat: Stats): string {
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

export const modeText = (stat: Stats): string => (stat.mode & 0o777).toString(8).padStart(3, '0');

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await fsp.lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new IoError('io.readFailed', { path, reason: (e as Error).message }, { cause: e });
  }
}

/** Refuses a key folder that is a link, not a folder, another user's, or open to group or others. */
export function checkKeyFolderStat(path: string, stat: Stats): void {
  if (stat.isSymbolicLink()) throw new KeyError('keys.unsafeFolder', { path, reason: 'is a symbolic link', fix: 'give the real folder, not a link to it' });
  if (!stat.isDirectory()) throw new KeyError('keys.unsafeFolder', { path, reason: `is ${kindOf(stat)}, not a folder`, fix: 'give a folder' });
  const uid = currentUid();
  if (uid !== undefined && stat.uid !== uid) {
    throw new KeyError('keys.unsafeFolder', { path, reason: `is owned by uid ${stat.uid}, not by this user (uid ${uid})`, fix: `chown ${uid} ${shellQuote(path)}, or use a folder of your own` });
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new KeyError('keys.unsafeFolder', { path, reason: `is accessible by its group or others (mode ${modeText(stat)})`, fix: `chmod 700 ${shellQuote(path)}` });
  }
}

/** lstat + checkKeyFolderStat; undefined when the folder does not exist. */
export async function statKeyFolder(path: string): Promise<Stats | undefined> {
  const stat = await lstatOrUndefined(path);
  if (stat) checkKeyFolderStat(path, stat);
  return stat;
}

export interface KeyFileRule {
  /** Mode bits that must be clear: 0o077 for a secret, 0o022 for a public key. */
  forbiddenBits: number;
  fixMode: string;
}
export const SECRET_RULE: KeyFileRule = { forbiddenBits: 0o077, fixMode: '600' };
export const PUBLIC_RULE: KeyFileRule = { forbiddenBits: 0o022, fixMode: '644' };

function checkFileStat(path: string, stat: Stats, rule: KeyFileRule): void {
  if (stat.isSymbolicLink()) throw new KeyError('keys.unsafeFile', { path, reason: 'is a symbolic link', fix: 'replace the link with the key file itself' });
  if (!stat.isFile()) throw new KeyError('keys.unsafeFile', { path, reason: `is ${kindOf(stat)}`, fix: 'put the key file made by sealed keys init there' });
  const uid = currentUid();
  if (uid !== undefined && stat.uid !== uid) {
    throw new KeyError('keys.unsafeFile', { path, reason: `is owned by uid ${stat.uid}, not by this user (uid ${uid})`, fix: `chown ${uid} ${shellQuote(path)}` });
  }
  if ((stat.mode & rule.forbiddenBits) !== 0) {
    const who = rule.forbiddenBits === 0o077 ? 'readable or writable by its group or others' : 'writable by its group or others';
    throw new KeyError('keys.unsafeFile', { path, reason: `is ${who} (mode ${modeText(stat)})`, fix: `chmod ${rule.fixMode} ${shellQuote(path)}` });
  }
}

/** Reads a key file of a key folder under `rule`; refuses (never follows, never chmods) anything else. */
export async function readKeyFile(path: string, rule: KeyFileRule): Promise<Buffer> {
  const before = await lstatOrUndefined(path);
  if (!before) throw new KeyError('keys.missingFile', { path });
  checkFileStat(path, before, rule);
  const handle = await fsp.open(path, READ_FLAGS).catch((e: NodeJS.ErrnoException) => {
    // ELOOP: swapped for a symbolic link after the lstat.
    if (e.code === 'ELOOP') throw new KeyError('keys.unsafeFile', { path, reason: 'is a symbolic link', fix: 'replace the link with the key file itself' });
    throw new IoError('io.readFailed', { path, reason: e.message }, { cause: e });
  });
  try {
    const stat = await handle.stat();
    checkFileStat(path, stat, rule);
    return await readBoundedKeyFile(handle, path, stat);
  } catch (e) {
    if (e instanceof KeyError) throw e;
    throw new IoError('io.readFailed', { path, reason: (e as Error).message }, { cause: e });
  } finally {
    await handle.close();
  }
}

/** The whole content of an opened key file (its fstat `stat` already checked), refusing more than MAX_KEY_FILE_BYTES. */
export async function readBoundedKeyFile(handle: fsp.FileHandle, path: string, stat: Stats): Promise<Buffer> {
  if (stat.size > MAX_KEY_FILE_BYTES) throw new KeyError('keys.badKeyFile', { path, reason: `it is ${stat.size} bytes, more than a key file holds` });
  const buffer = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
  let length = 0;
  while (length < buffer.length) {
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  if (length > MAX_KEY_FILE_BYTES) throw new KeyError('keys.badKeyFile', { path, reason: 'it is larger than a key file' });
  const content = Buffer.from(buffer.subarray(0, length));
  buffer.fill(0);
  return content;
}

/**
 * Writes a new file `name` in `dir` (a folder checked by the caller): a temporary name created
 * with O_EXCL|O_NOFOLLOW and `mode`, written and synced, then renamed into place. Refuses to
 * replace an existing entry. Returns the final path.
 */
export async function writeNewKeyFile(dir: string, name: string, data: Uint8Array | string, mode: number): Promise<string> {
  const target = join(dir, name);
  const tmp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await fsp.open(tmp, CREATE_FLAGS, mode);
    try {
      await handle.chmod(mode); // the umask may have narrowed the public key's mode
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (await lstatOrUndefined(target)) throw new Error(`${target} appeared while the keys were written`);
    await fsp.rename(tmp, target);
    return target;
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw new IoError('io.writeFailed', { path: target, reason: (e as Error).message }, { cause: e });
  }
}

/** fsync of a folder, so renames into it survive a crash (best effort where unsupported). */
export async function syncFolder(dir: string): Promise<void> {
  const handle = await fsp.open(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW).catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}
