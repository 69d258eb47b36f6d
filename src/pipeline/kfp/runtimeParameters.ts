// `--param key=value` strings to the run's `runtime_config.parameters`. KFP rejects a parameter it
// does not know and a value whose JSON type differs from the declared one, so both are checked
// here first, against the compiled pipeline's `root.inputDefinitions.parameters`, before any
// request is sent — and so are the constraints the executor would enforce once the run is under
// way: allowed values (KFP `literals`, and the description tag) and ranges (the description tag).
import { UsageError } from '../../core/errors.ts';
import { nearestName } from '../../core/nearestName.ts';
import { excerpt } from '../../core/excerpt.ts';
import { constraintOf, constraintProblem } from '../ir/index.ts';
import type { RootParameter, RuntimeParameterType } from './compiledPipelineFile.ts';

export type RuntimeValue = string | number | boolean | unknown[] | { [key: string]: unknown };

const EXPECTED: Record<RuntimeParameterType, string> = {
  STRING: 'a string',
  NUMBER_INTEGER: 'a whole number (NUMBER_INTEGER)',
  NUMBER_DOUBLE: 'a finite number (NUMBER_DOUBLE)',
  BOOLEAN: 'true or false (BOOLEAN)',
  LIST: 'a JSON array (LIST)',
  STRUCT: 'a JSON object (STRUCT)',
};

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseRuntimeParameters(pipeline: string, assignments: readonly string[], declared: Readonly<Record<string, RootParameter>>): Record<string, RuntimeValue> {
  const known = Object.keys(declared);
  const values: Record<string, RuntimeValue> = {};
  for (const text of assignments) {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new UsageError('kfp.badParamAssignment', { text });
    const name = text.slice(0, eq);
    const raw = text.slice(eq + 1);
    if (!Object.hasOwn(declared, name)) throw new UsageError('kfp.unknownParam', { pipeline, name, suggestion: nearestName(name, known), known });
    if (Object.hasOwn(values, name)) throw new UsageError('kfp.duplicateParam', { name });
    const value = convert(name, raw, declared[name].parameterType);
    checkConstraints(name, raw, value, declared[name]);
    values[name] = value;
  }
  for (const [name, spec] of Object.entries(declared)) {
    if (!Object.hasOwn(values, name) && spec.defaultValue === undefined && spec.isOptional !== true) {
      throw new UsageError('kfp.paramMissing', { pipeline, name, type: spec.parameterType });
    }
  }
  return values;
}

function convert(name: string, raw: string, type: RuntimeParameterType): RuntimeValue {
  const wrong = (): UsageError => new UsageError('kfp.paramType', { name, value: excerpt(raw, 40), expected: EXPECTED[type] });
  switch (type) {
    case 'STRING':
      return raw;
    case 'NUMBER_INTEGER': {
      const n = Number(raw);
      if (!INTEGER.test(raw) || !Number.isSafeInteger(n)) throw wrong();
      return n;
    }
    case 'NUMBER_DOUBLE': {
      const n = Number(raw);
      if (!DECIMAL.test(raw) || !Number.isFinite(n)) throw wrong();
      return n;
    }
    case 'BOOLEAN':
      if (raw !== 'true' && raw !== 'false') throw wrong();
      return raw === 'true';
    case 'LIST': {
      const v = parseJson(raw);
      if (!Array.isArray(v)) throw wrong();
      return v;
    }
    case 'STRUCT': {
      const v = parseJson(raw);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw wrong();
      return v as { [key: string]: unknown };
    }
  }
}

function checkConstraints(name: string, raw: string, value: RuntimeValue, spec: RootParameter): void {
  const literals = spec.literals;
  if (literals && literals.length > 0 && !literals.some((l) => l === value)) {
    throw new UsageError('kfp.paramConstraint', { name, value: excerpt(raw, 40), reason: `must be one of ${literals.map(String).join(', ')}` });
  }
  const constraint = constraintOf(spec.description);
  const problem = constraint ? constraintProblem(value, constraint) : undefined;
  if (problem) throw new UsageError('kfp.paramConstraint', { name, value: excerpt(raw, 40), reason: problem });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

