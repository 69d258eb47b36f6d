// Copies a local data file into place, with the same checks and result as a download.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import { DataError, IoError, isSealedError } from '../../core/errors.ts';
import { withAtomicFile } from '../../core/fs/atomicWrite.ts';

export interface Copied {
  bytes: number;
  sha256: string;
}

export async function copyLocal(path: string, destPath: string, maxBytes: number): Promise<Copied> {
  let size: number;
  try {
    const st = await fsp.stat(path);
    if (!st.isFile()) throw new IoError('io.notAFile', { path });
    size = st.size;
  } catch (e) {
    if (isSealedError(e)) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new IoError('io.notFound', { path });
    throw new IoError('io.readFailed', { path, reason: code ?? (e as Error).message }, { cause: e });
  }
  if (size === 0) throw new IoError('io.empty', { path });
  if (size > maxBytes) throw new DataError('source.tooLarge', { url: path, limit: maxBytes });

  const hash = createHash('sha256');
  let bytes = 0;
  await withAtomicFile(destPath, async (tmp) => {
    const out = await fsp.open(tmp, 'w', 0o644);
    try {
      for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
        const buf = chunk as Buffer;
        bytes += buf.length;
        if (bytes > maxBytes) throw new DataError('source.tooLarge', { url: path, limit: maxBytes });
        hash.update(buf);
        await out.write(buf);
      }
    } catch (e) {
      if (isSealedError(e)) throw e;
      const reason = (e as Error).message;
      if ((e as NodeJS.ErrnoException).syscall === 'write') throw new IoError('io.writeFailed', { path: destPath, reason }, { cause: e });
      throw new IoError('io.readFailed', { path, reason }, { cause: e });
    } finally {
      await out.close();
    }
  });
  return { bytes, sha256: hash.digest('hex') };
}
