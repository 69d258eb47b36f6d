// The seam between the CLI and the pipeline it runs. The CLI knows a pipeline only through a
// PipelineEntry: its definition, a registry of its components and a mapping from `sealed run`
// options to run parameters (tests inject toy pipelines through the same seam).
import { UsageError } from '../core/index.ts';
import { loanDefaultComponents, loanDefaultPipeline } from '../pipelines/loan-default/index.ts';
import { ComponentRegistry, type AnyComponent, type ParameterValue, type PipelineDefinition } from '../pipeline/index.ts';

/** What `sealed run` was given; undefined means "not given". */
export interface RunOptions {
  dataUrl?: string;
  dataSize?: number;
  seed?: number;
  split?: string;
  explain?: boolean;
  /** `--artifact-format csv|parquet`: the data artifacts' file format. */
  artifactFormat?: string;
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
  ['explain', 'explain', '--explain'],
  ['artifactFormat', 'artifact_format', '--artifact-format'],
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

/** The default pipeline of `sealed run`: the loan-default pipeline. */
export const loanDefaultCatalog: PipelineCatalog = async () => pipelineEntry(loanDefaultPipeline, loanDefaultComponents);

/** What `sealed` runs when no catalog is injected (main.ts, executorMain.ts; the build's component help). */
export const defaultCatalog: PipelineCatalog = loanDefaultCatalog;
