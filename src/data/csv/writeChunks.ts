// Writes a sequence of text or byte chunks to a file atomically (temporary name, then rename),
// or to any ByteSink (e.g. a sealed artifact, which encrypts as it goes).
// Each chunk is written before the next is requested, so a producer may reuse its buffer.
import { toByteSink, type ByteChunks, type ByteSink } from '../../core/fs/byteIo.ts';

export async function writeChunksAtomic(to: string | ByteSink, chunks: ByteChunks): Promise<void> {
  await toByteSink(to).write(chunks);
}
