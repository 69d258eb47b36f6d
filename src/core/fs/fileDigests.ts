// The SHA-256 of files this process wrote, computed while their bytes went out, so an artifact
// is hashed once (issue 17) instead of again by the store that records it and by the memo
// check of the step that reads it (data/memo). At 1M rows a run's files hold ~360 MB.
//
// An entry is found by the file's device and inode and holds the file's stamp when the digest
// was recorded: size, mtime, ctime and birth time in nanoseconds, and its link count. It is
// handed out only while the file's stamp is still exactly that. Writing, truncating, restoring the times with utimes, chmod or
// linking the file all set its ctime to the current time, which a process cannot set back; a
// replaced file or a swapped-in symlink has another inode. So a changed file reads as unknown
// and its reader hashes it. The limit is the file system's clock: where timestamps are
// coarse (older kernels: one tick, 1-10 ms), a change of the same size within the tick of the
// record would go unseen, as it would for make's, rsync's or git's quick check.
//
// The digest is of the bytes this process wrote; the stamp is taken just after. Another writer
// changing the file during the write would go unseen, so a digest is recorded only for a file
// that no other user may write (owned by this process's user, no group/other write bit): a
// process of the same user can change this process's memory as well, so it is inside the trust
// boundary anyway (review finding: a run folder writable by others).
//
// Renaming sets the ctime too: a caller that renames a file it knows (the local store moving a
// staged output into the run folder) carries the entry over with renameKeepingDigest.
// Memory: at most MAX_ENTRIES entries, oldest dropped first.
import { createHash, type Hash } from 'node:crypto';
import { promises as fsp, type BigIntStats } from 'node:fs';
import type { ByteChunks } from './byteIo.ts';

export interface FileDigest {
  /** Hex SHA-256 of the file's bytes. */
  readonly sha256: string;
  readonly size: number;
}

interface Entry {
  readonly stamp: string;
  readonly digest: FileDigest;
}

/** A run writes ~20 files; a long-lived process (the dashboard) keeps only the newest. */
export const MAX_ENTRIES = 256;

const entries = new Map<string, Entry>();

async function statOf(path: string): Promise<BigIntStats | undefined> {
  try {
    // lstat: a symlink is not the file it points to (a swapped-in link must not match).
    const st = await fsp.lstat(path, { bigint: true });
    return st.isFile() ? st : undefined;
  } catch {
    return undefined;
  }
}

const writableOnlyByUs = (st: BigIntStats): boolean =>
  (st.mode & 0o022n) === 0n && (typeof process.getuid !== 'function' || st.uid === BigInt(process.getuid()));

const keyOf = (st: BigIntStats): string => `${st.dev}:${st.ino}`;
// Birth time too: a file created later at a freed inode differs in it even where ctime is coarse.
const stampOf = (st: BigIntStats): string => `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.birthtimeNs}:${st.nlink}`;

/**
 * Records `digest` as the content of the file at `path` as it is now. Nothing is recorded when
 * there is no regular file there or its size is not the digest's (then the digest is not of it).
 */
export async function recordFileDigest(path: string, digest: FileDigest): Promise<void> {
  const st = await statOf(path);
  if (st === undefined || st.size !== BigInt(digest.size) || !writableOnlyByUs(st)) return;
  const key = keyOf(st);
  entries.delete(key);
  while (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  entries.set(key, { stamp: stampOf(st), digest: { sha256: digest.sha256, size: digest.size } });
}

/** The digest recorded for the file at `path`, when it is unchanged since; else undefined. */
export async function knownFileDigest(path: string): Promise<FileDigest | undefined> {
  if (entries.size === 0) return undefined;
  const st = await statOf(path);
  if (st === undefined) return undefined;
  const e = entries.get(keyOf(st));
  return e !== undefined && e.stamp === stampOf(st) ? e.digest : undefined;
}

/**
 * Runs `rename` (which moves the file at `from` to `to`) and carries the digest known for the
 * file over to its new stamp. Returns that digest, or undefined when none was known (or the file
 * at `to` afterwards is not the one checked at `from`).
 */
export async function renameKeepingDigest(from: string, to: string, rename: () => Promise<void>): Promise<FileDigest | undefined> {
  const before = entries.size === 0 ? undefined : await statOf(from);
  const known = before === undefined ? undefined : entries.get(keyOf(before));
  const digest = known !== undefined && known.stamp === stampOf(before!) ? known.digest : undefined;
  await rename();
  if (digest === undefined) return undefined;
  const after = await statOf(to);
  // The same inode, size and content time: only the rename happened to it.
  if (after === undefined || keyOf(after) !== keyOf(before!) || after.size !== before!.size || after.mtimeNs !== before!.mtimeNs) return undefined;
  entries.set(keyOf(after), { stamp: stampOf(after), digest });
  return digest;
}

/** Forgets everything (tests). */
export function clearFileDigests(): void {
  entries.clear();
}

const DIGEST = Symbol('sealed.chunkDigest');

/** Chunks that hash themselves as they are consumed; `digest()` is defined once all were. */
export interface HashedChunks extends AsyncIterable<string | Uint8Array> {
  digest(): FileDigest | undefined;
}

/**
 * `chunks`, hashed as they are consumed (strings as their UTF-8 bytes, which is what a file
 * sink writes). A consumer that hashes too (hashingChunks of these) reuses this hash instead of
 * computing a second one.
 */
export function hashingChunks(chunks: ByteChunks): HashedChunks {
  if ((chunks as Partial<Record<typeof DIGEST, true>>)[DIGEST] === true) return chunks as HashedChunks;
  const hash = createHash('sha256');
  const state: { size: number; done: FileDigest | undefined; started: boolean } = { size: 0, done: undefined, started: false };
  return {
    [DIGEST]: true,
    digest: () => state.done,
    [Symbol.asyncIterator]: () => {
      // One pass only: a second one would feed the same bytes into the hash again.
      if (state.started) throw new Error('hashingChunks: the chunks were already consumed');
      state.started = true;
      return generate(chunks, hash, state);
    },
  } as HashedChunks;
}

async function* generate(chunks: ByteChunks, hash: Hash, state: { size: number; done: FileDigest | undefined }): AsyncGenerator<string | Uint8Array> {
  for await (const chunk of chunks) {
    // Encoded once here: the bytes hashed are the bytes the sink is given.
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    hash.update(b);
    state.size += b.byteLength;
    yield b;
  }
  state.done = { sha256: hash.digest('hex'), size: state.size };
}

const FILE_BYTES = Symbol('sealed.fileBytes');

/**
 * Marks `chunks` (what a ByteSource's open() returned) as the bytes of the file at `path`,
 * read as they are stored (no codec in between), so a reader may take the file's recorded
 * digest (knownFileDigest) for the digest of what it would read.
 */
export function markFileBytes<T extends object>(chunks: T, path: string): T {
  return Object.assign(chunks, { [FILE_BYTES]: path });
}

/** The file `chunks` read verbatim, when marked by markFileBytes; else undefined. */
export function fileOfBytes(chunks: unknown): string | undefined {
  const path = typeof chunks === 'object' && chunks !== null ? (chunks as Partial<Record<typeof FILE_BYTES, unknown>>)[FILE_BYTES] : undefined;
  return typeof path === 'string' ? path : undefined;
}
