// Values that wire tasks together inside a pipeline definition. They are plain data so the
// compiler can read the graph without running anything.
import type { ArtifactTypeName, ParameterType } from '../ir/index.ts';

/** A pipeline run parameter, used as a task parameter value. */
export interface PipelineParamRef<V = unknown> {
  readonly kind: 'pipelineParam';
  readonly name: string;
  readonly type: ParameterType;
  /** Type-level only: carries the value type so TypeScript checks the wiring. */
  readonly __value?: V;
}

/** An output artifact of a task, used as another task's input. */
export interface OutputRef<T extends ArtifactTypeName = ArtifactTypeName> {
  readonly kind: 'taskOutput';
  readonly task: string;
  readonly output: string;
  readonly type: T;
}

/**
 * An artifact given to the whole run (KFP `root.inputDefinitions.artifacts`, bound to tasks as
 * `componentInputArtifact`), used as a task input. An optional one may be absent from a run.
 */
export interface PipelineInputRef<T extends ArtifactTypeName = ArtifactTypeName, O extends boolean = boolean> {
  readonly kind: 'pipelineInput';
  readonly name: string;
  readonly type: T;
  readonly optional: O;
}

export function isPipelineInputRef(value: unknown): value is PipelineInputRef {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'pipelineInput';
}

export function isPipelineParamRef(value: unknown): value is PipelineParamRef {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'pipelineParam';
}

export function isOutputRef(value: unknown): value is OutputRef {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'taskOutput';
}
