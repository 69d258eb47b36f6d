// Shared setup of the Azure tests: the TLS certificate, the fake MAA and Key Vault, an enclave
// identity, the attestation policy that admits it, and a TokenCredential stand-in (what
// DefaultAzureCredential is in a pod) that records the scopes the SDK asks for.
import { randomBytes } from 'node:crypto';
import type { Agent as HttpsAgent } from 'node:https';
import type { Agent as UndiciAgent } from 'undici';
import { parseAttestationPolicy, type AttestationPolicy } from '../../../src/seal/azure/attestationPolicy.ts';
import type { TokenCredential } from '../../../src/seal/azure/keyVaultProvider.ts';
import { startFakeKeyVault, type FakeKeyVault } from './fakeKeyVault.ts';
import { startFakeMaa, type FakeMaa, type FakeMaaOptions } from './fakeMaa.ts';
import type { EnclaveIdentity } from './fakeSgx.ts';
import { makeServerTls, sdkAgent, undiciAgent, type TestTls } from './testTls.ts';

export const hex64 = (): string => randomBytes(32).toString('hex');

export interface RecordingCredential extends TokenCredential {
  requests: Array<{ scopes: string[]; tenantId: string | undefined }>;
}

export function recordingCredential(token: string): RecordingCredential {
  const requests: RecordingCredential['requests'] = [];
  return {
    requests,
    async getToken(scopes: string | string[], options?: { tenantId?: string }) {
      requests.push({ scopes: Array.isArray(scopes) ? scopes : [scopes], tenantId: options?.tenantId });
      return { token, expiresOnTimestamp: Date.now() + 3600_000 };
    },
  };
}

export interface AzureFixture {
  tls: TestTls;
  maa: FakeMaa;
  vault: FakeKeyVault;
  accessToken: string;
  credential: RecordingCredential;
  identity: EnclaveIdentity;
  policy: AttestationPolicy;
  policyJson: Record<string, unknown>;
  dispatcher: UndiciAgent;
  agent: HttpsAgent;
  /** SDK client options: the test agent, no retries (a refusal is final; retries only slow tests). */
  clientOptions: { agent: HttpsAgent; retryOptions: { maxRetries: number } };
  close(): Promise<void>;
}

export async function startAzureFixture(options: Partial<Pick<FakeMaaOptions, 'metadata' | 'now'>> = {}): Promise<AzureFixture> {
  const tls = await makeServerTls();
  const dispatcher = undiciAgent(tls);
  const agent = sdkAgent(tls);
  const maa = await startFakeMaa({ tls, ...options });
  const accessToken = `test-access-token-${randomBytes(12).toString('hex')}`;
  const vault = await startFakeKeyVault({ tls, accessToken, dispatcher });
  const identity: EnclaveIdentity = { mrenclave: hex64(), mrsigner: hex64(), productId: 7, svn: 3, debug: false };
  const policyJson = {
    version: 1,
    attestation: { authority: maa.url, type: 'sgx' },
    enclave: { mrsigner: [identity.mrsigner], mrenclave: [identity.mrenclave], productId: 7, minSvn: 2, allowDebug: false },
    token: { maxAgeSeconds: 300, clockSkewSeconds: 60 },
  };
  return {
    tls,
    maa,
    vault,
    accessToken,
    credential: recordingCredential(accessToken),
    identity,
    policy: parseAttestationPolicy(policyJson, 'test policy'),
    policyJson,
    dispatcher,
    agent,
    clientOptions: { agent, retryOptions: { maxRetries: 0 } },
    async close() {
      await vault.close();
      await maa.close();
      agent.destroy();
      await dispatcher.close();
    },
  };
}
