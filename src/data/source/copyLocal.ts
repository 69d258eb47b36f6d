// Copies a local data file into place, with the same checks and result as a download.
//
// Only regular files are read, and the check is made on what was opened, not on the name: the file
// is opened first (O_NONBLOCK, so opening a FIFO returns at once instead of waiting for a writer;
// O_NOFOLLOW and O_NOCTTY), then `fstat` on the descriptor must say "regular file" — a FIFO,
// device (/dev/zero), socket or directory is refused before a byte is read. With the policy's
// localPaths 'roots', the path (relative ones resolved against cwd) must lie under a data root both
// as written and once every symlink is resolved (realpath), and the opened descriptor itself must
// still be under a root (/proc/self/fd/N on Linux, or the same device and inode as the realpath
// elsewhere), so a symlink swapped in between is caught too. A path outside the roots is refused
// before the file system is asked anything about it, so the answer tells nothing about files there.
import { createHash } from 'node:crypto';
import { constants as fsc, promises as fsp, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { DataError, IoError, UsageError, isSealedError } from '../../core/errors.ts';
import { toByteSink, type ByteSink } from '../../core/fs/byteIo.ts';
import { printable } from '../../core/terminalText.ts';
import type { ContentCheck } from './contentCheck.ts';
import type { SourcePolicy } from './sourcePolicy.ts';

export interface Copied {
  bytes: number;
  sha256: string;
}

export interface CopyOptions {
  policy: SourcePolicy;
  /** Relative paths are resolved against this (default: the process's working directory). */
  cwd?: string;
  contentCheck?: () => ContentCheck;
}

const MAX_SHOWN = 160;
/** A path as it may appear in a message: control characters escaped, length capped. */
export function shownPath(path: string): string {
  const p = printable(path);
  return p.length > MAX_SHOWN ? `${p.slice(0, MAX_SHOWN)}...` : p;
}

export async function copyLocal(path: string, dest: string | ByteSink, maxBytes: number, options: CopyOptions): Promise<Copied> {
  const shown = shownPath(path);
  const handle = await openLocalSource(path, options.policy, options.cwd ?? process.cwd());
  try {
    const st = await handle.stat();
    if (st.size > maxBytes) throw new DataError('source.tooLarge', { url: shown, limit: maxBytes });
    const check = options.contentCheck?.();
    const hash = createHash('sha256');
    let bytes = 0;
    // Read through the descriptor that was checked, never by name again; the sink (a file
    // written atomically, or a sealed artifact) pulls each chunk before the buffer is reused.
    async function* chunks(): AsyncGenerator<Buffer> {
      const buf = Buffer.allocUnsafe(1 << 20);
      while (true) {
        let bytesRead: number;
        try {
          ({ bytesRead } = await handle.read(buf, 0, buf.length, null));
        } catch (e) {
          throw new IoError('io.readFailed', { path: shown, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message }, { cause: e });
        }
        if (bytesRead === 0) break;
        const chunk = buf.subarray(0, bytesRead);
        bytes += bytesRead;
        if (bytes > maxBytes) throw new DataError('source.tooLarge', { url: shown, limit: maxBytes });
        check?.feed(chunk, shown);
        hash.update(chunk);
        yield chunk;
      }
      if (bytes === 0) throw new IoError('io.empty', { path: shown });
      check?.end(shown);
    }
    await toByteSink(dest).write(chunks());
    return { bytes, sha256: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

function under(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

/** The data roots, each as written and as its realpath (a root that does not exist holds nothing). */
async function realRoots(policy: SourcePolicy): Promise<string[]> {
  const out: string[] = [];
  for (const root of policy.dataRoots) {
    const real = await fsp.realpath(root).catch(() => undefined);
    if (real !== undefined) out.push(real);
  }
  return out;
}

function describe(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Opens `path` for reading under `policy`; the handle is a regular file's (checked with fstat). */
export async function openLocalSource(path: string, policy: SourcePolicy, cwd: string): Promise<FileHandle> {
  const shown = shownPath(path);
  const absolute = resolve(cwd, path);
  let roots: string[] = [];
  if (policy.localPaths === 'roots') {
    if (policy.dataRoots.length === 0) throw new UsageError('source.localPathsRefused', { path: shown });
    // As written (`..` already folded by resolve): refused without looking at the file system.
    if (!policy.dataRoots.some((r) => under(r, absolute))) throw new UsageError('source.outsideDataRoots', { path: shown, roots: policy.dataRoots.map(shownPath).join(', ') });
    roots = await realRoots(policy);
  }
  let real: string;
  try {
    real = await fsp.realpath(absolute);
  } catch (e) {
    throw fsError(e, shown);
  }
  if (policy.localPaths === 'roots' && !roots.some((r) => under(r, real))) {
    // A symlink (or /proc/self/... entry) that leads out of the roots.
    throw new UsageError('source.outsideDataRoots', { path: shown, roots: policy.dataRoots.map(shownPath).join(', ') });
  }
  let handle: FileHandle;
  try {
    handle = await fsp.open(real, fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0) | (fsc.O_NOFOLLOW ?? 0) | (fsc.O_NOCTTY ?? 0));
  } catch (e) {
    throw fsError(e, shown);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new IoError('io.notAFile', { path: `${shown} (${describe(st)})` });
    if (policy.localPaths === 'roots') await checkOpenedUnderRoots(handle, st, real, roots, shown, policy);
    return handle;
  } catch (e) {
    await handle.close();
    if (isSealedError(e)) throw e;
    throw fsError(e, shown);
  }
}

/** The descriptor is the file that was checked: its own path under a root (Linux), or the realpath's inode. */
async function checkOpenedUnderRoots(handle: FileHandle, st: Stats, real: string, roots: string[], shown: string, policy: SourcePolicy): Promise<void> {
  const refuse = () => new UsageError('source.outsideDataRoots', { path: shown, roots: policy.dataRoots.map(shownPath).join(', ') });
  const viaProc = await fsp.readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
  if (viaProc !== undefined && viaProc.startsWith('/')) {
    if (!roots.some((r) => under(r, viaProc))) throw refuse();
    return;
  }
  const again = await fsp.stat(real).catch(() => undefined);
  if (!again || again.dev !== st.dev || again.ino !== st.ino) throw refuse();
}

function fsError(e: unknown, shown: string): Error {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new IoError('io.notFound', { path: shown });
  if (code === 'ELOOP') return new IoError('io.notAFile', { path: `${shown} (a symlink changed while it was opened)` });
  if (code === 'EISDIR') return new IoError('io.notAFile', { path: `${shown} (a directory)` });
  // open(2) on a Unix socket (or a device without a driver) fails with ENXIO.
  if (code === 'ENXIO') return new IoError('io.notAFile', { path: `${shown} (a socket or device)` });
  return new IoError('io.readFailed', { path: shown, reason: code ?? (e as Error).message }, { cause: e });
}
