// Sealing and unsealing files. Output goes to a temporary name beside the target and is
// renamed only when complete (core/fs withAtomicFile), so a failed unseal leaves no plaintext
// behind: the temporary file is deleted as soon as any segment fails.
import { closeSync, createReadStream, createWriteStream, openSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { IoError, isSealedError, withAtomicFile } from '../core/index.ts';
import { SEAL_MAGIC, createSealStream, createUnsealStream, type SealOptions, type UnsealOptions } from './envelope.ts';

async function checkInput(path: string): Promise<void> {
  let s;
  try {
    s = await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new IoError('io.notFound', { path });
    throw new IoError('io.readFailed', { path, reason: (e as Error).message }, { cause: e });
  }
  if (!s.isFile()) throw new IoError('io.notAFile', { path });
}

async function transformFile(input: string, output: string, transform: () => NodeJS.ReadWriteStream, mode: number): Promise<void> {
  await checkInput(input);
  try {
    await withAtomicFile(output, (tmp) => pipeline(createReadStream(input), transform(), createWriteStream(tmp, { flags: 'wx', mode })), { mode });
  } catch (e) {
    if (isSealedError(e)) throw e;
    throw new IoError('io.writeFailed', { path: output, reason: (e as Error).message }, { cause: e });
  }
}

/** Seals `plainPath` into `sealedPath` (written atomically). */
export async function sealFile(plainPath: string, sealedPath: string, options: SealOptions): Promise<void> {
  await transformFile(plainPath, sealedPath, () => createSealStream(options), 0o644);
}

/**
 * Unseals `sealedPath` into `plainPath` (mode 0600, written atomically). On any failure
 * neither `plainPath` nor its temporary file exists afterwards (an existing `plainPath` is left as it was).
 */
export async function unsealFile(sealedPath: string, plainPath: string, options: UnsealOptions): Promise<void> {
  await transformFile(sealedPath, plainPath, () => createUnsealStream({ label: `sealed file ${sealedPath}`, ...options }), 0o600);
}

/** True when the bytes, or the file's first bytes, start with the sealed-artifact magic. */
export function isSealed(pathOrBytes: string | Uint8Array): boolean {
  let head: Uint8Array;
  if (typeof pathOrBytes === 'string') {
    const buf = Buffer.alloc(SEAL_MAGIC.length);
    let fd: number;
    try {
      fd = openSync(pathOrBytes, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new IoError('io.notFound', { path: pathOrBytes });
      throw new IoError('io.readFailed', { path: pathOrBytes, reason: (e as Error).message }, { cause: e });
    }
    try {
      head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
    } finally {
      closeSync(fd);
    }
  } else head = pathOrBytes;
  return head.length >= SEAL_MAGIC.length && SEAL_MAGIC.equals(Buffer.from(head.buffer, head.byteOffset, SEAL_MAGIC.length));
}
