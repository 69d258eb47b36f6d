// Hashing bytes on their way through a stream, so an upload or download is checked without a
// second pass over the data.
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectStream } from './artifactStore.ts';

/** A pass-through that feeds every chunk into `hash` and counts the bytes. */
export class HashTap extends Transform {
  bytes = 0;

  constructor(readonly hash: Hash) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

/**
 * A pass-through for an upload whose sha256 and size are known beforehand: it holds back the
 * last chunk until the end and fails instead of sending it when the bytes differ (the file
 * changed after it was hashed). The server then receives fewer bytes than the Content-Length it
 * was promised and stores nothing, so no object appears with a digest that does not match it.
 */
export class VerifyingTap extends Transform {
  private readonly hash = createHash('sha256');
  private held: Buffer | undefined;
  private bytes = 0;

  constructor(
    private readonly expectedSha256: string,
    private readonly expectedSize: number,
    private readonly onMismatch: () => Error,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    const previous = this.held;
    this.held = chunk;
    done(null, previous);
  }

  override _flush(done: TransformCallback): void {
    if (this.bytes !== this.expectedSize || this.hash.digest('hex') !== this.expectedSha256) {
      done(this.onMismatch());
      return;
    }
    done(null, this.held);
  }
}

/** The sha256 and length of everything `stream` yields. */
export async function hashStream(stream: ObjectStream): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Streams `stream` into a new private file (0600, never an existing one); returns its sha256 and size. */
export async function streamToFile(stream: ObjectStream, path: string): Promise<{ sha256: string; size: number }> {
  const tap = new HashTap(createHash('sha256'));
  await pipeline(stream, tap, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  return { sha256: tap.hash.digest('hex'), size: tap.bytes };
}
