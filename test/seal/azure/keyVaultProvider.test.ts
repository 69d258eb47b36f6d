// AzureKeyVaultKeyProvider through the real @azure/keyvault-keys client against the Key Vault
// fake (fakeKeyVault.ts): the bearer challenge, Get Key, Wrap Key and Unwrap Key; sealing an
// artifact end to end; refusals before any request for a WrappedKey naming another key.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { isSealedError } from '../../../src/core/index.ts';
import { sealChunks, unsealChunks, type SealContext } from '../../../src/seal/envelope.ts';
import { AzureKeyVaultKeyProvider } from '../../../src/seal/azure/keyVaultProvider.ts';
import type { WrappedKey } from '../../../src/seal/keyProvider.ts';
import { startAzureFixture, type AzureFixture } from './azureFixture.ts';
import { TEST_TENANT, VAULT_RESOURCE, type VaultKey } from './fakeKeyVault.ts';

let fx: AzureFixture;
let key: VaultKey;
const context = new Uint8Array([1, 2, 3]);

before(async () => {
  fx = await startAzureFixture();
  key = fx.vault.addKey('data-kek');
});
after(async () => {
  await fx.close();
});

const provider = (keyId = key.id) => new AzureKeyVaultKeyProvider({ keyId, credential: fx.credential, clientOptions: fx.clientOptions });

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

async function* once(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b;
}

describe('AzureKeyVaultKeyProvider', () => {
  test('wraps with RSA-OAEP-256 in the vault and unwraps the same data key', async () => {
    const p = provider();
    const dataKey = randomBytes(32);
    const wrapped = await p.wrapKey(dataKey, context);
    assert.deepEqual(Object.keys(wrapped).sort(), ['algorithm', 'keyId', 'provider', 'wrapped']);
    assert.equal(wrapped.provider, 'azure-keyvault');
    assert.equal(wrapped.algorithm, 'RSA-OAEP-256');
    assert.equal(wrapped.keyId, key.id);
    assert.equal(Buffer.from(wrapped.wrapped, 'base64').length, 256);
    assert.ok(!wrapped.wrapped.includes(dataKey.toString('base64')));
    assert.deepEqual(Buffer.from(await p.unwrapKey(wrapped, context)), dataKey);
  });

  test('authenticates through Key Vault\'s bearer challenge with the injected credential', async () => {
    fx.credential.requests.length = 0;
    const start = fx.vault.log.length;
    await provider().wrapKey(randomBytes(32), context);
    const log = fx.vault.log.slice(start);
    assert.equal(log[0].authorized, false, 'the first request goes without a token and is challenged');
    assert.ok(log.slice(1).every((r) => r.authorized));
    assert.deepEqual(log.map((r) => `${r.method} ${r.path.replace(key.version, 'V')}`), ['GET /keys/data-kek/V', 'GET /keys/data-kek/V', 'POST /keys/data-kek/V/wrapkey']);
    assert.ok(log.every((r) => r.apiVersion !== null));
    assert.deepEqual(fx.credential.requests[0], { scopes: [`${VAULT_RESOURCE}/.default`], tenantId: TEST_TENANT });
  });

  test('seals and unseals an artifact through the envelope', async () => {
    const p = provider();
    const ctx: SealContext = { runId: 'r1', task: 'train', artifact: 'model', type: 'system.Model' };
    const plain = randomBytes(200_000);
    const sealed = await collect(sealChunks(once(plain), { keyProvider: p, context: ctx }));
    const opened = await collect(unsealChunks(once(sealed), { keyProvider: provider(), expect: ctx }));
    assert.deepEqual(opened, plain);
  });

  test('unwrap with a WrappedKey naming another key id is refused before any request', async () => {
    const p = provider();
    const wrapped = await p.wrapKey(randomBytes(32), context);
    const other = fx.vault.addKey('other-kek');
    const start = fx.vault.log.length;
    const cases: Array<[WrappedKey, RegExp]> = [
      [{ ...wrapped, keyId: other.id }, /wrapped with key .*other-kek.*but this provider uses key .*data-kek/],
      [{ ...wrapped, keyId: `${fx.vault.url}/keys/data-kek/${'0'.repeat(32)}` }, /wrapped with key .*data-kek\/0{32}/],
      [{ ...wrapped, keyId: key.id.replace('testvault', 'othervault') }, /wrapped with a key of another vault, .*othervault.*but this provider uses vault https:\/\/testvault/],
      [{ ...wrapped, keyId: key.id.replace(/^https:\/\/[^/]+/, 'https://evil.example.com') }, /another vault/],
      [{ ...wrapped, provider: 'local' }, /provider local/],
      [{ ...wrapped, algorithm: 'RSA1_5' }, /RSA1_5/],
    ];
    for (const [bad, pattern] of cases) {
      await assert.rejects(p.unwrapKey(bad, context), (e: unknown) => isSealedError(e) && e.code === 'keys.otherKey' && pattern.test(e.message) && !/\n/.test(e.message));
    }
    assert.equal(fx.vault.log.length, start, 'no request reached the vault');
  });

  test('a malformed or altered wrapped key is refused with one line', async () => {
    const p = provider();
    const wrapped = await p.wrapKey(randomBytes(32), context);
    await assert.rejects(p.unwrapKey({ ...wrapped, wrapped: 'not base64!' }, context), /malformed: not base64/);
    await assert.rejects(p.unwrapKey({ ...wrapped, wrapped: Buffer.alloc(16).toString('base64') }, context), /16 bytes/);
    const flipped = Buffer.from(wrapped.wrapped, 'base64');
    flipped[10] ^= 1;
    await assert.rejects(p.unwrapKey({ ...wrapped, wrapped: flipped.toString('base64') }, context), (e: unknown) => isSealedError(e) && e.code === 'keys.azureFailed' && /unwrapKey .*HTTP 400 BadParameter/.test(e.message));
  });

  test('a data key that is not 32 bytes is refused before any request', async () => {
    const start = fx.vault.log.length;
    await assert.rejects(provider().wrapKey(randomBytes(16), context), /a data key must be 32 bytes, got 16/);
    assert.equal(fx.vault.log.length, start);
  });

  test('a key without unwrapKey permission: HTTP 403 in one line, no service text', async () => {
    const wrapOnly = fx.vault.addKey('wrap-only', { keyOps: ['wrapKey'] });
    const p = provider(wrapOnly.id);
    const wrapped = await p.wrapKey(randomBytes(32), context);
    // The SDK checks key_ops from Get Key itself before sending; either way the refusal is one line.
    await assert.rejects(p.unwrapKey(wrapped, context), (e: unknown) => isSealedError(e) && e.code === 'keys.azureFailed' && !/\n/.test(e.message));
  });

  test('a wrong credential: HTTP 401 with a hint, the token never in the message', async () => {
    const p = new AzureKeyVaultKeyProvider({
      keyId: key.id,
      credential: { getToken: async () => ({ token: 'stolen-or-stale-token', expiresOnTimestamp: Date.now() + 3600_000 }) },
      clientOptions: fx.clientOptions,
    });
    await assert.rejects(p.wrapKey(randomBytes(32), context), (e: unknown) => isSealedError(e) && /HTTP 401 .*credential/.test(e.message) && !e.message.includes('stolen-or-stale-token'));
  });

  test('an unversioned, http or malformed key id is a UsageError naming the problem', () => {
    const bad = (id: string, pattern: RegExp): void =>
      assert.throws(
        () => provider(id),
        (e: unknown) => isSealedError(e) && e.code === 'keys.badKeyVaultKeyId' && e.exitCode === 2 && pattern.test(e.message),
      );
    bad(`${fx.vault.url}/keys/data-kek`, /path must be \/keys\/<name>\/<version>/);
    bad(key.id.replace('https:', 'http:'), /must be https/);
    bad(`${key.id}?x=1`, /query/);
    bad(`${fx.vault.url}/secrets/data-kek/${key.version}`, /path must be/);
    bad('https://u:p@v.vault.azure.net/keys/k/0123', /user name/);
    bad('nonsense', /not a URL/);
  });
});
