// What this process wrote, kept in memory for the step that reads it next. The local runner
// runs every task of a run in one process, and each step used to parse the CSV the previous
// step had just written (at 1M rows about a second per file). A writer that goes through
// `writeRemembering` keeps the value it formatted together with the SHA-256 and length of the
// exact bytes it stored; `recallWritten` gives the value back only when the bytes the reader
// would parse now (read through the same ByteSource: a sealed artifact is decrypted and
// verified by its codec as before) hash to the same digest. Any change to the file after the
// write (replaced, truncated, edited with its size and times restored, a symlink swapped in)
// changes the bytes, so the reader parses them as before. The bytes are hashed once, while they
// are written (core fileDigests' hashingChunks; a plain artifact sink of the local runner reuses
// that hash for the file's recorded digest): when the file is unchanged since it was written
// (same inode, size, mtime and ctime: knownFileDigest) and its recorded digest is the one
// remembered, the reader's check needs no second pass over it; otherwise the bytes are read and
// hashed again. Whether the remembered value is what
// parsing those bytes would give is decided by the reader (conform.ts), which falls back to
// parsing whenever it cannot be sure.
//
// Memory: an entry is dropped when it is recalled (the value is handed to one reader, which
// may keep or change it), when the same destination is written again, oldest first when more
// than MAX_ENTRIES or MAX_BYTES are held, and after MAX_AGE_MS (a long-running process, e.g.
// the dashboard starting runs, does not keep a failed run's values). Values larger than
// MAX_BYTES are not kept.
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { resolve } from 'node:path';
import type { DenseMatrix } from '../../core/denseMatrix.ts';
import type { ByteChunks, ByteSink, ByteSource } from '../../core/fs/byteIo.ts';
import { toByteSource } from '../../core/fs/byteIo.ts';
import { fileOfBytes, hashingChunks, knownFileDigest, recordFileDigest } from '../../core/fs/fileDigests.ts';
import type { Table } from '../table.ts';
import { writeChunksAtomic } from '../csv/writeChunks.ts';

/**
 * A value as its writer formatted it: a table (with or without a header line), a matrix, or
 * any other value (e.g. a trained model) named by `tag`, with its size in bytes as held; its
 * reader checks the tag and that the value is what parsing the bytes would give.
 */
export type WrittenValue =
  | { readonly kind: 'table'; readonly table: Table; readonly header: boolean }
  | { readonly kind: 'matrix'; readonly matrix: DenseMatrix }
  | { readonly kind: 'object'; readonly tag: string; readonly value: unknown; readonly bytes: number };

interface Entry {
  readonly value: WrittenValue;
  readonly expiry: NodeJS.Timeout;
  readonly bytes: number;
  readonly sha256: string;
  readonly length: number;
}

/** At most this many values are held (a run's steps write eight data files in all). */
export const MAX_ENTRIES = 8;
/**
 * At most this many bytes of values are held. A 1M-row run's values are 8-156 MB each, so all
 * are handed on; at 10M rows the large ones are parsed as before, so what is held while the
 * model trains (the test matrix, waiting for batch-inference) stays a small share of the run.
 */
export const MAX_BYTES = 512 * 1024 ** 2;
/** How long a value waits for its reader (a 10M-row training step takes minutes, not hours). */
export const MAX_AGE_MS = 60 * 60 * 1000;

const entries = new Map<string, Entry>();
let held = 0;
let enabled = true;
const counters = { remembered: 0, hits: 0, misses: 0 };

/**
 * Entries are found by the stored file's device and inode, which survive the rename of a
 * staged output into its run folder (the local runner moves outputs after a task succeeds):
 * the reader's path is not the writer's. An artifact's label is its stored file; for a sealed
 * artifact that file holds the ciphertext, which is fine: the key only finds the entry, the
 * content check decides. Undefined when there is no regular file at the label.
 */
async function keyOf(x: string | ByteSource | ByteSink): Promise<string | undefined> {
  try {
    const st = await fsp.stat(typeof x === 'string' ? resolve(x) : x.label, { bigint: true });
    return st.isFile() ? `${st.dev}:${st.ino}` : undefined;
  } catch {
    return undefined;
  }
}

function sizeOf(value: WrittenValue): number {
  if (value.kind === 'matrix') return value.matrix.data.byteLength;
  if (value.kind === 'object') return value.bytes;
  let n = 0;
  for (const c of value.table.columns) n += c.kind === 'numeric' ? c.values.byteLength : c.codes.byteLength;
  return n;
}

function forgetKey(key: string): void {
  const e = entries.get(key);
  if (e === undefined) return;
  entries.delete(key);
  clearTimeout(e.expiry);
  held -= e.bytes;
}

/**
 * Writes `chunks` to `to` atomically (as writeChunksAtomic) and, when the write succeeded,
 * remembers `value` as what those bytes hold. The caller must not change `value` afterwards.
 */
export async function writeRemembering(to: string | ByteSink, chunks: ByteChunks, value: WrittenValue): Promise<void> {
  const bytes = sizeOf(value);
  if (!enabled || bytes > MAX_BYTES) return writeChunksAtomic(to, chunks);
  const hashed = hashingChunks(chunks);
  await writeChunksAtomic(to, hashed);
  const digest = hashed.digest();
  if (digest === undefined) return;
  // A path is a plain file: what was hashed is what it holds.
  if (typeof to === 'string') await recordFileDigest(resolve(to), digest);
  const key = await keyOf(to);
  if (key === undefined) return;
  forgetKey(key);
  while (entries.size >= MAX_ENTRIES || (entries.size > 0 && held + bytes > MAX_BYTES)) forgetKey(entries.keys().next().value as string);
  const expiry = setTimeout(() => {
    if (entries.get(key)?.expiry === expiry) forgetKey(key);
  }, MAX_AGE_MS);
  expiry.unref(); // never keeps the process alive
  entries.set(key, { value, bytes, expiry, sha256: digest.sha256, length: digest.size });
  held += bytes;
  counters.remembered++;
}

/**
 * The value written to `from` by this process, when the bytes `from` holds now are exactly the
 * bytes written; undefined otherwise. Either way the entry is dropped.
 */
export async function recallWritten(from: string | ByteSource): Promise<WrittenValue | undefined> {
  if (entries.size === 0) return undefined;
  const key = await keyOf(from);
  const e = key === undefined ? undefined : entries.get(key);
  if (e === undefined) return undefined;
  forgetKey(key as string);
  if (await sameContent(from, e)) {
    counters.hits++;
    return e.value;
  }
  counters.misses++;
  return undefined;
}

/** Drops what is remembered for `from` (a reader that does not use recallWritten calls this to free it). */
export async function forgetWritten(from: string | ByteSource | ByteSink): Promise<void> {
  if (entries.size === 0) return;
  const key = await keyOf(from);
  if (key !== undefined) forgetKey(key);
}

async function sameContent(from: string | ByteSource, e: Entry): Promise<boolean> {
  // A path, or a source reading a file verbatim (the local runner's plain codec marks those):
  // the file's digest recorded at its write, while the file is unchanged since, stands for a
  // pass over it. Any other source (a sealing codec decrypting) is read through.
  let chunks: AsyncIterable<Uint8Array>;
  try {
    chunks = toByteSource(from).open();
  } catch {
    return false;
  }
  const file = typeof from === 'string' ? resolve(from) : fileOfBytes(chunks);
  const known = file === undefined ? undefined : await knownFileDigest(file);
  if (known !== undefined && known.sha256 === e.sha256 && known.size === e.length) return true;
  const hash = createHash('sha256');
  let length = 0;
  try {
    for await (const chunk of chunks) {
      length += chunk.length;
      if (length > e.length) return false;
      hash.update(chunk);
    }
  } catch {
    // Unreadable now (removed, refused by a sealing codec): the reader parses and reports it.
    return false;
  }
  return length === e.length && hash.digest('hex') === e.sha256;
}

/** Counts and current size, for tests and benchmarks. */
export function writtenMemoStats(): { entries: number; bytes: number; remembered: number; hits: number; misses: number } {
  return { entries: entries.size, bytes: held, ...counters };
}

/** Turns remembering off (every read parses) or back on; for tests and benchmarks. */
export function setWrittenMemoEnabled(on: boolean): void {
  enabled = on;
  if (!on) clearWrittenMemo();
}

/** Forgets everything (tests). */
export function clearWrittenMemo(): void {
  for (const key of [...entries.keys()]) forgetKey(key);
}
