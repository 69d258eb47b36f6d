// `--kfp-version`: what each KFP 2.x backend accepts and honours (src/pipeline/compiler/kfpVersions.ts,
// each profile citing the go.mod pins and proto/driver files it was read from). A field a release's
// PipelineSpec lacks fails the upload (backend/src/apiserver/template/v2_template.go: strict protojson),
// one in deploymentSpec is dropped silently (backend/src/v2/compiler/visitor.go@2.0.5), one in the
// platform config fails the task's driver: so each is written only for releases that read it, and
// options a release would drop are refused at compile time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PipelineError } from '../../../src/core/index.ts';
import { compilePipelineDocuments, kfpTarget, type DeployOptions } from '../../../src/pipeline/index.ts';
import { toyPipeline } from '../fixtures/toyComponents.ts';

const resources: DeployOptions = { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '2Gi', memoryLimit: '4Gi', epc: '64Mi' };
const legacy = { cpuLimit: 2, memoryLimit: 4.294967296, cpuRequest: 0.5, memoryRequest: 2.147483648, accelerator: { type: 'sgx.intel.com/epc', count: '67108864' } };
const strings = { resourceCpuLimit: '2', resourceMemoryLimit: '4Gi', resourceCpuRequest: '500m', resourceMemoryRequest: '2Gi' };

test('versions map onto the newest profile at or below them', () => {
  const at = (v: string) => {
    const t = kfpTarget(v);
    assert.ok(!('problem' in t), v);
    return t;
  };
  assert.deepEqual(at('2.0.5').profile.since, [2, 0, 0]);
  assert.deepEqual(at('v2.3').profile.since, [2, 1, 0]);
  assert.deepEqual(at('2.4.1').profile.since, [2, 4, 0]);
  assert.deepEqual(at('2.13.9').profile.since, [2, 5, 0]);
  assert.deepEqual(at('2.14.3').profile.since, [2, 14, 0]);
  assert.deepEqual(at('2.15.0').profile.since, [2, 15, 0]);
  assert.deepEqual(at('2.17').profile.since, [2, 16, 0]);
  for (const bad of ['1.8.5', '3.0', 'latest', '2.x', '', '2.0.5; rm -rf /']) assert.ok('problem' in kfpTarget(bad), bad);
});

test('resources: the numbers only before 2.4 (whose protos lack the strings), numbers and strings from 2.4', () => {
  for (const [version, expected] of [
    ['2.0.5', legacy],
    ['2.3.0', legacy],
    ['2.4.0', { ...legacy, ...strings, accelerator: { ...legacy.accelerator, resourceType: 'sgx.intel.com/epc', resourceCount: '64Mi' } }],
    ['2.16.0', { ...legacy, ...strings, accelerator: { ...legacy.accelerator, resourceType: 'sgx.intel.com/epc', resourceCount: '64Mi' } }],
  ] as const) {
    const { spec } = compilePipelineDocuments(toyPipeline, { deploy: resources, kfpVersion: version });
    assert.deepEqual(spec.deploymentSpec.executors['exec-fit-model'].container!.resources, expected, version);
  }
});

test('each option is refused for the releases that cannot honour it, and accepted from the first that can', () => {
  const cases: [DeployOptions, string, string][] = [
    [{ tolerations: [{ key: 'sgx', operator: 'Exists' }] }, 'tolerations', '2.1'],
    [{ podLabels: { team: 'risk' } }, 'podLabels', '2.1'],
    [{ podAnnotations: { owner: 'risk' } }, 'podAnnotations', '2.1'],
    [{ imagePullSecrets: ['acr'] }, 'imagePullSecrets', '2.1'],
    [{ activeDeadlineSeconds: 60 }, 'activeDeadlineSeconds', '2.1'],
    [{ retries: 2 }, 'retries', '2.5'],
    [{ secretsAsEnv: [{ secretName: 's', keys: { k: 'K' }, optional: true }] }, 'secretsAsEnv.optional', '2.15'],
  ];
  for (const [deploy, option, first] of cases) {
    const [major, minor] = first.split('.').map(Number);
    const before = minor === 1 ? '2.0.5' : `${major}.${minor - 1}.0`;
    assert.throws(
      () => compilePipelineDocuments(toyPipeline, { deploy, kfpVersion: before }),
      (e: unknown) => e instanceof PipelineError && e.code === 'pipeline.kfpVersionUnsupported' && e.message.includes(`'${option}'`) && e.message.includes(`needs Kubeflow Pipelines ${first} or later`),
      `${option} on ${before}`,
    );
    assert.ok(compilePipelineDocuments(toyPipeline, { deploy, kfpVersion: first }), `${option} on ${first}`);
  }
  // What 2.0.x does honour: node selectors and secrets as environment variables.
  assert.ok(compilePipelineDocuments(toyPipeline, { deploy: { nodeSelector: { intelvm: 'sgx' }, secretsAsEnv: [{ secretName: 's', keys: { k: 'K' } }], retries: 0 }, kfpVersion: '2.0.5' }));
});

test('literals only for 2.16 and later, whose ParameterSpec has them (api/v2alpha1/pipeline_spec.proto@2.16.0)', () => {
  const mode = (v: string) => compilePipelineDocuments(toyPipeline, { kfpVersion: v }).spec.components['comp-fit-model'].inputDefinitions!.parameters!.mode;
  assert.equal(mode('2.15.0').literals, undefined);
  assert.deepEqual(mode('2.16.0').literals, ['sum', 'mean']);
  assert.equal(mode('2.0.5').description, '[allowed: sum | mean]');
});

// driver.go@2.3.0 initPodSpecPatch: ParseQuantity(fmt.Sprintf("%vG", memoryLimit)); Go's %v of a float64 switches to
// exponent form below 1e-4 and from 1e6 ("6.5536e-05G", "2e+06G": no quantity), so the task would fail in its driver.
test('memory sizes whose legacy number Go would print in exponent form are refused before 2.4, accepted from 2.4', () => {
  for (const memoryLimit of ['64Ki', '1000', '2P']) {
    assert.throws(
      () => compilePipelineDocuments(toyPipeline, { deploy: { memoryLimit }, kfpVersion: '2.3.0' }),
      (e: unknown) => e instanceof PipelineError && /memoryLimit: .* cannot reach a pod on KFP 2\.3\.0: .*%vG/.test(e.message),
      memoryLimit,
    );
    assert.ok(compilePipelineDocuments(toyPipeline, { deploy: { memoryLimit }, kfpVersion: '2.4.0' }), memoryLimit);
  }
  for (const memoryLimit of ['100k', '512Mi', '999T']) assert.ok(compilePipelineDocuments(toyPipeline, { deploy: { memoryLimit }, kfpVersion: '2.0.5' }), memoryLimit);
});

// argocompiler/container.go@2.3.0 (and @2.5.0): one shared container template per workflow, made by the first task,
// carries that task's pod metadata for every pod; a870b1a325 (2.14.0) sets it per task.
test('per-task pod labels need 2.14; the same labels on every task are fine from 2.1', () => {
  const perTask = { deploy: { podLabels: { team: 'risk' } }, taskDeploy: { 'fit-model': { podLabels: { team: 'models' } } } };
  for (const kfpVersion of ['2.3.0', '2.5.0', '2.13.0']) {
    assert.throws(
      () => compilePipelineDocuments(toyPipeline, { ...perTask, kfpVersion }),
      (e: unknown) => e instanceof PipelineError && /needs Kubeflow Pipelines 2\.14 or later/.test(e.message),
      kfpVersion,
    );
  }
  assert.ok(compilePipelineDocuments(toyPipeline, { ...perTask, kfpVersion: '2.14.0' }));
  assert.ok(compilePipelineDocuments(toyPipeline, { deploy: { podLabels: { team: 'risk' } }, kfpVersion: '2.3.0' }));
});

test('an allowed value the description tag cannot carry is refused at compile time, not dropped', async () => {
  const { defineComponent, definePipeline, stringParam } = await import('../../../src/pipeline/index.ts');
  for (const bad of ['a]b', 'x | y', '']) {
    const c = defineComponent({ name: 'pick', parameters: { mode: stringParam('ok', { enum: ['ok', bad] }) }, outputs: {}, run: async () => {} });
    const p = definePipeline({ name: 'picks', build: (b) => void b.task(c) });
    assert.throws(() => compilePipelineDocuments(p), (e: unknown) => e instanceof PipelineError && /cannot be written so that it reads back the same/.test(e.message), JSON.stringify(bad));
  }
});
