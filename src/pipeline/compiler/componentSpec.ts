// Builds `components.comp-<name>` (input and output definitions) from a component definition.
import { PipelineError } from '../../core/index.ts';
import { ARTIFACT_SCHEMA_VERSION, describeWithConstraint, type ArtifactSpec, type ParameterConstraint, type ArtifactTypeName, type ComponentSpec, type ParameterSpec } from '../ir/index.ts';
import type { AnyComponent, ParamSpec } from '../dsl/index.ts';
import type { KfpBackendProfile } from './kfpVersions.ts';

export const componentKey = (name: string): string => `comp-${name}`;
export const executorKey = (name: string): string => `exec-${name}`;

export function artifactSpec(type: ArtifactTypeName, optional = false): ArtifactSpec {
  const spec: ArtifactSpec = { artifactType: { schemaTitle: type, schemaVersion: ARTIFACT_SCHEMA_VERSION } };
  if (optional) spec.isOptional = true;
  return spec;
}

/**
 * A parameter's declaration, with its constraints where a KFP client or backend can check them:
 * enum values as `literals` for releases that parse them, and in the description for every release
 * (ir/parameterConstraints.ts), which is where `sealed submit` reads ranges from.
 */
export function parameterSpec(spec: ParamSpec, profile: KfpBackendProfile): ParameterSpec {
  const out: ParameterSpec = { parameterType: spec.type };
  if (spec.default !== undefined) {
    out.defaultValue = spec.default;
    out.isOptional = true;
  }
  const allowed = spec.type === 'STRING' ? spec.enum : undefined;
  const numeric = spec.type === 'NUMBER_INTEGER' || spec.type === 'NUMBER_DOUBLE' ? spec : undefined;
  const description = describeOrThrow(spec.description, {
    allowed,
    min: numeric?.min,
    max: numeric?.max,
    exclusiveMin: numeric?.exclusiveMin,
    exclusiveMax: numeric?.exclusiveMax,
  });
  if (description !== undefined) out.description = description;
  if (allowed && profile.literals) out.literals = [...allowed];
  return out;
}

function describeOrThrow(description: string | undefined, c: ParameterConstraint): string | undefined {
  try {
    return describeWithConstraint(description, c);
  } catch (e) {
    throw new PipelineError('pipeline.badSpec', { reason: (e as Error).message });
  }
}

export function buildComponentSpec(component: AnyComponent, profile: KfpBackendProfile): ComponentSpec {
  const spec: ComponentSpec = { executorLabel: executorKey(component.name) };
  const params = mapValues(component.parameters as Record<string, ParamSpec>, (p) => parameterSpec(p, profile));
  const inputs = mapValues(component.inputs as Record<string, { type: ArtifactTypeName; optional: boolean }>, (s) => artifactSpec(s.type, s.optional));
  const outputs = mapValues(component.outputs as Record<string, { type: ArtifactTypeName }>, (s) => artifactSpec(s.type));
  if (params || inputs) spec.inputDefinitions = { ...(inputs ? { artifacts: inputs } : {}), ...(params ? { parameters: params } : {}) };
  if (outputs) spec.outputDefinitions = { artifacts: outputs };
  return spec;
}

/** Maps an object's values; undefined for an empty object so empty sections are omitted. */
export function mapValues<A, B>(obj: Record<string, A>, f: (a: A, key: string) => B): Record<string, B> | undefined {
  const keys = Object.keys(obj);
  if (keys.length === 0) return undefined;
  return Object.fromEntries(keys.map((k) => [k, f(obj[k], k)]));
}
