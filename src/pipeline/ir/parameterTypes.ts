// Parameter types of the IR and the one check of a JSON value against them, shared by the
// DSL (component boundary), the compiler (constants) and the local runner (run parameters).
import type { ParameterValue } from './types.ts';

/** Every parameter type of KFP's IR (pipeline_spec.proto): files from other compilers may use any. */
export const KFP_PARAMETER_TYPES = ['STRING', 'NUMBER_INTEGER', 'NUMBER_DOUBLE', 'BOOLEAN', 'LIST', 'STRUCT'] as const;
export type KfpParameterType = (typeof KFP_PARAMETER_TYPES)[number];

/** The ones our DSL declares and the compiler emits. */
export const PARAMETER_TYPES = ['STRING', 'NUMBER_INTEGER', 'NUMBER_DOUBLE', 'BOOLEAN'] as const satisfies readonly KfpParameterType[];
export type ParameterType = (typeof PARAMETER_TYPES)[number];

const DESCRIPTIONS: Record<ParameterType, string> = {
  STRING: 'a string',
  NUMBER_INTEGER: 'an integer',
  NUMBER_DOUBLE: 'a finite number',
  BOOLEAN: 'a boolean',
};

export function describeParameterType(type: ParameterType): string {
  return DESCRIPTIONS[type];
}

export function matchesParameterType(type: ParameterType, value: unknown): value is ParameterValue {
  switch (type) {
    case 'STRING':
      return typeof value === 'string';
    case 'NUMBER_INTEGER':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'NUMBER_DOUBLE':
      return typeof value === 'number' && Number.isFinite(value);
    case 'BOOLEAN':
      return typeof value === 'boolean';
  }
}

/** Whether a value of type `from` may feed a parameter of type `to` (integers widen to doubles). */
export function parameterTypesCompatible(from: ParameterType, to: ParameterType): boolean {
  return from === to || (from === 'NUMBER_INTEGER' && to === 'NUMBER_DOUBLE');
}

/** Short rendering of an offending value for messages: `'abc'`, `1.5`, `null`, `an object`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? value.slice(0, 40) + '…' : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
