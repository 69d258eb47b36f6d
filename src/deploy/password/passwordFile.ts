// `--dex-password-file FILE`: one line, the plain password or its bcrypt hash. The file is
// treated like an ssh private key: it must be this user's own regular file, readable and writable
// by nobody else, and it is checked before it is opened and again on the open descriptor.
// - lstat first: a symlink (say to /etc/shadow, or to a file the attacker can read later), a FIFO
//   (would block the read forever), a device or folder, or a huge file is refused without
//   opening or reading it.
// - open with O_NOFOLLOW (a symlink swapped in after the lstat fails with ELOOP) and O_NONBLOCK
//   (a FIFO swapped in does not block the open), then fstat: same inode as the lstat saw, and the
//   same checks again on what was actually opened.
// - at most LIMIT + 1 bytes are read, so a file that grows after the checks cannot make it read more.
import { constants, promises as fsp, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { IoError, UsageError, excerpt } from '../../core/index.ts';
import { looksLikeBcrypt, hashPassword, parseBcryptHash, passwordMatches } from './bcryptHash.ts';
import { TUTORIAL_PASSWORD, checkPasswordPolicy } from './policy.ts';

/** Largest password file read: a password or hash is under 100 bytes; 4 KiB leaves room for nothing else. */
export const PASSWORD_FILE_LIMIT = 4096;
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;

export interface PasswordHash {
  /** bcrypt "$2y$" hash, cost 12..16. */
  hash: string;
  /** Whether the input held the plain password (hashed here) or a hash (validated, relabelled $2y$). */
  from: 'plain' | 'hash';
}

export interface ReadPasswordFileOptions {
  /** The Dex user's email: a plain password containing its name part is refused. */
  email?: string;
}

export async function readPasswordFile(path: string, options: ReadPasswordFileOptions = {}): Promise<PasswordHash> {
  const before = await fsp.lstat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new IoError('io.notFound', { path: excerpt(path, 256) }, { cause: e });
    throw new IoError('io.readFailed', { path: excerpt(path, 256), reason: e.message }, { cause: e });
  });
  checkFile(before, path);
  const handle = await fsp.open(path, OPEN_FLAGS).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ELOOP') throw new UsageError('deploy.password.fileSymlink', { path });
    if (e.code === 'ENOENT' || e.code === 'ENXIO') throw new UsageError('deploy.password.fileChanged', { path });
    throw new IoError('io.readFailed', { path: excerpt(path, 256), reason: e.message }, { cause: e });
  });
  let bytes: Buffer;
  try {
    const opened = await handle.stat();
    if (opened.dev !== before.dev || opened.ino !== before.ino) throw new UsageError('deploy.password.fileChanged', { path });
    checkFile(opened, path);
    bytes = await readAtMost(handle, PASSWORD_FILE_LIMIT + 1, path);
  } finally {
    await handle.close();
  }
  const source = excerpt(path, 256);
  if (bytes.length > PASSWORD_FILE_LIMIT) throw new UsageError('deploy.password.inputTooLarge', { source, limit: PASSWORD_FILE_LIMIT });
  let text: string;
  try {
    text = decodeUtf8(bytes, source);
  } finally {
    bytes.fill(0); // the string cannot be wiped, but the buffer need not linger too
  }
  return passwordOrHash(text, { source, email: options.email });
}

/**
 * The text of a password file or of stdin (one line; its line break is dropped) as a Dex hash: a
 * text starting with "$2" is validated as a bcrypt hash, anything else must pass the password
 * policy and is hashed. `source` names the input in messages.
 */
export async function passwordOrHash(text: string, context: { source: string; email?: string | undefined }): Promise<PasswordHash> {
  const { source } = context;
  const line = oneLine(text, source);
  if (looksLikeBcrypt(line)) {
    const { hash } = parseBcryptHash(line, source);
    // A fresh hash of 12341234 is as bad as the published one: one bcrypt run (at the hash's own cost) finds it.
    if (await passwordMatches(TUTORIAL_PASSWORD, hash)) {
      throw new UsageError('deploy.password.badHash', { source, reason: "it is a hash of the Kubeflow tutorial's default password 12341234" });
    }
    return { hash, from: 'hash' };
  }
  checkPasswordPolicy(line, { source, ...(context.email !== undefined ? { email: context.email } : {}) });
  return { hash: await hashPassword(line), from: 'plain' };
}

/** The single line of `text` without its line break; refuses an empty text or several lines. */
export function oneLine(text: string, source: string): string {
  const line = text.replace(/\r?\n$/, '');
  if (line === '') throw new UsageError('deploy.password.empty', { source });
  if (/[\r\n]/.test(line)) throw new UsageError('deploy.password.severalLines', { source, lines: line.split(/\r\n|\r|\n/).length });
  return line;
}

/** Strict UTF-8 (a byte-order mark is dropped); anything else is refused rather than guessed. */
export function decodeUtf8(bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError('deploy.password.notUtf8', { source });
  }
}

function checkFile(stat: Stats, path: string): void {
  if (stat.isSymbolicLink()) throw new UsageError('deploy.password.fileSymlink', { path });
  if (!stat.isFile()) throw new UsageError('deploy.password.fileKind', { path, kind: kindOf(stat) });
  if (stat.size > PASSWORD_FILE_LIMIT) throw new UsageError('deploy.password.fileTooLarge', { path, size: stat.size, limit: PASSWORD_FILE_LIMIT });
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (uid !== undefined && stat.uid !== uid) throw new UsageError('deploy.password.fileOwner', { path, owner: stat.uid, uid });
  if ((stat.mode & 0o077) !== 0) throw new UsageError('deploy.password.filePermissions', { path, mode: (stat.mode & 0o777).toString(8).padStart(3, '0') });
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

async function readAtMost(handle: FileHandle, limit: number, path: string): Promise<Buffer> {
  const buffer = Buffer.alloc(limit);
  let filled = 0;
  try {
    while (filled < limit) {
      const { bytesRead } = await handle.read(buffer, filled, limit - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
  } catch (e) {
    throw new IoError('io.readFailed', { path: excerpt(path, 256), reason: (e as Error).message }, { cause: e });
  }
  return buffer.subarray(0, filled);
}
