// Run input artifacts, compiled for Kubeflow. A run started with parameters has no root input
// artifacts, and a task bound to one fails in the driver ("parent DAG does not have input artifact",
// backend/src/v2/driver/resolve.go@HEAD). So for Kubeflow each pipeline input artifact becomes:
//   - with a URI: an importer task (KFP `dsl.importer` semantics, as the SDK compiles it —
//     test_data/sdk_compiled_pipelines/valid/pipeline_with_importer.yaml@HEAD): component
//     `comp-import-<name>` with parameter `uri` and output `artifact`, executor `importer` with
//     `artifactUri.runtimeParameter: uri` and the declared type; its `uri` comes from a new run
//     parameter `<name>_uri` whose default is the given URI, so each run may point elsewhere;
//   - without one: no binding at all, which only an optional input allows.
// The local runner keeps the root input artifacts (it copies the file into the run).
import { PipelineError, printable } from '../../core/index.ts';
import type { PipelineDefinition } from '../dsl/index.ts';
import { ARTIFACT_SCHEMA_VERSION, type ArtifactTypeName, type ComponentSpec, type ExecutorSpec, type PipelineSpec, type PipelineTaskSpec } from '../ir/index.ts';
import { componentKey, executorKey } from './componentSpec.ts';

/** Schemes the KFP launcher downloads from (backend/src/v2/objectstore/object_store.go@2.0.5 and @HEAD). */
const IMPORT_URI = /^(minio|s3|gs):\/\/[a-z0-9][a-z0-9._-]{1,254}\/[^\s]+$/;
const MAX_URI_LENGTH = 2048;

export const importTaskName = (input: string): string => `import-${input.replaceAll('_', '-')}`;
export const importUriParameter = (input: string): string => `${input}_uri`;

/** Checks an importer URI: an object-store URI the launcher can fetch, of bounded length, printable. */
export function importUriProblem(uri: string): string | undefined {
  if (uri.length > MAX_URI_LENGTH) return `is longer than ${MAX_URI_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(uri)) return 'holds control characters';
  if (!IMPORT_URI.test(uri)) return 'must be minio://, s3:// or gs:// followed by bucket/key (what the KFP launcher downloads from)';
  return undefined;
}

/** Rewrites `spec` (compiled with root input artifacts) for Kubeflow. */
export function compileInputArtifactsForKubeflow(def: PipelineDefinition, spec: PipelineSpec, importUris: Readonly<Record<string, string>>): void {
  const declared = (def.inputs ?? {}) as Record<string, { type: ArtifactTypeName; optional: boolean }>;
  for (const name of Object.keys(importUris)) {
    if (!Object.hasOwn(declared, name)) throw new PipelineError('pipeline.unknownInputArtifact', { pipeline: def.name, name, known: Object.keys(declared) });
    const problem = importUriProblem(importUris[name]);
    if (problem) throw new PipelineError('pipeline.badImportUri', { name, uri: printable(importUris[name].slice(0, 200)), reason: problem });
  }
  const tasks = spec.root.dag.tasks;
  for (const [name, input] of Object.entries(declared)) {
    const uri = importUris[name];
    const importer = uri !== undefined ? addImporter(spec, name, input.type, uri) : undefined;
    for (const [taskName, task] of Object.entries(tasks)) rebind(spec, taskName, task, name, importer);
  }
  const inputs = spec.root.inputDefinitions;
  if (inputs) {
    delete inputs.artifacts;
    if (Object.keys(inputs).length === 0) delete spec.root.inputDefinitions;
  }
}

function addImporter(spec: PipelineSpec, input: string, type: ArtifactTypeName, uri: string): string {
  const task = importTaskName(input);
  if (Object.hasOwn(spec.root.dag.tasks, task) || Object.hasOwn(spec.components, componentKey(task))) throw new PipelineError('pipeline.importerTaskClash', { task });
  const param = importUriParameter(input);
  const component: ComponentSpec = {
    executorLabel: executorKey(task),
    inputDefinitions: { parameters: { uri: { parameterType: 'STRING' } } },
    outputDefinitions: { artifacts: { artifact: { artifactType: { schemaTitle: type, schemaVersion: ARTIFACT_SCHEMA_VERSION } } } },
  };
  const executor: ExecutorSpec = { importer: { artifactUri: { runtimeParameter: 'uri' }, typeSchema: { schemaTitle: type, schemaVersion: ARTIFACT_SCHEMA_VERSION } } };
  spec.components[componentKey(task)] = component;
  spec.deploymentSpec.executors[executorKey(task)] = executor;
  spec.root.dag.tasks[task] = {
    taskInfo: { name: task },
    componentRef: { name: componentKey(task) },
    inputs: { parameters: { uri: { componentInputParameter: param } } },
    cachingOptions: { enableCache: true },
  };
  const root = (spec.root.inputDefinitions ??= {});
  root.parameters = { ...root.parameters, [param]: { parameterType: 'STRING', defaultValue: uri, isOptional: true, description: `URI of the ${input} artifact (minio://, s3:// or gs://)` } };
  return task;
}

function rebind(spec: PipelineSpec, taskName: string, task: PipelineTaskSpec, input: string, importer: string | undefined): void {
  const artifacts = task.inputs?.artifacts;
  if (!artifacts) return;
  for (const [key, binding] of Object.entries(artifacts)) {
    if (!('componentInputArtifact' in binding) || binding.componentInputArtifact !== input) continue;
    if (importer) {
      artifacts[key] = { taskOutputArtifact: { producerTask: importer, outputArtifactKey: 'artifact' } };
      task.dependentTasks = [...new Set([...(task.dependentTasks ?? []), importer])].sort();
      continue;
    }
    const declared = spec.components[task.componentRef.name].inputDefinitions?.artifacts?.[key];
    if (!declared?.isOptional) throw new PipelineError('pipeline.inputArtifactNeeded', { name: input, task: taskName, input: key });
    delete artifacts[key];
  }
  if (Object.keys(artifacts).length === 0) {
    delete task.inputs!.artifacts;
    if (Object.keys(task.inputs!).length === 0) delete task.inputs;
  }
}
