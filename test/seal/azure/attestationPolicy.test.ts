// The attestation policy file: strict parsing, one-line errors naming file and field, limits;
// the release policy made from it; `sealed keys policy` through the CLI entry.
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isSealedError } from '../../../src/core/index.ts';
import { parseAttestationPolicy, readAttestationPolicy } from '../../../src/seal/azure/attestationPolicy.ts';
import { buildReleasePolicy, encodeReleasePolicy } from '../../../src/seal/azure/releasePolicy.ts';
import { runCli } from '../../cli/helpers.ts';

const A = 'a'.repeat(64);
const B = 'B'.repeat(64);
const C = 'c'.repeat(64);
const base = () => ({
  version: 1,
  attestation: { authority: 'https://myattest.eus.attest.azure.net', type: 'sgx' },
  enclave: { mrsigner: [A], productId: 1, minSvn: 2, allowDebug: false },
  token: { maxAgeSeconds: 300, clockSkewSeconds: 60 },
});

function refused(input: unknown, field: string, pattern: RegExp, options = {}): void {
  assert.throws(
    () => parseAttestationPolicy(input as object, 'p.json', options),
    (e: unknown) => {
      assert.ok(isSealedError(e));
      assert.equal(e.code, 'attest.badPolicy');
      assert.equal(e.exitCode, 2);
      assert.doesNotMatch(e.message, /\n/);
      assert.match(e.message, /^attestation policy p\.json: /);
      if (field) assert.ok(e.message.includes(`field '${field}'`), e.message);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

describe('attestation policy file', () => {
  test('a valid policy is normalised: lower-case hex, no duplicates, defaults, authority origin', () => {
    const p = parseAttestationPolicy(
      JSON.stringify({ version: 1, attestation: { authority: 'https://MyAttest.eus.attest.azure.net/', type: 'sgx' }, enclave: { mrsigner: [B, B.toLowerCase()], productId: 9, minSvn: 0 } }),
      'p.json',
    );
    assert.deepEqual(p, {
      version: 1,
      attestation: { authority: 'https://myattest.eus.attest.azure.net', type: 'sgx' },
      enclave: { mrsigner: ['b'.repeat(64)], mrenclave: [], productId: 9, minSvn: 0, allowDebug: false },
      token: { maxAgeSeconds: 300, clockSkewSeconds: 60 },
    });
  });

  test('each bad field is one line naming the file and the field', () => {
    refused({ ...base(), version: 2 }, 'version', /must be 1/);
    refused({ ...base(), attestation: { authority: 'http://x.attest.azure.net', type: 'sgx' } }, 'attestation.authority', /https/);
    refused({ ...base(), attestation: { authority: 'https://x.attest.azure.net/path', type: 'sgx' } }, 'attestation.authority', /no path/);
    refused({ ...base(), attestation: { authority: 'https://u:p@x.attest.azure.net', type: 'sgx' } }, 'attestation.authority', /user name/);
    refused({ ...base(), attestation: { authority: 'https://x.attest.azure.net', type: 'sevsnpvm' } }, 'attestation.type', /sgx/);
    refused({ ...base(), enclave: { ...base().enclave, mrsigner: [] } }, 'enclave.mrsigner', /at least one/);
    refused({ ...base(), enclave: { ...base().enclave, mrsigner: [A, 'xyz'] } }, 'enclave.mrsigner[1]', /64 hex/);
    refused({ ...base(), enclave: { ...base().enclave, mrenclave: ['0'.repeat(63)] } }, 'enclave.mrenclave[0]', /64 hex/);
    refused({ ...base(), enclave: { ...base().enclave, productId: 1.5 } }, 'enclave.productId', /integer/);
    refused({ ...base(), enclave: { ...base().enclave, minSvn: 70000 } }, 'enclave.minSvn', /65535/);
    refused({ ...base(), enclave: { ...base().enclave, allowDebug: 'no' } }, 'enclave.allowDebug', /boolean/);
    refused({ ...base(), token: { maxAgeSeconds: 0, clockSkewSeconds: 60 } }, 'token.maxAgeSeconds', />= 1/);
    refused({ ...base(), token: { maxAgeSeconds: 300, clockSkewSeconds: 3600 } }, 'token.clockSkewSeconds', /600/);
  });

  test('misspelt field (allowDebg) is refused by name, not ignored', () => {
    const { allowDebug: _drop, ...enclave } = base().enclave;
    refused({ ...base(), enclave: { ...enclave, allowDebg: true } }, 'enclave.allowDebg', /not a known field/);
    refused({ ...base(), extra: 1 }, 'extra', /not a known field/);
  });

  test('oversized mrsigner list and not-JSON are refused', () => {
    refused({ ...base(), enclave: { ...base().enclave, mrsigner: Array.from({ length: 17 }, (_, i) => i.toString(16).padStart(64, '0')) } }, 'enclave.mrsigner', /more than 16/);
    assert.throws(() => parseAttestationPolicy('{"version":1,', 'p.json'), /attestation policy p\.json: is not valid JSON/);
    assert.throws(() => parseAttestationPolicy('[1]', 'p.json'), /must be a JSON object/);
  });

  test('plain http authority only for loopback and only with the explicit test option', () => {
    const local = { ...base(), attestation: { authority: 'http://127.0.0.1:8443', type: 'sgx' } };
    refused(local, 'attestation.authority', /https/);
    assert.equal(parseAttestationPolicy(local, 'p.json', { allowInsecureLocalhost: true }).attestation.authority, 'http://127.0.0.1:8443');
    refused({ ...base(), attestation: { authority: 'http://example.com', type: 'sgx' } }, 'attestation.authority', /https/, { allowInsecureLocalhost: true });
  });

  describe('files', () => {
    let dir: string;
    before(async () => {
      dir = await fsp.mkdtemp(join(tmpdir(), 'sealed-attest-policy-'));
    });
    after(async () => {
      await fsp.rm(dir, { recursive: true, force: true });
    });

    test('reads a file; a missing file and one over 64 KiB are one-line errors', async () => {
      const path = join(dir, 'ok.json');
      await fsp.writeFile(path, JSON.stringify(base()));
      assert.equal((await readAttestationPolicy(path)).enclave.minSvn, 2);
      await assert.rejects(readAttestationPolicy(join(dir, 'missing.json')), /file not found: .*missing\.json/);
      const big = join(dir, 'big.json');
      await fsp.writeFile(big, JSON.stringify({ ...base(), pad: 'x'.repeat(70_000) }));
      await assert.rejects(readAttestationPolicy(big), (e: unknown) => isSealedError(e) && e.code === 'attest.badPolicy' && /larger than 65536 bytes/.test(e.message));
    });
  });
});

describe('release policy', () => {
  test('follows the SKR grammar: version 1.0.0, one authority entry of equals/greaterOrEquals conditions', () => {
    const policy = parseAttestationPolicy(base(), 'p.json');
    assert.deepEqual(buildReleasePolicy(policy), {
      version: '1.0.0',
      anyOf: [
        {
          authority: 'https://myattest.eus.attest.azure.net',
          allOf: [
            { claim: 'x-ms-attestation-type', equals: 'sgx' },
            { claim: 'x-ms-sgx-mrsigner', equals: A },
            { claim: 'x-ms-sgx-is-debuggable', equals: false },
            { claim: 'x-ms-sgx-product-id', equals: 1 },
            { claim: 'x-ms-sgx-svn', greaterOrEquals: 2 },
          ],
        },
      ],
    });
  });

  test('several MRSIGNER x MRENCLAVE values become one entry per combination; allowDebug drops the debug condition', () => {
    const policy = parseAttestationPolicy({ ...base(), enclave: { mrsigner: [A, C], mrenclave: [B, C], productId: 1, minSvn: 0, allowDebug: true } }, 'p.json');
    const release = buildReleasePolicy(policy);
    assert.equal(release.anyOf.length, 4);
    const pairs = release.anyOf.map((e) => e.allOf.filter((c) => c.claim.endsWith('mrsigner') || c.claim.endsWith('mrenclave')).map((c) => ('equals' in c ? c.equals : '')));
    assert.deepEqual(pairs, [
      [A, 'b'.repeat(64)],
      [A, C],
      [C, 'b'.repeat(64)],
      [C, C],
    ]);
    assert.ok(release.anyOf.every((e) => !e.allOf.some((c) => c.claim === 'x-ms-sgx-is-debuggable')));
  });

  test('is carried base64url-encoded in Key Vault requests', () => {
    const release = buildReleasePolicy(parseAttestationPolicy(base(), 'p.json'));
    const encoded = encodeReleasePolicy(release);
    assert.equal(encoded.contentType, 'application/json; charset=utf-8');
    assert.deepEqual(JSON.parse(Buffer.from(encoded.data, 'base64url').toString('utf8')), release);
  });
});

describe('sealed keys policy', () => {
  let dir: string;
  before(async () => {
    dir = await fsp.mkdtemp(join(tmpdir(), 'sealed-keys-policy-'));
    await fsp.writeFile(join(dir, 'attest.json'), JSON.stringify(base()));
  });
  after(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('prints the release policy JSON', async () => {
    const r = await runCli(['keys', 'policy', '--policy', join(dir, 'attest.json')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), buildReleasePolicy(parseAttestationPolicy(base(), 'x')));
  });

  test('--out writes the file (relative to cwd) and says so on stderr', async () => {
    const r = await runCli(['keys', 'policy', '--policy', 'attest.json', '--out', 'release.json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /release policy written to .*release\.json/);
    const written = JSON.parse(await fsp.readFile(join(dir, 'release.json'), 'utf8'));
    assert.equal(written.version, '1.0.0');
    assert.equal((await fsp.stat(join(dir, 'release.json'))).mode & 0o777, 0o644);
  });

  test('a bad policy file: exit 2, one line naming file and field, nothing written', async () => {
    await fsp.writeFile(join(dir, 'bad.json'), JSON.stringify({ ...base(), enclave: { ...base().enclave, minSvn: -1 } }));
    const r = await runCli(['keys', 'policy', '--policy', 'bad.json', '--out', 'never.json'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /bad\.json: field 'enclave\.minSvn' must be >= 0/);
    await assert.rejects(fsp.stat(join(dir, 'never.json')), { code: 'ENOENT' });
  });

  test('--policy is required', async () => {
    const r = await runCli(['keys', 'policy']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /--policy/);
  });
});
