// The ArtifactStore semantics on an object service (S3 or Azure Blob, through ObjectBackend):
// keys under an optional prefix, files as single objects with their sha256 as metadata, folders
// with markers (remoteFolders.ts), logs by read-modify-write, and local scratch folders for
// staging and checkouts. S3ArtifactStore and AzureBlobArtifactStore only supply the backend.
import { promises as fsp, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { DataError, IoError, PipelineError, sha256 } from '../../core/index.ts';
import type { ArtifactStore, CheckedOut, ObjectStream, PutSource, StatOptions, StoredObject } from './artifactStore.ts';
import { SHA256_HEX, type ObjectBackend } from './objectBackend.ts';
import { encodeListing, folderDigest, FOLDER_LISTING_NAME, FOLDER_PENDING_NAME, MAX_FOLDER_FILES, MAX_LISTING_BYTES, parseListing, type FolderEntry } from './remoteFolders.ts';
import { requestFailed } from './storeErrors.ts';
import { hashStream, streamToFile } from './streamHash.ts';
import { checkKey, checkPrefix, keyProblem, MAX_KEY_BYTES, shownKey } from './storeKey.ts';

export interface RemoteStoreOptions {
  /** Key prefix inside the bucket or container ('' for none), checked like a key. */
  prefix?: string;
  /** get() refuses objects larger than this (default 512 MiB); read() streams any size. */
  maxGetBytes?: number;
  /** append() refuses to grow a log past this (default 8 MiB): each append rewrites the whole object. */
  maxAppendBytes?: number;
  /** list() refuses a prefix holding more objects than this (default 1,000,000). */
  maxListKeys?: number;
  /** Where staging and checkout folders are made (default os.tmpdir()). */
  scratchDir?: string;
  /** Files of a folder uploaded or downloaded at once (default 4). */
  concurrency?: number;
  /** Secrets to cut out of any error message (the store's credentials). */
  secrets?: readonly string[];
}

const APPEND_ATTEMPTS = 5;
const PENDING_BYTES = Buffer.from('{"writing":true}\n');

export class RemoteArtifactStore implements ArtifactStore {
  readonly location: string;
  readonly prefix: string;
  protected readonly secrets: readonly string[];
  private readonly maxGetBytes: number;
  private readonly maxAppendBytes: number;
  private readonly maxListKeys: number;
  private readonly scratchDir: string;
  private readonly concurrency: number;
  private readonly stagingDirs = new Set<string>();

  constructor(
    protected readonly backend: ObjectBackend,
    options: RemoteStoreOptions = {},
  ) {
    this.prefix = checkPrefix(options.prefix ?? '');
    this.location = `${backend.scheme}://${backend.container}${this.prefix === '' ? '' : `/${this.prefix}`}`;
    this.maxGetBytes = positive(options.maxGetBytes, 512 * 1024 * 1024, 'maxGetBytes');
    this.maxAppendBytes = positive(options.maxAppendBytes, 8 * 1024 * 1024, 'maxAppendBytes');
    this.maxListKeys = positive(options.maxListKeys, 1_000_000, 'maxListKeys');
    this.concurrency = positive(options.concurrency, 4, 'concurrency');
    this.scratchDir = options.scratchDir ?? tmpdir();
    this.secrets = options.secrets ?? [];
  }

  /** The object name of `key`: the store prefix joined to the checked key, within the 1,024-byte limit. */
  rawKey(key: string): string {
    checkKey(key);
    const raw = this.prefix === '' ? key : `${this.prefix}/${key}`;
    if (Buffer.byteLength(raw, 'utf8') > MAX_KEY_BYTES) {
      throw new PipelineError('store.badKey', { key: shownKey(key), reason: `with the store prefix it is longer than ${MAX_KEY_BYTES} bytes` });
    }
    return raw;
  }

  /** The key of an object name, or undefined when it is outside the store prefix. */
  private keyOfRaw(raw: string): string | undefined {
    if (this.prefix === '') return raw;
    return raw.startsWith(`${this.prefix}/`) ? raw.slice(this.prefix.length + 1) : undefined;
  }

  uriFor(key: string): string {
    return this.backend.uri(this.rawKey(key));
  }

  async put(key: string, source: PutSource): Promise<StoredObject> {
    const raw = this.rawKey(key);
    if ('bytes' in source) {
      const bytes = typeof source.bytes === 'string' ? Buffer.from(source.bytes, 'utf8') : Buffer.from(source.bytes);
      const digest = sha256(bytes);
      await this.backend.putBytes(raw, bytes, digest);
      await this.deleteFolderObjects(raw); // a file replaces a folder, as on the local store
      return { key, sha256: digest, size: bytes.length, kind: 'file' };
    }
    const path = source.file;
    const st = await fsp.lstat(path).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'ENOENT' ? new IoError('io.notFound', { path }) : new IoError('io.readFailed', { path, reason: e.message });
    });
    if (st.isDirectory()) {
      const stored = await this.putFolder(key, path);
      await fsp.rm(path, { recursive: true, force: true });
      return stored;
    }
    if (!st.isFile()) throw new IoError('store.notRegular', { path, kind: kindOf(st) });
    const digest = await this.backend.putFile(raw, path, st.size);
    await this.deleteFolderObjects(raw);
    await fsp.rm(path, { force: true }); // moved into the store, like the local store's rename
    return { key, sha256: digest, size: st.size, kind: 'file' };
  }

  /** Uploads a folder with the marker protocol of remoteFolders.ts. */
  private async putFolder(key: string, dir: string): Promise<StoredObject> {
    const files = await walkFolder(dir);
    const folderRaw = this.rawKey(key);
    const targets = files.map((f) => this.rawKey(`${key}/${f.rel}`)); // every name checked before anything is written
    const pendingRaw = `${folderRaw}/${FOLDER_PENDING_NAME}`;
    const listingRaw = `${folderRaw}/${FOLDER_LISTING_NAME}`;
    await this.backend.putBytes(pendingRaw, PENDING_BYTES, sha256(PENDING_BYTES));
    try {
      await this.backend.delete(listingRaw);
      const wanted = new Set(targets);
      const stale = (await this.objectsUnder(folderRaw)).filter((r) => r !== pendingRaw && !wanted.has(r));
      await mapLimit(stale, this.concurrency, (r) => this.backend.delete(r));
      const entries = await mapLimit(files, this.concurrency, async (f, i): Promise<FolderEntry> => ({
        path: f.rel,
        size: f.size,
        sha256: await this.backend.putFile(targets[i], f.abs, f.size),
      }));
      const listing = encodeListing(entries);
      await this.backend.putBytes(listingRaw, listing, sha256(listing));
      await this.backend.delete(folderRaw); // a folder replaces a file
      await this.backend.delete(pendingRaw);
      return { key, sha256: folderDigest(entries), size: entries.reduce((n, e) => n + e.size, 0), kind: 'directory' };
    } catch (e) {
      // Leave nothing half-written: remove what was uploaded, and the pending marker only when
      // that worked (while it stays, the partial folder stays hidden).
      await this.deleteFolderObjects(folderRaw).catch(() => undefined);
      throw e;
    }
  }

  async get(key: string): Promise<Buffer> {
    const raw = this.rawKey(key);
    const got = await this.backend.getBytes(raw, this.maxGetBytes, 'get() (use read() to stream it)');
    if (got) return got.bytes;
    throw await this.missing(key, raw);
  }

  async read(key: string): Promise<ObjectStream> {
    const raw = this.rawKey(key);
    const stream = await this.backend.openRead(raw);
    if (stream) return stream;
    throw await this.missing(key, raw);
  }

  async stat(key: string, options: StatOptions = {}): Promise<StoredObject | undefined> {
    const raw = this.rawKey(key);
    const head = await this.backend.head(raw);
    if (head) {
      if (options.verify !== true && head.sha256 !== undefined && SHA256_HEX.test(head.sha256)) return { key, sha256: head.sha256, size: head.size, kind: 'file' };
      const stream = await this.backend.openRead(raw);
      if (!stream) return undefined; // deleted since the HEAD
      const h = await this.hashObject(stream, raw);
      return { key, sha256: h.sha256, size: h.size, kind: 'file' };
    }
    const entries = await this.folderEntries(raw);
    if (!entries) return undefined;
    const actual = options.verify === true ? await this.hashFolder(raw) : entries;
    return { key, sha256: folderDigest(actual), size: actual.reduce((n, e) => n + e.size, 0), kind: 'directory' };
  }

  async checkout(key: string): Promise<CheckedOut> {
    const raw = this.rawKey(key);
    const scratch = await fsp.mkdtemp(join(this.scratchDir, 'sealed-checkout-')); // 0700
    const release = (): Promise<void> => fsp.rm(scratch, { recursive: true, force: true });
    try {
      const name = key.slice(key.lastIndexOf('/') + 1);
      const head = await this.backend.head(raw);
      if (head) {
        const path = join(scratch, name);
        await this.download(raw, path, head.sha256, undefined);
        return { path, release };
      }
      const entries = await this.folderEntries(raw);
      if (!entries) throw new IoError('io.notFound', { path: this.backend.uri(raw) });
      const root = join(scratch, name);
      await fsp.mkdir(root, { mode: 0o700 });
      // Entry paths passed keyProblem in parseListing (no '..', no leading '/'): they stay inside root.
      await mapLimit(entries, this.concurrency, async (e) => {
        const path = join(root, ...e.path.split('/'));
        await fsp.mkdir(dirname(path), { recursive: true, mode: 0o700 });
        await this.download(`${raw}/${e.path}`, path, e.sha256, e.size);
      });
      return { path: root, release };
    } catch (e) {
      await release();
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    const raw = this.rawKey(key);
    await this.deleteFolderObjects(raw);
    await this.backend.delete(raw);
  }

  async list(prefix = ''): Promise<string[]> {
    const p = checkPrefix(prefix);
    const base = p === '' ? (this.prefix === '' ? '' : `${this.prefix}/`) : this.rawKey(p);
    const keys: string[] = [];
    for await (const raw of this.backend.list(base)) {
      if (p !== '' && raw !== base && !raw.startsWith(`${base}/`)) continue; // 'task2/x' when listing 'task'
      const key = this.keyOfRaw(raw);
      if (key === undefined) continue;
      keys.push(key);
      if (keys.length > this.maxListKeys) throw new IoError('store.tooManyKeys', { target: this.backend.uri(base), limit: this.maxListKeys });
    }
    // Folders being written, or whose write failed: a pending marker inside the listing, or on a
    // folder that holds the listed prefix.
    const pendingSuffix = `/${FOLDER_PENDING_NAME}`;
    const pending = keys.filter((k) => k.endsWith(pendingSuffix)).map((k) => k.slice(0, -pendingSuffix.length));
    if (p !== '') {
      const ancestors = p.split('/').slice(0, -1).map((_s, i, parts) => parts.slice(0, i + 1).join('/'));
      const marked = await Promise.all(ancestors.map((a) => this.backend.head(`${this.rawKey(a)}${pendingSuffix}`)));
      ancestors.forEach((a, i) => marked[i] && pending.push(a));
    }
    // Markers, and foreign objects whose names no store would accept (control characters, '..'), are not artifacts.
    return keys.filter((k) => keyProblem(k) === undefined && !pending.some((f) => k.startsWith(`${f}/`))).sort();
  }

  /**
   * Read-modify-write of a small object: the only append object stores offer for block blobs and
   * S3 objects. Each write is conditional on the object not having changed since it was read
   * (If-Match on its entity tag, If-None-Match: * when it is new), retried a few times; a server
   * that ignores the condition (s3rver) makes concurrent appends lose lines, so one writer per log.
   */
  async append(key: string, text: string): Promise<void> {
    const raw = this.rawKey(key);
    const what = 'a log in an object store (each append rewrites it whole)';
    const add = Buffer.from(text, 'utf8');
    for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt++) {
      const current = await this.backend.getBytes(raw, this.maxAppendBytes, what);
      const next = current ? Buffer.concat([current.bytes, add]) : add;
      if (next.length > this.maxAppendBytes) throw new IoError('store.tooLarge', { target: this.backend.uri(raw), limit: this.maxAppendBytes, what });
      const condition = current ? (current.etag !== undefined ? { ifMatch: current.etag } : {}) : { ifNoneMatch: '*' as const };
      if (await this.backend.putBytes(raw, next, sha256(next), condition)) return;
    }
    throw new IoError('store.appendConflict', { target: this.backend.uri(raw), attempts: APPEND_ATTEMPTS });
  }

  /** A private local folder (0700, in scratchDir): put({ file }) uploads from it and removes what it uploaded. */
  async createStaging(key: string): Promise<string> {
    checkKey(key);
    const dir = await fsp.mkdtemp(join(this.scratchDir, 'sealed-staging-'));
    this.stagingDirs.add(dir);
    return dir;
  }

  async discardStaging(path: string): Promise<void> {
    if (!this.stagingDirs.has(path)) throw new IoError('store.unknownStaging', { path });
    await fsp.rm(path, { recursive: true, force: true });
    this.stagingDirs.delete(path);
  }

  /** Raw names of every object under the folder `folderRaw/`. */
  private async objectsUnder(folderRaw: string): Promise<string[]> {
    const out: string[] = [];
    for await (const raw of this.backend.list(`${folderRaw}/`)) {
      out.push(raw);
      if (out.length > MAX_FOLDER_FILES + 2) throw new IoError('store.tooManyKeys', { target: this.backend.uri(folderRaw), limit: MAX_FOLDER_FILES });
    }
    return out;
  }

  /** Removes a folder at `folderRaw` (if any) so that no reader sees part of it: hide, empty, unhide. */
  private async deleteFolderObjects(folderRaw: string): Promise<void> {
    for await (const _first of this.backend.list(`${folderRaw}/`, 1)) {
      const pendingRaw = `${folderRaw}/${FOLDER_PENDING_NAME}`;
      const listingRaw = `${folderRaw}/${FOLDER_LISTING_NAME}`;
      await this.backend.putBytes(pendingRaw, PENDING_BYTES, sha256(PENDING_BYTES));
      await this.backend.delete(listingRaw);
      const rest = (await this.objectsUnder(folderRaw)).filter((r) => r !== pendingRaw && r !== listingRaw);
      await mapLimit(rest, this.concurrency, (r) => this.backend.delete(r));
      await this.backend.delete(pendingRaw);
      return;
    }
  }

  /** The listing of the complete folder at `folderRaw`; undefined when there is none or it is being written. */
  private async folderEntries(folderRaw: string): Promise<FolderEntry[] | undefined> {
    const listingRaw = `${folderRaw}/${FOLDER_LISTING_NAME}`;
    const [pending, listing] = await Promise.all([
      this.backend.head(`${folderRaw}/${FOLDER_PENDING_NAME}`),
      this.backend.getBytes(listingRaw, MAX_LISTING_BYTES, 'a folder listing'),
    ]);
    if (pending || !listing) return undefined;
    return parseListing(listing.bytes, this.backend.uri(listingRaw));
  }

  /** What is really stored under a folder, each file hashed (markers left out). */
  private async hashFolder(folderRaw: string): Promise<FolderEntry[]> {
    const names = (await this.objectsUnder(folderRaw)).map((r) => r.slice(folderRaw.length + 1)).filter((rel) => keyProblem(rel) === undefined);
    return mapLimit(names, this.concurrency, async (rel) => {
      const stream = await this.backend.openRead(`${folderRaw}/${rel}`);
      const h = stream ? await this.hashObject(stream, `${folderRaw}/${rel}`) : { sha256: '', size: 0 };
      return { path: rel, ...h };
    });
  }

  private async hashObject(stream: ObjectStream, raw: string): Promise<{ sha256: string; size: number }> {
    try {
      return await hashStream(stream);
    } catch (e) {
      throw requestFailed('read', this.backend.uri(raw), e, this.secrets);
    }
  }

  /** Streams an object into a new private file, checking its bytes against the recorded sha256 and size. */
  private async download(raw: string, path: string, expectedSha256: string | undefined, expectedSize: number | undefined): Promise<void> {
    const target = this.backend.uri(raw);
    const stream = await this.backend.openRead(raw);
    if (!stream) throw new IoError('io.notFound', { path: target });
    let got: { sha256: string; size: number };
    try {
      got = await streamToFile(stream, path);
    } catch (e) {
      throw requestFailed('download', target, e, this.secrets);
    }
    if (expectedSha256 !== undefined && SHA256_HEX.test(expectedSha256) && got.sha256 !== expectedSha256) {
      throw new DataError('store.digestMismatch', { target, expected: expectedSha256, found: got.sha256 });
    }
    if (expectedSize !== undefined && got.size !== expectedSize) {
      throw new DataError('store.digestMismatch', { target, expected: `${expectedSha256} (${expectedSize} bytes)`, found: `${got.sha256} (${got.size} bytes)` });
    }
  }

  /** The error for a key with no file object: a folder is 'not a regular file', else 'not found'. */
  private async missing(_key: string, raw: string): Promise<Error> {
    const folder = await this.folderEntries(raw).catch(() => undefined);
    return new IoError(folder ? 'io.notAFile' : 'io.notFound', { path: this.backend.uri(raw) });
  }
}

/** Every regular file below `dir` (relative POSIX path, absolute path, size), sorted; links and devices refused. */
async function walkFolder(dir: string): Promise<{ rel: string; abs: string; size: number }[]> {
  const entries = await fsp.readdir(dir, { recursive: true, withFileTypes: true });
  if (entries.length > MAX_FOLDER_FILES) throw new IoError('store.tooManyKeys', { target: dir, limit: MAX_FOLDER_FILES });
  const files: { rel: string; abs: string; size: number }[] = [];
  for (const e of entries) {
    const abs = join(e.parentPath, e.name);
    if (e.isDirectory()) continue;
    const st = await fsp.lstat(abs);
    if (!st.isFile()) throw new IoError('store.notRegular', { path: abs, kind: kindOf(st) });
    files.push({ rel: relative(dir, abs).split(sep).join('/'), abs, size: st.size });
  }
  return files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

function kindOf(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isBlockDevice() || st.isCharacterDevice()) return 'a device';
  return 'not a regular file';
}

function positive(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new PipelineError('store.badOption', { option, value: String(value), reason: 'must be a positive integer' });
  return value;
}

/** `fn` over `items`, at most `limit` at a time, results in order; the first failure rejects (after running work settles). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failed === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed) throw failed.error;
  return results;
}
