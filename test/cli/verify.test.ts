// `sealed verify RUN [--public-key FILE] [--keys DIR]` through the CLI entry (main) with captured
// io: exit codes (0 verified, 1 any finding, 2 usage), one escaped line per finding, the summary.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { verifyCommand } from '../../src/cli/commands/verifyCommand.ts';
import { LocalArtifactStore } from '../../src/pipeline/store/index.ts';
import { signRun } from '../../src/seal/attest/index.ts';
import { LocalKeyProvider, initKeyFolder } from '../../src/seal/localKeys.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { MemoryKeyProvider } from '../seal/memoryKeyProvider.ts';
import { ed25519Pair, makeRun, unsealerFor } from '../seal/attest/helpers.ts';
import { Capture, runCli } from './helpers.ts';

const keys = ed25519Pair();
function publicKeyFile(pem = keys.publicPem): string {
  const path = join(tempDir(), 'signing.pub');
  writeFileSync(path, pem);
  return path;
}

describe('sealed verify (CLI)', () => {
  it('a signed, untouched run: exit 0 and one summary line', async () => {
    const run = await makeRun(keys.signer);
    const r = await runCli(['verify', run.dir, '--public-key', publicKeyFile()]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, `verified: run 20260101-000000-abcdef of toy-pipeline: 9 of 9 artifacts match, signed by ${keys.signer.keyId}\n`);
    assert.equal(r.stderr, '');
  });

  it('tampered run: exit 1, one line per finding, then FAILED', async () => {
    const run = await makeRun(keys.signer);
    writeFileSync(join(run.dir, 'make-numbers/numbers.csv'), '6\n6\n6\n');
    writeFileSync(join(run.dir, 'extra.txt'), 'x');
    const r = await runCli(['verify', run.dir, '--public-key', publicKeyFile()]);
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^changed: 'make-numbers\/numbers\.csv' was changed: sha256 /);
    assert.equal(lines[1], "extra: 'extra.txt' is not part of the signed run");
    assert.equal(lines[2], 'FAILED: run 20260101-000000-abcdef of toy-pipeline: 2 problems, 8 of 9 artifacts match');
  });

  it('signature removed or emptied: exit 1 naming it', async () => {
    const run = await makeRun(keys.signer);
    const sig = join(run.dir, 'run.sig.json');
    writeFileSync(sig, '');
    const emptied = await runCli(['verify', run.dir, '--public-key', publicKeyFile()]);
    assert.equal(emptied.code, 1);
    assert.match(emptied.stdout, /^badEnvelope: run\.sig\.json is not a valid signature envelope: not JSON\nFAILED: .*: 1 problem\n$/);
    rmSync(sig);
    const removed = await runCli(['verify', run.dir, '--public-key', publicKeyFile()]);
    assert.equal(removed.code, 1);
    assert.equal(removed.stdout, `missingSignature: no signature: run.sig.json is missing (the run was never signed, or its signature was removed)\nFAILED: ${run.dir}: 1 problem\n`);
  });

  it('another public key than the signer: untrustedKey, exit 1', async () => {
    const run = await makeRun(keys.signer);
    const r = await runCli(['verify', run.dir, '--public-key', publicKeyFile(ed25519Pair().publicPem)]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^untrustedKey: signed by sha256:[0-9a-f]{64}, not by the trusted key sha256:[0-9a-f]{64}\n/);
  });

  it('control characters in a file name cannot forge lines: escaped, one line per finding', async () => {
    const run = await makeRun(keys.signer);
    writeFileSync(join(run.dir, 'x\x1b[1A\x1b[2K\rverified: run ok\n.csv'), 'x');
    const r = await runCli(['verify', run.dir, '--public-key', publicKeyFile()]);
    assert.equal(r.code, 1);
    assert.ok(!r.stdout.includes('\x1b') && !r.stdout.includes('\r'));
    assert.deepEqual(r.stdout.split('\n'), ["extra: 'x\\x1b[1A\\x1b[2K\\x0dverified: run ok\\x0a.csv' is not part of the signed run", 'FAILED: run 20260101-000000-abcdef of toy-pipeline: 1 problem, 9 of 9 artifacts match', '']);
  });

  it('usage errors exit 2 with one line: no key, no such run, a file as run, no RUN', async () => {
    const run = await makeRun(keys.signer);
    const noKey = await runCli(['verify', run.dir]);
    assert.equal(noKey.code, 2);
    assert.equal(noKey.stderr, 'sealed: no public key to check the run signature with: give --public-key FILE or --keys DIR (a key found inside the run would prove nothing)\n');
    assert.equal(noKey.stdout, '');
    const pub = publicKeyFile();
    const missing = await runCli(['verify', join(run.dir, 'nope'), '--public-key', pub]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^sealed: .*nope is not a run folder: it does not exist\n$/);
    const file = await runCli(['verify', join(run.dir, 'run.json'), '--public-key', pub]);
    assert.equal(file.code, 2);
    assert.match(file.stderr, /is not a run folder: it is not a folder\n$/);
    const none = await runCli(['verify']);
    assert.equal(none.code, 2);
    assert.equal(none.stderr, "sealed: missing required argument 'run'\n");
  });

  it('a bad --public-key: a private key, a huge file, a missing file are refused with one line, exit 1', async () => {
    const run = await makeRun(keys.signer);
    const { privateKey } = await import('node:crypto').then((c) => c.generateKeyPairSync('ed25519'));
    const priv = await runCli(['verify', run.dir, '--public-key', publicKeyFile(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)]);
    assert.equal(priv.code, 1);
    assert.match(priv.stderr, /^sealed: key file .*signing\.pub is not valid: not a PEM public key \(expected -----BEGIN PUBLIC KEY-----\)\n$/);
    assert.ok(!priv.stderr.includes('PRIVATE'), 'the private key is never echoed');
    const huge = await runCli(['verify', run.dir, '--public-key', publicKeyFile('x'.repeat(70_000))]);
    assert.equal(huge.code, 1);
    assert.match(huge.stderr, /larger than the 65536-byte limit/);
    const gone = await runCli(['verify', run.dir, '--public-key', join(run.dir, 'none.pub')]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /^sealed: file not found: /);
  });

  it('--keys DIR: its signing.pub is the trusted key (a real key folder, run signed by its signer)', async () => {
    const dir = join(tempDir(), 'keys');
    await initKeyFolder(dir);
    const provider = await LocalKeyProvider.open(dir);
    const run = await makeRun(provider.signer());
    const r = await runCli(['verify', run.dir, '--keys', dir]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^verified: .* 9 of 9 artifacts match/);
  });

  it('a real toy run (runPipeline layout), signed with signRun: verifies; a flipped byte in an output fails', async () => {
    const cwd = tempDir();
    const ran = await runCli(['run', '--run-dir', 'r'], { cwd });
    assert.equal(ran.code, 0, ran.stderr);
    await signRun(new LocalArtifactStore(join(cwd, 'r')), keys.signer);
    const pub = publicKeyFile();
    const ok = await runCli(['verify', 'r', '--public-key', pub], { cwd });
    assert.equal(ok.code, 0, ok.stdout);
    assert.match(ok.stdout, /^verified: run \S+ of toy-pipeline: 9 of 9 artifacts match/);
    const path = join(cwd, 'r', 'fit-model', 'model.json');
    const bytes = readFileSync(path);
    bytes[0] ^= 1;
    writeFileSync(path, bytes);
    const bad = await runCli(['verify', 'r', '--public-key', pub], { cwd });
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /^changed: 'fit-model\/model\.json' was changed/);
  });

  it('the unseal hook (--keys with hooks.unsealerFor): plaintexts checked and counted', async () => {
    const sealKeys = new MemoryKeyProvider();
    const run = await makeRun(keys.signer, { keyProvider: sealKeys });
    const dir = tempDir();
    writeFileSync(join(dir, 'signing.pub'), keys.publicPem, { mode: 0o644 });
    const stdout = new Capture();
    const stderr = new Capture();
    const io = { stdout, stderr, env: {}, cwd: dir, cores: 1 };
    const code = await verifyCommand(run.dir, { keys: dir }, io, { unsealerFor: async (_dir, opened) => unsealerFor(opened.store as LocalArtifactStore, sealKeys) });
    assert.equal(code, 0, stdout.text);
    assert.match(stdout.text, /9 of 9 artifacts match, signed by .*, 3 plaintexts checked\n$/);
  });
});
