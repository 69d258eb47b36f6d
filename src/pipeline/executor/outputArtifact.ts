// The OutputArtifact handed to a component: a ByteSink written through the run's codec (plain or
// sealed), its stored path, and metadata validated on set.
import { PipelineError, type ByteChunks } from '../../core/index.ts';
import type { ArtifactTypeName, JsonValue } from '../ir/index.ts';
import { metadataProblem, type OutputArtifact } from '../dsl/index.ts';
import type { ArtifactCodec, ArtifactIdentity } from './artifactCodec.ts';

export interface OutputState {
  key: string;
  name: string;
  type: ArtifactTypeName;
  uri: string;
  path: string;
  metadata: Record<string, JsonValue>;
  /** Set by the executor: who produces it (bound into a sealed artifact). */
  identity: ArtifactIdentity;
  /** Metadata the codec returned for the last write (e.g. the seal record); merged last. */
  codecMetadata?: Record<string, JsonValue>;
  /** True once the component wrote the artifact through the handle. */
  written?: boolean;
}

export function buildOutputArtifact(component: string, state: OutputState, codec: ArtifactCodec): OutputArtifact {
  const label = state.path;
  return Object.freeze({
    name: state.name,
    type: state.type,
    uri: state.uri,
    path: state.path,
    label,
    async write(chunks: ByteChunks) {
      state.codecMetadata = await codec.write({ path: state.path, label, identity: state.identity }, chunks);
      state.written = true;
    },
    get metadata() {
      return Object.freeze({ ...state.metadata });
    },
    setMetadata(metadata: Record<string, JsonValue>) {
      const problem = metadataProblem(metadata);
      if (problem || typeof metadata !== 'object' || Array.isArray(metadata)) {
        throw new PipelineError('pipeline.badMetadata', { component, output: state.key, reason: problem ?? 'must be an object' });
      }
      // Copy through JSON so later mutation by the component cannot change recorded metadata.
      Object.assign(state.metadata, JSON.parse(JSON.stringify(metadata)));
    },
  });
}
