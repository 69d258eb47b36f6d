// The plain codec, hashing each output while it is written: the digest is recorded for the
// written file (core fileDigests), so the store that moves the output into the run folder and
// the memo check of the step that reads it next take it instead of reading the file again
// (issue 17: each artifact hashed once). Only the plain codec is wrapped: it writes the chunks
// it is given verbatim to `path`, so their digest is the file's. A sealing codec writes
// ciphertext; its outputs are hashed by the store as before. Reads are the plain codec's, marked
// as the file's own bytes when they are (markFileBytes), for the memo check.
import { hashingChunks, markFileBytes, recordFileDigest } from '../../core/index.ts';
import { plainCodec, type ArtifactCodec } from '../executor/index.ts';

export const digestRecordingPlainCodec: ArtifactCodec = Object.freeze({
  ...plainCodec,
  open: (read) => (read.stored ? plainCodec.open(read) : markFileBytes(plainCodec.open(read), read.path)),
  write: async (write, chunks) => {
    const hashed = hashingChunks(chunks);
    const metadata = await plainCodec.write(write, hashed);
    const digest = hashed.digest();
    if (digest !== undefined) await recordFileDigest(write.path, digest);
    return metadata;
  },
} satisfies ArtifactCodec);

/** The codec a task's outputs are written with: `codec`, recording digests when it is the plain one. */
export function recordingCodec(codec: ArtifactCodec | undefined): ArtifactCodec {
  return codec === undefined || codec === plainCodec ? digestRecordingPlainCodec : codec;
}
