// The OutputArtifact handed to a component: a path to write and metadata validated on set.
import { PipelineError } from '../../core/index.ts';
import type { ArtifactTypeName, JsonValue } from '../ir/index.ts';
import { metadataProblem, type OutputArtifact } from '../dsl/index.ts';

export interface OutputState {
  key: string;
  name: string;
  type: ArtifactTypeName;
  uri: string;
  path: string;
  metadata: Record<string, JsonValue>;
}

export function buildOutputArtifact(component: string, state: OutputState): OutputArtifact {
  return Object.freeze({
    name: state.name,
    type: state.type,
    uri: state.uri,
    path: state.path,
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
