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

export function isPipelineParamRef(value: unknown): value is PipelineParamRef {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'pipelineParam';
}

export function isOutputRef(value: unknown): value is OutputRef {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'taskOutput';
}
