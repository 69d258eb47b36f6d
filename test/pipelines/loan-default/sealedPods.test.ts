// The seal and enclave compile options reach the pod on every KFP backend the emulation models
// (test/pipeline/helpers/kfpLauncher: upload parse, driver, pod spec derived from kubeflow/pipelines 2.0.5, 2.3.0, 2.5.0,
// HEAD): the container env (driver.go initPodSpecPatch: userEnvVar from PipelineContainerSpec.env), the key folder
// secret volume (extendPodSpecPatch / k8s.go@HEAD: a volume named after the secret, mounted in the user container) and
// the policy config-map volume from 2.1 on; a release that would not apply an option refuses it at compile time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KFP_VERSIONS, kubernetesConfigFor, KfpDriverError, podSpecFor, uploadPipeline, type KfpVersion, type UploadedPipeline } from '../../pipeline/helpers/kfpLauncher/index.ts';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';
import { sealed } from './helpers.ts';

const IMAGE = 'registry.example/sealed-pipelines-sgx:0.1.0';
const RELEASE: Record<KfpVersion, string> = { '2.0.5': '2.0.5', '2.3': '2.3', '2.5': '2.5', HEAD: '2.17' };
const TASKS = ['load-data', 'create-train-test-set', 'preprocess-features', 'train-model', 'compile-model', 'batch-inference', 'plot-roc-curve'];
const KEY_ID = 'https://sealedkv.vault.azure.net/keys/sealed-kek/4d3c2b1a0f9e8d7c6b5a49382716a5b4';
const MAA = 'https://sealedattest.weu.attest.azure.net';
const SKR = ['--enclave', 'gramine', '--epc', '2Gi', '--seal-provider', 'azure-skr', '--keyvault-key-id', KEY_ID, '--maa-endpoint', MAA, '--attestation-policy-configmap', 'sealed-policy'];
const cwd = tempDir();

async function compiled(v: KfpVersion, flags: string[]): Promise<{ code: number; stderr: string; uploaded?: UploadedPipeline }> {
  const r = await sealed(['compile', '--output', 'p.yaml', '--image', IMAGE, '--kfp-version', RELEASE[v], ...flags], cwd);
  return r.code === 0 ? { ...r, uploaded: uploadPipeline(readFileSync(join(cwd, 'p.yaml'), 'utf8'), v) } : r;
}

const envOf = (pod: ReturnType<typeof podSpecFor>) => Object.fromEntries(pod.env.map((e) => [e.name as string, e.value]));

for (const v of KFP_VERSIONS) {
  test(`KFP ${v}: --seal-keys-secret mounts the key folder and sets the local provider on every pod`, async () => {
    const { uploaded, stderr } = await compiled(v, ['--seal-keys-secret', 'sealed-keys']);
    assert.ok(uploaded, stderr);
    assert.deepEqual(uploaded.discardedFields, [], 'env is a PipelineContainerSpec field of this release');
    for (const task of TASKS) {
      const pod = podSpecFor(uploaded, task);
      assert.deepEqual(envOf(pod), { SEALED_SEAL: '1', SEALED_KEY_PROVIDER: 'local', SEALED_KEYS_DIR: '/var/run/sealed-keys' }, task);
      assert.deepEqual(pod.volumeMounts, [{ name: 'sealed-keys', mountPath: '/var/run/sealed-keys' }], task);
      assert.equal((pod.volumes[0].secret as { secretName: string }).secretName, 'sealed-keys');
      assert.deepEqual(pod.userCommand.slice(0, 2), ['node', '/app/bin/sealed-executor']);
    }
  });

  test(`KFP ${v}: --seal-provider azure-keyvault sets the key id; no volume`, async () => {
    const { uploaded, stderr } = await compiled(v, ['--seal-provider', 'azure-keyvault', '--keyvault-key-id', KEY_ID]);
    assert.ok(uploaded, stderr);
    for (const task of TASKS) {
      const pod = podSpecFor(uploaded, task);
      assert.deepEqual(envOf(pod), { SEALED_SEAL: '1', SEALED_KEY_PROVIDER: 'azure-keyvault', SEALED_KEYVAULT_KEY_ID: KEY_ID }, task);
      assert.deepEqual(pod.volumes, []);
    }
  });

  test(`KFP ${v}: --enclave gramine with azure-skr: the enclave command, EPC, SGX_AESM_ADDR, the policy config map (2.1+)`, async () => {
    const r = await compiled(v, SKR);
    if (v === '2.0.5') {
      assert.equal(r.code, 1);
      assert.match(r.stderr, /needs Kubeflow Pipelines 2\.1 or later; this file is compiled for 2\.0\.5/);
      return;
    }
    assert.ok(r.uploaded, r.stderr);
    assert.match(r.stderr, /note: enclave tasks need, from the cluster: .*\/var\/run\/aesmd/);
    for (const task of TASKS) {
      const pod = podSpecFor(r.uploaded, task);
      assert.deepEqual(envOf(pod), {
        SEALED_SEAL: '1',
        SEALED_KEY_PROVIDER: 'azure-skr',
        SEALED_KEYVAULT_KEY_ID: KEY_ID,
        SEALED_MAA_ENDPOINT: MAA,
        SEALED_ATTESTATION_POLICY: '/var/run/sealed-policy/policy.json',
        SGX_AESM_ADDR: '1',
      });
      assert.deepEqual(pod.volumeMounts, [{ name: 'sealed-policy', mountPath: '/var/run/sealed-policy' }]);
      assert.deepEqual(pod.volumes, [{ name: 'sealed-policy', configMap: { name: 'sealed-policy', optional: false } }]);
      assert.equal(pod.userCommand[0], '/app/deploy/sgx/run-enclave');
      assert.equal(pod.resources.limits['sgx.intel.com/epc'], v === '2.3' ? String(2 * 2 ** 30) : '2Gi', 'EPC per task');
    }
  });
}

test('why 2.0.5 is refused: its driver fails the task on a config-map volume (kubernetes_executor_config.proto@bd9f74e34de6 has none)', async () => {
  const { uploaded } = await compiled('2.3', SKR);
  const on205: UploadedPipeline = { ...uploaded!, version: '2.0.5' };
  assert.throws(() => kubernetesConfigFor(on205, 'exec-train-model'), (e: unknown) => e instanceof KfpDriverError && /unknown field "configMapAsVolume"|configMapAsVolume/.test(e.message));
});
