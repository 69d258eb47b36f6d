// One definition, two engines: the loan-default pipeline run locally (`sealed run`) and the compiled YAML run the way
// each Kubeflow Pipelines backend runs it (test/pipeline/helpers/kfpLauncher/: upload parse, driver, launcher, pod spec,
// derived from kubeflow/pipelines at 2.0.5, 2.3.0, 2.5.0 and HEAD; each of its files names the Go file it follows)
// produce the same 15 artifacts, byte for byte, and the same metadata. Per version: one full run compiled with every
// deploy option that version can honour (its pod spec checked on every task), the default compile checked at
// upload + pod level, and the options it cannot honour refused at compile time.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunManifest } from '../../../src/pipeline/index.ts';
import { repoRoot } from '../../helpers/sharedData.ts';
import { KFP_VERSIONS, parseQuantity, podSpecFor, PROFILES, runPipeline, uploadPipeline, type KfpVersion } from '../../pipeline/helpers/kfpLauncher/index.ts';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';
import { sealed, writeRawCsv } from './helpers.ts';

const IMAGE = 'registry.example/sealed-pipelines:0.1.0';
/** `compile --kfp-version` takes releases; HEAD is compiled for the newest tag in the mirror (2.17.0). */
const RELEASE: Record<KfpVersion, string> = { '2.0.5': '2.0.5', '2.3': '2.3', '2.5': '2.5', HEAD: '2.17' };

// Options every 2.x honours (resources: legacy numeric fields read by driver.go@2.0.5 initPodSpecPatch; nodeSelector
// in kubernetes_executor_config.proto@bd9f74e34de6), no-cache (cachingOptions, pipeline_spec.proto@758c91f76784).
const ALWAYS = ['--cpu-request', '500m', '--cpu-limit', '2', '--memory-request', '1Gi', '--memory-limit', '4Gi', '--epc', '64Mi', '--node-selector', 'pool=sgx', '--no-cache'];
// Platform fields added to kubernetes_executor_config.proto by d911c8b73b49 (go.mod@2.3.0) and applied by
// driver.go@2.3.0 extendPodSpecPatch / argocompiler/container.go@2.3.0 extendPodMetadata.
const FROM_2_3 = ['--toleration', 'sgx=true:NoSchedule', '--pod-label', 'team=risk', '--pod-annotation', 'note=kfp', '--image-pull-secret', 'acr-pull', '--deadline', '3600'];
// retryPolicy -> Argo retryStrategy from argocompiler/container.go@2.5.0 getTaskRetryStrategy.
const FROM_2_5 = ['--retries', '2'];
const supported = (v: KfpVersion) => [...ALWAYS, ...(v === '2.0.5' ? [] : FROM_2_3), ...(PROFILES[v].retries ? FROM_2_5 : [])];

const cwd = tempDir();
const raw = writeRawCsv(cwd, 'raw.csv', 300);
let manifest: RunManifest;
const TASKS = ['load-data', 'create-train-test-set', 'preprocess-features', 'train-model', 'compile-model', 'batch-inference', 'plot-roc-curve'];

before(async () => {
  const local = await sealed(['run', '--data-url', raw, '--data-size', '600', '--seed', '4', '--threads', '1', '--run-dir', 'local'], cwd);
  assert.equal(local.code, 0, local.stderr);
  manifest = JSON.parse(readFileSync(join(cwd, 'local', 'run.json'), 'utf8')) as RunManifest;
});

async function compile(file: string, v: KfpVersion, options: string[]): Promise<string> {
  const r = await sealed(['compile', '--output', file, '--image', IMAGE, '--kfp-version', RELEASE[v], ...options], cwd);
  assert.equal(r.code, 0, `compile for ${v}: ${r.stderr}`);
  return readFileSync(join(cwd, file), 'utf8');
}

for (const v of KFP_VERSIONS) {
  test(`KFP ${v}: the default compile uploads and every pod gets the SGX node selector (v2_template.go@${PROFILES[v].tag}, driver extendPodSpecPatch)`, async () => {
    const uploaded = uploadPipeline(await compile(`default-${v}.yaml`, v, []), v);
    assert.deepEqual(uploaded.discardedFields, [], 'nothing the backend silently drops (compiler/visitor.go GetDeploymentConfig)');
    for (const task of TASKS) assert.deepEqual(podSpecFor(uploaded, task).nodeSelector, { intelvm: 'sgx' }, task);
  });

  test(`KFP ${v}: options this backend cannot honour are refused at compile time`, async () => {
    const refused = [...(v === '2.0.5' ? FROM_2_3 : []), ...(PROFILES[v].retries ? [] : FROM_2_5)];
    for (let i = 0; i < refused.length; i += 2) {
      const r = await sealed(['compile', '--output', 'refused.yaml', '--image', IMAGE, '--kfp-version', RELEASE[v], refused[i], refused[i + 1]], cwd);
      assert.notEqual(r.code, 0, `${refused[i]} must be refused for ${v}`);
    }
  });

  test(`KFP ${v}: compiled with every option it supports, the run gives the local run's artifacts byte for byte`, async () => {
    const uploaded = uploadPipeline(await compile(`all-${v}.yaml`, v, supported(v)), v);
    // Pod spec per task: driver.go initPodSpecPatch (resources per version, versions.ts) + extendPodSpecPatch.
    for (const task of TASKS) {
      const pod = podSpecFor(uploaded, task);
      const { limits, requests } = pod.resources;
      assert.equal(parseQuantity(limits.cpu ?? 'x'), 2, `${task} cpu limit`);
      assert.equal(parseQuantity(requests.cpu ?? 'x'), 0.5, `${task} cpu request`);
      assert.equal(parseQuantity(limits.memory ?? 'x'), 4 * 2 ** 30, `${task} memory limit`);
      assert.equal(parseQuantity(requests.memory ?? 'x'), 2 ** 30, `${task} memory request`);
      assert.equal(parseQuantity(limits['sgx.intel.com/epc'] ?? 'x'), 64 * 2 ** 20, `${task} sgx.intel.com/epc`);
      assert.deepEqual(pod.nodeSelector, { pool: 'sgx' }, task);
      if (v !== '2.0.5') {
        assert.deepEqual(pod.tolerations, [{ key: 'sgx', operator: 'Equal', value: 'true', effect: 'NoSchedule' }], task);
        assert.deepEqual(pod.labels, { team: 'risk' }, task);
        assert.deepEqual(pod.annotations, { note: 'kfp' }, task);
        assert.deepEqual(pod.imagePullSecrets, [{ name: 'acr-pull' }], task);
        assert.equal(pod.activeDeadlineSeconds, 3600, task);
      }
      if (PROFILES[v].retries) assert.equal(pod.retryStrategy?.limit, 2, task);
      assert.equal(uploaded.spec.root.dag.tasks[task].cachingOptions?.enableCache ?? false, false, `${task} --no-cache`);
    }
    const run = await runPipeline(uploaded, { root: join(cwd, `kfp-${v}`), appDir: repoRoot, parameters: { data_url: raw, data_size: 600, seed: 4, threads: 1 } });
    const containers = [...run.tasks].filter(([, t]) => t.kind === 'container').map(([k]) => k);
    assert.deepEqual(containers.sort(), Object.keys(manifest.tasks).sort());
    let compared = 0;
    for (const [task, record] of Object.entries(manifest.tasks)) {
      const launched = run.tasks.get(task)!;
      assert.deepEqual(launched.launch!.containerInput.inputs.parameterValues, record.parameters ?? {}, `${task} parameters`);
      for (const [key, out] of Object.entries(record.outputs ?? {})) {
        const kfp = launched.outputs[key];
        assert.ok(readFileSync(kfp.hostPath!).equals(readFileSync(join(cwd, 'local', out.path))), `${task}/${key} differs`);
        const localMetadata = (out.metadataPath ? JSON.parse(readFileSync(join(cwd, 'local', out.metadataPath), 'utf8')) : (out.metadata ?? {})) as Record<string, unknown>;
        // The launcher's view: the executor output's metadata merged into the provisioned artifact (launcher_v2.go mergeRuntimeArtifacts).
        const written = (launched.launch!.executorOutput.artifacts as Record<string, { artifacts: { metadata?: Record<string, unknown> }[] }>)[key]?.artifacts[0].metadata ?? {};
        const { trainSeconds: _a, ...kfpRest } = written;
        const { trainSeconds: _b, ...localRest } = localMetadata;
        assert.deepEqual(kfpRest, localRest, `${task}/${key} metadata`);
        compared++;
      }
    }
    assert.equal(compared, 15);
    // What the Kubeflow UI reads: flat numeric metrics, a finite ROC and a square confusion matrix.
    const metadataOf = (task: string, key: string) => (run.tasks.get(task)!.launch!.executorOutput.artifacts as Record<string, { artifacts: { metadata: Record<string, unknown> }[] }>)[key].artifacts[0].metadata;
    const metrics = metadataOf('batch-inference', 'metrics') as Record<string, number>;
    assert.deepEqual(Object.keys(metrics).sort(), ['AUC', 'Accuracy']);
    assert.ok(Object.values(metrics).every(Number.isFinite));
    const roc = metadataOf('plot-roc-curve', 'roc_curve') as { confidenceMetrics: Record<string, number>[]; confusionMatrix: { annotationSpecs: unknown[]; rows: { row: number[] }[] } };
    assert.ok(roc.confidenceMetrics.every((p) => [p.confidenceThreshold, p.falsePositiveRate, p.recall].every(Number.isFinite)));
    assert.equal(roc.confusionMatrix.annotationSpecs.length, 2);
    assert.deepEqual(roc.confusionMatrix.rows.map((r) => r.row.length), [2, 2]);
    const testRows = readFileSync(join(cwd, 'local', manifest.tasks['create-train-test-set'].outputs!.y_test_data.path), 'utf8').trim().split('\n').length;
    assert.equal(roc.confusionMatrix.rows.flatMap((r) => r.row).reduce((a, b) => a + b, 0), testRows);
    // executor-logs only where the driver provisions it (driver.go@2.5.0 provisionOutputs), never in the executor's output.
    const logs = run.tasks.get('load-data')!.executorInput!.outputs!.artifacts['executor-logs'];
    assert.equal(logs !== undefined, PROFILES[v].executorLogs);
    assert.ok(!('executor-logs' in (run.tasks.get('load-data')!.launch!.executorOutput.artifacts as object)));
  });
}

// Continuing a model on Kubeflow (README "Continuing a model on Kubeflow"): `--input-artifact init_model=URI` compiles
// an importer task (importer_launcher.go: the artifact is the object at the URI, no container) that train-model
// continues from, exactly as `sealed run --init-model` does locally; the run parameter init_model_uri can point a run
// elsewhere. The model continued is the local run's own.
test('KFP HEAD: init_model imported from the object store continues training as sealed run --init-model does', async () => {
  const model = join(cwd, 'local', manifest.tasks['train-model'].outputs!.model.path);
  const local = await sealed(['run', '--data-url', raw, '--data-size', '600', '--seed', '4', '--threads', '1', '--run-dir', 'local-continued', '--init-model', model], cwd);
  assert.equal(local.code, 0, local.stderr);
  const continued = JSON.parse(readFileSync(join(cwd, 'local-continued', 'run.json'), 'utf8')) as RunManifest;

  const root = join(cwd, 'kfp-continued');
  mkdirSync(join(root, 'minio', 'mlpipeline', 'models'), { recursive: true });
  copyFileSync(model, join(root, 'minio', 'mlpipeline', 'models', 'previous.json'));
  const uploaded = uploadPipeline(await compile('continued.yaml', 'HEAD', ['--input-artifact', 'init_model=minio://mlpipeline/models/elsewhere.json']), 'HEAD');
  const run = await runPipeline(uploaded, {
    root,
    appDir: repoRoot,
    parameters: { data_url: raw, data_size: 600, seed: 4, threads: 1, init_model_uri: 'minio://mlpipeline/models/previous.json' },
  });
  assert.equal(run.tasks.get('import-init-model')!.kind, 'importer');
  assert.equal(run.tasks.get('train-model')!.launch!.containerInput.inputs.artifacts?.init_model !== undefined, true, 'train-model got init_model');
  for (const [task, key] of [['train-model', 'model'], ['batch-inference', 'prediction_data']] as const) {
    const expected = readFileSync(join(cwd, 'local-continued', continued.tasks[task].outputs![key].path));
    assert.ok(readFileSync(run.tasks.get(task)!.outputs[key].hostPath!).equals(expected), `${task}/${key} differs from the local continued run`);
  }
});
