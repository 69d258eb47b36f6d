// The boundary check of one parameter value: type, then range or enum. Errors are UsageErrors
// (the caller supplied a bad value) naming the owner ("component 'split'") and the key.
import { UsageError } from '../../core/index.ts';
import { describeParameterType, describeValue, matchesParameterType, type ParameterValue } from '../ir/index.ts';
import type { NumberBounds, ParamSpec } from './params.ts';

export function validateParameter(owner: string, key: string, spec: ParamSpec, value: unknown): ParameterValue {
  if (value === undefined) {
    if (spec.default === undefined) throw new UsageError('pipeline.paramMissing', { owner, param: key });
    return spec.default;
  }
  if (!matchesParameterType(spec.type, value)) {
    throw new UsageError('pipeline.paramType', { owner, param: key, expected: describeParameterType(spec.type), got: describeValue(value) });
  }
  if (spec.type === 'NUMBER_INTEGER' || spec.type === 'NUMBER_DOUBLE') {
    const bound = violatedBound(spec, value as number);
    if (bound) throw new UsageError('pipeline.paramRange', { owner, param: key, bound, got: String(value) });
  }
  if (spec.type === 'STRING' && spec.enum && !spec.enum.includes(value as string)) {
    throw new UsageError('pipeline.paramEnum', { owner, param: key, allowed: spec.enum, got: describeValue(value) });
  }
  return value;
}

/** Validates a whole set of values: unknown keys, then each declared key (applying defaults). */
export function validateParameters(owner: string, specs: Record<string, ParamSpec>, values: Record<string, unknown>): Record<string, ParameterValue> {
  const known = Object.keys(specs);
  for (const key of Object.keys(values)) {
    if (!Object.hasOwn(specs, key)) throw new UsageError('pipeline.paramUnknown', { owner, param: key, known });
  }
  const out: Record<string, ParameterValue> = {};
  for (const key of known) out[key] = validateParameter(owner, key, specs[key], values[key]);
  return out;
}

function violatedBound(b: NumberBounds, v: number): string | undefined {
  if (b.min !== undefined && !(v >= b.min)) return `>= ${b.min}`;
  if (b.max !== undefined && !(v <= b.max)) return `<= ${b.max}`;
  if (b.exclusiveMin !== undefined && !(v > b.exclusiveMin)) return `> ${b.exclusiveMin}`;
  if (b.exclusiveMax !== undefined && !(v < b.exclusiveMax)) return `< ${b.exclusiveMax}`;
  return undefined;
}
