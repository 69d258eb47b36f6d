// DSSE envelopes (src/seal/attest/dsse.ts) against the spec's own test vector and each attack on
// an envelope. Spec and vector: https://github.com/secure-systems-lab/dsse/blob/v1.0.2/protocol.md
// ("Test Vectors") and implementation/signing_spec.py (same PAE and envelope).
import assert from 'node:assert/strict';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Verifier } from '../../../src/seal/localKeys.ts';
import { ed25519Pair } from './helpers.ts';
import { DSSE_MAX_ENVELOPE_BYTES, DsseParseError, decodeBase64, dsseSign, dsseVerify, pae, parseDsseEnvelope } from '../../../src/seal/attest/dsse.ts';

// protocol.md, "Test Vectors": ECDSA P-256 / SHA-256, signature = raw r||s.
const VECTOR = {
  payloadType: 'http://example.com/HelloWorld',
  body: 'hello world',
  pae: 'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
  x: 46950820868899156662930047687818585632848591499744589407958293238635476079160n,
  y: 5640078356564379163099075877009565129882514886557779369047442380624545832820n,
  envelope: '{"payload": "aGVsbG8gd29ybGQ=", "payloadType": "http://example.com/HelloWorld", "signatures": [{"sig": "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA=="}]}',
};

function p256Verifier(): Verifier {
  const coord = (n: bigint): string => Buffer.from(n.toString(16).padStart(64, '0'), 'hex').toString('base64url');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: coord(VECTOR.x), y: coord(VECTOR.y) }, format: 'jwk' });
  return { keyId: 'spec-vector', verify: (m, s) => cryptoVerify('sha256', m, { key, dsaEncoding: 'ieee-p1363' }, s) };
}

const { signer, verifier } = ed25519Pair();
const TYPE = 'application/vnd.in-toto+json';
const body = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');
const fresh = () => dsseSign(TYPE, body, signer);

describe('DSSE PAE and the spec test vector', () => {
  it('PAE of the spec example is byte for byte the spec text', () => {
    assert.equal(pae(VECTOR.payloadType, Buffer.from(VECTOR.body)).toString('latin1'), VECTOR.pae);
  });

  it("the spec's P-256 envelope verifies over our PAE, and fails with one byte of the payload changed", () => {
    const env = parseDsseEnvelope(VECTOR.envelope);
    const verdict = dsseVerify(env, p256Verifier(), [VECTOR.payloadType]);
    assert.ok(verdict.ok, JSON.stringify(verdict));
    assert.equal(verdict.payload.toString(), 'hello world');
    const tampered = { ...env, payload: Buffer.from('hello World').toString('base64') };
    assert.equal(dsseVerify(tampered, p256Verifier(), [VECTOR.payloadType]).ok, false);
  });

  it('LEN counts bytes, not characters (protocol.md: "byte length"), and 0 has no leading zeros', () => {
    assert.equal(pae('é', Buffer.alloc(0)).toString('utf8'), 'DSSEv1 2 é 0 ');
  });
});

describe('DSSE sign and verify (Ed25519)', () => {
  it('round trip: one signature, keyid = key fingerprint, payload handed back as signed', () => {
    const env = fresh();
    assert.equal(env.signatures.length, 1);
    assert.equal(env.signatures[0].keyid, signer.keyId);
    const verdict = dsseVerify(parseDsseEnvelope(JSON.stringify(env)), verifier, [TYPE]);
    assert.ok(verdict.ok);
    assert.deepEqual(verdict.payload, body);
  });

  it('tampered payload: badSignature', () => {
    const env = fresh();
    env.payload = Buffer.from(body.toString().replace('v1', 'v2')).toString('base64');
    assert.deepEqual(dsseVerify(env, verifier, [TYPE]), { ok: false, kind: 'badSignature', reason: 'the signed payload or the signature was altered' });
  });

  it('payloadType changed: refused as unsupported before anything else', () => {
    const env = { ...fresh(), payloadType: 'application/json' };
    assert.deepEqual(dsseVerify(env, verifier, [TYPE]), { ok: false, kind: 'badPayloadType', reason: 'application/json' });
    // Also when the attacker picks a type we accept: PAE binds the type, so the signature fails.
    assert.equal((dsseVerify(env, verifier, [TYPE, 'application/json']) as { kind: string }).kind, 'badSignature');
  });

  it('no signatures: missingSignature', () => {
    assert.equal((dsseVerify({ ...fresh(), signatures: [] }, verifier, [TYPE]) as { kind: string }).kind, 'missingSignature');
  });

  it('signed by another key: untrustedKey, naming the keyid the envelope claims', () => {
    const other = ed25519Pair();
    const verdict = dsseVerify(dsseSign(TYPE, body, other.signer), verifier, [TYPE]);
    assert.deepEqual(verdict, { ok: false, kind: 'untrustedKey', reason: other.signer.keyId });
  });

  it("another key's signature relabelled with our keyid: badSignature (keyid is only a hint)", () => {
    const env = dsseSign(TYPE, body, ed25519Pair().signer);
    env.signatures[0].keyid = signer.keyId;
    assert.equal((dsseVerify(env, verifier, [TYPE]) as { kind: string }).kind, 'badSignature');
    env.signatures[0].keyid = '';
    assert.equal((dsseVerify(env, verifier, [TYPE]) as { kind: string }).kind, 'badSignature');
  });

  it('two signatures, one good and one bad claiming the same key: badSignature', () => {
    const env = fresh();
    const bad = Buffer.from(env.signatures[0].sig, 'base64');
    bad[0] ^= 1;
    env.signatures.push({ keyid: signer.keyId, sig: bad.toString('base64') });
    const verdict = dsseVerify(env, verifier, [TYPE]);
    assert.deepEqual(verdict, { ok: false, kind: 'badSignature', reason: '1 of 2 signatures naming this key do not verify' });
  });

  it("two signatures, ours and another key's: accepted, the other noted as ignored (DSSE multi-signature)", () => {
    const env = fresh();
    env.signatures.push(dsseSign(TYPE, body, ed25519Pair().signer).signatures[0]);
    const verdict = dsseVerify(env, verifier, [TYPE]);
    assert.ok(verdict.ok);
    assert.equal(verdict.ignored.length, 1);
  });

  it('a signature that is not base64 never verifies', () => {
    const env = fresh();
    env.signatures[0].sig = `${env.signatures[0].sig.slice(0, -4)}!!==`;
    assert.equal(dsseVerify(env, verifier, [TYPE]).ok, false);
  });

  it('URL-safe base64 is accepted for payload and signature (protocol.md: verifiers MUST accept either)', () => {
    const env = fresh();
    const url = { ...env, payload: Buffer.from(body).toString('base64url'), signatures: [{ keyid: '', sig: Buffer.from(env.signatures[0].sig, 'base64').toString('base64url') }] };
    assert.ok(dsseVerify(url, verifier, [TYPE]).ok);
  });
});

describe('DSSE envelope parsing', () => {
  it('decodeBase64 takes only canonical base64 of either alphabet', () => {
    assert.deepEqual(decodeBase64('aGVsbG8gd29ybGQ='), Buffer.from('hello world'));
    assert.deepEqual(decodeBase64('aGVsbG8gd29ybGQ'), Buffer.from('hello world'));
    assert.deepEqual(decodeBase64('-_8'), Buffer.from([0xfb, 0xff]));
    for (const bad of ['aGVsbG8gd29ybGR=', 'a', 'aGVs bG8=', 'aGVsbG8*', '+_8A', 'aGVsbG8gd29ybGQ===', 'aGVsbG8gd29ybGQ=x']) assert.equal(decodeBase64(bad), undefined, bad);
  });

  it('huge envelope: refused before JSON parsing', () => {
    const huge = Buffer.alloc(DSSE_MAX_ENVELOPE_BYTES + 1, 0x20);
    assert.throws(() => parseDsseEnvelope(huge), (e: unknown) => e instanceof DsseParseError && /more than the 16777216-byte limit/.test(e.message));
  });

  it('too many signatures, wrong types, missing fields and non-JSON are refused with one line', () => {
    const env = fresh();
    const cases: [unknown, RegExp][] = [
      [{ ...env, signatures: Array.from({ length: 17 }, () => env.signatures[0]) }, /more than 16 signatures/],
      [{ ...env, payload: 5 }, /^payload: /],
      [{ ...env, signatures: [{ keyid: 'k' }] }, /^signatures\.0\.sig: /],
      [{ payload: env.payload, signatures: env.signatures }, /^payloadType: /],
      [[env], /^the envelope: /],
    ];
    for (const [value, pattern] of cases) assert.throws(() => parseDsseEnvelope(JSON.stringify(value)), (e: unknown) => e instanceof DsseParseError && pattern.test(e.message) && !e.message.includes('\n'));
    assert.throws(() => parseDsseEnvelope('{"payload":'), /not JSON/);
  });

  it('unknown fields are ignored (envelope.md: consumers MUST ignore unrecognized fields); unset keyid reads as empty', () => {
    const env = fresh();
    const parsed = parseDsseEnvelope(JSON.stringify({ ...env, extra: 1, signatures: [{ sig: env.signatures[0].sig, note: 'x' }] }));
    assert.deepEqual(parsed, { payload: env.payload, payloadType: TYPE, signatures: [{ keyid: '', sig: env.signatures[0].sig }] });
    assert.ok(dsseVerify(parsed, verifier, [TYPE]).ok);
  });
});
