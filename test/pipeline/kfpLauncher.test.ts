// Tests of the KFP backend emulation itself (test/pipeline/helpers/kfpLauncher/). Each names the Go/proto file it follows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { repoRoot } from '../helpers/sharedData.ts';
import { KFP_VERSIONS, KfpApiError, KfpDriverError, KfpImporterError, goFloat, parseQuantity, podSpecFor, runPipeline, uploadPipeline, type KfpVersion } from './helpers/kfpLauncher/index.ts';
import { tempDir } from './helpers/tempDir.ts';
import { sealed, writeRawCsv } from '../pipelines/loan-default/helpers.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let compiled: string | undefined;
async function compiledYaml(): Promise<string> {
  if (compiled) return compiled;
  const cwd = tempDir();
  const r = await sealed(['compile', '--output', 'p.yaml', '--image', 'registry.example/sealed-pipelines:0.1.0'], cwd);
  assert.equal(r.code, 0, r.stderr);
  return (compiled = readFileSync(join(cwd, 'p.yaml'), 'utf8'));
}
function docs(text: string): [Json, Json | undefined] {
  const d = parseAllDocuments(text).map((x) => x.toJS() as Json);
  return [d[0], d[1]];
}
const toYaml = (spec: Json, platform?: Json) => stringify(spec) + (platform ? '---\n' + stringify(platform) : '');

/** load-data alone: the cheapest real task (writes a CSV from a small raw file). */
async function loadDataOnly(extra: (spec: Json) => void = () => {}): Promise<string> {
  const [spec] = docs(await compiledYaml());
  spec.root.dag.tasks = { 'load-data': spec.root.dag.tasks['load-data'] };
  extra(spec);
  return toYaml(spec);
}

test('upload: a field not in that version\'s ParameterSpec (`literals`, api/v2alpha1/pipeline_spec.proto@HEAD only) fails as template.go isPipelineSpec + New do', async () => {
  const [spec, platform] = docs(await compiledYaml());
  spec.root.inputDefinitions.parameters.split.literals = ['random', 'grouped'];
  const text = toYaml(spec, platform);
  for (const v of ['2.0.5', '2.3', '2.5'] as KfpVersion[]) {
    assert.throws(
      () => uploadPipeline(text, v),
      (e: unknown) => e instanceof KfpApiError && e.message === 'InvalidInputError: unknown template format: pipeline spec is invalid' && /^proto: \(line 1:\d+\): unknown field "literals"$/.test(e.protoError ?? ''),
      v,
    );
  }
  assert.equal(uploadPipeline(text, 'HEAD').spec.root.inputDefinitions?.parameters?.split.literals?.length, 2);
});

test('upload: a misspelled enum is refused on every version (protojson strict enum names)', async () => {
  const [spec] = docs(await compiledYaml());
  spec.root.inputDefinitions.parameters.seed.parameterType = 'INTEGER';
  for (const v of KFP_VERSIONS) {
    assert.throws(() => uploadPipeline(toYaml(spec), v), (e: unknown) => e instanceof KfpApiError && /invalid value for enum type: "INTEGER"/.test(e.protoError ?? ''), v);
  }
});

test('deploymentSpec fields a version lacks are DISCARDED, not refused (compiler/visitor.go@2.0.5 GetDeploymentConfig AllowUnknownFields; @HEAD DiscardUnknown)', async () => {
  const [spec, platform] = docs(await compiledYaml());
  spec.deploymentSpec.executors['exec-load-data'].container.resources = { resourceCpuLimit: '2', accelerator: { resourceType: 'sgx.intel.com/epc', resourceCount: '64Mi' } };
  const text = toYaml(spec, platform);
  for (const v of ['2.0.5', '2.3'] as KfpVersion[]) {
    const u = uploadPipeline(text, v);
    assert.ok(u.discardedFields.includes('deploymentSpec.executors.exec-load-data.container.resources.resourceCpuLimit'), v);
    assert.deepEqual(podSpecFor(u, 'load-data').resources, { limits: {}, requests: {} }, `${v}: the string fields vanish`);
  }
  for (const v of ['2.5', 'HEAD'] as KfpVersion[]) {
    assert.deepEqual(podSpecFor(uploadPipeline(text, v), 'load-data').resources.limits, { cpu: '2', 'sgx.intel.com/epc': '64Mi' }, v);
  }
});

test('platform config: tolerations etc. are not in kubernetes_executor_config.proto@bd9f74e34de6, so the 2.0.5 driver fails the task (cmd/driver/main.go@2.0.5 jsonpb.UnmarshalString)', async () => {
  const [spec, platform] = docs(await compiledYaml());
  platform!.platforms.kubernetes.deploymentSpec.executors['exec-load-data'].tolerations = [{ key: 'a', operator: 'Equal', value: 'b', effect: 'NoSchedule' }];
  const text = toYaml(spec, platform);
  // Upload accepts it on every version: PlatformDeploymentConfig.executors are google.protobuf.Struct (pipeline_spec.proto).
  const old = uploadPipeline(text, '2.0.5');
  assert.throws(() => podSpecFor(old, 'load-data'), (e: unknown) => e instanceof KfpDriverError && /^failed to unmarshal Kubernetes config, error: proto: \(line 1:\d+\): unknown field "tolerations"$/.test(e.message));
  for (const v of ['2.3', '2.5', 'HEAD'] as KfpVersion[]) {
    assert.deepEqual(podSpecFor(uploadPipeline(text, v), 'load-data').tolerations, [{ key: 'a', operator: 'Equal', value: 'b', effect: 'NoSchedule' }], v);
  }
});

test('resources per version: legacy numbers on every version, strings from 2.5 (driver.go@2.0.5/@2.3.0 initPodSpecPatch, driver.go@2.5.0 getPodResource)', async () => {
  const [spec] = docs(await compiledYaml());
  // What the Python SDK writes for cpu 2, memory 4Gi, 64Mi EPC (sdk/python/kfp/compiler/pipeline_spec_builder.py).
  spec.deploymentSpec.executors['exec-load-data'].container.resources = {
    cpuLimit: 2, memoryLimit: 4.294967296, cpuRequest: 0.5, memoryRequest: 2.147483648,
    resourceCpuLimit: '2', resourceMemoryLimit: '4Gi', resourceCpuRequest: '500m', resourceMemoryRequest: '2Gi',
    accelerator: { type: 'sgx.intel.com/epc', count: '67108864', resourceType: 'sgx.intel.com/epc', resourceCount: '64Mi' },
  };
  const text = toYaml(spec);
  for (const v of KFP_VERSIONS) {
    const { limits, requests } = podSpecFor(uploadPipeline(text, v), 'load-data').resources;
    assert.equal(parseQuantity(limits.cpu), 2, v);
    assert.equal(parseQuantity(requests.cpu), 0.5, v);
    assert.equal(parseQuantity(limits.memory), 4 * 2 ** 30, v);
    assert.equal(parseQuantity(requests.memory), 2 * 2 ** 30, v);
    assert.equal(parseQuantity(limits['sgx.intel.com/epc']), 64 * 2 ** 20, v);
  }
  assert.deepEqual(podSpecFor(uploadPipeline(text, '2.0.5'), 'load-data').resources.limits, { memory: '4.294967296G', cpu: '2', 'sgx.intel.com/epc': '67108864' });
  assert.equal(goFloat(1e6), '1e+06'); // strconv ftoa.go: shortest %v switches to %e at exp >= 6
});

test('retries become an Argo retryStrategy only from 2.5 (compiler/argocompiler/container.go@2.5.0 getTaskRetryStrategy)', async () => {
  const [spec] = docs(await compiledYaml());
  spec.root.dag.tasks['load-data'].retryPolicy = { maxRetryCount: 2, backoffDuration: '0s', backoffFactor: 2, backoffMaxDuration: '3600s' };
  const text = toYaml(spec);
  assert.equal(podSpecFor(uploadPipeline(text, '2.0.5'), 'load-data').retryStrategy, undefined);
  assert.equal(podSpecFor(uploadPipeline(text, '2.3'), 'load-data').retryStrategy, undefined);
  assert.deepEqual(podSpecFor(uploadPipeline(text, 'HEAD'), 'load-data').retryStrategy, { limit: 2, backoff: { duration: '0', factor: 2, maxDuration: '3600' } });
});

test('a root input artifact the run was not given fails as resolve.go@HEAD resolveInputArtifact (and driver.go@2.0.5) does', async () => {
  const yaml = await loadDataOnly((spec) => {
    spec.components['comp-load-data'].inputDefinitions.artifacts = { seed_data: { artifactType: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' }, isOptional: true } };
    spec.root.dag.tasks['load-data'].inputs.artifacts = { seed_data: { componentInputArtifact: 'seed_data' } };
    spec.root.inputDefinitions.artifacts = { seed_data: { artifactType: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' }, isOptional: true } };
  });
  for (const v of ['2.0.5', 'HEAD'] as KfpVersion[]) {
    await assert.rejects(
      runPipeline(uploadPipeline(yaml, v), { root: tempDir(), appDir: repoRoot }),
      (e: unknown) => e instanceof KfpDriverError && /failed to resolve inputs: failed to resolve input artifact seed_data with spec component_input_artifact:"seed_data": parent DAG does not have input artifact seed_data$/.test(e.message),
    );
  }
});

test('executor-logs: provisioned from 2.5 (driver.go@2.5.0 provisionOutputs), holds the container output (launcher_v2.go@2.5.0 getLogWriter); URI and outputFile forms per version', async () => {
  const cwd = tempDir();
  const raw = writeRawCsv(cwd, 'raw.csv', 50);
  const yaml = await loadDataOnly();
  for (const v of KFP_VERSIONS) {
    const run = await runPipeline(uploadPipeline(yaml, v), { root: join(cwd, v), appDir: repoRoot, parameters: { data_url: raw, data_size: 60 }, runId: 'run-1' });
    const task = run.tasks.get('load-data')!;
    const outs = task.executorInput!.outputs!;
    assert.equal('executor-logs' in outs.artifacts, v === '2.5' || v === 'HEAD', v);
    const uri = outs.artifacts.credit_risk_dataset.artifacts[0].uri!;
    if (v === '2.0.5' || v === '2.3') assert.equal(uri, 'minio://mlpipeline/v2/artifacts/loan-default/run-1/load-data/credit_risk_dataset');
    else assert.match(uri, /^minio:\/\/mlpipeline\/v2\/artifacts\/loan-default\/run-1\/load-data\/[0-9a-f-]{36}\/credit_risk_dataset$/);
    assert.equal(outs.artifacts.credit_risk_dataset.artifacts[0].name, v === 'HEAD' ? 'credit_risk_dataset' : undefined);
    assert.equal(outs.outputFile, v === 'HEAD' ? uri.replace('minio://', '/minio/').replace(/credit_risk_dataset$/, 'output_metadata.json') : '/tmp/kfp_outputs/output_metadata.json');
    // The driver leaves unbound optional parameters out; the launcher adds the component default (launcher_v2.go addDefaultParams).
    assert.deepEqual(task.executorInput!.inputs.parameterValues, { data_url: raw, data_size: 60, seed: 0, artifact_format: 'csv' });
    assert.ok(!('executor-logs' in (task.launch!.executorOutput.artifacts as Json)));
    if (v === '2.5' || v === 'HEAD') assert.ok(readFileSync(task.outputs['executor-logs'].hostPath!, 'utf8').length >= 0);
    assert.ok(readFileSync(task.outputs.credit_risk_dataset.hostPath!).length > 0);
  }
});

test('executor output file is parsed strictly (launcher_v2.go@HEAD getExecutorOutputFile protojson.Unmarshal) and merged (mergeRuntimeArtifacts)', async () => {
  const cwd = tempDir();
  const script = join(cwd, 'fake.mjs');
  // A container that writes an output file with an unknown field: the real launcher fails the task.
  writeFileSync(script, `import {writeFileSync,mkdirSync} from 'node:fs';import {dirname} from 'node:path';const i=JSON.parse(process.argv[2]);mkdirSync(dirname(i.outputs.outputFile),{recursive:true});writeFileSync(i.outputs.outputFile, process.env.OUT);const u=i.outputs.artifacts.credit_risk_dataset.artifacts[0].uri;writeFileSync(u,'x');`);
  const make = (out: string) =>
    loadDataOnly((spec) => {
      spec.deploymentSpec.executors['exec-load-data'].container = { image: 'x', command: ['node', script, '{{$}}'], env: [{ name: 'OUT', value: out }] };
    });
  await assert.rejects(runPipeline(uploadPipeline(await make('{"artifacts":{},"extra":1}'), 'HEAD'), { root: join(cwd, 'a'), appDir: repoRoot }), /failed to unmarshall ExecutorOutput in file .*unknown field "extra"/);
  const ok = await runPipeline(uploadPipeline(await make('{"artifacts":{"credit_risk_dataset":{"artifacts":[{"metadata":{"rows":3,"ok":true}}]}}}'), '2.3'), { root: join(cwd, 'b'), appDir: repoRoot });
  // RecordArtifact (metadata/client.go@2.3.0): metadata -> custom properties (bool -> int), display_name, store_session_info.
  const rec = ok.tasks.get('load-data')!.outputs.credit_risk_dataset;
  assert.equal(rec.customProperties.rows, 3);
  assert.equal(rec.customProperties.ok, 1);
  assert.equal(rec.customProperties.display_name, 'credit_risk_dataset');
  assert.ok('store_session_info' in rec.customProperties);
});

test('importer task (component/importer_launcher.go@HEAD): the artifact is the given URI, no container runs; downstream gets it as ToRuntimeArtifact shapes it', async () => {
  const [spec] = docs(await compiledYaml());
  const cwd = tempDir();
  const raw = writeRawCsv(cwd, 'raw.csv', 40);
  spec.deploymentSpec.executors['exec-importer'] = { importer: { artifactUri: { runtimeParameter: 'uri' }, typeSchema: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' }, metadata: { origin: 'test' } } };
  spec.components['comp-importer'] = { executorLabel: 'exec-importer', inputDefinitions: { parameters: { uri: { parameterType: 'STRING' } } }, outputDefinitions: { artifacts: { artifact: { artifactType: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' } } } } };
  spec.root.inputDefinitions.parameters.raw_uri = { parameterType: 'STRING', defaultValue: '', isOptional: true };
  spec.root.dag.tasks = {
    importer: { taskInfo: { name: 'importer' }, componentRef: { name: 'comp-importer' }, inputs: { parameters: { uri: { componentInputParameter: 'raw_uri' } } } },
    'load-data': spec.root.dag.tasks['load-data'],
  };
  const yaml = toYaml(spec);
  for (const v of KFP_VERSIONS) {
    const run = await runPipeline(uploadPipeline(yaml, v), { root: join(cwd, v), appDir: repoRoot, parameters: { raw_uri: 'minio://mlpipeline/imports/raw.csv', data_url: raw, data_size: 50 } });
    const imp = run.tasks.get('importer')!;
    assert.equal(imp.kind, 'importer');
    assert.equal(imp.outputs.artifact.uri, 'minio://mlpipeline/imports/raw.csv');
    assert.equal(imp.outputs.artifact.customProperties.origin, 'test');
  }
  // From 2.3.0 a URI without a provider scheme is refused (objectstore ParseProviderFromPath); 2.0.5 accepts it.
  await assert.rejects(runPipeline(uploadPipeline(yaml, 'HEAD'), { root: join(cwd, 'x'), appDir: repoRoot, parameters: { raw_uri: raw, data_url: raw, data_size: 50 } }), (e: unknown) => e instanceof KfpImporterError && /no provider scheme found in artifact URI/.test(e.message));
  await assert.rejects(runPipeline(uploadPipeline(yaml, 'HEAD'), { root: join(cwd, 'y'), appDir: repoRoot, parameters: { data_url: raw, data_size: 50 } }), /empty artifact URI runtime value for parameter uri/);
});

test('pod metadata before 2.14 is that of the shared container template: the first container task in sorted order (argocompiler/container.go@2.3.0, @2.5.0 addContainerExecutorTemplate; visitor.go@2.3.0 dfs)', async () => {
  // Per-task labels, as `sealed compile` refuses them before 2.14 (compiler/kfpVersions.ts perTaskPodMetadata).
  const [spec, platform] = docs(await compiledYaml());
  const executors = (platform as Json).platforms.kubernetes.deploymentSpec.executors as Json;
  for (const [label, config] of Object.entries(executors)) config.podMetadata = { labels: { task: label } };
  const text = toYaml(spec, platform);
  for (const v of ['2.3', '2.5', 'HEAD'] as const) {
    const pod = podSpecFor(uploadPipeline(text, v), 'train-model');
    // batch-inference sorts first among the container tasks, so its template (and labels) serve every pod before 2.14.
    assert.deepEqual(pod.labels, { task: v === 'HEAD' ? 'exec-train-model' : 'exec-batch-inference' }, v);
  }
});
