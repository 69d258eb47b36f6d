// Artifact input and output declarations. Types are KFP's system.* schema titles; the compiler
// and TypeScript both refuse to connect an output to an input of a different type
// (system.Artifact inputs accept anything).
import { PipelineError } from '../../core/index.ts';
import { isArtifactTypeName, type ArtifactTypeName } from '../ir/index.ts';

export interface ArtifactInputSpec<T extends ArtifactTypeName = ArtifactTypeName, O extends boolean = boolean> {
  readonly kind: 'artifactInput';
  readonly type: T;
  /** An optional input may be left unconnected; `ctx.inputs.<key>` is then undefined. */
  readonly optional: O;
  readonly description?: string;
}

export interface ArtifactOutputSpec<T extends ArtifactTypeName = ArtifactTypeName> {
  readonly kind: 'artifactOutput';
  readonly type: T;
  /** File extension of the local copy: the runner stores output `y` of task `t` as `<runDir>/t/y<extension>`. */
  readonly extension: string;
  /**
   * A string parameter of the component whose value, when the task sets it, replaces the
   * extension (`'parquet'` -> `.parquet`): a run-wide file format (`artifact_format`) names the
   * local copies after what they hold.
   */
  readonly extensionParameter?: string;
  readonly description?: string;
}

/** The extension of an output's local copy for a task with these parameter values. */
export function outputExtension(spec: { extension: string; extensionParameter?: string }, parameters: Readonly<Record<string, unknown>>): string {
  const chosen = spec.extensionParameter === undefined ? undefined : parameters[spec.extensionParameter];
  return typeof chosen === 'string' && /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(chosen) ? `.${chosen}` : spec.extension;
}

export type ArtifactInputSpecs = Record<string, ArtifactInputSpec>;
export type ArtifactOutputSpecs = Record<string, ArtifactOutputSpec>;

// Overloads, not a generic flag: a generic would be widened to `boolean` by the contextual
// type inside defineComponent, and every input would look required.
export function artifactInput<T extends ArtifactTypeName>(type: T, options: { optional: true; description?: string }): ArtifactInputSpec<T, true>;
export function artifactInput<T extends ArtifactTypeName>(type: T, options?: { optional?: false; description?: string }): ArtifactInputSpec<T, false>;
export function artifactInput<T extends ArtifactTypeName>(type: T, options: { optional?: boolean; description?: string } = {}): ArtifactInputSpec<T> {
  checkType(type);
  const spec = { kind: 'artifactInput', type, optional: options.optional ?? false } as const;
  return options.description === undefined ? spec : { ...spec, description: options.description };
}

/**
 * An output artifact, e.g. `artifactOutput('system.Dataset', { extension: '.csv' })`. The
 * extension only names the local copy; on KFP the artifact lives at the URI KFP chooses.
 */
export function artifactOutput<T extends ArtifactTypeName>(
  type: T,
  options: { extension?: string; extensionParameter?: string; description?: string } = {},
): ArtifactOutputSpec<T> {
  checkType(type);
  const extension = options.extension ?? '';
  if (extension !== '' && !/^\.[A-Za-z0-9][A-Za-z0-9._-]*$/.test(extension)) {
    throw new PipelineError('pipeline.badName', { what: 'artifact extension', name: extension, rule: "must look like '.csv'" });
  }
  const spec = {
    kind: 'artifactOutput',
    type,
    extension,
    ...(options.extensionParameter !== undefined ? { extensionParameter: options.extensionParameter } : {}),
  } as const;
  return options.description === undefined ? spec : { ...spec, description: options.description };
}

function checkType(type: string): void {
  if (!isArtifactTypeName(type)) {
    throw new PipelineError('pipeline.badName', { what: 'artifact type', name: type, rule: 'must be a KFP system.* type such as system.Dataset' });
  }
}
