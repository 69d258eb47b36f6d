// The project's IR check (JSON Schemas in src/pipeline/ir/schema + references) accepts what the
// compiler emits and rejects, with the JSON path, each kind of mistake the KFP API server's
// strict parser would reject the upload for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PipelineError } from '../../src/core/index.ts';
import { compilePipelineDocuments, validatePipelineIr } from '../../src/pipeline/index.ts';
import { loanDefaultPipeline } from '../../src/pipelines/loan-default/index.ts';
import { toyPipeline } from './fixtures/toyComponents.ts';

const full = compilePipelineDocuments(loanDefaultPipeline, {
  deploy: { epc: '64Mi', retries: 2, cpuRequest: '1', memoryLimit: '4Gi', tolerations: [{ key: 'sgx', operator: 'Exists' }], activeDeadlineSeconds: 600, imagePullSecrets: ['acr'] },
  kfpVersion: '2.16',
  inputArtifacts: 'importer',
  importUris: { init_model: 'minio://mlpipeline/models/m.json' },
});

test('compiled pipelines pass the IR check', () => {
  validatePipelineIr(full.spec, full.platform);
  const toy = compilePipelineDocuments(toyPipeline);
  validatePipelineIr(toy.spec, toy.platform);
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const mutations: [string, (spec: Json, platform: Json) => void, RegExp][] = [
  ['unknown top-level field', (s) => (s.pipelineSpec = {}), /pipeline spec fails the IR schema at \/: unknown field 'pipelineSpec'/],
  ['unknown task field', (s) => (s.root.dag.tasks['train-model'].retries = 2), /at \/root\/dag\/tasks\/train-model: unknown field 'retries'/],
  ['wrong schemaVersion', (s) => (s.schemaVersion = '2.0.0'), /at \/schemaVersion/],
  ['misspelt parameter type', (s) => (s.root.inputDefinitions.parameters.seed.parameterType = 'INTEGER'), /at \/root\/inputDefinitions\/parameters\/seed\/parameterType: must be equal to one of the allowed values: STRING, NUMBER_INTEGER/],
  ['unknown artifact type', (s) => (s.components['comp-train-model'].outputDefinitions.artifacts.model.artifactType.schemaTitle = 'system.Modle'), /outputDefinitions\/artifacts\/model\/artifactType\/schemaTitle/],
  ['empty command', (s) => (s.deploymentSpec.executors['exec-train-model'].container.command = []), /exec-train-model\/container\/command/],
  // int64 is a JSON string in protobuf JSON; the SDK writes count: '1' (pipeline_with_k8s_only_methods.yaml@HEAD).
  ['accelerator count as a JSON number', (s) => (s.deploymentSpec.executors['exec-train-model'].container.resources.accelerator.count = 1), /accelerator\/count: must be string/],
  ['legacy CPU as a string', (s) => (s.deploymentSpec.executors['exec-train-model'].container.resources.cpuRequest = '1'), /cpuRequest: must be number/],
  ['unknown importer field', (s) => (s.deploymentSpec.executors['exec-import-init-model'].importer.downloadToWorkspace = true), /importer: unknown field 'downloadToWorkspace'/],
  ['executor with a container and an importer', (s) => (s.deploymentSpec.executors['exec-import-init-model'].container = { image: 'x', command: ['y'] }), /exec-import-init-model: must match exactly one schema/],
  ['quantity that is not one', (s) => (s.deploymentSpec.executors['exec-train-model'].container.resources.resourceCpuRequest = 'one'), /resourceCpuRequest/],
  ['retry duration without unit', (s) => (s.root.dag.tasks['train-model'].retryPolicy.backoffDuration = '10'), /retryPolicy\/backoffDuration/],
  ['executor label without executor', (s) => (s.components['comp-train-model'].executorLabel = 'exec-nope'), /at \/components\/comp-train-model\/executorLabel: no executor 'exec-nope'/],
  ['task of an unknown component', (s) => (s.root.dag.tasks['train-model'].componentRef.name = 'comp-nope'), /componentRef\/name: no component 'comp-nope'/],
  ['dependency on an unknown task', (s) => s.root.dag.tasks['train-model'].dependentTasks.push('nope'), /dependentTasks: no task 'nope'/],
  ['unknown producer task', (s) => (s.root.dag.tasks['train-model'].inputs.artifacts.x_train.taskOutputArtifact.producerTask = 'nope'), /inputs\/artifacts\/x_train: no task 'nope'/],
  ['unknown pipeline parameter', (s) => (s.root.dag.tasks['train-model'].inputs.parameters.nthread.componentInputParameter = 'nope'), /no pipeline parameter 'nope'/],
  ['parameter binding of two kinds', (s) => (s.root.dag.tasks['train-model'].inputs.parameters.nthread.runtimeValue = { constant: 1 }), /inputs\/parameters\/nthread/],
  ['platform config for an unknown executor', (_s, p) => (p.platforms.kubernetes.deploymentSpec.executors['exec-nope'] = { activeDeadlineSeconds: '1' }), /platform config fails the IR schema at \/platforms\/kubernetes\/deploymentSpec\/executors\/exec-nope: no executor/],
  ['int64 as a number', (_s, p) => (p.platforms.kubernetes.deploymentSpec.executors['exec-train-model'].activeDeadlineSeconds = 600), /activeDeadlineSeconds: must be string/],
  ['unknown platform field', (_s, p) => (p.platforms.kubernetes.deploymentSpec.executors['exec-train-model'].nodeAffinity = {}), /unknown field 'nodeAffinity'/],
];

for (const [name, mutate, re] of mutations) {
  test(`the IR check rejects: ${name}`, () => {
    const spec = structuredClone(full.spec) as Json;
    const platform = structuredClone(full.platform) as Json;
    mutate(spec, platform);
    assert.throws(() => validatePipelineIr(spec, platform), (e: unknown) => e instanceof PipelineError && re.test(e.message), `${name}: expected ${re}`);
  });
}
