// verifyMaaToken against the fake MAA (fakeMaa.ts): a good token passes; every attack on the
// token is refused with its own one-line error naming the header field or claim, never quoting
// the token; the signing keys come from the authority's OpenID metadata and are cached.
import assert from 'node:assert/strict';
import { createHmac, randomBytes, type JsonWebKey } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { isSealedError } from '../../../src/core/index.ts';
import { parseAttestationPolicy } from '../../../src/seal/azure/attestationPolicy.ts';
import { runtimeDataFor } from '../../../src/seal/azure/attester.ts';
import { JwksCache } from '../../../src/seal/azure/jwksCache.ts';
import { MAX_TOKEN_BYTES, verifyMaaToken } from '../../../src/seal/azure/maaToken.ts';
import { hex64, startAzureFixture, type AzureFixture } from './azureFixture.ts';
import { startFakeMaa } from './fakeMaa.ts';
import { makeRsaSigningCert } from './testTls.ts';

let fx: AzureFixture;
const transferJwk: JsonWebKey = { kty: 'RSA', n: randomBytes(256).toString('base64url'), e: 'AQAB', kid: 'transfer-1', key_ops: ['encrypt'] };
const nonce = randomBytes(24).toString('base64url');
const expected = { nonce, publicKeyJwk: transferJwk };

before(async () => {
  fx = await startAzureFixture();
});
after(async () => {
  await fx.close();
});

const jwks = (): JwksCache => new JwksCache(fx.maa.url, { dispatcher: fx.dispatcher });
const goodClaims = (): Record<string, unknown> => fx.maa.claimsFor(fx.identity, runtimeDataFor(transferJwk, nonce), nonce);
const verify = (token: string, options: { now?: Date; cache?: JwksCache; policy?: typeof fx.policy; expected?: typeof expected } = {}) =>
  verifyMaaToken(token, options.policy ?? fx.policy, { expected: options.expected ?? expected, jwks: options.cache ?? jwks(), now: options.now });

/** Asserts a refusal with `code` whose message matches `pattern`, is one line and does not contain the token. */
async function refused(token: string, code: string, pattern: RegExp, options: Parameters<typeof verify>[1] = {}): Promise<void> {
  await assert.rejects(verify(token, options), (e: unknown) => {
    assert.ok(isSealedError(e), String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    assert.doesNotMatch(e.message, /\n/);
    for (const part of token.split('.')) if (part.length > 16) assert.ok(!e.message.includes(part), 'the error quotes the token');
    return true;
  });
}

function withClaims(change: (c: Record<string, unknown>) => void): Promise<string> {
  const claims = goodClaims();
  change(claims);
  return fx.maa.sign(claims);
}

describe('verifyMaaToken', () => {
  test('a token for this enclave, nonce and key passes and reports what was attested', async () => {
    const result = await verify(await fx.maa.sign(goodClaims()));
    assert.equal(result.mrsigner, fx.identity.mrsigner);
    assert.equal(result.mrenclave, fx.identity.mrenclave);
    assert.equal(result.productId, 7);
    assert.equal(result.svn, 3);
    assert.equal(result.isDebuggable, false);
    assert.equal(result.runtime?.nonce, nonce);
  });

  test('runtime data from x-ms-sgx-ehd when there is no x-ms-runtime (dataType Binary)', async () => {
    const token = await withClaims((c) => delete c['x-ms-runtime']);
    assert.equal((await verify(token)).runtime?.nonce, nonce);
  });

  test('replayed token (another request nonce) is refused', async () => {
    await refused(await fx.maa.sign(goodClaims()), 'attest.runtimeMismatch', /'nonce'.*replayed/, { expected: { ...expected, nonce: 'a-fresh-nonce' } });
  });

  test('replayed token (another transfer public key) is refused', async () => {
    await refused(await fx.maa.sign(goodClaims()), 'attest.runtimeMismatch', /'keys'/, { expected: { ...expected, publicKeyJwk: { ...transferJwk, n: randomBytes(256).toString('base64url') } } });
  });

  test('replayed quote with a fresh top-level nonce claim is still refused (the nonce must be in the runtime data)', async () => {
    const token = await fx.maa.sign({ ...fx.maa.claimsFor(fx.identity, runtimeDataFor(transferJwk, 'old-nonce'), nonce) });
    await refused(token, 'attest.runtimeMismatch', /'nonce'/);
  });

  test('token without runtime data is refused when a nonce is expected', async () => {
    const token = await withClaims((c) => {
      delete c['x-ms-runtime'];
      delete c['x-ms-sgx-ehd'];
    });
    await refused(token, 'attest.runtimeDataMissing', /x-ms-runtime/);
  });

  test('expired token is refused', async () => {
    const token = await fx.maa.sign(goodClaims());
    await refused(token, 'attest.expired', /claim 'exp'/, { now: new Date(Date.now() + 9 * 3600_000) });
  });

  test('token not yet valid is refused', async () => {
    const token = await withClaims((c) => {
      c.nbf = Math.floor(Date.now() / 1000) + 3600;
      c.iat = Math.floor(Date.now() / 1000);
    });
    await refused(token, 'attest.notYetValid', /claim 'nbf'/);
  });

  test('token too old (iat beyond maxAgeSeconds + skew) is refused', async () => {
    const old = Math.floor(Date.now() / 1000) - 400;
    await refused(await withClaims((c) => ((c.iat = old), (c.nbf = old))), 'attest.tooOld', /claim 'iat'.*300 s/);
    // Within the skew it passes.
    const recent = Math.floor(Date.now() / 1000) - 330;
    await verify(await withClaims((c) => ((c.iat = recent), (c.nbf = recent))));
  });

  test('token issued in the future is refused', async () => {
    await refused(await withClaims((c) => (c.iat = Math.floor(Date.now() / 1000) + 3600)), 'attest.issuedInFuture', /'iat'/);
  });

  test('debuggable enclave is refused unless the policy allows debug', async () => {
    const token = await withClaims((c) => (c['x-ms-sgx-is-debuggable'] = true));
    await refused(token, 'attest.debuggable', /x-ms-sgx-is-debuggable/);
    const lenient = parseAttestationPolicy({ ...fx.policyJson, enclave: { ...(fx.policyJson.enclave as object), allowDebug: true } }, 'lenient');
    assert.equal((await verify(token, { policy: lenient })).isDebuggable, true);
  });

  test('wrong MRSIGNER is refused', async () => {
    await refused(await withClaims((c) => (c['x-ms-sgx-mrsigner'] = hex64())), 'attest.wrongValue', /'x-ms-sgx-mrsigner'/);
  });

  test('wrong MRENCLAVE is refused (and any MRENCLAVE passes when the policy lists none)', async () => {
    const token = await withClaims((c) => (c['x-ms-sgx-mrenclave'] = hex64()));
    await refused(token, 'attest.wrongValue', /'x-ms-sgx-mrenclave'/);
    const anyEnclave = parseAttestationPolicy({ ...fx.policyJson, enclave: { ...(fx.policyJson.enclave as object), mrenclave: [] } }, 'any');
    await verify(token, { policy: anyEnclave });
  });

  test('wrong product id is refused', async () => {
    await refused(await withClaims((c) => (c['x-ms-sgx-product-id'] = 8)), 'attest.wrongValue', /'x-ms-sgx-product-id' is 8, expected 7/);
  });

  test('SVN below minimum is refused', async () => {
    await refused(await withClaims((c) => (c['x-ms-sgx-svn'] = 1)), 'attest.svnTooLow', /'x-ms-sgx-svn' is 1, below the policy's minimum 2/);
  });

  test('wrong issuer is refused', async () => {
    await refused(await withClaims((c) => (c.iss = 'https://evil.attest.azure.net')), 'attest.wrongIssuer', /'iss'/);
  });

  test('wrong x-ms-ver or attestation type is refused', async () => {
    await refused(await withClaims((c) => (c['x-ms-ver'] = '2.0')), 'attest.wrongValue', /'x-ms-ver'/);
    await refused(await withClaims((c) => (c['x-ms-attestation-type'] = 'sevsnpvm')), 'attest.wrongValue', /'x-ms-attestation-type'/);
  });

  test('missing or mistyped claims are refused by name', async () => {
    await refused(await withClaims((c) => delete c['x-ms-sgx-svn']), 'attest.missingClaim', /'x-ms-sgx-svn'/);
    await refused(await withClaims((c) => (c['x-ms-sgx-is-debuggable'] = 'false')), 'attest.badClaim', /'x-ms-sgx-is-debuggable' is not a boolean/);
    await refused(await withClaims((c) => (c['x-ms-sgx-mrsigner'] = 'zz')), 'attest.badClaim', /'x-ms-sgx-mrsigner'/);
    await refused(await withClaims((c) => delete c.exp), 'attest.missingClaim', /'exp'/);
  });

  test('alg none is refused', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify(goodClaims())).toString('base64url');
    await refused(`${header}.${body}.`, 'attest.badAlgorithm', /'none'; only RS256/);
  });

  test('HS256 with the public key as secret is refused', async () => {
    const cache = jwks();
    const publicPem = (await cache.key(fx.maa.signers[0].kid)).export({ type: 'spki', format: 'pem' });
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', kid: fx.maa.signers[0].kid, typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify(goodClaims())).toString('base64url');
    const mac = createHmac('sha256', publicPem).update(`${header}.${body}`).digest('base64url');
    await refused(`${header}.${body}.${mac}`, 'attest.badAlgorithm', /'HS256'; only RS256/, { cache });
  });

  test('a token signed by a key the authority does not publish (unknown kid) is refused', async () => {
    const rogue = await makeRsaSigningCert('rogue');
    await refused(await fx.maa.sign(goodClaims(), {}, { kid: 'rogue-kid', privateKey: rogue.privateKey }), 'attest.unknownKid', /'rogue-kid' is not a signing key of https:\/\/127\.0\.0\.1/);
  });

  test('a known kid with another key\'s signature is refused', async () => {
    const rogue = await makeRsaSigningCert('rogue');
    await refused(await fx.maa.sign(goodClaims(), {}, { kid: fx.maa.signers[0].kid, privateKey: rogue.privateKey }), 'attest.badSignature', /does not verify/);
  });

  test('a changed payload (signature no longer matches) is refused', async () => {
    const [h, , s] = (await fx.maa.sign(goodClaims())).split('.');
    const forged = Buffer.from(JSON.stringify({ ...goodClaims(), 'x-ms-sgx-svn': 99 })).toString('base64url');
    await refused(`${h}.${forged}.${s}`, 'attest.badSignature', /does not verify/);
  });

  test('jku pointing to another host is refused', async () => {
    await refused(await fx.maa.sign(goodClaims(), { jku: 'https://evil.example.com/certs' }), 'attest.jkuMismatch', /'jku' names https:\/\/evil\.example\.com\/certs/);
  });

  test('OpenID metadata whose jwks_uri is on another host is refused', async () => {
    const evil = await startFakeMaa({ tls: fx.tls, metadata: (doc) => ({ ...doc, jwks_uri: 'https://evil.example.com/certs' }) });
    try {
      const policy = parseAttestationPolicy({ ...fx.policyJson, attestation: { authority: evil.url, type: 'sgx' } }, 'evil');
      const claims = { ...goodClaims(), iss: evil.url };
      await assert.rejects(verifyMaaToken(await evil.sign(claims, { jku: undefined }), policy, { expected, jwksOptions: { dispatcher: fx.dispatcher } }), /OpenID metadata from .* is not valid: jwks_uri https:\/\/evil\.example\.com\/certs is not on/);
    } finally {
      await evil.close();
    }
  });

  test('oversize token is refused before any parsing or fetching', async () => {
    const before = { ...fx.maa.counts };
    await refused('a'.repeat(MAX_TOKEN_BYTES + 1), 'attest.tokenTooLarge', /more than the 131072 accepted/);
    assert.deepEqual(fx.maa.counts, before);
  });

  test('garbage is a one-line malformed-token error', async () => {
    await refused('not-a-token', 'attest.malformedToken', /header/);
    await refused('eyJhbGciOiJSUzI1NiJ9.e30.a+b', 'attest.malformedToken', /three base64url parts/);
  });
});

describe('JwksCache', () => {
  test('metadata and keys are fetched once and reused for many tokens', async () => {
    const cache = jwks();
    const start = { ...fx.maa.counts };
    for (let i = 0; i < 5; i++) await verify(await fx.maa.sign(goodClaims()), { cache });
    assert.equal(fx.maa.counts.metadata - start.metadata, 1);
    assert.equal(fx.maa.counts.certs - start.certs, 1);
  });

  test('a rotated key is found by one refetch; unknown kids do not cause a refetch storm', async () => {
    let clock = 1_000_000;
    const cache = new JwksCache(fx.maa.url, { dispatcher: fx.dispatcher, now: () => clock, refetchIntervalMs: 60_000 });
    await verify(await fx.maa.sign(goodClaims()), { cache });
    const rotated = await fx.maa.rotate();
    clock += 61_000;
    const start = fx.maa.counts.certs;
    await verify(await fx.maa.sign(goodClaims(), {}, rotated), { cache });
    assert.equal(fx.maa.counts.certs - start, 1, 'one refetch for the new kid');
    for (let i = 0; i < 20; i++) await assert.rejects(cache.key(`made-up-${i}`), /is not a signing key/);
    assert.equal(fx.maa.counts.certs - start, 1, 'no refetch within the interval');
    clock += 61_000;
    await assert.rejects(cache.key('made-up-late'), /is not a signing key/);
    assert.equal(fx.maa.counts.certs - start, 2, 'one more after the interval');
  });

  test('keys expire after the TTL', async () => {
    let clock = 5_000_000;
    const cache = new JwksCache(fx.maa.url, { dispatcher: fx.dispatcher, now: () => clock, ttlMs: 10_000 });
    const start = fx.maa.counts.certs;
    await cache.key(fx.maa.signers[0].kid);
    await cache.key(fx.maa.signers[0].kid);
    clock += 10_001;
    await cache.key(fx.maa.signers[0].kid);
    assert.equal(fx.maa.counts.certs - start, 2);
  });

  test('an untrusted TLS certificate is a one-line fetch error (verification is never disabled)', async () => {
    const cache = new JwksCache(fx.maa.url);
    await assert.rejects(cache.key('x'), (e: unknown) => isSealedError(e) && e.code === 'attest.fetchFailed' && /OpenID metadata from https:\/\/127\.0\.0\.1:\d+\/\.well-known\/openid-configuration/.test(e.message) && !/\n/.test(e.message));
  });
});
