// defineComponent: a typed, validated description of one pipeline step plus its `run`
// function. The same definition is compiled into the IR and executed by the executor.
import { PipelineError } from '../../core/index.ts';
import type { ArtifactInputSpecs, ArtifactOutputSpecs } from './artifacts.ts';
import type { RunContext } from './context.ts';
import { checkDnsName, checkKey } from './names.ts';
import { isParamSpec, type ParamSpecs } from './params.ts';
import { validateParameter } from './validateParameter.ts';

type Empty = Record<never, never>;

export interface ComponentConfig<I extends ArtifactInputSpecs, P extends ParamSpecs, O extends ArtifactOutputSpecs> {
  /** Lowercase kebab-case, e.g. 'load-data'; becomes comp-<name> in the IR and the default task name. */
  name: string;
  description?: string;
  inputs?: I;
  parameters?: P;
  outputs?: O;
  run: (ctx: RunContext<I, P, O>) => Promise<void> | void;
}

export interface ComponentDefinition<
  I extends ArtifactInputSpecs = ArtifactInputSpecs,
  P extends ParamSpecs = ParamSpecs,
  O extends ArtifactOutputSpecs = ArtifactOutputSpecs,
> {
  readonly kind: 'component';
  readonly name: string;
  readonly description: string;
  readonly inputs: I;
  readonly parameters: P;
  readonly outputs: O;
  // Method syntax keeps definitions with specific key sets assignable to AnyComponent.
  run(ctx: RunContext<I, P, O>): Promise<void> | void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyComponent = ComponentDefinition<any, any, any>;

export function defineComponent<I extends ArtifactInputSpecs = Empty, P extends ParamSpecs = Empty, O extends ArtifactOutputSpecs = Empty>(
  config: ComponentConfig<I, P, O>,
): ComponentDefinition<I, P, O> {
  const name = checkDnsName('component', config.name);
  const owner = `component '${name}'`;
  const inputs = (config.inputs ?? {}) as I;
  const parameters = (config.parameters ?? {}) as P;
  const outputs = (config.outputs ?? {}) as O;
  const seen = new Set<string>();
  const claim = (key: string, what: string): void => {
    checkKey(`${what} of ${owner}`, key);
    if (seen.has(key)) throw new PipelineError('pipeline.duplicateKey', { owner, key });
    seen.add(key);
  };
  for (const [key, spec] of Object.entries(inputs)) {
    claim(key, 'input');
    if (spec?.kind !== 'artifactInput') throw badKind(owner, key, 'artifactInput(...)');
  }
  for (const [key, spec] of Object.entries(outputs)) {
    claim(key, 'output');
    if (spec?.kind !== 'artifactOutput') throw badKind(owner, key, 'artifactOutput(...)');
  }
  for (const [key, spec] of Object.entries(parameters)) {
    claim(key, 'parameter');
    checkParamSpec(owner, key, spec);
  }
  for (const [key, spec] of Object.entries(outputs)) {
    const by = spec.extensionParameter;
    if (by !== undefined && (parameters as ParamSpecs)[by]?.type !== 'STRING') {
      throw new PipelineError('pipeline.badDefinition', { owner, reason: `output '${key}' takes its extension from '${by}', which is not a string parameter` });
    }
  }
  if (typeof config.run !== 'function') throw new PipelineError('pipeline.badDefinition', { owner, reason: 'run must be a function' });
  return Object.freeze({
    kind: 'component',
    name,
    description: config.description ?? '',
    inputs,
    parameters,
    outputs,
    run: config.run,
  } as ComponentDefinition<I, P, O>);
}

/** A default must satisfy its own constraints; checked once, when the definition is made. */
export function checkParamSpec(owner: string, key: string, spec: unknown): void {
  if (!isParamSpec(spec)) throw badKind(owner, key, 'integerParam/doubleParam/stringParam/booleanParam(...)');
  if (spec.default === undefined) return;
  try {
    validateParameter(owner, key, spec, spec.default);
  } catch (e) {
    throw new PipelineError('pipeline.badDefinition', { owner, reason: `default of '${key}' is invalid: ${(e as Error).message}` });
  }
}

function badKind(owner: string, key: string, expected: string): PipelineError {
  return new PipelineError('pipeline.badDefinition', { owner, reason: `'${key}' must be declared with ${expected}` });
}
