// `sealed compile`'s seal and enclave flags (src/cli/deployFlags.ts): each provider takes exactly its own flags, a
// missing or stray one is one usage line naming it (exit 2), and a bad value names the flag, not the schema field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loanDefaultCatalog } from '../../src/cli/pipelineCatalog.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { runCli } from './helpers.ts';

const KEY_ID = 'https://sealedkv.vault.azure.net/keys/sealed-kek/4d3c2b1a0f9e8d7c6b5a49382716a5b4';
const cwd = tempDir();
const compile = (...flags: string[]) => compileTo('p.yaml', ...flags);
const compileTo = (output: string, ...flags: string[]) => runCli(['compile', '--output', output, '--image', 'registry.example/s:1', ...flags], { catalog: loanDefaultCatalog, cwd });

test('--seal-keys-secret alone is the local provider; the note says how to make the secret', async () => {
  const r = await compile('--seal-keys-secret', 'sealed-keys');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /note: sealed run: the key folder must be a secret .*kubectl create secret generic <name> --from-file=kek\.key/);
});

test('seal and enclave flags: missing, stray and bad values are one usage line naming the flag, nothing written', async () => {
  for (const [flags, message] of [
    [['--seal-provider', 'azure-keyvault'], /sealed compile --seal-provider azure-keyvault needs --keyvault-key-id <value>/],
    [['--seal-provider', 'azure-skr', '--keyvault-key-id', KEY_ID], /needs --maa-endpoint <value>/],
    [['--seal-provider', 'local'], /needs --seal-keys-secret <value>/],
    [['--seal-keys-secret', 'k', '--maa-endpoint', 'https://a.weu.attest.azure.net'], /--maa-endpoint is not used by --seal-provider local/],
    [['--keyvault-key-id', KEY_ID], /--keyvault-key-id needs --seal-provider azure-keyvault or azure-skr/],
    [['--seal-provider', 'gcp\u001b[31m'], /option --seal-provider must be local, azure-keyvault or azure-skr, got 'gcp\\x1b\[31m'/],
    [['--seal-keys-secret', 'Bad_Name'], /option --seal-keys-secret: must be a Kubernetes object name/],
    [['--seal-provider', 'azure-keyvault', '--keyvault-key-id', 'https://kv/keys/k'], /option --keyvault-key-id: must be a versioned Key Vault key id/],
    [['--enclave', 'sgx'], /option --enclave: must be gramine or none/],
  ] as const) {
    const r = await compileTo('refused.yaml', ...flags);
    assert.equal(r.code, 2, `${flags.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(!existsSync(join(cwd, 'refused.yaml')));
  }
});
