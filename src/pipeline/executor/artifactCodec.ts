// How the executor turns an artifact file into a component's bytes and back. The plain codec is
// the file itself; a sealing codec (src/seal/artifactCodec.ts, wired in by the CLI, the KFP
// executor, the dashboard and `serve`) encrypts on write and decrypts and checks on read, so a
// component never sees whether its run is sealed and no plaintext of a sealed run reaches disk.
import { statSync } from 'node:fs';
import { fileSink, fileSource, type ByteChunks } from '../../core/index.ts';
import type { JsonValue } from '../ir/index.ts';

/** Who made an artifact: bound into a sealed artifact so it cannot be passed off as another. */
export interface ArtifactIdentity {
  runId: string;
  task: string;
  /** The producing task's output key (or the run input's name). */
  artifact: string;
  /** Declared KFP type, e.g. system.Dataset. */
  type: string;
}

export interface CodecRead {
  path: string;
  /** Names the artifact in errors. */
  label: string;
  /** The type the reading component declares. */
  declaredType: string;
  /** The artifact's metadata as recorded by its producer (run.json locally, MLMD on Kubeflow). */
  metadata: Readonly<Record<string, JsonValue>>;
  /** Who must have produced it (task, output key), when the reader knows its pipeline's DAG. */
  producer?: { task: string; artifact: string };
  /**
   * The stored bytes, when the caller opens them itself (the dashboard through a descriptor that
   * did not follow links, a remote store's stream). Default: the file at `path`.
   */
  stored?: () => AsyncIterable<Uint8Array>;
}

export interface CodecWrite {
  path: string;
  label: string;
  identity: ArtifactIdentity;
}

export interface ArtifactCodec {
  /** True when artifacts are sealed: outputs must be written through the artifact handle. */
  readonly sealed: boolean;
  /** The content's size or an estimate, for readers that size buffers (undefined: unknown). */
  sizeHint(read: CodecRead): number | undefined;
  /** The plaintext, in chunks. A sealing codec checks identity and digests and fails on any mismatch. */
  open(read: CodecRead): AsyncIterable<Uint8Array>;
  /** Writes the whole content atomically; returns metadata to record with the output (may be empty). */
  write(write: CodecWrite, chunks: ByteChunks): Promise<Record<string, JsonValue>>;
  /**
   * Called for each output after the component returned. `wroteThroughHandle` is false when the
   * component wrote the file at `path` itself; a sealing codec refuses that (it would be plaintext).
   */
  finishOutput(write: CodecWrite, wroteThroughHandle: boolean): Promise<void>;
}

/** Artifacts as plain files: what runs without --seal get. */
export const plainCodec: ArtifactCodec = Object.freeze({
  sealed: false,
  sizeHint: (read: CodecRead) => {
    try {
      return statSync(read.path).size;
    } catch {
      return undefined;
    }
  },
  open: (read: CodecRead) => (read.stored ? read.stored() : fileSource(read.path).open()),
  write: async (write: CodecWrite, chunks: ByteChunks) => {
    await fileSink(write.path).write(chunks);
    return {};
  },
  finishOutput: async () => undefined,
});
