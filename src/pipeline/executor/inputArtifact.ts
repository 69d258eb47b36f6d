// The InputArtifact handed to a component: a ByteSource read through the run's codec, so a
// sealed input is decrypted, and its identity and digests checked, as the component reads it.
import type { ArtifactTypeName, JsonValue } from '../ir/index.ts';
import type { InputArtifact } from '../dsl/index.ts';
import type { ArtifactCodec, CodecRead } from './artifactCodec.ts';

export interface InputState {
  key: string;
  name: string;
  type: ArtifactTypeName;
  uri: string;
  path: string;
  metadata: Record<string, JsonValue>;
  producer?: { task: string; artifact: string };
}

export function buildInputArtifact(component: string, state: InputState, codec: ArtifactCodec): InputArtifact {
  const read: CodecRead = { path: state.path, label: state.path, declaredType: state.type, metadata: state.metadata, ...(state.producer ? { producer: state.producer } : {}) };
  const sizeHint = codec.sizeHint(read);
  return Object.freeze({
    name: state.name,
    type: state.type,
    uri: state.uri,
    path: state.path,
    label: read.label,
    ...(sizeHint !== undefined ? { sizeHint } : {}),
    open: () => codec.open(read),
    metadata: Object.freeze({ ...state.metadata }),
  });
}
