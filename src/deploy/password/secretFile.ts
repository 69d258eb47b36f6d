// Writing a secret (a password hash) to a file the user named: mode 0600 from the moment the file
// exists, complete or not at all. The temporary file beside the target is created with
// O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600 (so no other user can read it for an instant, and a
// file or symlink planted under the random temporary name is never written through), then
// renamed over the target. rename() replaces a symlink at the target itself, never the file it
// points to, so a link planted where --out points cannot redirect the secret into, say, ~/.bashrc.
import { constants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { IoError, UsageError, excerpt, tempPathFor } from '../../core/index.ts';

export const SECRET_FILE_MODE = 0o600;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

/**
 * The absolute path an --out value names (resolved against `cwd`), checked before any secret is
 * asked for: a name without control characters, in a folder that exists (no folders are made
 * for a typo), and not itself a folder, FIFO, socket or device.
 */
export async function checkSecretOutPath(out: string, cwd: string): Promise<string> {
  const bad = (reason: string): never => {
    throw new UsageError('deploy.password.badOut', { path: out, reason });
  };
  if (out === '') bad('is empty');
  if (CONTROL.test(out)) bad('holds a control character');
  if (out.endsWith('/')) bad('names a folder; give a file name');
  const path = resolve(cwd, out);
  const parent = await fsp.stat(dirname(path)).catch(() => undefined);
  if (!parent?.isDirectory()) bad(`is in ${excerpt(dirname(path), 256)}, which is not an existing folder`);
  const existing = await fsp.lstat(path).catch(() => undefined);
  if (existing?.isDirectory()) bad('is a folder');
  if (existing && !existing.isFile() && !existing.isSymbolicLink()) bad('exists and is not a regular file');
  return path;
}

/** Writes `data` to `path` with mode 0600 via a temporary file and rename. */
export async function writeSecretFile(path: string, data: string): Promise<void> {
  const tmp = tempPathFor(path);
  let handle: FileHandle | undefined;
  let created = false;
  try {
    handle = await fsp.open(tmp, CREATE_FLAGS, SECRET_FILE_MODE);
    created = true;
    await handle.chmod(SECRET_FILE_MODE); // the umask only narrows; this makes the mode exact
    await handle.writeFile(data, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(tmp, path);
  } catch (e) {
    await handle?.close().catch(() => {});
    if (created) await fsp.rm(tmp, { force: true });
    throw new IoError('io.writeFailed', { path: excerpt(path, 256), reason: (e as Error).message }, { cause: e });
  }
}
