// Compile options that make a Kubeflow run sealed or run its tasks in an SGX enclave (src/pipeline/compiler/sealedRuntime.ts):
// the container env every 2.x driver copies into the pod (pipeline_spec.proto@758c91f76784 PipelineContainerSpec.env;
// backend/src/v2/driver/driver.go@2.0.5..2.17.0 initPodSpecPatch userEnvVar), the secret volume (kubernetes_executor_config.proto
// @bd9f74e34de6 SecretAsVolume, every 2.x) and the config-map volume (ConfigMapAsVolume, from kubernetes_platform@19a24e3e99db
// = go.mod@2.1.0), golden YAML per option (UPDATE_GOLDEN=1 rewrites them), and every combination that cannot work refused
// with one line naming the task and the option.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineError } from '../../../src/core/index.ts';
import { compilePipelineDocuments, toPipelineYaml, type CompileOptions, type DeployOptions } from '../../../src/pipeline/index.ts';
import { toyPipeline } from '../fixtures/toyComponents.ts';

const KEY_ID = 'https://sealedkv.vault.azure.net/keys/sealed-kek/4d3c2b1a0f9e8d7c6b5a49382716a5b4';
const MAA = 'https://sealedattest.weu.attest.azure.net';
const LOCAL: DeployOptions['seal'] = { provider: 'local', keysSecret: 'sealed-keys' };
const KEYVAULT: DeployOptions['seal'] = { provider: 'azure-keyvault', keyId: KEY_ID };
const SKR: DeployOptions['seal'] = { provider: 'azure-skr', keyId: KEY_ID, maaEndpoint: MAA, policyConfigMap: 'sealed-policy' };
const golden = (name: string) => join(import.meta.dirname, 'golden', `${name}.pipeline.yaml`);

const compile = (deploy: DeployOptions, more: Partial<CompileOptions> = {}) => compilePipelineDocuments(toyPipeline, { image: 'registry.example/sealed-pipelines-sgx:0.1.0', kfpVersion: '2.5', deploy, ...more });

for (const [name, deploy, kfpVersion] of [
  ['sealed-local', { seal: LOCAL }, '2.0.5'],
  ['sealed-azure-keyvault', { seal: KEYVAULT }, '2.0.5'],
  ['enclave-sealed-azure-skr', { enclave: 'gramine', epc: '2Gi', seal: SKR }, '2.5'],
  ['enclave-unsealed', { enclave: 'gramine', epc: '2Gi' }, '2.0.5'],
] as const) {
  test(`golden: ${name} (KFP ${kfpVersion})`, () => {
    const text = toPipelineYaml(compile(deploy as DeployOptions, { kfpVersion }));
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden(name), text);
    assert.equal(text, readFileSync(golden(name), 'utf8'));
  });
}

test('env per provider: SEALED_SEAL=1 and the provider on every task, and exactly its own variables', () => {
  const envOf = (deploy: DeployOptions) => {
    const { spec } = compile(deploy);
    const all = Object.values(spec.deploymentSpec.executors).map((e) => e.container!.env);
    assert.equal(all.length, 4);
    for (const e of all) assert.deepEqual(e, all[0], 'every task has the same env');
    return all[0];
  };
  assert.deepEqual(envOf({ seal: LOCAL }), [
    { name: 'SEALED_SEAL', value: '1' },
    { name: 'SEALED_KEY_PROVIDER', value: 'local' },
    { name: 'SEALED_KEYS_DIR', value: '/var/run/sealed-keys' },
  ]);
  assert.deepEqual(envOf({ seal: KEYVAULT }), [
    { name: 'SEALED_SEAL', value: '1' },
    { name: 'SEALED_KEY_PROVIDER', value: 'azure-keyvault' },
    { name: 'SEALED_KEYVAULT_KEY_ID', value: KEY_ID },
  ]);
  assert.deepEqual(envOf({ seal: SKR, enclave: 'gramine', epc: '2Gi' }), [
    { name: 'SEALED_SEAL', value: '1' },
    { name: 'SEALED_KEY_PROVIDER', value: 'azure-skr' },
    { name: 'SEALED_KEYVAULT_KEY_ID', value: KEY_ID },
    { name: 'SEALED_MAA_ENDPOINT', value: MAA },
    { name: 'SEALED_ATTESTATION_POLICY', value: '/var/run/sealed-policy/policy.json' },
    { name: 'SGX_AESM_ADDR', value: '1' },
  ]);
  assert.equal(envOf({}), undefined, 'an unsealed run has no env');
});

test('volumes: the key folder secret at /var/run/sealed-keys; the policy config map at /var/run/sealed-policy', () => {
  const execs = (deploy: DeployOptions) => compile(deploy).platform!.platforms.kubernetes.deploymentSpec.executors['exec-fit-model'];
  assert.deepEqual(execs({ seal: LOCAL }).secretAsVolume, [{ secretName: 'sealed-keys', mountPath: '/var/run/sealed-keys' }]);
  assert.deepEqual(execs({ seal: SKR, enclave: 'gramine', epc: '2Gi' }).configMapAsVolume, [{ configMapName: 'sealed-policy', mountPath: '/var/run/sealed-policy' }]);
  assert.equal(compile({ seal: KEYVAULT }).platform, undefined, 'Key Vault needs no volume');
});

test('enclave: the command of the Dockerfile.sgx image (deploy/sgx/run-enclave), the same arguments, EPC as the accelerator', () => {
  const c = compile({ enclave: 'gramine', epc: '2Gi' }).spec.deploymentSpec.executors['exec-fit-model'].container!;
  assert.deepEqual(c.command, ['/app/deploy/sgx/run-enclave']);
  assert.deepEqual(c.args, ['--component', 'fit-model', '--executor-input', '{{$}}']);
  assert.equal(c.resources?.accelerator?.resourceType, 'sgx.intel.com/epc');
  assert.deepEqual(c.env, [{ name: 'SGX_AESM_ADDR', value: '1' }]);
  // Per task: only fit-model in the enclave.
  const { spec } = compile({}, { taskDeploy: { 'fit-model': { enclave: 'gramine', epc: '2Gi' } } });
  assert.deepEqual(spec.deploymentSpec.executors['exec-fit-model'].container!.command, ['/app/deploy/sgx/run-enclave']);
  assert.deepEqual(spec.deploymentSpec.executors['exec-evaluate'].container!.command, ['node', '/app/bin/sealed-executor']);
  // A later layer removes it.
  assert.deepEqual(compile({ enclave: 'gramine', epc: '2Gi' }, { taskDeploy: { evaluate: { enclave: 'none' } } }).spec.deploymentSpec.executors['exec-evaluate'].container!.command, ['node', '/app/bin/sealed-executor']);
});

const refused = (deploy: DeployOptions, message: RegExp, more: Partial<CompileOptions> = {}) =>
  assert.throws(
    () => compile(deploy, more),
    (e: unknown) => e instanceof PipelineError && message.test(e.message) && !e.message.includes('\n'),
    message.source,
  );

test('attack: combinations that cannot be sealed or attested are refused', () => {
  refused({ enclave: 'gramine' }, /task 'make-numbers': enclave: an enclave runs in SGX enclave page cache: give --epc/);
  refused({ enclave: 'gramine', epc: '2Gi', seal: LOCAL }, /seal: an enclave must get its keys by Secure Key Release.*with local the host can read the key/);
  refused({ enclave: 'gramine', epc: '2Gi', seal: KEYVAULT }, /with azure-keyvault the host can read the key/);
  refused({ seal: SKR }, /azure-skr releases keys only to an attested enclave: add --enclave gramine/);
  refused({ seal: LOCAL }, /task 'fit-model'.*seal: differs from task 'make-numbers'/, { taskDeploy: { 'fit-model': { seal: KEYVAULT } } });
  refused({ seal: LOCAL }, /differs from task 'make-numbers'/, { taskDeploy: { evaluate: { seal: null } } });
  refused({ seal: LOCAL, secretsAsEnv: [{ secretName: 'other', keys: { k: 'SEALED_KEYS_DIR' } }] }, /SEALED_KEYS_DIR is set by the seal\/enclave options/);
  refused({ enclave: 'gramine', epc: '2Gi', secretsAsEnv: [{ secretName: 'other', keys: { k: 'SGX_AESM_ADDR' } }] }, /SGX_AESM_ADDR is set by/);
});

test('attack: hostile names and URLs in seal options are refused by the schema, naming the field', () => {
  for (const [seal, field] of [
    [{ provider: 'local', keysSecret: '../kube-system/keys' }, 'keysSecret'],
    [{ provider: 'local', keysSecret: 'Keys' }, 'keysSecret'],
    [{ provider: 'local', keysSecret: 'a'.repeat(254) }, 'keysSecret'],
    [{ provider: 'azure-keyvault', keyId: 'http://kv.vault.azure.net/keys/k/1' }, 'keyId'],
    [{ provider: 'azure-keyvault', keyId: 'https://kv.vault.azure.net/keys/k' }, 'keyId'],
    [{ provider: 'azure-keyvault', keyId: 'https://kv.vault.azure.net/keys/k/1?api-version=x' }, 'keyId'],
    [{ provider: 'azure-keyvault', keyId: 'https://user@kv.vault.azure.net/keys/k/1' }, 'keyId'],
    [{ provider: 'azure-skr', keyId: KEY_ID, maaEndpoint: 'https://evil.example', policyConfigMap: 'p' }, 'maaEndpoint'],
    [{ provider: 'azure-skr', keyId: KEY_ID, maaEndpoint: MAA, policyConfigMap: 'p;rm' }, 'policyConfigMap'],
    [{ provider: 'azure-skr', keyId: KEY_ID, maaEndpoint: MAA }, 'policyConfigMap'],
    [{ provider: 'local', keysSecret: 'k', keyId: KEY_ID }, '(options)'],
    [{ provider: 'gcp-kms', keyId: KEY_ID }, 'provider'],
  ] as const) {
    assert.throws(
      () => compile({ seal: seal as unknown as DeployOptions['seal'], enclave: 'gramine', epc: '2Gi' }),
      (e: unknown) => e instanceof PipelineError && e.code === 'pipeline.badDeployOption' && new RegExp(`seal(\\.${field.replace(/[()]/g, '\\$&')})?:`).test(e.message),
      JSON.stringify(seal),
    );
  }
});

test('KFP versions: the key folder volume on every 2.x; the policy config map from 2.1 (the first proto with it)', () => {
  assert.ok(compile({ seal: LOCAL }, { kfpVersion: '2.0.5' }).platform);
  assert.throws(
    () => compile({ seal: SKR, enclave: 'gramine', epc: '2Gi' }, { kfpVersion: '2.0.5' }),
    (e: unknown) => e instanceof PipelineError && e.code === 'pipeline.kfpVersionUnsupported' && /needs Kubeflow Pipelines 2\.1 or later/.test(e.message),
  );
  assert.ok(compile({ seal: SKR, enclave: 'gramine', epc: '2Gi' }, { kfpVersion: '2.1.0' }).platform);
});
