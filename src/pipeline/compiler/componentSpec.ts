// Builds `components.comp-<name>` (input and output definitions) from a component definition.
import { ARTIFACT_SCHEMA_VERSION, type ArtifactSpec, type ArtifactTypeName, type ComponentSpec, type ParameterSpec } from '../ir/index.ts';
import type { AnyComponent, ParamSpec } from '../dsl/index.ts';

export const componentKey = (name: string): string => `comp-${name}`;
export const executorKey = (name: string): string => `exec-${name}`;

export function artifactSpec(type: ArtifactTypeName, optional = false): ArtifactSpec {
  const spec: ArtifactSpec = { artifactType: { schemaTitle: type, schemaVersion: ARTIFACT_SCHEMA_VERSION } };
  if (optional) spec.isOptional = true;
  return spec;
}

export function parameterSpec(spec: ParamSpec): ParameterSpec {
  const out: ParameterSpec = { parameterType: spec.type };
  if (spec.default !== undefined) {
    out.defaultValue = spec.default;
    out.isOptional = true;
  }
  return out;
}

export function buildComponentSpec(component: AnyComponent): ComponentSpec {
  const spec: ComponentSpec = { executorLabel: executorKey(component.name) };
  const params = mapValues(component.parameters as Record<string, ParamSpec>, parameterSpec);
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
