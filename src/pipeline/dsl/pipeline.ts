// definePipeline: runs `build` once to record the task graph as plain data (TaskDefinition[]).
// Nothing is executed or compiled here; the compiler checks the graph and emits the IR.
import { PipelineError } from '../../core/index.ts';
import type { ArtifactTypeName } from '../ir/index.ts';
import type { ArtifactInputSpecs, ArtifactOutputSpecs } from './artifacts.ts';
import { checkParamSpec, type AnyComponent, type ComponentDefinition } from './component.ts';
import { checkDnsName, checkKey } from './names.ts';
import type { ParamSpecs, ParamValueOf } from './params.ts';
import type { OutputRef, PipelineParamRef } from './references.ts';

type IsOptional<S> = S extends { optional: true } ? true : false;
type RefFor<T extends ArtifactTypeName> = T extends 'system.Artifact' ? OutputRef : OutputRef<T>;

/** Required inputs must be connected; optional ones may be. */
export type TaskInputs<I extends ArtifactInputSpecs> = {
  [K in keyof I as IsOptional<I[K]> extends true ? never : K]: RefFor<I[K]['type']>;
} & {
  [K in keyof I as IsOptional<I[K]> extends true ? K : never]?: RefFor<I[K]['type']>;
};

/** Each parameter takes a constant or a pipeline parameter of the same value type. */
export type TaskParams<P extends ParamSpecs> = {
  [K in keyof P]?: ParamValueOf<P[K]> | PipelineParamRef<ParamValueOf<P[K]>>;
};

export interface TaskOptions<I extends ArtifactInputSpecs, P extends ParamSpecs> {
  /** Task name; defaults to the component name. Must be unique in the pipeline. */
  name?: string;
  inputs?: TaskInputs<I>;
  params?: TaskParams<P>;
  /** Extra ordering without a data dependency. */
  after?: readonly TaskHandle[];
  /** KFP execution caching (default true). The local runner does not cache. */
  caching?: boolean;
}

export interface TaskHandle<O extends ArtifactOutputSpecs = ArtifactOutputSpecs> {
  readonly name: string;
  readonly outputs: { readonly [K in keyof O]: OutputRef<O[K]['type']> };
}

/** One task as recorded: bindings are OutputRefs, PipelineParamRefs or constants. */
export interface TaskDefinition {
  readonly name: string;
  readonly component: AnyComponent;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly params: Readonly<Record<string, unknown>>;
  readonly after: readonly string[];
  readonly caching: boolean;
}

export interface PipelineBuilder {
  task<I extends ArtifactInputSpecs, P extends ParamSpecs, O extends ArtifactOutputSpecs>(
    component: ComponentDefinition<I, P, O>,
    options?: TaskOptions<I, P>,
  ): TaskHandle<O>;
}

/** Which task output holds the run's headline metrics (what `sealed run` prints). */
export interface SummarySource {
  task: string;
  output: string;
}

export interface PipelineConfig<PP extends ParamSpecs> {
  /** Lowercase kebab-case; becomes pipelineInfo.name. */
  name: string;
  description?: string;
  parameters?: PP;
  build: (p: PipelineBuilder, params: { readonly [K in keyof PP]: PipelineParamRef<ParamValueOf<PP[K]>> }) => void;
  summary?: SummarySource;
}

export interface PipelineDefinition<PP extends ParamSpecs = ParamSpecs> {
  readonly kind: 'pipeline';
  readonly name: string;
  readonly description: string;
  readonly parameters: PP;
  readonly tasks: readonly TaskDefinition[];
  readonly summary?: SummarySource;
}

export function definePipeline<PP extends ParamSpecs = Record<never, never>>(config: PipelineConfig<PP>): PipelineDefinition<PP> {
  const name = checkDnsName('pipeline', config.name);
  const owner = `pipeline '${name}'`;
  const parameters = (config.parameters ?? {}) as PP;
  const refs: Record<string, PipelineParamRef> = {};
  for (const [key, spec] of Object.entries(parameters)) {
    checkKey(`parameter of ${owner}`, key);
    checkParamSpec(owner, key, spec);
    refs[key] = Object.freeze({ kind: 'pipelineParam', name: key, type: spec.type });
  }
  const tasks: TaskDefinition[] = [];
  const builder: PipelineBuilder = {
    task(component, options = {}) {
      const taskName = checkDnsName('task', options.name ?? component.name);
      if (tasks.some((t) => t.name === taskName)) throw new PipelineError('pipeline.duplicateTask', { pipeline: name, task: taskName });
      tasks.push(
        Object.freeze({
          name: taskName,
          component,
          inputs: { ...(options.inputs ?? {}) },
          params: { ...(options.params ?? {}) },
          after: (options.after ?? []).map((h) => h.name),
          caching: options.caching ?? true,
        }),
      );
      const outputs = Object.fromEntries(
        Object.entries(component.outputs).map(([key, spec]) => [key, Object.freeze({ kind: 'taskOutput', task: taskName, output: key, type: spec.type })]),
      );
      return Object.freeze({ name: taskName, outputs }) as TaskHandle<typeof component.outputs>;
    },
  };
  config.build(builder, refs as { [K in keyof PP]: PipelineParamRef<ParamValueOf<PP[K]>> });
  if (config.summary) checkSummary(owner, config.summary, tasks);
  return Object.freeze({
    kind: 'pipeline',
    name,
    description: config.description ?? '',
    parameters,
    tasks: Object.freeze(tasks),
    ...(config.summary ? { summary: { ...config.summary } } : {}),
  });
}

function checkSummary(owner: string, summary: SummarySource, tasks: readonly TaskDefinition[]): void {
  const task = tasks.find((t) => t.name === summary.task);
  if (!task || !Object.hasOwn(task.component.outputs, summary.output)) {
    throw new PipelineError('pipeline.badDefinition', { owner, reason: `summary refers to unknown output '${summary.output}' of task '${summary.task}'` });
  }
}

