// definePipeline: runs `build` once to record the task graph as plain data (TaskDefinition[]).
// Nothing is executed or compiled here; the compiler checks the graph and emits the IR.
import { PipelineError } from '../../core/index.ts';
import type { ArtifactTypeName } from '../ir/index.ts';
import type { ArtifactInputSpecs, ArtifactOutputSpecs } from './artifacts.ts';
import { checkParamSpec, type AnyComponent, type ComponentDefinition } from './component.ts';
import { checkDeployOptions, type CheckedDeployOptions, type DeployOptions } from './deployOptions.ts';
import { checkDnsName, checkKey } from './names.ts';
import type { ParamSpecs, ParamValueOf } from './params.ts';
import type { OutputRef, PipelineInputRef, PipelineParamRef } from './references.ts';

type IsOptional<S> = S extends { optional: true } ? true : false;
/**
 * What may feed an input of type T: a task output, or a run input artifact. A required input
 * takes only a required run input (an optional one may be absent from the run).
 */
type RefFor<T extends ArtifactTypeName, Opt extends boolean> = T extends 'system.Artifact'
  ? OutputRef | PipelineInputRef<ArtifactTypeName, Opt extends true ? boolean : false>
  : OutputRef<T> | PipelineInputRef<T, Opt extends true ? boolean : false>;

/** Required inputs must be connected; optional ones may be. */
export type TaskInputs<I extends ArtifactInputSpecs> = {
  [K in keyof I as IsOptional<I[K]> extends true ? never : K]: RefFor<I[K]['type'], false>;
} & {
  [K in keyof I as IsOptional<I[K]> extends true ? K : never]?: RefFor<I[K]['type'], true>;
};

/** The refs `build` receives for the pipeline's run input artifacts. */
export type PipelineInputRefs<PI extends ArtifactInputSpecs> = {
  readonly [K in keyof PI]: PipelineInputRef<PI[K]['type'], IsOptional<PI[K]>>;
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

/** One task as recorded: bindings are OutputRefs, PipelineInputRefs, PipelineParamRefs or constants. */
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

export interface PipelineConfig<PP extends ParamSpecs, PI extends ArtifactInputSpecs = Record<never, never>> {
  /** Lowercase kebab-case; becomes pipelineInfo.name. */
  name: string;
  description?: string;
  parameters?: PP;
  /**
   * Artifacts given to the whole run, e.g. `{ init_model: artifactInput('system.Model', { optional: true }) }`:
   * KFP `root.inputDefinitions.artifacts`; locally `runPipeline(..., { artifacts: { init_model: path } })`.
   * They share one namespace with the parameters.
   */
  inputs?: PI;
  build: (
    p: PipelineBuilder,
    params: { readonly [K in keyof PP]: PipelineParamRef<ParamValueOf<PP[K]>> },
    inputs: PipelineInputRefs<PI>,
  ) => void;
  summary?: SummarySource;
  /** How every task is deployed on Kubernetes unless the compile options say otherwise. */
  deploy?: DeployOptions;
}

export interface PipelineDefinition<PP extends ParamSpecs = ParamSpecs, PI extends ArtifactInputSpecs = ArtifactInputSpecs> {
  readonly kind: 'pipeline';
  readonly name: string;
  readonly description: string;
  readonly parameters: PP;
  /** Run input artifacts (absent or empty when the pipeline has none). */
  readonly inputs?: PI;
  readonly tasks: readonly TaskDefinition[];
  readonly summary?: SummarySource;
  readonly deploy?: CheckedDeployOptions;
}

export function definePipeline<PP extends ParamSpecs = Record<never, never>, PI extends ArtifactInputSpecs = Record<never, never>>(
  config: PipelineConfig<PP, PI>,
): PipelineDefinition<PP, PI> {
  const name = checkDnsName('pipeline', config.name);
  const owner = `pipeline '${name}'`;
  const parameters = (config.parameters ?? {}) as PP;
  const inputs = (config.inputs ?? {}) as PI;
  const refs: Record<string, PipelineParamRef> = {};
  for (const [key, spec] of Object.entries(parameters)) {
    checkKey(`parameter of ${owner}`, key);
    checkParamSpec(owner, key, spec);
    refs[key] = Object.freeze({ kind: 'pipelineParam', name: key, type: spec.type });
  }
  const inputRefs: Record<string, PipelineInputRef> = {};
  for (const [key, spec] of Object.entries(inputs)) {
    checkKey(`input of ${owner}`, key);
    if (Object.hasOwn(parameters, key)) throw new PipelineError('pipeline.duplicateKey', { owner, key });
    if (spec?.kind !== 'artifactInput') throw new PipelineError('pipeline.badDefinition', { owner, reason: `input '${key}' must be declared with artifactInput(...)` });
    inputRefs[key] = Object.freeze({ kind: 'pipelineInput', name: key, type: spec.type, optional: spec.optional });
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
  config.build(builder, refs as { [K in keyof PP]: PipelineParamRef<ParamValueOf<PP[K]>> }, inputRefs as PipelineInputRefs<PI>);
  if (config.summary) checkSummary(owner, config.summary, tasks);
  const deploy = config.deploy ? checkDeployOptions(`deploy options of ${owner}`, config.deploy) : undefined;
  return Object.freeze({
    kind: 'pipeline',
    name,
    description: config.description ?? '',
    parameters,
    ...(Object.keys(inputs).length > 0 ? { inputs } : {}),
    tasks: Object.freeze(tasks),
    ...(config.summary ? { summary: { ...config.summary } } : {}),
    ...(deploy ? { deploy } : {}),
  });
}

function checkSummary(owner: string, summary: SummarySource, tasks: readonly TaskDefinition[]): void {
  const task = tasks.find((t) => t.name === summary.task);
  if (!task || !Object.hasOwn(task.component.outputs, summary.output)) {
    throw new PipelineError('pipeline.badDefinition', { owner, reason: `summary refers to unknown output '${summary.output}' of task '${summary.task}'` });
  }
}

