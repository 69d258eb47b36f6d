// Run parameters checked against root.inputDefinitions before anything runs: unknown names,
// missing required ones, JSON types. Ranges and enums are the components' to check.
import { UsageError } from '../../core/index.ts';
import { describeParameterType, describeValue, matchesParameterType, type ParameterValue, type PipelineSpec } from '../ir/index.ts';

export function resolveRunParameters(spec: PipelineSpec, given: Record<string, unknown>): Record<string, ParameterValue> {
  const owner = `pipeline '${spec.pipelineInfo.name}'`;
  const defs = spec.root.inputDefinitions?.parameters ?? {};
  for (const key of Object.keys(given)) {
    if (given[key] !== undefined && !Object.hasOwn(defs, key)) throw new UsageError('pipeline.paramUnknown', { owner, param: key, known: Object.keys(defs) });
  }
  const out: Record<string, ParameterValue> = {};
  for (const [key, def] of Object.entries(defs)) {
    const value = given[key] ?? def.defaultValue;
    if (value === undefined) throw new UsageError('pipeline.paramMissing', { owner, param: key });
    if (!matchesParameterType(def.parameterType, value)) {
      throw new UsageError('pipeline.paramType', { owner, param: key, expected: describeParameterType(def.parameterType), got: describeValue(value) });
    }
    out[key] = value;
  }
  return out;
}
