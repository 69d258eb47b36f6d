// Secure Key Release end to end against the fakes: GramineDcapAttester (with a stand-in for
// Gramine's /dev/attestation) -> fake MAA -> verifyMaaToken -> @azure/keyvault-keys releaseKey
// -> fake Key Vault enforcing the release policy built from the same policy file -> the released
// key opened in memory. Attacks: a vault policy that does not match, a token our own policy
// refuses (the vault is then never asked), a release answer for another key or another request,
// secrets in errors or logs.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { AzureLogger, setLogLevel } from '@azure/logger';
import { isSealedError } from '../../../src/core/index.ts';
import { parseAttestationPolicy } from '../../../src/seal/azure/attestationPolicy.ts';
import type { Attester } from '../../../src/seal/azure/attester.ts';
import { GramineDcapAttester } from '../../../src/seal/azure/gramineAttester.ts';
import { AzureKeyVaultKeyProvider } from '../../../src/seal/azure/keyVaultProvider.ts';
import { openReleasedKey } from '../../../src/seal/azure/releasedKey.ts';
import { buildReleasePolicy } from '../../../src/seal/azure/releasePolicy.ts';
import { SkrKeyProvider } from '../../../src/seal/azure/skrProvider.ts';
import { hex64, startAzureFixture, type AzureFixture } from './azureFixture.ts';
import type { VaultKey } from './fakeKeyVault.ts';
import { FakeSgxDevice, type EnclaveIdentity } from './fakeSgx.ts';

let fx: AzureFixture;
let key: VaultKey;
const context = new Uint8Array([9, 9]);

before(async () => {
  fx = await startAzureFixture();
  key = fx.vault.addKey('skr-kek', { exportable: true, releasePolicy: buildReleasePolicy(fx.policy) });
});
after(async () => {
  await fx.close();
});

/** Records every token the attester hands out, to look for it in errors and logs. */
class RecordingAttester implements Attester {
  tokens: string[] = [];
  constructor(readonly inner: Attester) {}
  async attest(request: Parameters<Attester['attest']>[0]): Promise<string> {
    const token = await this.inner.attest(request);
    this.tokens.push(token);
    return token;
  }
}

function attester(identity: EnclaveIdentity = fx.identity): { device: FakeSgxDevice; attester: RecordingAttester } {
  const device = new FakeSgxDevice({ ...identity });
  return { device, attester: new RecordingAttester(new GramineDcapAttester({ maaEndpoint: fx.maa.url, device, dispatcher: fx.dispatcher })) };
}

function skr(options: { keyId?: string; identity?: EnclaveIdentity; policy?: typeof fx.policy } = {}) {
  const made = attester(options.identity);
  const provider = new SkrKeyProvider({
    keyId: options.keyId ?? key.id,
    credential: fx.credential,
    policy: options.policy ?? fx.policy,
    attester: made.attester,
    jwksOptions: { dispatcher: fx.dispatcher },
    clientOptions: fx.clientOptions,
    transferKeyBits: 2048,
  });
  return { provider, ...made };
}

const releases = (): number => fx.vault.log.filter((r) => r.path.endsWith('/release') && r.authorized).length;

describe('SkrKeyProvider', () => {
  test('attests, releases the key once and wraps/unwraps data keys locally with it', async () => {
    const { provider, attester: a } = skr();
    const startReleases = releases();
    const dataKey = randomBytes(32);
    const wrapped = await provider.wrapKey(dataKey, context);
    assert.deepEqual({ ...wrapped, wrapped: '' }, { provider: 'azure-keyvault', keyId: key.id, algorithm: 'RSA-OAEP-256', wrapped: '' });
    assert.deepEqual(Buffer.from(await provider.unwrapKey(wrapped, context)), dataKey);
    for (let i = 0; i < 3; i++) await provider.unwrapKey(await provider.wrapKey(randomBytes(32), context), context);
    assert.equal(releases() - startReleases, 1, 'one release per process');
    assert.equal(a.tokens.length, 1);
    assert.equal(provider.attestation?.mrsigner, fx.identity.mrsigner);
    // Wrap/unwrap after release never goes to the vault.
    const before = fx.vault.log.length;
    await provider.unwrapKey(await provider.wrapKey(randomBytes(32), context), context);
    assert.equal(fx.vault.log.length, before);
  });

  test('the released key is the vault key: data keys cross between SKR (local) and Key Vault (remote) unwrap', async () => {
    const { provider } = skr();
    const kv = new AzureKeyVaultKeyProvider({ keyId: key.id, credential: fx.credential, clientOptions: fx.clientOptions });
    const a = randomBytes(32);
    assert.deepEqual(Buffer.from(await kv.unwrapKey(await provider.wrapKey(a, context), context)), a);
    const b = randomBytes(32);
    assert.deepEqual(Buffer.from(await provider.unwrapKey(await kv.wrapKey(b, context), context)), b);
  });

  test('the MAA request follows "Attest Sgx Enclave": api-version, base64url quote, JSON runtime data, nonce', async () => {
    const { provider, device } = skr();
    const start = fx.maa.attestRequests.length;
    await provider.release();
    const [req] = fx.maa.attestRequests.slice(start);
    assert.equal(req.query, '?api-version=2022-08-01');
    assert.deepEqual(Object.keys(req.body).sort(), ['nonce', 'quote', 'runtimeData']);
    const runtimeData = req.body.runtimeData as { data: string; dataType: string };
    assert.equal(runtimeData.dataType, 'JSON');
    const runtime = JSON.parse(Buffer.from(runtimeData.data, 'base64url').toString('utf8'));
    assert.equal(runtime.nonce, req.body.nonce);
    assert.equal(runtime.keys.length, 1);
    assert.equal(runtime.keys[0].kty, 'RSA');
    assert.deepEqual(runtime.keys[0].key_ops, ['encrypt']);
    assert.equal(runtime.keys[0].d, undefined, 'only the public half leaves');
    assert.equal(device.reportData?.subarray(32).equals(Buffer.alloc(32)), true, 'report data = sha256(runtime data) || 32 zero bytes');
  });

  test('Key Vault refusing release when the policy does not match', async () => {
    // Our policy admits this enclave, but the vault's release policy names another MRSIGNER.
    const otherPolicy = parseAttestationPolicy({ ...fx.policyJson, enclave: { ...(fx.policyJson.enclave as object), mrsigner: [hex64()] } }, 'other');
    const guarded = fx.vault.addKey('guarded', { exportable: true, releasePolicy: buildReleasePolicy(otherPolicy) });
    const { provider, attester: a } = skr({ keyId: guarded.id });
    await assert.rejects(provider.wrapKey(randomBytes(32), context), (e: unknown) => {
      assert.ok(isSealedError(e));
      assert.equal(e.code, 'keys.releaseRefused');
      assert.match(e.message, /Key Vault refused to release key .*guarded.*HTTP 403 AccessDenied/);
      assert.ok(!e.message.includes(a.tokens[0]));
      return true;
    });
    assert.equal(fx.vault.refusals.at(-1), 'the release policy is not satisfied');
  });

  test('Key Vault refusing release of a non-exportable key or one without a release policy', async () => {
    const plain = fx.vault.addKey('not-exportable');
    await assert.rejects(skr({ keyId: plain.id }).provider.release(), /refused to release key .*HTTP 403 Forbidden/);
  });

  test('a debuggable enclave is refused by our own check before Key Vault is asked', async () => {
    const start = releases();
    const { provider } = skr({ identity: { ...fx.identity, debug: true } });
    await assert.rejects(provider.release(), (e: unknown) => isSealedError(e) && e.code === 'attest.debuggable');
    assert.equal(releases(), start);
  });

  test('a wrong MRSIGNER and an SVN below minimum are refused before Key Vault is asked', async () => {
    const start = releases();
    await assert.rejects(skr({ identity: { ...fx.identity, mrsigner: hex64() } }).provider.release(), /'x-ms-sgx-mrsigner'/);
    await assert.rejects(skr({ identity: { ...fx.identity, svn: 1 } }).provider.release(), /'x-ms-sgx-svn' is 1/);
    assert.equal(releases(), start);
  });

  test('even with a lenient own policy, the vault enforces its release policy (debuggable enclave)', async () => {
    const lenient = parseAttestationPolicy({ ...fx.policyJson, enclave: { ...(fx.policyJson.enclave as object), allowDebug: true } }, 'lenient');
    const { provider } = skr({ identity: { ...fx.identity, debug: true }, policy: lenient });
    await assert.rejects(provider.release(), /refused to release key .*HTTP 403 AccessDenied/);
    assert.equal(fx.vault.refusals.at(-1), 'the release policy is not satisfied');
  });

  test('a quote over other report data is refused by MAA (one line, no quote in it)', async () => {
    const { provider, device } = skr();
    device.tamper = (q) => {
      q[48 + 320] ^= 1;
      return q;
    };
    await assert.rejects(provider.release(), (e: unknown) => isSealedError(e) && e.code === 'attest.fetchFailed' && /HTTP 400 Bad Request \(InvalidParameter\)/.test(e.message) && !/\n/.test(e.message));
  });

  test('a failed release is retried by the next call', async () => {
    const { provider, device } = skr();
    device.tamper = (q) => Buffer.from(q.subarray(0, 100));
    await assert.rejects(provider.release());
    device.tamper = undefined;
    await provider.release();
    assert.ok(provider.attestation);
  });

  test('unwrap with a WrappedKey naming another key id is refused before attesting', async () => {
    const { provider, attester: a } = skr();
    const other = fx.vault.addKey('elsewhere');
    const wrapped = { provider: 'azure-keyvault', keyId: other.id, algorithm: 'RSA-OAEP-256', wrapped: randomBytes(256).toString('base64') };
    await assert.rejects(provider.unwrapKey(wrapped, context), (e: unknown) => isSealedError(e) && e.code === 'keys.otherKey');
    assert.equal(a.tokens.length, 0);
  });

  test('secrets (token, key material) are absent from every error message and from the Azure SDK log', async () => {
    const logged: string[] = [];
    const previousLog = AzureLogger.log;
    AzureLogger.log = (...args: unknown[]) => logged.push(args.map(String).join(' '));
    setLogLevel('verbose');
    const messages: string[] = [];
    const { provider, attester: a } = skr();
    try {
      const dataKey = randomBytes(32);
      const wrapped = await provider.wrapKey(dataKey, context);
      await provider.unwrapKey(wrapped, context);
      const flipped = Buffer.from(wrapped.wrapped, 'base64');
      flipped[3] ^= 1;
      await provider.unwrapKey({ ...wrapped, wrapped: flipped.toString('base64') }, context).catch((e: Error) => messages.push(e.message, String(e.stack)));
      await skr({ keyId: fx.vault.addKey('nope').id }).provider.release().catch((e: Error) => messages.push(e.message));
      const vaultKey = key.privateKey.export({ format: 'jwk' });
      const secrets = [fx.accessToken, a.tokens[0], ...a.tokens[0].split('.'), dataKey.toString('base64'), dataKey.toString('hex'), String(vaultKey.d), String(vaultKey.p), String(vaultKey.q)];
      const haystack = [...messages, ...logged, inspect(provider, { depth: 5, showHidden: true }), JSON.stringify(provider)].join('\n');
      assert.ok(logged.length > 0, 'the SDK logged something to check');
      for (const secret of secrets) assert.ok(!haystack.includes(secret), `a secret (${secret.slice(0, 8)}...) leaked`);
    } finally {
      setLogLevel();
      AzureLogger.log = previousLog;
    }
  });
});

describe('openReleasedKey', () => {
  test('a release answer for another key or another request is refused', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const transfer = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jws = (payload: unknown): string => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;
    const check = { keyId: key.id, nonce: 'n1', transferKey: transfer.privateKey };
    assert.throws(() => openReleasedKey(jws({ request: { nonce: 'n2' }, response: { key: { key: { kid: key.id } } } }), check), /another request/);
    assert.throws(() => openReleasedKey(jws({ response: { key: { key: { kid: `${key.id}x`, kty: 'RSA' } } } }), check), /it is key .*x, not the one asked for/);
    assert.throws(() => openReleasedKey(jws({ response: { key: { key: { kid: key.id, kty: 'oct', key_hsm: 'eA' } } } }), check), /not RSA/);
    assert.throws(() => openReleasedKey(jws({ response: { key: { key: { kid: key.id, kty: 'RSA-HSM', key_hsm: Buffer.from(JSON.stringify({ ciphertext: randomBytes(400).toString('base64url') })).toString('base64url') } } } }), check), /not wrapped to our transfer key/);
    assert.throws(() => openReleasedKey('x'.repeat(300_000), check), /larger than/);
    assert.throws(() => openReleasedKey({ value: 1 }, check), /has no value/);
  });
});
