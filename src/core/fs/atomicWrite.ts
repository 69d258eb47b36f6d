// Files are never written in place: content goes to a temporary name beside the target and
// is renamed over it only when complete, so a crash or an error leaves either the old file
// or nothing, never half a file.
import { randomBytes } from 'node:crypto';
import { promises as fsp, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { IoError } from '../errors.ts';

export interface AtomicWriteOptions {
  /** File mode, e.g. 0o600 for files holding keys. Default 0o644. */
  mode?: number;
}

export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  await withAtomicFile(path, (tmp) => fsp.writeFile(tmp, data, { mode: options.mode ?? 0o644 }), options);
}

export function writeFileAtomicSync(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data, { mode: options.mode ?? 0o644 });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new IoError('io.writeFailed', { path, reason: (e as Error).message }, { cause: e });
  }
}

/**
 * Runs `write` with a temporary path beside `path`, then renames it into place. If `write`
 * throws, the temporary file is removed and the error is rethrown; `path` is untouched.
 */
export async function withAtomicFile<T>(path: string, write: (tmpPath: string) => Promise<T>, options: AtomicWriteOptions = {}): Promise<T> {
  await fsp.mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    const result = await write(tmp);
    if (options.mode !== undefined) await fsp.chmod(tmp, options.mode);
    await fsp.rename(tmp, path);
    return result;
  } catch (e) {
    await fsp.rm(tmp, { force: true, recursive: true });
    throw e;
  }
}
