// The key configuration of one task, from its environment: the contract between a Kubeflow pod
// spec (env / secret references) and the component that seals or opens artifacts.
//
//   SEALED_KEY_PROVIDER=local           SEALED_KEYS_DIR          a mounted key folder (sealed keys init)
//   SEALED_KEY_PROVIDER=azure-keyvault  SEALED_KEYVAULT_KEY_ID   https://<vault>/keys/<name>/<version>
//   SEALED_KEY_PROVIDER=azure-skr       SEALED_KEYVAULT_KEY_ID, SEALED_MAA_ENDPOINT (https://<x>.attest.azure.net),
//                                       SEALED_ATTESTATION_POLICY (path of the attestation policy file)
//
// Azure credentials are never variables of ours: DefaultAzureCredential reads the pod's workload
// identity (or AZURE_* environment) itself. The run-manifest signing key comes from a key folder:
// SEALED_KEYS_DIR for local, and optionally for the Azure providers (its KEK is then unused).
// An unknown provider or a missing or malformed variable is one UsageError line naming it.
import { LocalKeyProvider, type Signer } from './localKeys.ts';
import type { KeyProvider } from './keyProvider.ts';
import { UsageError } from '../core/index.ts';
import { readAttestationPolicy } from './azure/attestationPolicy.ts';
import type { Attester } from './azure/attester.ts';
import { checkAuthority, type AuthorityUrlOptions } from './azure/authorityUrl.ts';
import { GramineDcapAttester } from './azure/gramineAttester.ts';
import type { HttpJsonOptions } from './azure/httpJson.ts';
import { JwksCache } from './azure/jwksCache.ts';
import { parseKeyVaultKeyId } from './azure/keyVaultKeyId.ts';
import { AzureKeyVaultKeyProvider, type TokenCredential } from './azure/keyVaultProvider.ts';
import { SkrKeyProvider } from './azure/skrProvider.ts';
import type { CryptographyClientOptions } from '@azure/keyvault-keys';

export const KEY_PROVIDER_ENV = 'SEALED_KEY_PROVIDER';
export const KEYS_DIR_ENV = 'SEALED_KEYS_DIR';
export const KEYVAULT_KEY_ID_ENV = 'SEALED_KEYVAULT_KEY_ID';
export const MAA_ENDPOINT_ENV = 'SEALED_MAA_ENDPOINT';
export const ATTESTATION_POLICY_ENV = 'SEALED_ATTESTATION_POLICY';
export const KEY_PROVIDER_KINDS = ['local', 'azure-keyvault', 'azure-skr'] as const;
export type KeyProviderKind = (typeof KEY_PROVIDER_KINDS)[number];

export interface KeyProviderFromEnvDeps extends AuthorityUrlOptions {
  /** Default: DefaultAzureCredential from @azure/identity (loaded only for the Azure providers). */
  credential?: TokenCredential;
  /** Default: GramineDcapAttester on SEALED_MAA_ENDPOINT. */
  attester?: Attester;
  /** Key Vault client options (retries; an agent trusting a test CA). */
  clientOptions?: CryptographyClientOptions;
  /** HTTP options for MAA (metadata, signing keys, attest). */
  maaHttp?: HttpJsonOptions;
}

export interface ConfiguredKeys {
  kind: KeyProviderKind;
  provider: KeyProvider;
  /** The key folder's signing key, when a key folder is configured. */
  signer: Signer | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

// SEALED_KEYS_DIR is a Kubernetes secret volume in a pod (sealed compile --seal-keys-secret): the kubelet lays it out
// with links into `..data` and 0644 root-owned files, which a user's key folder may not have. Its rules are in
// kubeSecretKeys.ts; a folder without `..data` (a plain mount of a key folder) is checked as a user's folder.
const MOUNTED = { layout: 'kubernetes-secret' } as const;

export async function keyProviderFromEnv(env: Env, deps: KeyProviderFromEnvDeps = {}): Promise<ConfiguredKeys> {
  const kindText = env[KEY_PROVIDER_ENV];
  if (kindText === undefined || kindText === '') throw new UsageError('keys.env.missing', { variable: KEY_PROVIDER_ENV, provider: 'sealed artifacts', what: KEY_PROVIDER_KINDS.join(' | ') });
  if (!(KEY_PROVIDER_KINDS as readonly string[]).includes(kindText)) {
    throw new UsageError('keys.env.unknownProvider', { variable: KEY_PROVIDER_ENV, value: kindText, expected: KEY_PROVIDER_KINDS.join(', ') });
  }
  const kind = kindText as KeyProviderKind;
  const need = (variable: string, what: string): string => {
    const value = env[variable];
    if (value === undefined || value === '') throw new UsageError('keys.env.missing', { variable, provider: kind, what });
    return value;
  };

  if (kind === 'local') {
    const local = await LocalKeyProvider.open(need(KEYS_DIR_ENV, 'the mounted key folder'), MOUNTED);
    return { kind, provider: local, signer: local.signer() };
  }

  const keyId = parseKeyVaultKeyId(need(KEYVAULT_KEY_ID_ENV, 'the versioned key id https://<vault>/keys/<name>/<version>'), KEYVAULT_KEY_ID_ENV).id;
  const signer = env[KEYS_DIR_ENV] ? (await LocalKeyProvider.open(env[KEYS_DIR_ENV], MOUNTED)).signer() : undefined;
  const credential = deps.credential ?? (await defaultCredential());
  if (kind === 'azure-keyvault') {
    return { kind, provider: new AzureKeyVaultKeyProvider({ keyId, credential, clientOptions: deps.clientOptions }), signer };
  }

  const endpointText = need(MAA_ENDPOINT_ENV, 'the MAA instance https://<instance>.attest.azure.net');
  const endpoint = checkAuthority(endpointText, deps);
  if ('reason' in endpoint) throw new UsageError('attest.badUrl', { what: MAA_ENDPOINT_ENV, value: endpointText, reason: endpoint.reason });
  const policyFile = need(ATTESTATION_POLICY_ENV, 'the attestation policy file');
  const policy = await readAttestationPolicy(policyFile, deps);
  if (endpoint.origin !== policy.attestation.authority) {
    throw new UsageError('keys.env.mismatch', { variable: MAA_ENDPOINT_ENV, value: endpointText, expected: policy.attestation.authority, file: policyFile });
  }
  const attester = deps.attester ?? new GramineDcapAttester({ maaEndpoint: endpoint.origin, allowInsecureLocalhost: deps.allowInsecureLocalhost, ...deps.maaHttp });
  const jwks = new JwksCache(policy.attestation.authority, deps.maaHttp);
  return { kind, provider: new SkrKeyProvider({ keyId, credential, policy, attester, jwks, clientOptions: deps.clientOptions }), signer };
}

async function defaultCredential(): Promise<TokenCredential> {
  // Loaded on demand: @azure/identity is large and local runs never need it.
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}
