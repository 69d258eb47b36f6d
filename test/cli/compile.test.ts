// `sealed compile`: writes the KFP YAML (the same text as the golden file by default), applies
// deploy flags and a per-task deploy config for the target KFP release (--kfp-version), and
// refuses bad input with one line naming the option or field — exit 2 for usage errors — without
// writing anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loanDefaultCatalog } from '../../src/cli/pipelineCatalog.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { runCli } from './helpers.ts';

const golden = readFileSync(new URL('../pipelines/loan-default/golden/loan-default.pipeline.yaml', import.meta.url), 'utf8');
const IMAGE = ['--image', 'sealed-pipelines:0.1.0'];
const compile = (cwd: string, args: string[]) => runCli(['compile', ...args], { catalog: loanDefaultCatalog, cwd });
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const docs = (path: string) => parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJS() as Json);

test('compile writes the golden YAML by default', async () => {
  const cwd = tempDir();
  const r = await compile(cwd, ['--output', 'pipeline.yaml', ...IMAGE]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(cwd, 'pipeline.yaml'), 'utf8'), golden);
  assert.match(r.stderr, /compiled pipeline 'loan-default' \(7 tasks, with Kubernetes platform config\) for Kubeflow Pipelines 2\.0\.5 and later to pipeline\.yaml/);
});

test('deploy flags reach every task, and the per-task config goes over them', async () => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'deploy.yaml'), 'tasks:\n  train-model:\n    cpuRequest: "2"\n    memoryLimit: 8Gi\n    retries: 0\n');
  const r = await compile(cwd, [
    '--output', 'p.yaml', '--pipeline', 'loan-default', '--image', 'myacr.azurecr.io/sealed:1.2', '--display-name', 'Loan default',
    '--node-selector', 'agentpool=intelsgx', '--node-selector', 'intelvm=sgx', '--toleration', 'sgx=true:NoSchedule', '--toleration', 'spot:NoExecute',
    '--epc', '64Mi', '--cpu-request', '500m', '--memory-limit', '4Gi', '--pod-label', 'team=risk', '--pod-annotation', 'owner=risk team',
    '--secret-env', 'minio:accesskey=AWS_ACCESS_KEY_ID', '--secret-env', 'minio:secretkey=AWS_SECRET_ACCESS_KEY', '--image-pull-secret', 'acr',
    '--deadline', '7200', '--retries', '2', '--no-cache', '--deploy-config', 'deploy.yaml', '--kfp-version', '2.5',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const [spec, platform] = docs(join(cwd, 'p.yaml'));
  assert.equal(spec.pipelineInfo.displayName, 'Loan default');
  const load = spec.deploymentSpec.executors['exec-load-data'].container;
  assert.equal(load.image, 'myacr.azurecr.io/sealed:1.2');
  assert.deepEqual(load.command, ['node', '/app/bin/sealed-executor']);
  assert.deepEqual(load.args, ['--component', 'load-data', '--executor-input', '{{$}}']);
  const epc = { type: 'sgx.intel.com/epc', count: '67108864', resourceType: 'sgx.intel.com/epc', resourceCount: '64Mi' };
  assert.deepEqual(load.resources, { memoryLimit: 4.294967296, cpuRequest: 0.5, resourceMemoryLimit: '4Gi', resourceCpuRequest: '500m', accelerator: epc });
  assert.deepEqual(spec.deploymentSpec.executors['exec-train-model'].container.resources, {
    memoryLimit: 8.589934592, cpuRequest: 2, resourceMemoryLimit: '8Gi', resourceCpuRequest: '2', accelerator: epc,
  });
  assert.equal(spec.root.dag.tasks['load-data'].retryPolicy.maxRetryCount, 2);
  assert.equal(spec.root.dag.tasks['train-model'].retryPolicy, undefined);
  for (const t of Object.values(spec.root.dag.tasks) as Json[]) assert.deepEqual(t.cachingOptions, {});
  const k8s = platform.platforms.kubernetes.deploymentSpec.executors['exec-batch-inference'];
  assert.deepEqual(k8s, {
    nodeSelector: { labels: { agentpool: 'intelsgx', intelvm: 'sgx' } },
    tolerations: [{ key: 'sgx', operator: 'Equal', value: 'true', effect: 'NoSchedule' }, { key: 'spot', operator: 'Exists', effect: 'NoExecute' }],
    podMetadata: { labels: { team: 'risk' }, annotations: { owner: 'risk team' } },
    secretAsEnv: [{ secretName: 'minio', keyToEnv: [{ secretKey: 'accesskey', envVar: 'AWS_ACCESS_KEY_ID' }, { secretKey: 'secretkey', envVar: 'AWS_SECRET_ACCESS_KEY' }] }],
    imagePullSecret: [{ secretName: 'acr' }],
    activeDeadlineSeconds: '7200',
  });
});

test('--node-selector none removes the SGX pinning (no platform document left)', async () => {
  const cwd = tempDir();
  const r = await compile(cwd, ['--output', 'p.yaml', ...IMAGE, '--node-selector', 'none']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(docs(join(cwd, 'p.yaml')).length, 1);
});

test('bad input: one line naming the option or field, nothing written', async () => {
  const cases: [string[], number, RegExp][] = [
    [['--pipeline', 'loan-defualt'], 2, /^sealed: unknown pipeline 'loan-defualt' \(pipelines: loan-default\)\n$/],
    [['--node-selector', 'intelvm'], 2, /option --node-selector must be key=value, got 'intelvm'/],
    [['--node-selector', 'bad key=x'], 2, /option --node-selector: key 'bad key' must be a Kubernetes label key/],
    [['--node-selector', 'a=1', '--node-selector', 'a=2'], 2, /'a' is given twice/],
    [['--epc', '64 MiB'], 2, /option --epc: must be a Kubernetes quantity/],
    [['--cpu-limit', 'two'], 2, /option --cpu-limit: must be a Kubernetes quantity/],
    [['--toleration', 'a=b:Sometimes'], 2, /option --toleration must be key=value:Effect/],
    [['--secret-env', 'minio=KEY'], 2, /option --secret-env must be secret:key=ENV_VAR/],
    [['--secret-env', 'minio:key=1X'], 2, /option --secret-env: must be an environment variable name/],
    [['--image-pull-secret', 'ACR_Pull'], 2, /option --image-pull-secret: must be a Kubernetes object name/],
    [['--deadline', '0'], 2, /option --deadline must be an integer from 1 to 31536000/],
    [['--retries', '101'], 2, /option --retries must be an integer from 0 to 100/],
    [['--retries', 'many'], 2, /option --retries must be an integer from 0 to 100, got 'many'/],
    [['--deploy-config', 'missing.json'], 1, /file not found: .*missing\.json/],
    // Quantities Kubernetes would refuse when it creates the pod.
    [['--epc', '100m'], 2, /option --epc: must be a whole number of bytes, such as 64Mi/],
    [['--epc', '0'], 2, /option --epc: must be more than 0/],
    [['--memory-limit', '500m'], 2, /option --memory-limit: must be a whole number of bytes/],
    [['--cpu-request', '500m', '--cpu-limit', '250m'], 1, /cpuRequest: 500m is more than cpuLimit 250m/],
    [['--memory-request', '2Gi', '--memory-limit', '2G'], 1, /memoryRequest: 2Gi is more than memoryLimit 2G/],
    [['--cpu-limit', '9'.repeat(80)], 2, /option --cpu-limit: must be a Kubernetes quantity/],
    [['--cpu-request', '100u'], 2, /option --cpu-request: must be a whole number of millicores/],
    // Options the target release cannot honour are refused, naming the release that can.
    [['--toleration', 'sgx=true:NoSchedule'], 1, /'tolerations' of task '[a-z-]+' needs Kubeflow Pipelines 2\.1 or later; this file is compiled for 2\.0\.5/],
    [['--pod-label', 'team=risk'], 1, /'podLabels' .* needs Kubeflow Pipelines 2\.1 or later/],
    [['--deadline', '60', '--kfp-version', '2.0'], 1, /'activeDeadlineSeconds' .* needs Kubeflow Pipelines 2\.1 or later; this file is compiled for 2\.0\.0/],
    [['--retries', '2', '--kfp-version', '2.4.1'], 1, /'retries' .* needs Kubeflow Pipelines 2\.5 or later; this file is compiled for 2\.4\.1/],
    [['--kfp-version', '1.8.5'], 1, /KFP version '1\.8\.5': only Kubeflow Pipelines 2\.x runs v2 pipelines/],
    [['--kfp-version', 'latest'], 1, /KFP version 'latest': must be a KFP release such as 2\.0\.5/],
    // Run input artifacts come from object storage the launcher can read.
    [['--input-artifact', 'init_model=/home/me/model.json'], 1, /input artifact init_model: URI '\/home\/me\/model\.json' must be minio:\/\/, s3:\/\/ or gs:\/\//],
    [['--input-artifact', 'init_model=minio://bucket/m.json\nx'], 1, /holds control characters/],
    [['--input-artifact', 'model=minio://bucket/m.json'], 1, /pipeline 'loan-default' has no input artifact 'model' \(input artifacts: init_model\)/],
    [['--input-artifact', 'init_model'], 2, /option --input-artifact must be name=URI/],
  ];
  for (const [args, code, re] of cases) {
    const cwd = tempDir();
    const r = await compile(cwd, ['--output', 'p.yaml', ...IMAGE, ...args]);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(!existsSync(join(cwd, 'p.yaml')), `${args.join(' ')} wrote the output`);
  }
});

test('bad deploy config files name the file and the field', async () => {
  const cases: [string, RegExp][] = [
    ['{"tasks": {"train-model": {"memoryLimt": "8Gi"}}}', /deploy\.json: tasks\.train-model: unknown option 'memoryLimt'/],
    ['{"tasks": {"no-task": {}}}', /no task 'no-task'/],
    ['{"all": {"retries": "2"}}', /deploy\.json: all\.retries: /],
    ['{"everything": {}}', /deploy\.json: \(options\): unknown option 'everything'/],
    ['{"all": [', /deploy\.json: \(file\): /],
  ];
  for (const [text, re] of cases) {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'deploy.json'), text);
    const r = await compile(cwd, ['--output', 'p.yaml', ...IMAGE, '--deploy-config', 'deploy.json']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, re, text);
    assert.ok(!existsSync(join(cwd, 'p.yaml')));
  }
});

test('a cluster pulls images from a registry: compile without --image, or with a malformed one, is refused', async () => {
  for (const [args, re] of [
    [[], /sealed compile needs --image: Kubeflow pulls each task's image from a registry/],
    [['--image', 'My Registry/x'], /option --image must be an image reference/],
    [['--image', 'a\u001b[31m/x'], /option --image must be an image reference/],
  ] as const) {
    const cwd = tempDir();
    const r = await compile(cwd, ['--output', 'p.yaml', ...args]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, re);
    assert.ok(!r.stderr.includes('\u001b'), 'control characters are not echoed');
    assert.ok(!existsSync(join(cwd, 'p.yaml')));
  }
});
