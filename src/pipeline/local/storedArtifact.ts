// One stored artifact of a finished run as a ByteSource, read through the run's codec: how the
// dashboard, `serve --run-dir`, `unseal` and `verify` read what a run wrote, plain or sealed.
import type { ByteSource } from '../../core/index.ts';
import type { ArtifactCodec } from '../executor/index.ts';
import type { JsonValue } from '../ir/index.ts';
import type { OutputRecord } from './manifest.ts';

export interface StoredArtifactOptions {
  /** Where the stored file is (the run folder's file for the record). */
  path: string;
  /** Names the artifact in errors; default the path. */
  label?: string;
  /** The stored bytes when the caller opens them itself (see CodecRead.stored). */
  stored?: () => AsyncIterable<Uint8Array>;
}

export function storedArtifactSource(record: Pick<OutputRecord, 'type' | 'metadata'>, codec: ArtifactCodec, options: StoredArtifactOptions): ByteSource {
  const read = {
    path: options.path,
    label: options.label ?? options.path,
    declaredType: record.type,
    metadata: (record.metadata ?? {}) as Record<string, JsonValue>,
    ...(options.stored ? { stored: options.stored } : {}),
  };
  const sizeHint = codec.sizeHint(read);
  return { label: read.label, ...(sizeHint !== undefined ? { sizeHint } : {}), open: () => codec.open(read) };
}
