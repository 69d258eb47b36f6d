// KFP's built-in artifact types (schemaTitle values). Only these are understood by the
// Kubeflow UI; Metrics and ClassificationMetrics are drawn from their metadata.
export const ARTIFACT_TYPES = [
  'system.Artifact',
  'system.Dataset',
  'system.Model',
  'system.Metrics',
  'system.ClassificationMetrics',
  'system.HTML',
  'system.Markdown',
] as const;

export type ArtifactTypeName = (typeof ARTIFACT_TYPES)[number];

export const ARTIFACT_SCHEMA_VERSION = '0.0.1';

export function isArtifactTypeName(value: unknown): value is ArtifactTypeName {
  return typeof value === 'string' && (ARTIFACT_TYPES as readonly string[]).includes(value);
}

/** KFP accepts any artifact where a generic `system.Artifact` is expected. */
export function artifactTypesCompatible(produced: ArtifactTypeName, expected: ArtifactTypeName): boolean {
  return produced === expected || expected === 'system.Artifact';
}
