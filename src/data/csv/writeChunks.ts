// Writes a sequence of text or byte chunks to a file atomically (temporary name, then rename).
// Each chunk is written before the next is requested, so a producer may reuse its buffer.
import { promises as fsp } from 'node:fs';
import { IoError, UsageError } from '../../core/errors.ts';
import { withAtomicFile } from '../../core/fs/index.ts';

export async function writeChunksAtomic(path: string, chunks: Iterable<string | Uint8Array>): Promise<void> {
  await withAtomicFile(path, async (tmp) => {
    let fh: fsp.FileHandle | undefined;
    try {
      fh = await fsp.open(tmp, 'w', 0o644);
      for (const chunk of chunks) {
        if (typeof chunk === 'string') await fh.write(chunk);
        else await fh.write(chunk);
      }
      await fh.close();
      fh = undefined;
    } catch (e) {
      await fh?.close().catch(() => undefined);
      if (e instanceof IoError || e instanceof UsageError) throw e;
      throw new IoError('io.writeFailed', { path, reason: (e as Error).message }, { cause: e });
    }
  });
}
