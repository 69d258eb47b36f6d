// Parses `--<key>=<value>` / `--<key> <value>` for `sealed component`: every input, output and
// parameter of the component is an option named by its key. Values of parameters are typed by
// the parameter's declaration; inputs and outputs are paths.
import { UsageError } from '../core/index.ts';
import type { AnyComponent, ParamSpec, ParameterValue } from '../pipeline/index.ts';
import { parseBoolean, parseInteger, parseNumber } from './parseOptions.ts';

export interface ComponentArgs {
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  parameters: Record<string, ParameterValue>;
}

export function componentOptionNames(c: AnyComponent): string[] {
  return [...Object.keys(c.inputs), ...Object.keys(c.outputs), ...Object.keys(c.parameters)].map((k) => `--${k}`);
}

export function parseComponentArgs(component: AnyComponent, tokens: readonly string[]): ComponentArgs {
  const command = `component '${component.name}'`;
  const params = component.parameters as Record<string, ParamSpec>;
  const result: ComponentArgs = { inputs: {}, outputs: {}, parameters: {} };
  const seen = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const m = /^--([^=]+)(?:=(.*))?$/s.exec(token);
    if (!m) throw new UsageError('cli.usage', { reason: `unexpected argument '${token}' for ${command}; name every value, e.g. --key=value` });
    const key = m[1];
    if (!Object.hasOwn(component.inputs, key) && !Object.hasOwn(component.outputs, key) && !Object.hasOwn(params, key)) {
      throw new UsageError('cli.unknownOption', { option: `--${key}`, command, known: componentOptionNames(component) });
    }
    if (seen.has(key)) throw new UsageError('cli.usage', { reason: `option --${key} is given twice` });
    seen.add(key);
    let value = m[2];
    if (value === undefined) {
      const next = tokens[i + 1];
      if (next !== undefined && !next.startsWith('--')) value = tokens[++i];
      else if (params[key]?.type === 'BOOLEAN') value = 'true';
      else throw new UsageError('cli.usage', { reason: `option --${key} needs a value` });
    }
    if (Object.hasOwn(component.inputs, key)) result.inputs[key] = value;
    else if (Object.hasOwn(component.outputs, key)) result.outputs[key] = value;
    else result.parameters[key] = parseParameter(`--${key}`, params[key], value);
  }
  for (const [key, spec] of Object.entries(component.inputs as Record<string, { optional: boolean }>)) {
    if (!spec.optional && !(key in result.inputs)) throw new UsageError('cli.missingOption', { option: `--${key}=<path>`, command });
  }
  for (const key of Object.keys(component.outputs)) {
    if (!(key in result.outputs)) throw new UsageError('cli.missingOption', { option: `--${key}=<path>`, command });
  }
  return result;
}

function parseParameter(option: string, spec: ParamSpec, text: string): ParameterValue {
  switch (spec.type) {
    case 'NUMBER_INTEGER':
      return parseInteger(option, text);
    case 'NUMBER_DOUBLE':
      return parseNumber(option, text);
    case 'BOOLEAN':
      return parseBoolean(option, text);
    case 'STRING':
      return text;
  }
}

const TYPE_NAMES = { STRING: 'string', NUMBER_INTEGER: 'integer', NUMBER_DOUBLE: 'number', BOOLEAN: 'boolean' } as const;

/** Help text listing a component's options. */
export function describeComponent(c: AnyComponent): string {
  const lines = [`sealed component ${c.name}${c.description ? ` — ${c.description}` : ''}`];
  for (const [k, s] of Object.entries(c.inputs as Record<string, { type: string; optional: boolean }>)) {
    lines.push(`  --${k}=<path>  input ${s.type}${s.optional ? ' (optional)' : ''}`);
  }
  for (const [k, s] of Object.entries(c.outputs as Record<string, { type: string }>)) lines.push(`  --${k}=<path>  output ${s.type}`);
  for (const [k, s] of Object.entries(c.parameters as Record<string, ParamSpec>)) {
    const allowed = 'enum' in s && s.enum ? ` ${s.enum.join('|')}` : '';
    lines.push(`  --${k}=<value>  ${TYPE_NAMES[s.type]}${allowed}${s.default !== undefined ? ` (default ${JSON.stringify(s.default)})` : ' (required)'}`);
  }
  return lines.join('\n') + '\n';
}
