// ArtifactStore on the local file system, rooted at a run directory. Staging folders live
// inside the root so moving an output into place is a same-file-system rename (atomic).
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { IoError, PipelineError, openRegularFile, renameKeepingDigest, sha256, sha256File, writeFileAtomic } from '../../core/index.ts';
import type { ArtifactStore, CheckedOut, ObjectStream, PutSource, StoredObject } from './artifactStore.ts';
import { checkKey, checkPrefix, shownKey } from './storeKey.ts';

export class LocalArtifactStore implements ArtifactStore {
  readonly root: string;
  readonly location: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.location = this.root;
  }

  /** Absolute path of `key`, refusing keys that escape the root (the rules every store shares: storeKey.ts). */
  pathFor(key: string): string {
    checkKey(key);
    // checkKey refuses a leading '/'; a drive path ('C:/x') is absolute only on Windows.
    if (isAbsolute(key)) throw new PipelineError('store.badKey', { key: shownKey(key), reason: 'it is absolute' });
    return join(this.root, key);
  }

  /** The key of an absolute path inside the root. */
  keyFor(path: string): string {
    return relative(this.root, resolve(path)).split(sep).join('/');
  }

  uriFor(key: string): string {
    return this.pathFor(key);
  }

  async put(key: string, source: PutSource): Promise<StoredObject> {
    const target = this.pathFor(key);
    if ('bytes' in source) {
      // A file replaces a folder as it does for a `file` source (rename cannot replace a folder).
      if ((await fsp.lstat(target).catch(() => undefined))?.isDirectory()) await fsp.rm(target, { recursive: true, force: true });
      await writeFileAtomic(target, source.bytes);
      // The digest of the bytes just written, not of the file read back: run.json is put after every
      // task state change (issue 17: no re-reading of what we just wrote).
      const bytes = typeof source.bytes === 'string' ? Buffer.from(source.bytes) : source.bytes;
      return { key, sha256: sha256(bytes), size: bytes.byteLength, kind: 'file' };
    } else {
      // A file this process wrote through a hashing sink (runTask's plain codec) has its digest
      // recorded: it is carried over the rename instead of read back (issue 17: hashed once).
      const known = await renameKeepingDigest(source.file, target, () => moveInto(source.file, target));
      if (known !== undefined) return { key, sha256: known.sha256, size: known.size, kind: 'file' };
    }
    return (await this.stat(key))!;
  }

  async get(key: string): Promise<Buffer> {
    const path = this.pathFor(key);
    return fsp.readFile(path).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'ENOENT' ? new IoError('io.notFound', { path }) : new IoError('io.readFailed', { path, reason: e.message });
    });
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    const path = this.pathFor(key);
    const s = await fsp.stat(path).catch(() => undefined);
    if (!s) return undefined;
    if (s.isFile()) return { key, sha256: await sha256File(path), size: s.size, kind: 'file' };
    const files = await listFiles(path);
    let size = 0;
    const lines: string[] = [];
    for (const f of files) {
      size += (await fsp.stat(join(path, f))).size;
      lines.push(`${f}\0${await sha256File(join(path, f))}\n`);
    }
    return { key, sha256: sha256(lines.join('')), size, kind: 'directory' };
  }

  /** The stored file itself, opened only if it is a regular file (a FIFO would block a reader). */
  async read(key: string): Promise<ObjectStream> {
    const fh = await openRegularFile(this.pathFor(key));
    return fh.createReadStream({ highWaterMark: 1 << 20 });
  }

  /** The stored object itself: a component reads it in place, so release() has nothing to do. */
  async checkout(key: string): Promise<CheckedOut> {
    const path = this.pathFor(key);
    const s = await fsp.stat(path).catch(() => undefined);
    if (!s) throw new IoError('io.notFound', { path });
    if (!s.isFile() && !s.isDirectory()) throw new IoError('io.notAFile', { path });
    return { path, release: async () => {} };
  }

  async delete(key: string): Promise<void> {
    const path = this.pathFor(key);
    await fsp.rm(path, { recursive: true, force: true }).catch((e: Error) => {
      throw new IoError('io.writeFailed', { path, reason: e.message }, { cause: e });
    });
  }

  async list(prefix = ''): Promise<string[]> {
    prefix = checkPrefix(prefix);
    const base = prefix === '' ? this.root : this.pathFor(prefix);
    const s = await fsp.stat(base).catch(() => undefined);
    if (!s) return [];
    if (s.isFile()) return [prefix];
    return (await listFiles(base)).map((f) => (prefix === '' ? f : `${prefix.replace(/\/$/, '')}/${f}`));
  }

  async append(key: string, text: string): Promise<void> {
    const path = this.pathFor(key);
    await fsp.mkdir(dirname(path), { recursive: true });
    await fsp.appendFile(path, text);
  }

  async createStaging(key: string): Promise<string> {
    const path = this.pathFor(`${key}/.staging-${randomBytes(4).toString('hex')}`);
    await fsp.mkdir(path, { recursive: true });
    return path;
  }

  async discardStaging(path: string): Promise<void> {
    await fsp.rm(path, { recursive: true, force: true });
  }
}

/**
 * Moves `from` to `target`, replacing whatever is there. The usual case (the folder exists, no
 * folder in the way) is one rename, which replaces a file atomically; otherwise (ENOENT,
 * EISDIR, ENOTEMPTY, ENOTDIR...) the folder is made and the old object removed first, as
 * before (issue 17: fewer system calls per task).
 */
async function moveInto(from: string, target: string): Promise<void> {
  try {
    await fsp.rename(from, target);
    return;
  } catch {
    // Made room for below; a real failure fails again there, with its reason.
  }
  await fsp.mkdir(dirname(target), { recursive: true });
  await fsp.rm(target, { recursive: true, force: true });
  await fsp.rename(from, target).catch((e: Error) => {
    throw new IoError('io.writeFailed', { path: target, reason: e.message }, { cause: e });
  });
}

/** Relative POSIX paths of all files below `dir`, sorted. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await fsp.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}
