// Files holding secrets (the password hash, the TLS key) are readable by their owner only. A
// file found with wider permissions (copied around, restored from a backup) is narrowed back
// to 0600 with a warning rather than refused, so the dashboard still starts.
import { promises as fsp } from 'node:fs';
import { IoError } from '../../core/index.ts';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Reads a private file, first narrowing its mode to 0600; undefined when it does not exist. */
export async function readPrivateFile(path: string, warn: (message: string) => void): Promise<string | undefined> {
  const stat = await fsp.stat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw new IoError('io.readFailed', { path, reason: e.message }, { cause: e });
  });
  if (!stat) return undefined;
  if (!stat.isFile()) throw new IoError('io.notAFile', { path });
  if ((stat.mode & 0o077) !== 0) {
    await fsp.chmod(path, PRIVATE_FILE_MODE);
    warn(`${path} was readable by others (mode ${(stat.mode & 0o777).toString(8)}); changed it to 600`);
  }
  return fsp.readFile(path, 'utf8').catch((e: Error) => {
    throw new IoError('io.readFailed', { path, reason: e.message }, { cause: e });
  });
}

/** The state folder: created owner-only; an existing one is left as the user made it. */
export async function makeStateDir(path: string): Promise<void> {
  await fsp.mkdir(path, { recursive: true, mode: PRIVATE_DIR_MODE }).catch((e: Error) => {
    throw new IoError('io.writeFailed', { path, reason: e.message }, { cause: e });
  });
}
