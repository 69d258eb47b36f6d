// Artifact storage: the interface and its local-file-system implementation.
export type { ArtifactStore, StoredObject, PutSource } from './artifactStore.ts';
export { LocalArtifactStore } from './localArtifactStore.ts';
