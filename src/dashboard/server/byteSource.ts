// Random access to a file's bytes: the CSV preview reads only the byte ranges it needs through
// this, and tests count what it reads.
import type { FileHandle } from 'node:fs/promises';

export interface ByteSource {
  readonly size: number;
  /** Reads up to `buffer.length` bytes at `position`; resolves to how many were read (0 at the end). */
  read(buffer: Uint8Array, position: number): Promise<number>;
}

export function fileByteSource(handle: FileHandle, size: number): ByteSource {
  return {
    size,
    read: async (buffer, position) => (await handle.read(buffer, 0, buffer.length, position)).bytesRead,
  };
}
