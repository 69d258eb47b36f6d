// Entries of a local run folder that are not regular files or folders: symbolic links, FIFOs,
// sockets, devices. The local store's stat() follows links (it would digest a file outside the
// run) and its list() leaves them out (they would never show as extra), so verifyRun asks this
// scan first and neither digests nor follows anything it names. Walked with readdir's file
// types, which describe the entry itself (lstat semantics): no link is ever followed.
import { promises as fsp, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { IoError } from '../../core/index.ts';

export interface UnsafeEntry {
  /** Store key (relative POSIX path). */
  name: string;
  /** 'a symbolic link', 'a FIFO', ... for the message. */
  kind: string;
}

function kindOf(entry: Dirent): string {
  if (entry.isSymbolicLink()) return 'a symbolic link';
  if (entry.isFIFO()) return 'a FIFO';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Every non-regular, non-folder entry below `root` (the root itself is the user's choice and may be a link), sorted. */
export async function findUnsafeEntries(root: string): Promise<UnsafeEntry[]> {
  const found: UnsafeEntry[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch (e) {
      throw new IoError('io.readFailed', { path: dir, reason: (e as Error).message }, { cause: e });
    }
    for (const entry of entries) {
      const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) await walk(join(dir, entry.name), name);
      else if (!entry.isFile()) found.push({ name, kind: kindOf(entry) });
    }
  };
  await walk(root, '');
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
