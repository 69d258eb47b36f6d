// The seam between the CLI and the pipeline it runs. The CLI knows a pipeline only through a
// PipelineEntry: its definition, a registry of its components and a mapping from `sealed run`
// options to run parameters. The default entry is loaded from src/pipelines/loan-default,
// which must export `loanDefaultPipeline` and `loanDefaultComponents` (array or record) and
// may export `loanDefaultRunParameters(options)` to override the generic option mapping.
import { PipelineError, UsageError } from '../core/index.ts';
import { ComponentRegistry, type AnyComponent, type ParameterValue, type PipelineDefinition } from '../pipeline/index.ts';

/** What `sealed run` was given; undefined means "not given". */
export interface RunOptions {
  dataUrl?: string;
  dataSize?: number;
  seed?: number;
  split?: string;
  /** Always set (defaults to the number of cores). */
  threads: number;
}

export interface PipelineEntry {
  pipeline: PipelineDefinition;
  registry: ComponentRegistry;
  runOptionsToParameters(options: RunOptions): Record<string, ParameterValue>;
}

export type PipelineCatalog = () => Promise<PipelineEntry>;

/** Option -> pipeline parameter of the same meaning, used when a pipeline declares it. */
const OPTION_PARAMETERS: readonly [keyof RunOptions, string, string][] = [
  ['dataUrl', 'data_url', '--data-url'],
  ['dataSize', 'data_size', '--data-size'],
  ['seed', 'seed', '--seed'],
  ['split', 'split', '--split'],
  ['threads', 'threads', '--threads'],
];

/**
 * Generic mapping: each given option goes to the pipeline parameter of the same name
 * (--data-size -> data_size). An option the pipeline has no parameter for is a usage error,
 * except --threads, which always has a value and is simply not passed.
 */
export function defaultRunOptionsToParameters(pipeline: PipelineDefinition): (options: RunOptions) => Record<string, ParameterValue> {
  return (options) => {
    const params: Record<string, ParameterValue> = {};
    for (const [key, param, option] of OPTION_PARAMETERS) {
      const value = options[key];
      if (value === undefined) continue;
      if (Object.hasOwn(pipeline.parameters, param)) params[param] = value;
      else if (key !== 'threads') throw new UsageError('cli.runOptionUnsupported', { option, pipeline: pipeline.name });
    }
    return params;
  };
}

export function pipelineEntry(
  pipeline: PipelineDefinition,
  components?: Iterable<AnyComponent> | Readonly<Record<string, AnyComponent>>,
  runOptionsToParameters?: PipelineEntry['runOptionsToParameters'],
): PipelineEntry {
  const registry = components ? new ComponentRegistry(components) : ComponentRegistry.fromPipeline(pipeline);
  for (const t of pipeline.tasks) registry.register(t.component);
  return { pipeline, registry, runOptionsToParameters: runOptionsToParameters ?? defaultRunOptionsToParameters(pipeline) };
}

const LOAN_DEFAULT_MODULE = new URL('../pipelines/loan-default/index.ts', import.meta.url);

interface LoanDefaultModule {
  loanDefaultPipeline?: PipelineDefinition;
  loanDefaultComponents?: Iterable<AnyComponent> | Record<string, AnyComponent>;
  loanDefaultRunParameters?: PipelineEntry['runOptionsToParameters'];
}

export const loanDefaultCatalog: PipelineCatalog = async () => {
  const where = 'src/pipelines/loan-default/index.ts';
  let mod: LoanDefaultModule;
  try {
    // Imported by URL so the CLI type-checks and starts before that module exists.
    mod = (await import(LOAN_DEFAULT_MODULE.href)) as LoanDefaultModule;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes('loan-default')) {
      throw new PipelineError('cli.pipelineUnavailable', { module: where, reason: 'it does not exist yet' }, { cause: e });
    }
    throw e;
  }
  if (!mod.loanDefaultPipeline) throw new PipelineError('cli.pipelineUnavailable', { module: where, reason: 'it does not export loanDefaultPipeline' });
  return pipelineEntry(mod.loanDefaultPipeline, mod.loanDefaultComponents, mod.loanDefaultRunParameters);
};
