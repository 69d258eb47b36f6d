// `sealed enclave check-vars` and `sealed enclave check-manifest`, the two checks Dockerfile.sgx runs before it
// renders and after it signs: one summary line when all is well, one error line and a non-zero exit otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../cli/helpers.ts';
import { repoRoot } from '../../helpers/sharedData.ts';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';

const fixtures = join(repoRoot, 'test', 'deploy', 'fixtures');
const KEY_ID = 'https://sealedkv.vault.azure.net/keys/sealed-kek/4d3c2b1a0f9e8d7c6b5a49382716a5b4';
const MAA = 'https://sealedattest.weu.attest.azure.net';

test('check-vars: the values Dockerfile.sgx passes to gramine-manifest, accepted and refused', async () => {
  const ok = await runCli(['enclave', 'check-vars', '--isvprodid', '7', '--isvsvn', '3', '--seal-provider', 'azure-skr', '--keyvault-key-id', KEY_ID, '--maa-endpoint', MAA]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, 'manifest variables ok: isvprodid 7, isvsvn 3, enclave_size 8G, seal_provider azure-skr\n');
  const none = await runCli(['enclave', 'check-vars', '--isvprodid', '0', '--isvsvn', '0', '--seal-provider', 'none', '--enclave-size', '2G']);
  assert.equal(none.code, 0, none.stderr);
  for (const args of [
    ['--isvprodid', '7\nsgx.debug = true', '--isvsvn', '3', '--seal-provider', 'none'],
    ['--isvprodid', '7', '--isvsvn', '3', '--seal-provider', 'local'],
    ['--isvprodid', '7', '--isvsvn', '3', '--seal-provider', 'azure-skr', '--keyvault-key-id', KEY_ID],
    ['--isvprodid', '7', '--isvsvn', '3', '--seal-provider', 'none', '--enclave-size', '1G'],
  ]) {
    const r = await runCli(['enclave', 'check-vars', ...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /^sealed: manifest variable \w+ must be /);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});

test('check-manifest: gramine-manifest\'s output shape passes; an edited one, a FIFO and a missing file do not', async () => {
  const cwd = tempDir();
  copyFileSync(join(fixtures, 'sealed-executor.manifest.sgx-shape.toml'), join(cwd, 'm.sgx'));
  const ok = await runCli(['enclave', 'check-manifest', 'm.sgx'], { cwd });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^manifest ok: isvprodid 7, isvsvn 3, enclave_size 2G, max_threads 32, seal provider azure-skr, 15 trusted file entries, passthrough AZURE_AUTHORITY_HOST /);
  writeFileSync(join(cwd, 'debug.sgx'), readFileSync(join(cwd, 'm.sgx'), 'utf8').replace('debug = false', 'debug = true'));
  const bad = await runCli(['enclave', 'check-manifest', 'debug.sgx'], { cwd });
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'sealed: debug.sgx: sgx.debug: must be false (a debuggable enclave is no enclave)\n');
  execFileSync('mkfifo', [join(cwd, 'fifo')]);
  const fifo = await runCli(['enclave', 'check-manifest', 'fifo'], { cwd });
  assert.equal(fifo.code, 1);
  assert.match(fifo.stderr, /not a regular file/);
  const missing = await runCli(['enclave', 'check-manifest', 'nope'], { cwd });
  assert.match(missing.stderr, /not found/);
});
