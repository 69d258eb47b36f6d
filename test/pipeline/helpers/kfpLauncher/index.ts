// A Kubeflow Pipelines v2 backend emulation for tests, derived from the kubeflow/pipelines sources at 2.0.5, 2.3.0,
// 2.5.0 and HEAD (each file names what it follows). Replaces the idealised fakeLauncher.
//   const uploaded = uploadPipeline(yamlText, '2.3');            // upload.ts: strict protojson per version
//   const run = await runPipeline(uploaded, { parameters, root, appDir });   // DAG order, driver -> launcher per task
//   run.tasks.get('train-model')!.pod.resources.limits             // podSpec.ts
// Secret volumes are projected as the kubelet does (secretVolume.ts); with isolation 'namespace' each container sees its
// pod's own paths (podNamespace.ts) instead of the substitution of paths.ts.
// Tasks run one at a time in dependency order (the Argo DAG; a task waits for its dependentTasks and for the
// producers of its inputs), each either a container (driver.ts + podSpec.ts + launcher.ts) or an importer (importer.ts).
import { randomUUID } from 'node:crypto';
import { buildExecutorInput, type DriverContext, type ExecutorInputJson } from './driver.ts';
import { runImporter } from './importer.ts';
import { launchContainer, type LaunchOptions, type LaunchResult } from './launcher.ts';
import { Mlmd, type MlmdArtifact } from './mlmd.ts';
import { PodPaths } from './paths.ts';
import { podSpecFor, type EmulatedPod } from './podSpec.ts';
import { runtimeParameters, type UploadedPipeline } from './upload.ts';

export { uploadPipeline, runtimeParameters, KfpApiError, type UploadedPipeline } from './upload.ts';
export { podSpecFor, kubernetesConfigFor, parseQuantity, goFloat, KfpDriverError, type EmulatedPod } from './podSpec.ts';
export { KfpLauncherError } from './launcher.ts';
export { KfpImporterError } from './importer.ts';
export { PROFILES, KFP_VERSIONS, type KfpVersion, type VersionProfile } from './versions.ts';
export { PodPaths, localPathForUri } from './paths.ts';
export { projectSecret, SECRET_DEFAULT_MODE } from './secretVolume.ts';
export { podNamespacesAvailable } from './podNamespace.ts';
export type { ExecutorInputJson } from './driver.ts';
export type { MlmdArtifact } from './mlmd.ts';

export interface RunOptions {
  /** runtime_config.parameters of the run (types checked as the API server does). */
  parameters?: Record<string, unknown>;
  /** Local folder standing for the object store and the pods' file systems (paths.ts). */
  root: string;
  /** The repository, which is `/app/` in the image. */
  appDir: string;
  /** Default 'minio://mlpipeline/v2/artifacts' (the launcher config's default pipeline root). */
  pipelineRoot?: string;
  runId?: string;
  /** The cluster's Secret objects, for the pods' secret volumes (launcher.ts projectVolumes). */
  secrets?: LaunchOptions['secrets'];
  /** How a pod sees its files (launcher.ts LaunchOptions.isolation); 'namespace' needs podNamespacesAvailable(). */
  isolation?: LaunchOptions['isolation'];
  /** Called before each task starts, with the run so far (a test's hook to act on the store between tasks). */
  beforeTask?: (task: string, run: KfpRun) => void | Promise<void>;
}

export interface TaskRun {
  kind: 'container' | 'importer';
  pod?: EmulatedPod;
  executorInput?: ExecutorInputJson;
  launch?: LaunchResult;
  /** Recorded output artifacts (MLMD), with `hostPath` where their bytes are on this machine. */
  outputs: Record<string, MlmdArtifact & { hostPath?: string }>;
}

export interface KfpRun {
  runId: string;
  tasks: Map<string, TaskRun>;
  mlmd: Mlmd;
}

export async function runPipeline(uploaded: UploadedPipeline, options: RunOptions): Promise<KfpRun> {
  const { spec } = uploaded;
  const ctx: DriverContext = {
    pipelineRoot: options.pipelineRoot ?? 'minio://mlpipeline/v2/artifacts',
    runId: options.runId ?? randomUUID(),
    rootParameters: runtimeParameters(uploaded, options.parameters ?? {}),
    rootArtifacts: {}, // the v2beta1 run API has no way to pass root input artifacts
    mlmd: new Mlmd(),
  };
  const tasks = new Map<string, TaskRun>();
  const live: KfpRun = { runId: ctx.runId, tasks, mlmd: ctx.mlmd };
  const pending = new Set(Object.keys(spec.root.dag.tasks));
  const upstream = (name: string) => {
    const t = spec.root.dag.tasks[name];
    const producers = [
      ...Object.values(t.inputs?.artifacts ?? {}).map((a) => a.taskOutputArtifact?.producerTask),
      ...Object.values(t.inputs?.parameters ?? {}).map((p) => p.taskOutputParameter?.producerTask),
    ].filter((x): x is string => !!x);
    return [...(t.dependentTasks ?? []), ...producers];
  };
  while (pending.size > 0) {
    const ready = [...pending].find((t) => upstream(t).every((d) => tasks.has(d)));
    if (!ready) throw new Error(`no task is ready among ${[...pending].join(', ')}`);
    pending.delete(ready);
    await options.beforeTask?.(ready, live);
    const paths = new PodPaths(options.root, ready);
    const task = spec.root.dag.tasks[ready];
    const executor = spec.deploymentSpec.executors[spec.components[task.componentRef.name].executorLabel!];
    const host = (a: MlmdArtifact) => {
      try {
        return { ...a, hostPath: paths.uriToHost(a.uri) };
      } catch {
        return { ...a };
      }
    };
    if (executor.importer) {
      const outputs = runImporter(uploaded, ready, executor.importer, ctx);
      tasks.set(ready, { kind: 'importer', outputs: Object.fromEntries(Object.entries(outputs).map(([k, a]) => [k, host(a)])) });
      continue;
    }
    const executorInput = buildExecutorInput(uploaded, ready, ctx);
    const pod = podSpecFor(uploaded, ready);
    const launch = await launchContainer(uploaded, ready, executorInput, pod, ctx.mlmd, paths, { appDir: options.appDir, secrets: options.secrets, isolation: options.isolation });
    tasks.set(ready, { kind: 'container', pod, executorInput, launch, outputs: Object.fromEntries(Object.entries(launch.outputs).map(([k, a]) => [k, host(a)])) });
  }
  return live;
}
