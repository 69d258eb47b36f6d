// Unpacks the .tar.gz the KFP UI sends for a folder artifact (frontend/server/handlers/
// artifacts.ts@2.17.0, streamDirectoryAsTarGz: tar-stream pack -> gzip, one regular-file entry
// per object under the prefix, names relative to it) into a directory, streaming. The tar format
// is tar-stream's business (the same library the UI packs with); what is ours is what the archive
// may do here, since it comes from a server: only plain files and directories are created (no
// links or devices), every name is checked to stay inside the directory, an existing file is never
// replaced, and the unpacked size is capped (a small gzip can expand enormously).
import { open, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { DataError, UsageError } from '../../core/errors.ts';
import { printable } from '../../core/terminalText.ts';

export interface Budget {
  /** Bytes that may still be written. */
  left: number;
  limit: number;
  /** What the bytes belong to, for the limit message. */
  name: string;
}

/** Unpacks gzip'd tar `chunks` into the existing, empty directory `root`; returns the bytes written. */
export async function extractTarGz(chunks: AsyncIterable<Uint8Array>, root: string, budget: Budget, name: string): Promise<number> {
  const gunzip = createGunzip();
  const entries = tarExtract();
  let failure: Error | undefined;
  pipeline(Readable.from(chunks), gunzip, entries, (e) => {
    if (e) failure ??= e;
  });
  let written = 0;
  try {
    for await (const entry of entries) {
      const { header } = entry;
      const parts = entryParts(header.name, name);
      if (header.type === 'directory') {
        if (parts.length > 0) await mkdir(join(root, ...parts), { recursive: true });
        entry.resume();
        continue;
      }
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        throw new DataError('kfp.unsafeArtifactName', { name: JSON.stringify(printable(header.name)), reason: `a folder archive entry of type '${printable(String(header.type))}' (only files and folders are unpacked)` });
      }
      if (parts.length === 0) throw new DataError('kfp.unsafeArtifactName', { name: JSON.stringify(printable(header.name)), reason: 'an empty file name in the folder archive' });
      const size = header.size ?? 0;
      if (size > budget.left) throw new UsageError('kfp.artifactsTooLarge', { limit: budget.limit, name: budget.name });
      await mkdir(join(root, ...parts.slice(0, -1)), { recursive: true });
      const file = await open(join(root, ...parts), 'wx');
      try {
        for await (const chunk of entry) await file.write(chunk as Buffer);
      } finally {
        await file.close();
      }
      budget.left -= size;
      written += size;
    }
  } catch (e) {
    throw gzipProblem(e, name) ?? e;
  } finally {
    gunzip.destroy();
    entries.destroy();
  }
  if (failure) throw gzipProblem(failure, name) ?? bad(name, `the folder archive is damaged (${failure.message})`);
  return written;
}

const bad = (name: string, reason: string): DataError => new DataError('kfp.artifactCutShort', { name, reason });

function gzipProblem(e: unknown, name: string): DataError | undefined {
  if ((e as { code?: string }).code?.startsWith('Z_') === true) return bad(name, `not a valid gzip stream (${(e as Error).message})`);
  if (e instanceof Error && /unexpected end of data|invalid tar header|Invalid tar header/i.test(e.message)) return bad(name, 'the folder archive ends early');
  return undefined;
}

// A name from the archive as path segments under the root: relative, no `.`/`..`, no
// backslashes, drive letters or control characters.
function entryParts(raw: string, name: string): string[] {
  const refuse = (reason: string): DataError => new DataError('kfp.unsafeArtifactName', { name: JSON.stringify(printable(raw)), reason: `${reason} (in the folder archive of ${name})` });
  if (raw.startsWith('/')) throw refuse('an absolute path');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f-\x9f]/.test(raw)) throw refuse('it holds control characters');
  if (raw.includes('\\')) throw refuse('it holds a backslash');
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  for (const p of parts) {
    if (p === '..') throw refuse('it leads out of the folder');
    if (/^[A-Za-z]:/.test(p) || p.startsWith('~')) throw refuse('it looks like a home or drive path');
    if (Buffer.byteLength(p) > 255) throw refuse('a segment longer than 255 bytes');
  }
  if (parts.length > 64) throw refuse('nested more than 64 levels');
  return parts;
}
