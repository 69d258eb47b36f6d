// Run input artifacts compiled for Kubeflow. The KFP driver fails a task bound to a root input
// artifact the run was not given ("parent DAG does not have input artifact",
// backend/src/v2/driver/resolve.go@HEAD), and runs are started with parameters only, so: an
// importer task per artifact with a URI — shaped as the KFP SDK compiles dsl.importer
// (test_data/sdk_compiled_pipelines/valid/pipeline_with_importer.yaml@HEAD: comp-importer with input
// parameter `uri` and output `artifact`, executor `importer: {artifactUri: {runtimeParameter: uri},
// typeSchema}`) — and no binding at all for an optional one without a URI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PipelineError } from '../../../src/core/index.ts';
import { artifactInput, compilePipelineDocuments, defineComponent, definePipeline, toPipelineYaml } from '../../../src/pipeline/index.ts';
import { loanDefaultPipeline } from '../../../src/pipelines/loan-default/index.ts';

test('without a URI the optional init_model is left unbound: a parameter-only run needs no root artifact', () => {
  const { spec } = compilePipelineDocuments(loanDefaultPipeline, { inputArtifacts: 'importer' });
  assert.equal(spec.root.dag.tasks['train-model'].inputs?.artifacts?.init_model, undefined);
  assert.equal(spec.root.inputDefinitions?.artifacts, undefined);
  const bindings = Object.values(spec.root.dag.tasks).flatMap((t) => Object.values(t.inputs?.artifacts ?? {}));
  assert.ok(bindings.every((b) => 'taskOutputArtifact' in b), 'only task outputs feed tasks');
});

test('with a URI, init_model comes from an importer task fed by the init_model_uri run parameter', () => {
  const uri = 'minio://mlpipeline/models/credit/model.json';
  const docs = compilePipelineDocuments(loanDefaultPipeline, { inputArtifacts: 'importer', importUris: { init_model: uri }, kfpVersion: '2.16' });
  const { spec } = docs;
  assert.deepEqual(spec.root.dag.tasks['import-init-model'], {
    taskInfo: { name: 'import-init-model' },
    componentRef: { name: 'comp-import-init-model' },
    inputs: { parameters: { uri: { componentInputParameter: 'init_model_uri' } } },
    cachingOptions: { enableCache: true },
  });
  assert.deepEqual(spec.components['comp-import-init-model'], {
    executorLabel: 'exec-import-init-model',
    inputDefinitions: { parameters: { uri: { parameterType: 'STRING' } } },
    outputDefinitions: { artifacts: { artifact: { artifactType: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' } } } },
  });
  assert.deepEqual(spec.deploymentSpec.executors['exec-import-init-model'], {
    importer: { artifactUri: { runtimeParameter: 'uri' }, typeSchema: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' } },
  });
  const train = spec.root.dag.tasks['train-model'];
  assert.deepEqual(train.inputs?.artifacts?.init_model, { taskOutputArtifact: { producerTask: 'import-init-model', outputArtifactKey: 'artifact' } });
  assert.ok(train.dependentTasks?.includes('import-init-model'));
  assert.equal(spec.root.inputDefinitions?.parameters?.init_model_uri.defaultValue, uri);
  // No Kubernetes config for the importer: it runs no container of ours.
  assert.equal(docs.platform?.platforms.kubernetes.deploymentSpec.executors['exec-import-init-model'], undefined);
  assert.ok(toPipelineYaml(docs), 'the file passes the IR schema');
});

test('a required input artifact needs a URI on Kubeflow, named in the error', () => {
  const reader = defineComponent({ name: 'reader', inputs: { table: artifactInput('system.Dataset') }, outputs: {}, run: async () => {} });
  const p = definePipeline({ name: 'needs-table', inputs: { table: reader.inputs.table }, build: (b, _params, inputs) => void b.task(reader, { inputs: { table: inputs.table } }) });
  assert.throws(
    () => compilePipelineDocuments(p, { inputArtifacts: 'importer' }),
    (e: unknown) => e instanceof PipelineError && /pipeline input artifact 'table' feeds the required input 'table' of task 'reader': on Kubeflow give its URI/.test(e.message),
  );
  const { spec } = compilePipelineDocuments(p, { inputArtifacts: 'importer', importUris: { table: 's3://bucket/t.csv' } });
  assert.equal(spec.deploymentSpec.executors['exec-import-table'].importer?.typeSchema.schemaTitle, 'system.Dataset');
});

test('attack: import URIs outside an object store, with control characters, or huge are refused', () => {
  const bad: [string, RegExp][] = [
    ['/etc/passwd', /must be minio:\/\/, s3:\/\/ or gs:\/\//],
    ['file:///etc/passwd', /must be minio:\/\//],
    ['https://169.254.169.254/metadata', /must be minio:\/\//],
    ['minio://bucket', /must be minio:\/\//],
    ['minio://bucket/a b', /must be minio:\/\//],
    ['minio://bucket/m.json\u001b[2J', /holds control characters/],
    [`minio://bucket/${'a'.repeat(5000)}`, /is longer than 2048 characters/],
  ];
  for (const [uri, re] of bad) {
    assert.throws(
      () => compilePipelineDocuments(loanDefaultPipeline, { inputArtifacts: 'importer', importUris: { init_model: uri } }),
      (e: unknown) => e instanceof PipelineError && re.test(e.message) && e.message.length < 400 && ![...e.message].some((c) => c < ' '),
      uri.slice(0, 40),
    );
  }
});
