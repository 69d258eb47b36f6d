// One stored artifact of a finished run as a ByteSource, read through the run's codec: how the
// dashboard, `serve --run-dir`, `unseal` and `verify` read what a run wrote, plain or sealed.
import type { ByteSource } from '../../core/index.ts';
import type { ArtifactCodec } from '../executor/index.ts';
import type { JsonValue } from '../ir/index.ts';

export interface StoredArtifactOptions {
  /** Where the stored file is (the run folder's file for the record). */
  path: string;
  /** Names the artifact in errors; default the path. */
  label?: string;
  /** The stored bytes when the caller opens them itself (see CodecRead.stored). */
  stored?: () => AsyncIterable<Uint8Array>;
  /** Where the run lists it (task and output key): its seal record must name the same (see CodecRead.producer). */
  producer?: { task: string; artifact: string };
}

/** `record` is a run.json output record as written (OutputRecord) or as read back (StoredOutput). */
export function storedArtifactSource(record: { type: string; metadata?: Readonly<Record<string, unknown>> }, codec: ArtifactCodec, options: StoredArtifactOptions): ByteSource {
  const read = {
    path: options.path,
    label: options.label ?? options.path,
    declaredType: record.type,
    metadata: (record.metadata ?? {}) as Record<string, JsonValue>,
    ...(options.stored ? { stored: options.stored } : {}),
    ...(options.producer ? { producer: options.producer } : {}),
  };
  const sizeHint = codec.sizeHint(read);
  return { label: read.label, ...(sizeHint !== undefined ? { sizeHint } : {}), open: () => codec.open(read) };
}
