// Pipeline definition -> KFP v2 PipelineSpec, without side effects.
//
//   PipelineDefinition ──checkGraph──> ordered tasks ──┬─ buildComponentSpec  -> components.comp-<c>
//                                                      ├─ executorSpec        -> deploymentSpec.executors.exec-<c>
//                                                      ├─ buildTaskSpec       -> root.dag.tasks.<t>
//                                                      └─ parameterSpec,      -> root.inputDefinitions (run parameters
//                                                         artifactSpec           and run input artifacts)
//
// Every executor runs the same entry point with the component name and `{{$}}` (the
// ExecutorInput JSON); the local runner reads the component name back from these args, so a
// local run and a KFP run call components the same way.
//
// The target KFP release (`kfpVersion`, default the oldest we support) decides which fields are
// written and which deploy options are refused (kfpVersions.ts); `inputArtifacts: 'importer'`
// compiles run input artifacts the way a Kubeflow run can satisfy them (importers.ts).
import { PipelineError } from '../../core/index.ts';
import type { ArtifactTypeName, ExecutorSpec, PipelineSpec, PlatformSpec } from '../ir/index.ts';
import type { AnyComponent, CheckedDeployOptions, ParamSpec, PipelineDefinition } from '../dsl/index.ts';
import { checkGraph } from './checkGraph.ts';
import { artifactSpec, buildComponentSpec, componentKey, executorKey, mapValues, parameterSpec } from './componentSpec.ts';
import { checkTargetSupports, executorDeploy, platformSpec, resolveTaskDeploy, resourceSpec, type DeployLayers } from './deployment.ts';
import { compileInputArtifactsForKubeflow } from './importers.ts';
import { ENCLAVE_COMMAND, isEnclaveTask, sealedEnv } from './sealedRuntime.ts';
import { DEFAULT_KFP_VERSION, kfpTarget, sdkVersionFor, type KfpTarget } from './kfpVersions.ts';
import { buildTaskSpec } from './taskSpec.ts';

export const SDK_VERSION = 'sealed-0.1.0';
export const DEFAULT_IMAGE = 'sealed-pipelines:0.1.0';
export const DEFAULT_EXECUTOR_COMMAND: readonly string[] = ['node', '/app/bin/sealed-executor'];

export interface CompileOptions extends DeployLayers {
  /** Container image of every executor. */
  image?: string;
  /** Executor command; args `--component <name> --executor-input {{$}}` are appended by the compiler. */
  command?: readonly string[];
  sdkVersion?: string;
  displayName?: string;
  /** The KFP release the file is for ("2.0.5", "2.5", ...); default DEFAULT_KFP_VERSION. */
  kfpVersion?: string;
  /**
   * 'root' (default): run input artifacts stay root inputs (`componentInputArtifact`), as the local
   * runner gives them. 'importer': for Kubeflow — an importer task per artifact in `importUris`,
   * no binding for the others.
   */
  inputArtifacts?: 'root' | 'importer';
  /** With inputArtifacts 'importer': input artifact name -> minio://, s3:// or gs:// URI. */
  importUris?: Readonly<Record<string, string>>;
}

/** The target release of a compile, or a PipelineError naming the bad value. */
export function resolveKfpTarget(version: string = DEFAULT_KFP_VERSION): KfpTarget {
  const target = kfpTarget(version);
  if ('problem' in target) throw new PipelineError('pipeline.badKfpVersion', { value: version.slice(0, 40), reason: target.problem });
  return target;
}

/** The pipeline IR (first YAML document). */
export function compilePipeline(def: PipelineDefinition, options: CompileOptions = {}): PipelineSpec {
  return compilePipelineDocuments(def, options).spec;
}

/** The pipeline IR and, when any task has Kubernetes options, the platform config (second document). */
export function compilePipelineDocuments(def: PipelineDefinition, options: CompileOptions = {}): { spec: PipelineSpec; platform?: PlatformSpec } {
  const target = resolveKfpTarget(options.kfpVersion);
  const tasks = checkGraph(def);
  const perTask = resolveTaskDeploy(def, options);
  checkTargetSupports(perTask, target);
  const perComponent = executorDeploy(def, perTask);
  const components: PipelineSpec['components'] = {};
  const executors: Record<string, ExecutorSpec> = {};
  for (const component of uniqueComponents(tasks.map((t) => t.component))) {
    components[componentKey(component.name)] = buildComponentSpec(component, target.profile);
    executors[executorKey(component.name)] = executorSpec(component.name, options, perComponent.get(component.name) ?? {}, target);
  }
  const spec: PipelineSpec = {
    pipelineInfo: {
      name: def.name,
      ...(options.displayName ? { displayName: options.displayName } : {}),
      ...(def.description ? { description: def.description } : {}),
    },
    schemaVersion: '2.1.0',
    sdkVersion: options.sdkVersion ?? sdkVersionFor(SDK_VERSION, target),
    deploymentSpec: { executors },
    components,
    root: { dag: { tasks: Object.fromEntries(tasks.map((t) => [t.name, buildTaskSpec(t, perTask.get(t.name) ?? {})])) } },
  };
  const runParams = mapValues(def.parameters as Record<string, ParamSpec>, (p) => parameterSpec(p, target.profile));
  const runArtifacts = mapValues((def.inputs ?? {}) as Record<string, { type: ArtifactTypeName; optional: boolean }>, (s) => artifactSpec(s.type, s.optional));
  if (runParams || runArtifacts) spec.root.inputDefinitions = { ...(runArtifacts ? { artifacts: runArtifacts } : {}), ...(runParams ? { parameters: runParams } : {}) };
  if (options.inputArtifacts === 'importer') compileInputArtifactsForKubeflow(def, spec, options.importUris ?? {});
  else if (options.importUris && Object.keys(options.importUris).length > 0) throw new PipelineError('pipeline.badSpec', { reason: "importUris need inputArtifacts: 'importer'" });
  const platform = platformSpec(perComponent);
  return platform ? { spec, platform } : { spec };
}

export function executorArgs(componentName: string): string[] {
  return ['--component', componentName, '--executor-input', '{{$}}'];
}

function executorSpec(componentName: string, options: CompileOptions, deploy: CheckedDeployOptions, target: KfpTarget): ExecutorSpec {
  const resources = resourceSpec(deploy, target.profile);
  const env = sealedEnv(deploy);
  // An enclave task runs the enclave image's launcher (deploy/sgx/run-enclave), which starts the same executor inside
  // Gramine with these arguments.
  const command = isEnclaveTask(deploy) ? ENCLAVE_COMMAND : (options.command ?? DEFAULT_EXECUTOR_COMMAND);
  return {
    container: {
      image: options.image ?? DEFAULT_IMAGE,
      command: [...command],
      args: executorArgs(componentName),
      ...(env.length > 0 ? { env } : {}),
      ...(resources ? { resources } : {}),
    },
  };
}

function uniqueComponents(list: AnyComponent[]): AnyComponent[] {
  return [...new Map(list.map((c) => [c.name, c])).values()];
}
