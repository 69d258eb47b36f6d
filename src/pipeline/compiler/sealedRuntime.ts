// Deploy options that make a Kubeflow task sealed or run it in an SGX enclave, turned into what KFP gives the pod:
// container env (PipelineContainerSpec.env, honoured by every 2.x driver: driver.go@2.0.5..2.17.0 initPodSpecPatch,
// values copied verbatim), secret / config-map volumes (platform config, kfpVersions.ts), and for an enclave the
// command of the image built from Dockerfile.sgx.
//
// The pod's environment is the contract with the executor (src/seal/keyProviderFromEnv.ts):
//   every sealed task   SEALED_SEAL=1, SEALED_KEY_PROVIDER=<local|azure-keyvault|azure-skr>
//   local               SEALED_KEYS_DIR=/var/run/sealed-keys   (secret <keysSecret>: kek.key, signing.key, signing.pub)
//   azure-keyvault      SEALED_KEYVAULT_KEY_ID=<versioned key id>
//   azure-skr           SEALED_KEYVAULT_KEY_ID, SEALED_MAA_ENDPOINT,
//                       SEALED_ATTESTATION_POLICY=/var/run/sealed-policy/policy.json (config map <policyConfigMap>)
//   enclave tasks       SGX_AESM_ADDR=1 (out-of-process quoting through the node's aesmd)
// Inside the enclave the manifest's measured values win over these (deploy/sgx/sealed-executor.manifest.template).
//
// What KFP cannot express: the aesmd socket. Quotes come from the node's aesmd over /var/run/aesmd/aesm.socket
// (gramine pal/src/host/linux-sgx/host_platform.c@v1.9), a hostPath, and no kubernetes_executor_config.proto
// (bd9f74e34de6, d911c8b73b49, 2.5.0, 2.17.0) has a hostPath volume: the cluster has to add it (ENCLAVE_CLUSTER_NOTE).
import { PipelineError } from '../../core/index.ts';
import type { CheckedDeployOptions } from '../dsl/index.ts';
import type { KubernetesExecutorConfig } from '../ir/index.ts';
import { firstVersionWith, type KfpBackendProfile, type KfpTarget } from './kfpVersions.ts';

/** The command of an enclave task: deploy/sgx/run-enclave in the image built from Dockerfile.sgx. */
export const ENCLAVE_COMMAND: readonly string[] = ['/app/deploy/sgx/run-enclave'];
export const SEAL_KEYS_MOUNT = '/var/run/sealed-keys';
export const SEAL_POLICY_MOUNT = '/var/run/sealed-policy';
export const SEAL_POLICY_FILE = `${SEAL_POLICY_MOUNT}/policy.json`;
/** Every variable the compiler sets: --secret-env may not set them too (Kubernetes would keep the last one). */
export const SEALED_ENV_NAMES: ReadonlySet<string> = new Set(['SEALED_SEAL', 'SEALED_KEY_PROVIDER', 'SEALED_KEYS_DIR', 'SEALED_KEYVAULT_KEY_ID', 'SEALED_MAA_ENDPOINT', 'SEALED_ATTESTATION_POLICY', 'SGX_AESM_ADDR']);

export const ENCLAVE_CLUSTER_NOTE =
  'enclave tasks need, from the cluster: SGX nodes with the AKS confcom add-on and its quote helper (--enable-sgxquotehelper), ' +
  'and a mutating admission policy that mounts the node\'s /var/run/aesmd (hostPath) at /var/run/aesmd in container "main" of every pod ' +
  'requesting sgx.intel.com/epc; KFP\'s platform config cannot mount a hostPath. The image must be built from Dockerfile.sgx.';

type Env = { name: string; value: string }[];

/** Refuses combinations that cannot work, per task and across tasks, and options the target release ignores. */
export function checkSealedRuntime(perTask: Map<string, CheckedDeployOptions>, target: KfpTarget): void {
  const bad = (task: string, field: string, reason: string): never => {
    throw new PipelineError('pipeline.badDeployOption', { where: `deploy options of task '${task}'`, field, reason });
  };
  const refuse = (task: string, option: string, needs: (p: KfpBackendProfile) => boolean): never => {
    throw new PipelineError('pipeline.kfpVersionUnsupported', { task, option, version: target.version, needs: firstVersionWith(needs) ?? 'a newer release' });
  };
  let first: [string, string] | undefined;
  for (const [task, o] of perTask) {
    const enclave = o.enclave === 'gramine';
    const seal = o.seal ?? undefined;
    if (enclave && o.epc === undefined) {
      bad(task, 'enclave', 'an enclave runs in SGX enclave page cache: give --epc (e.g. --epc 8Gi, the enclave size the image is built with: pages beyond the EPC given are swapped, slowly)');
    }
    if (enclave && seal && seal.provider !== 'azure-skr') {
      bad(task, 'seal', `an enclave must get its keys by Secure Key Release (--seal-provider azure-skr): with ${seal.provider} the host can read the key, and the enclave protects nothing`);
    }
    if (seal?.provider === 'azure-skr' && !enclave) bad(task, 'seal', 'azure-skr releases keys only to an attested enclave: add --enclave gramine');
    for (const s of o.secretsAsEnv ?? []) {
      for (const envVar of Object.values(s.keys)) if (SEALED_ENV_NAMES.has(envVar) && (seal || enclave)) bad(task, 'secretsAsEnv', `${envVar} is set by the seal/enclave options; a secret may not set it too`);
    }
    // Tasks read each other's artifacts, so every task must open what the task before it sealed.
    const key = JSON.stringify(seal ?? null);
    if (first === undefined) first = [task, key];
    else if (first[1] !== key) bad(task, 'seal', `differs from task '${first[0]}': every task of a sealed run needs the same seal options`);
    if (seal?.provider === 'local' && !target.profile.platformFields.has('secretAsVolume')) refuse(task, 'seal (a secret volume)', (p) => p.platformFields.has('secretAsVolume'));
    if (seal?.provider === 'azure-skr' && !target.profile.platformFields.has('configMapAsVolume')) refuse(task, 'seal azure-skr (a config map volume for the attestation policy)', (p) => p.platformFields.has('configMapAsVolume'));
  }
}

/** The container env of one executor's options (empty: none). */
export function sealedEnv(o: CheckedDeployOptions): Env {
  const env: Env = [];
  const seal = o.seal ?? undefined;
  if (seal) {
    env.push({ name: 'SEALED_SEAL', value: '1' }, { name: 'SEALED_KEY_PROVIDER', value: seal.provider });
    if (seal.provider === 'local') env.push({ name: 'SEALED_KEYS_DIR', value: SEAL_KEYS_MOUNT });
    else env.push({ name: 'SEALED_KEYVAULT_KEY_ID', value: seal.keyId });
    if (seal.provider === 'azure-skr') env.push({ name: 'SEALED_MAA_ENDPOINT', value: seal.maaEndpoint }, { name: 'SEALED_ATTESTATION_POLICY', value: SEAL_POLICY_FILE });
  }
  if (o.enclave === 'gramine') env.push({ name: 'SGX_AESM_ADDR', value: '1' });
  return env;
}

/** The volumes the seal options need, as platform-config fields. */
export function sealedVolumes(o: CheckedDeployOptions): Pick<KubernetesExecutorConfig, 'secretAsVolume' | 'configMapAsVolume'> {
  const seal = o.seal ?? undefined;
  if (seal?.provider === 'local') return { secretAsVolume: [{ secretName: seal.keysSecret, mountPath: SEAL_KEYS_MOUNT }] };
  if (seal?.provider === 'azure-skr') return { configMapAsVolume: [{ configMapName: seal.policyConfigMap, mountPath: SEAL_POLICY_MOUNT }] };
  return {};
}

export function isEnclaveTask(o: CheckedDeployOptions): boolean {
  return o.enclave === 'gramine';
}
