// PipelineInfo: what a new run takes, read from the pipeline definition itself (types, defaults,
// enums, ranges), so the app's form and the server's validation cannot disagree. Exclusive
// bounds have no field in the contract; the server's validation still enforces them.
import type { ParameterInfo, PipelineInfo } from '../api/contract.ts';
import type { PipelineDefinition } from '../../pipeline/index.ts';

/** `sealed`: runs started from the dashboard are sealed (it was given keys). */
export function pipelineInfo(pipeline: PipelineDefinition, sealed = false): PipelineInfo {
  return {
    name: pipeline.name,
    description: pipeline.description,
    parameters: Object.entries(pipeline.parameters).map(([name, spec]): ParameterInfo => {
      const info: ParameterInfo = { name, type: spec.type };
      if (spec.default !== undefined) info.default = spec.default;
      if (spec.type === 'STRING' && spec.enum) info.enum = [...spec.enum];
      if (spec.type === 'NUMBER_INTEGER' || spec.type === 'NUMBER_DOUBLE') {
        if (spec.min !== undefined) info.min = spec.min;
        if (spec.max !== undefined) info.max = spec.max;
      }
      return info;
    }),
    tasks: pipeline.tasks.map((t) => t.name),
    sealed,
  };
}
