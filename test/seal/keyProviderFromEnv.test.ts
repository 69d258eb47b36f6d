// keyProviderFromEnv: the per-task key configuration of a Kubeflow pod. Each provider kind with
// its variables; an unknown kind or a missing or malformed variable is one UsageError line naming
// the variable; nothing reaches Azure while configuring.
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isSealedError } from '../../src/core/index.ts';
import { initKeyFolder, LocalKeyProvider } from '../../src/seal/localKeys.ts';
import { AzureKeyVaultKeyProvider } from '../../src/seal/azure/keyVaultProvider.ts';
import { SkrKeyProvider } from '../../src/seal/azure/skrProvider.ts';
import { keyProviderFromEnv } from '../../src/seal/keyProviderFromEnv.ts';
import type { Attester } from '../../src/seal/azure/attester.ts';

const KEY_ID = `https://myvault.vault.azure.net/keys/data-kek/${'0123456789abcdef'.repeat(2)}`;
const MAA = 'https://myattest.eus.attest.azure.net';
const credential = {
  getToken: async () => {
    throw new Error('configuration must not ask for a token');
  },
};
const attester: Attester = {
  attest: async () => {
    throw new Error('configuration must not attest');
  },
};

let dir: string;
let keys: string;
let policyFile: string;

before(async () => {
  dir = await fsp.mkdtemp(join(tmpdir(), 'sealed-keyenv-'));
  keys = join(dir, 'keys');
  await initKeyFolder(keys);
  policyFile = join(dir, 'attest.json');
  await fsp.writeFile(policyFile, JSON.stringify({ version: 1, attestation: { authority: MAA, type: 'sgx' }, enclave: { mrsigner: ['a'.repeat(64)], productId: 1, minSvn: 1 } }));
});
after(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

async function usage(env: Record<string, string>, pattern: RegExp): Promise<void> {
  await assert.rejects(keyProviderFromEnv(env, { credential, attester }), (e: unknown) => {
    assert.ok(isSealedError(e), String(e));
    assert.equal(e.exitCode, 2, e.message);
    assert.doesNotMatch(e.message, /\n/);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('keyProviderFromEnv', () => {
  test('local: the mounted key folder, with its signer', async () => {
    const configured = await keyProviderFromEnv({ SEALED_KEY_PROVIDER: 'local', SEALED_KEYS_DIR: keys });
    assert.equal(configured.kind, 'local');
    assert.ok(configured.provider instanceof LocalKeyProvider);
    assert.ok(configured.signer);
    assert.match(configured.signer.keyId, /^sha256:[0-9a-f]{64}$/);
  });

  test('azure-keyvault: the versioned key id; a signer only when a key folder is also mounted', async () => {
    const bare = await keyProviderFromEnv({ SEALED_KEY_PROVIDER: 'azure-keyvault', SEALED_KEYVAULT_KEY_ID: KEY_ID }, { credential });
    assert.ok(bare.provider instanceof AzureKeyVaultKeyProvider);
    assert.equal(bare.provider.keyId, KEY_ID);
    assert.equal(bare.signer, undefined);
    const signed = await keyProviderFromEnv({ SEALED_KEY_PROVIDER: 'azure-keyvault', SEALED_KEYVAULT_KEY_ID: KEY_ID, SEALED_KEYS_DIR: keys }, { credential });
    assert.ok(signed.signer);
  });

  test('without an injected credential, DefaultAzureCredential (workload identity / environment) is loaded, not called', async () => {
    const configured = await keyProviderFromEnv({ SEALED_KEY_PROVIDER: 'azure-keyvault', SEALED_KEYVAULT_KEY_ID: KEY_ID });
    assert.ok(configured.provider instanceof AzureKeyVaultKeyProvider);
  });

  test('azure-skr: key id, MAA endpoint and policy file', async () => {
    const configured = await keyProviderFromEnv(
      { SEALED_KEY_PROVIDER: 'azure-skr', SEALED_KEYVAULT_KEY_ID: KEY_ID, SEALED_MAA_ENDPOINT: `${MAA}/`, SEALED_ATTESTATION_POLICY: policyFile },
      { credential, attester },
    );
    assert.ok(configured.provider instanceof SkrKeyProvider);
    assert.equal(configured.provider.name, 'azure-keyvault');
  });

  test('azure-skr without an injected attester uses Gramine DCAP (nothing is attested until a key is needed)', async () => {
    const configured = await keyProviderFromEnv({ SEALED_KEY_PROVIDER: 'azure-skr', SEALED_KEYVAULT_KEY_ID: KEY_ID, SEALED_MAA_ENDPOINT: MAA, SEALED_ATTESTATION_POLICY: policyFile }, { credential });
    assert.ok(configured.provider instanceof SkrKeyProvider);
  });

  test('unknown or missing provider names SEALED_KEY_PROVIDER', async () => {
    await usage({}, /^SEALED_KEY_PROVIDER is not set/);
    await usage({ SEALED_KEY_PROVIDER: 'aws-kms' }, /^SEALED_KEY_PROVIDER='aws-kms' is not a key provider; expected local, azure-keyvault, azure-skr/);
    await usage({ SEALED_KEY_PROVIDER: 'a\u001b[2Jb' }, /'a\\x1b\[2Jb'/);
  });

  test('a missing variable is named, with the provider that needs it', async () => {
    await usage({ SEALED_KEY_PROVIDER: 'local' }, /^SEALED_KEYS_DIR is not set; key provider 'local' needs it/);
    await usage({ SEALED_KEY_PROVIDER: 'azure-keyvault' }, /^SEALED_KEYVAULT_KEY_ID is not set; key provider 'azure-keyvault'/);
    await usage({ SEALED_KEY_PROVIDER: 'azure-skr', SEALED_KEYVAULT_KEY_ID: KEY_ID }, /^SEALED_MAA_ENDPOINT is not set/);
    await usage({ SEALED_KEY_PROVIDER: 'azure-skr', SEALED_KEYVAULT_KEY_ID: KEY_ID, SEALED_MAA_ENDPOINT: MAA }, /^SEALED_ATTESTATION_POLICY is not set/);
    await usage({ SEALED_KEY_PROVIDER: 'azure-keyvault', SEALED_KEYVAULT_KEY_ID: '' }, /^SEALED_KEYVAULT_KEY_ID is not set/);
  });

  test('a malformed variable is named with what is wrong', async () => {
    await usage({ SEALED_KEY_PROVIDER: 'azure-keyvault', SEALED_KEYVAULT_KEY_ID: 'https://myvault.vault.azure.net/keys/data-kek' }, /^SEALED_KEYVAULT_KEY_ID '.*' is not a versioned Key Vault key id/);
    await usage({ SEALED_KEY_PROVIDER: 'azure-keyvault', SEALED_KEYVAULT_KEY_ID: KEY_ID.replace('https', 'http') }, /SEALED_KEYVAULT_KEY_ID .*must be https/);
    await usage({ SEALED_KEY_PROVIDER: 'azure-skr', SEALED_KEYVAULT_KEY_ID: KEY_ID, SEALED_MAA_ENDPOINT: 'http://myattest', SEALED_ATTESTATION_POLICY: policyFile }, /^SEALED_MAA_ENDPOINT 'http:\/\/myattest' must be an https/);
    await usage({ SEALED_KEY_PROVIDER: 'azure-skr', SEALED_KEYVAULT_KEY_ID: KEY_ID, SEALED_MAA_ENDPOINT: 'https://other.attest.azure.net', SEALED_ATTESTATION_POLICY: policyFile }, /^SEALED_MAA_ENDPOINT='https:\/\/other\.attest\.azure\.net' is not the attestation authority https:\/\/myattest/);
    const bad = join(dir, 'bad.json');
    await fsp.writeFile(bad, '{"version":1}');
    await usage({ SEALED_KEY_PROVIDER: 'azure-skr', SEALED_KEYVAULT_KEY_ID: KEY_ID, SEALED_MAA_ENDPOINT: MAA, SEALED_ATTESTATION_POLICY: bad }, /attestation policy .*bad\.json: field 'attestation'/);
  });

  test('an unsafe key folder is refused as the local provider refuses it', async () => {
    await assert.rejects(keyProviderFromEnv({ SEALED_KEY_PROVIDER: 'local', SEALED_KEYS_DIR: join(dir, 'nope') }), /key folder .*nope does not exist/);
  });
});
