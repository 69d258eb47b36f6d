// Folder outputs on an object store. An object store has no folders and no rename, so a folder
// artifact `k` is its files, stored as objects `k/<path>`, plus two marker objects:
//
//   k/.sealed-folder-pending       written FIRST, deleted LAST: while it exists the folder is
//                                  being written (or a write failed) and the store shows none
//                                  of it: stat() says absent, list() leaves its files out;
//   k/.sealed-folder-listing.json  written after every file: the folder's file list with each
//                                  file's sha256 and size. stat() of a folder is read from it.
//
// So a reader sees a folder only when it is complete. Writing over an existing folder hides it
// at once (pending marker), removes the old files, uploads the new ones and shows the new folder
// when its listing is in place: readers see the old folder, no folder, or the new one, never a
// mix. A write that fails part-way leaves no folder (the old one is gone too) rather than a
// partial one; putting it again repairs it. Each marker write is a single PUT, atomic on S3 and
// Azure. The listing is metadata, not proof: stat({ verify: true }) and checkout() hash the bytes.
import { PipelineError, sha256 } from '../../core/index.ts';
import { SHA256_HEX } from './objectBackend.ts';
import { FOLDER_LISTING_NAME, FOLDER_PENDING_NAME, keyProblem } from './storeKey.ts';

export { FOLDER_LISTING_NAME, FOLDER_PENDING_NAME };

export interface FolderEntry {
  /** Relative POSIX path inside the folder. */
  path: string;
  sha256: string;
  size: number;
}

/** At most this many files in one folder output (the listing is read whole). */
export const MAX_FOLDER_FILES = 100_000;
/** A listing object larger than this is refused before it is read. */
export const MAX_LISTING_BYTES = 32 * 1024 * 1024;

/** The folder digest every store reports: sha256 of the sorted "path\0sha256\n" lines (as LocalArtifactStore). */
export function folderDigest(entries: readonly FolderEntry[]): string {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return sha256(sorted.map((e) => `${e.path}\0${e.sha256}\n`).join(''));
}

export function encodeListing(entries: readonly FolderEntry[]): Buffer {
  const files = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return Buffer.from(JSON.stringify({ version: 1, files }) + '\n');
}

/** The entries of a listing object, each field checked: it is read from the store, not trusted. */
export function parseListing(bytes: Buffer, target: string): FolderEntry[] {
  const bad = (reason: string): PipelineError => new PipelineError('store.badListing', { target, reason });
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw bad('not JSON');
  }
  const d = doc as { version?: unknown; files?: unknown };
  if (typeof doc !== 'object' || doc === null || d.version !== 1) throw bad('not a version 1 listing');
  if (!Array.isArray(d.files)) throw bad("'files' is not a list");
  if (d.files.length > MAX_FOLDER_FILES) throw bad(`more than ${MAX_FOLDER_FILES} files`);
  const seen = new Set<string>();
  return d.files.map((f: unknown, i: number) => {
    const e = f as Partial<FolderEntry>;
    if (typeof e !== 'object' || e === null || typeof e.path !== 'string' || keyProblem(e.path) !== undefined) throw bad(`file ${i} has no valid path`);
    if (seen.has(e.path)) throw bad(`file ${i} repeats a path`);
    seen.add(e.path);
    if (typeof e.sha256 !== 'string' || !SHA256_HEX.test(e.sha256)) throw bad(`file ${i} has no valid sha256`);
    if (typeof e.size !== 'number' || !Number.isSafeInteger(e.size) || e.size < 0) throw bad(`file ${i} has no valid size`);
    return { path: e.path, sha256: e.sha256, size: e.size };
  });
}

/** Whether any segment of a key names a folder marker (such objects are never artifacts). */
export function isMarkerKey(key: string): boolean {
  return key.split('/').some((s) => s === FOLDER_LISTING_NAME || s === FOLDER_PENDING_NAME);
}
