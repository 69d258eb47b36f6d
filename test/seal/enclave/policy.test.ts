// `sealed enclave policy`: the attestation policy file derived from a SIGSTRUCT, in exactly the contract's format
// (read by `sealed keys policy` and the MAA-token verifier), written atomically with mode 644, and refused —
// one line, exit != 0, nothing written — for a debug enclave, a bad signature, a bad MAA URL or SVN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { parseAttestationPolicy } from '../../../src/seal/azure/attestationPolicy.ts';
import { runCli } from '../../cli/helpers.ts';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';
import { makeSigstruct, testMrsigner } from './sigstructFixture.ts';

const MAA = 'https://sealedattest.weu.attest.azure.net';
const mrenclave = createHash('sha256').update('the executor enclave').digest();

function setup(fields: Parameters<typeof makeSigstruct>[0] = {}): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'sealed-executor.sig'), makeSigstruct({ mrenclave, isvProdId: 7, isvSvn: 3, ...fields }));
  return dir;
}

const policy = (cwd: string, ...extra: string[]) => runCli(['enclave', 'policy', '--sig', 'sealed-executor.sig', '--maa', MAA, ...extra], { cwd });

test('the policy file has exactly the contract format, MRENCLAVE/MRSIGNER/ISV values from the signature', async () => {
  const cwd = setup();
  const r = await policy(cwd, '--out', 'policy.json');
  assert.equal(r.code, 0, r.stderr);
  const want =
    `{"version":1,"attestation":{"authority":"${MAA}","type":"sgx"},` +
    `"enclave":{"mrsigner":["${testMrsigner()}"],"mrenclave":["${mrenclave.toString('hex')}"],"productId":7,"minSvn":3,"allowDebug":false},` +
    `"token":{"maxAgeSeconds":300,"clockSkewSeconds":60}}\n`;
  assert.equal(readFileSync(join(cwd, 'policy.json'), 'utf8'), want);
  assert.equal(statSync(join(cwd, 'policy.json')).mode & 0o777, 0o644);
  assert.deepEqual(readdirSync(cwd).sort(), ['policy.json', 'sealed-executor.sig'], 'no temporary file left');
  assert.match(r.stderr, new RegExp(`mrenclave ${mrenclave.toString('hex')}, mrsigner ${testMrsigner()}, isvprodid 7, isvsvn 3`));
});

test('the policy file is what the verifier and `sealed keys policy` read (src/seal/azure/attestationPolicy.ts)', async () => {
  const cwd = setup();
  const r = await policy(cwd);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(parseAttestationPolicy(r.stdout, 'policy.json'), JSON.parse(r.stdout));
});

test('without --out the policy goes to stdout; --min-svn lowers the minimum; a trailing slash on --maa is normalised', async () => {
  const cwd = setup();
  const r = await runCli(['enclave', 'policy', '--sig', 'sealed-executor.sig', '--maa', `${MAA.toUpperCase().replace('HTTPS', 'https')}/`, '--min-svn', '1'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  const p = JSON.parse(r.stdout) as { attestation: { authority: string }; enclave: { minSvn: number } };
  assert.equal(p.attestation.authority, MAA);
  assert.equal(p.enclave.minSvn, 1);
});

async function assertRefused(cwd: string, args: string[], message: RegExp, exit?: number): Promise<void> {
  const r = await policy(cwd, ...args, '--out', 'policy.json');
  assert.notEqual(r.code, 0);
  if (exit !== undefined) assert.equal(r.code, exit);
  assert.match(r.stderr, message);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.ok(!existsSync(join(cwd, 'policy.json')), 'nothing written');
}

test('attack: a debug-signed enclave is refused unless --allow-debug (and then allowDebug is true)', async () => {
  const cwd = setup({ debug: true });
  await assertRefused(cwd, [], /ATTRIBUTES\.DEBUG set.*--allow-debug/, 1);
  const r = await policy(cwd, '--allow-debug');
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { enclave: { allowDebug: boolean } }).enclave.allowDebug, true);
  assert.match(r.stderr, /DEBUG/);
});

test('attack: a SIGSTRUCT whose ATTRIBUTEMASK leaves DEBUG out (so it also launches debuggable) is refused', async () => {
  await assertRefused(setup({ flagsMask: 0xfffffffffffffffdn }), [], /ATTRIBUTEMASK leaves DEBUG out/, 1);
});

test('attack: a SIGSTRUCT edited after signing (MRENCLAVE swapped) is refused, nothing written', async () => {
  const cwd = setup();
  const b = readFileSync(join(cwd, 'sealed-executor.sig'));
  b[960] ^= 0xff;
  writeFileSync(join(cwd, 'sealed-executor.sig'), b);
  await assertRefused(cwd, [], /sealed-executor\.sig: not a usable SGX SIGSTRUCT: the RSA signature does not verify/, 1);
});

test('attack: truncated, oversized, missing and non-regular --sig files', async () => {
  const cwd = setup();
  const b = readFileSync(join(cwd, 'sealed-executor.sig'));
  writeFileSync(join(cwd, 'sealed-executor.sig'), b.subarray(0, 1000));
  await assertRefused(cwd, [], /1000 bytes, a SIGSTRUCT is exactly 1808/);
  writeFileSync(join(cwd, 'sealed-executor.sig'), Buffer.concat([b, Buffer.alloc(10_000_000)]));
  await assertRefused(cwd, [], /larger than 1808 bytes/);
  const r = await runCli(['enclave', 'policy', '--sig', 'nope.sig', '--maa', MAA], { cwd });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not found/);
  execFileSync('mkfifo', [join(cwd, 'fifo.sig')]);
  const f = await runCli(['enclave', 'policy', '--sig', 'fifo.sig', '--maa', MAA], { cwd });
  assert.equal(f.code, 1);
  assert.match(f.stderr, /not a regular file/);
});

test('attack: MAA URLs that are not an Azure Attestation instance over https', async () => {
  const cwd = setup();
  for (const maa of [
    'http://sealedattest.weu.attest.azure.net',
    'https://sealedattest.weu.attest.azure.net/attest',
    'https://sealedattest.weu.attest.azure.net:8443',
    'https://user:pw@sealedattest.weu.attest.azure.net',
    'https://sealedattest.weu.attest.azure.net.evil.example',
    'https://evil.example/.attest.azure.net',
    'https://sealedattest.weu.attest.azure.net?x=1',
    'https://attest.azure.net',
    'not a url',
    `https://${'a'.repeat(400)}.attest.azure.net`,
  ]) {
    const r = await runCli(['enclave', 'policy', '--sig', 'sealed-executor.sig', '--maa', maa, '--out', 'policy.json'], { cwd });
    assert.equal(r.code, 2, maa);
    assert.match(r.stderr, /option --maa must be an https URL of an Azure Attestation instance/, maa);
    assert.ok(!existsSync(join(cwd, 'policy.json')));
  }
});

test('attack: a minimum SVN above the signed one, or not a 16-bit integer', async () => {
  const cwd = setup();
  await assertRefused(cwd, ['--min-svn', '4'], /--min-svn must be at most 3, the ISVSVN this enclave is signed with/, 2);
  await assertRefused(cwd, ['--min-svn', '70000'], /--min-svn must be an integer from 0 to 65535/, 2);
  await assertRefused(cwd, ['--min-svn', '1e3'], /--min-svn/, 2);
});
