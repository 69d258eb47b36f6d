// Deploy options -> the IR: each option lands in the KFP field the contract names (container
// resources and the SGX EPC accelerator, retry and caching policies, and the Kubernetes
// platform config with int64 fields as strings); layers override field by field; mistakes
// name the layer and the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { PipelineError } from '../../src/core/index.ts';
import { compilePipelineDocuments, definePipeline, toPipelineYaml, type DeployOptions } from '../../src/pipeline/index.ts';
import { evaluate, fitModel, makeNumbers, splitNumbers, toyPipeline } from './fixtures/toyComponents.ts';

const everything: DeployOptions = {
  nodeSelector: { intelvm: 'sgx', 'kubernetes.azure.com/agentpool': 'intelsgx' },
  tolerations: [{ key: 'sgx.intel.com/epc', operator: 'Exists', effect: 'NoSchedule' }, { key: 'dedicated', value: 'ml', effect: 'NoExecute', tolerationSeconds: 10 }],
  podLabels: { team: 'risk' },
  podAnnotations: { 'example.com/owner': 'risk team' },
  secretsAsEnv: [{ secretName: 'mlpipeline-minio-artifact', keys: { accesskey: 'AWS_ACCESS_KEY_ID', secretkey: 'AWS_SECRET_ACCESS_KEY' }, optional: false }],
  imagePullSecrets: ['acr-pull'],
  activeDeadlineSeconds: 3600,
  cpuRequest: '500m',
  cpuLimit: '2',
  memoryRequest: '2Gi',
  memoryLimit: '4Gi',
  epc: '64Mi',
  retries: 3,
  caching: false,
};

test('every deploy option is emitted in its KFP field (for KFP 2.16, which has them all)', () => {
  const { spec, platform } = compilePipelineDocuments(toyPipeline, { deploy: everything, kfpVersion: '2.16' });
  // Numbers and strings side by side, as the KFP SDK writes them (sdk/python/kfp/compiler/pipeline_spec_builder.py@HEAD).
  assert.deepEqual(spec.deploymentSpec.executors['exec-fit-model'].container!.resources, {
    cpuLimit: 2,
    memoryLimit: 4.294967296,
    cpuRequest: 0.5,
    memoryRequest: 2.147483648,
    resourceCpuLimit: '2',
    resourceMemoryLimit: '4Gi',
    resourceCpuRequest: '500m',
    resourceMemoryRequest: '2Gi',
    accelerator: { type: 'sgx.intel.com/epc', count: '67108864', resourceType: 'sgx.intel.com/epc', resourceCount: '64Mi' },
  });
  const task = spec.root.dag.tasks['fit-model'];
  assert.deepEqual(task.retryPolicy, { maxRetryCount: 3, backoffDuration: '0s', backoffFactor: 2, backoffMaxDuration: '3600s' });
  assert.deepEqual(task.cachingOptions, {});
  assert.deepEqual(platform?.platforms.kubernetes.deploymentSpec.executors['exec-fit-model'], {
    nodeSelector: { labels: { intelvm: 'sgx', 'kubernetes.azure.com/agentpool': 'intelsgx' } },
    tolerations: [
      { key: 'sgx.intel.com/epc', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoExecute', tolerationSeconds: '10' },
    ],
    podMetadata: { labels: { team: 'risk' }, annotations: { 'example.com/owner': 'risk team' } },
    secretAsEnv: [
      {
        secretName: 'mlpipeline-minio-artifact',
        keyToEnv: [{ secretKey: 'accesskey', envVar: 'AWS_ACCESS_KEY_ID' }, { secretKey: 'secretkey', envVar: 'AWS_SECRET_ACCESS_KEY' }],
        optional: false,
      },
    ],
    imagePullSecret: [{ secretName: 'acr-pull' }],
    activeDeadlineSeconds: '3600',
  });
  assert.equal(Object.keys(platform?.platforms.kubernetes.deploymentSpec.executors ?? {}).length, 4);
});

test('without deploy options there is no platform document, no resources and no retry policy', () => {
  const docs = compilePipelineDocuments(toyPipeline);
  assert.equal(docs.platform, undefined);
  assert.equal(docs.spec.deploymentSpec.executors['exec-fit-model'].container!.resources, undefined);
  assert.equal(docs.spec.root.dag.tasks['fit-model'].retryPolicy, undefined);
  assert.deepEqual(docs.spec.root.dag.tasks['fit-model'].cachingOptions, { enableCache: true });
  const yamlDocs = parseAllDocuments(toPipelineYaml(docs));
  assert.equal(yamlDocs.length, 1);
  assert.deepEqual(yamlDocs[0].toJS(), docs.spec);
});

test('the YAML file is the spec then the platform config, and reads back to the same objects', () => {
  const docs = compilePipelineDocuments(toyPipeline, { deploy: everything, kfpVersion: '2.16' });
  const text = toPipelineYaml(docs);
  const [a, b, ...rest] = parseAllDocuments(text).map((d) => d.toJS() as unknown);
  assert.equal(rest.length, 0);
  assert.deepEqual(a, docs.spec);
  assert.deepEqual(b, docs.platform);
  assert.match(text, /^# Kubeflow Pipelines v2 pipeline 'toy-pipeline'/);
});

const layered = definePipeline({
  name: 'layered',
  deploy: { nodeSelector: { intelvm: 'sgx' }, cpuRequest: '1', podLabels: { a: 'pipeline' } },
  build: (p) => {
    const numbers = p.task(makeNumbers);
    const split = p.task(splitNumbers, { inputs: { data: numbers.outputs.numbers } });
    const model = p.task(fitModel, { inputs: { train: split.outputs.train } });
    p.task(evaluate, { inputs: { model: model.outputs.model, test: split.outputs.test } });
  },
});

test('layers: the pipeline default, then all tasks, then one task; a field is replaced whole, null removes the node selector', () => {
  const { spec, platform } = compilePipelineDocuments(layered, {
    deploy: { podLabels: { b: 'all' }, memoryLimit: '1Gi' },
    taskDeploy: { 'fit-model': { nodeSelector: null, cpuRequest: '4', retries: 1 } },
    kfpVersion: '2.5',
  });
  const k8s = platform?.platforms.kubernetes.deploymentSpec.executors ?? {};
  assert.deepEqual(k8s['exec-make-numbers'], { nodeSelector: { labels: { intelvm: 'sgx' } }, podMetadata: { labels: { b: 'all' } } });
  assert.deepEqual(k8s['exec-fit-model'], { podMetadata: { labels: { b: 'all' } } });
  assert.deepEqual(spec.deploymentSpec.executors['exec-make-numbers'].container!.resources, { memoryLimit: 1.073741824, cpuRequest: 1, resourceMemoryLimit: '1Gi', resourceCpuRequest: '1' });
  assert.deepEqual(spec.deploymentSpec.executors['exec-fit-model'].container!.resources, { memoryLimit: 1.073741824, cpuRequest: 4, resourceMemoryLimit: '1Gi', resourceCpuRequest: '4' });
  assert.equal(spec.root.dag.tasks['fit-model'].retryPolicy?.maxRetryCount, 1);
  assert.equal(spec.root.dag.tasks['make-numbers'].retryPolicy, undefined);
});

test('tasks sharing a component (one executor) must share deploy options', () => {
  const twice = definePipeline({
    name: 'twice',
    build: (p) => {
      const a = p.task(makeNumbers, { name: 'numbers-a' });
      p.task(makeNumbers, { name: 'numbers-b', after: [a] });
    },
  });
  assert.ok(compilePipelineDocuments(twice, { taskDeploy: { 'numbers-a': { cpuRequest: '1' }, 'numbers-b': { cpuRequest: '1' } } }));
  assert.throws(
    () => compilePipelineDocuments(twice, { taskDeploy: { 'numbers-a': { cpuRequest: '1' } } }),
    /tasks 'numbers-a' and 'numbers-b' run component 'make-numbers' \(one executor\) but are given different deploy options/,
  );
});

test('bad deploy options name the layer and the field', () => {
  const cases: [Parameters<typeof compilePipelineDocuments>[1], RegExp][] = [
    [{ deploy: { cpuRequest: 'two' } }, /^deploy options for all tasks: cpuRequest: must be a Kubernetes quantity/],
    [{ deploy: { epc: '64 MiB' } }, /^deploy options for all tasks: epc: must be a Kubernetes quantity/],
    [{ deploy: { nodeSelector: { 'bad key': 'x' } } }, /nodeSelector\.bad key: key 'bad key' must be a Kubernetes label key/],
    [{ deploy: { nodeSelector: { intelvm: 'not valid!' } } }, /nodeSelector\.intelvm: must be a Kubernetes label value/],
    [{ deploy: { imagePullSecrets: ['Not_A_Name'] } }, /imagePullSecrets\.0: must be a Kubernetes object name/],
    [{ deploy: { secretsAsEnv: [{ secretName: 's', keys: { k: '1BAD' } }] } }, /secretsAsEnv\.0\.keys\.k: must be an environment variable name/],
    [{ deploy: { retries: -1 } }, /retries/],
    [{ deploy: { activeDeadlineSeconds: 0 } }, /activeDeadlineSeconds/],
    [{ deploy: { tolerations: [{ key: 'k', operator: 'Sometimes' }] } } as never, /tolerations\.0\.operator/],
    [{ deploy: { nodeSelectr: { a: 'b' } } } as never, /unknown option 'nodeSelectr'/],
    [{ taskDeploy: { 'fit-model': { memoryLimit: 'lots' } } }, /^deploy options of task 'fit-model': memoryLimit/],
    [{ taskDeploy: { 'no-such-task': {} } }, /no task 'no-such-task' \(tasks: make-numbers, split-numbers, fit-model, evaluate\)/],
  ];
  for (const [options, re] of cases) {
    assert.throws(() => compilePipelineDocuments(toyPipeline, options), (e: unknown) => e instanceof PipelineError && re.test(e.message), String(re));
  }
  assert.throws(() => definePipeline({ name: 'x', deploy: { cpuLimit: '1 core' }, build: () => {} }), /deploy options of pipeline 'x': cpuLimit/);
});
