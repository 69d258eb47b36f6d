// Where the overlay may be written, and writing it whole. OUT is refused when it is a link,
// lies inside the kubeflow/manifests checkout or the base (through `..` or linked parents:
// real paths are compared), or is an existing folder that is not an overlay we wrote. The
// files go to a fresh 0700 folder beside OUT, which is renamed over OUT only when complete.
import { promises as fsp, lstatSync, readdirSync, realpathSync, type Stats } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import { randomBytes } from 'node:crypto';
import { IoError, UsageError, isSealedError } from '../../core/errors.ts';
import { excerpt } from '../../core/excerpt.ts';
import type { OverlayFile } from './overlayFiles.ts';

/** Present in every overlay folder we write; the only kind of existing folder we replace. */
export const MARKER = '.sealed-kubeflow-overlay';

function lstat(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Real path of `path` even when its tail does not exist yet (the nearest existing ancestor is resolved). */
function realPathAllowingMissing(path: string): string {
  const missing: string[] = [];
  let p = path;
  while (!lstat(p)) {
    const parent = dirname(p);
    if (parent === p) break;
    missing.unshift(basename(p));
    p = parent;
  }
  try {
    return join(realpathSync(p), ...missing);
  } catch (e) {
    // A dangling link or a link loop on the way: nothing sensible to write through.
    throw new UsageError('deploy.overlay.badOut', { path, reason: `cannot be resolved (${(e as NodeJS.ErrnoException).code ?? 'error'} at ${excerpt(p, 256)})` });
  }
}

const inside = (child: string, parent: string): boolean => {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

/** Checks OUT and returns its real absolute path. Nothing is created. */
export function checkOut(out: string, guarded: ReadonlyArray<{ path: string; what: string }>): string {
  if (out.length === 0) throw new UsageError('deploy.overlay.badOut', { path: out, reason: 'is empty' });
  if (out.includes('\0')) throw new UsageError('deploy.overlay.badOut', { path: out, reason: 'contains a NUL character' });
  const abs = resolve(out);
  const st = lstat(abs);
  if (st?.isSymbolicLink()) throw new UsageError('deploy.overlay.badOut', { path: out, reason: 'is a symbolic link (give the real folder)' });
  if (st && !st.isDirectory()) throw new UsageError('deploy.overlay.badOut', { path: out, reason: 'exists and is not a folder' });
  const real = realPathAllowingMissing(abs);
  for (const g of guarded) {
    const guard = realpathSync(g.path);
    if (inside(real, guard)) throw new UsageError('deploy.overlay.badOut', { path: out, reason: `is inside ${g.what} ${excerpt(guard, 256)} (the overlay must live outside it, so an upgrade of it cannot overwrite or be mixed with the overlay)` });
    if (inside(guard, real)) throw new UsageError('deploy.overlay.badOut', { path: out, reason: `contains ${g.what} ${excerpt(guard, 256)}` });
  }
  if (st) {
    const entries = lstatSyncEntries(abs);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new UsageError('deploy.overlay.badOut', { path: out, reason: `exists and is not an overlay written by sealed deploy render (no ${MARKER}); give a new or empty folder` });
    }
  }
  return real;
}

function lstatSyncEntries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (e) {
    throw new IoError('io.readFailed', { path: dir, reason: (e as Error).message }, { cause: e });
  }
}

/**
 * Writes `files` into a new folder beside `real`, lets `verify` check it (a throw leaves OUT
 * untouched), and renames it into place. An existing
 * overlay is moved aside first and removed after the swap (restored if the swap fails).
 */
export async function writeOverlayDir(real: string, files: readonly OverlayFile[], verify?: (dir: string) => Promise<void>): Promise<void> {
  const parent = dirname(real);
  await fsp.mkdir(parent, { recursive: true });
  const tmp = await fsp.mkdtemp(join(parent, `.${basename(real)}.tmp-`));
  try {
    await fsp.chmod(tmp, 0o700);
    for (const f of [...files, { path: MARKER, content: 'written by sealed deploy render\n', mode: 0o644 }]) {
      const target = join(tmp, f.path);
      if (!inside(target, tmp)) throw new Error(`overlay file ${f.path} escapes the folder`);
      await fsp.mkdir(dirname(target), { recursive: true, mode: 0o700 });
      // 'wx': a fresh file (never through a planted link); mode set at creation, then again to defeat umask.
      await fsp.writeFile(target, f.content, { flag: 'wx', mode: f.mode });
      await fsp.chmod(target, f.mode);
    }
    // The temporary folder sits beside OUT, so relative paths to the base resolve the same from both.
    if (verify) await verify(tmp);
    const old = lstat(real) ? join(parent, `.${basename(real)}.old-${randomBytes(6).toString('hex')}`) : undefined;
    if (old) await fsp.rename(real, old);
    try {
      await fsp.rename(tmp, real);
    } catch (e) {
      if (old) await fsp.rename(old, real);
      throw e;
    }
    if (old) await fsp.rm(old, { recursive: true, force: true });
  } catch (e) {
    await fsp.rm(tmp, { recursive: true, force: true });
    if (isSealedError(e)) throw e;
    throw new IoError('io.writeFailed', { path: real, reason: (e as Error).message }, { cause: e });
  }
}
