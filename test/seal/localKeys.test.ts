// The local key folder (src/seal/localKeys.ts) and `sealed keys init`: file modes, refusals of
// unsafe folders and key files (each attack named), wrapping and signing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isSealedError } from '../../src/core/index.ts';
import { KeyError } from '../../src/seal/keyErrors.ts';
import { KEK_FILE, LocalKeyProvider, SIGNING_KEY_FILE, SIGNING_PUB_FILE, initKeyFolder, kekKeyId, verifierFromPublicKey } from '../../src/seal/localKeys.ts';
import { runCli } from '../cli/helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'sealed-keys-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const fresh = (): string => join(root, `k${++counter}`);
const mode = (path: string): number => lstatSync(path).mode & 0o777;
const context = new TextEncoder().encode('run=r1\0task=train-model\0artifact=model\0type=system.Model');
const dataKey = (): Uint8Array => new Uint8Array(32).map((_, i) => (i * 7 + 3) & 0xff);

async function refused(promise: Promise<unknown>, code: string, pattern?: RegExp): Promise<KeyError> {
  const error = await promise.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof KeyError, `expected a KeyError, got ${String(error)}`);
  assert.equal(error.code, code);
  assert.ok(!error.message.includes('\n'), 'one-line message');
  if (pattern) assert.match(error.message, pattern);
  return error;
}

async function newFolder(): Promise<string> {
  const dir = fresh();
  await initKeyFolder(dir);
  return dir;
}

describe('sealed keys init', () => {
  it('creates the folder 0700, secret files 0600 and the public key 0644', async () => {
    const dir = fresh();
    const info = await initKeyFolder(dir);
    assert.equal(mode(dir), 0o700);
    assert.equal(mode(join(dir, KEK_FILE)), 0o600);
    assert.equal(mode(join(dir, SIGNING_KEY_FILE)), 0o600);
    assert.equal(mode(join(dir, SIGNING_PUB_FILE)), 0o644);
    const kek = JSON.parse(readFileSync(join(dir, KEK_FILE), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(kek).sort(), ['algorithm', 'format', 'key', 'keyId', 'version']);
    assert.equal(kek.format, 'sealed-kek');
    assert.equal(kek.version, 1);
    assert.equal(Buffer.from(kek.key as string, 'base64').length, 32);
    assert.equal(kek.keyId, kekKeyId(Buffer.from(kek.key as string, 'base64')));
    assert.equal(info.kekKeyId, kek.keyId);
    assert.match(readFileSync(join(dir, SIGNING_KEY_FILE), 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
    assert.match(readFileSync(join(dir, SIGNING_PUB_FILE), 'utf8'), /^-----BEGIN PUBLIC KEY-----\n/);
    assert.match(info.publicKeyFingerprint, /^sha256:[0-9a-f]{64}$/);
  });

  it('CLI prints the folder and the fingerprint and no secret bytes', async () => {
    const dir = fresh();
    const result = await runCli(['keys', 'init', '--out', dir]);
    assert.equal(result.code, 0, result.stderr);
    const output = result.stdout + result.stderr;
    assert.ok(result.stdout.includes(dir));
    const provider = await LocalKeyProvider.open(dir);
    assert.ok(result.stdout.includes(provider.signer().keyId));
    const kek = JSON.parse(readFileSync(join(dir, KEK_FILE), 'utf8')) as { key: string };
    const keyBytes = Buffer.from(kek.key, 'base64');
    for (const secret of [kek.key, keyBytes.toString('hex'), keyBytes.toString('base64url')]) assert.ok(!output.includes(secret), 'KEK printed');
    const pemBody = readFileSync(join(dir, SIGNING_KEY_FILE), 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('-----'));
    for (const line of pemBody) assert.ok(!output.includes(line), 'signing key printed');
    assert.ok(!output.includes('PRIVATE KEY'));
  });

  it('CLI: --out missing is a usage error (exit 2); a refusal exits 1 with one line', async () => {
    const usage = await runCli(['keys', 'init']);
    assert.equal(usage.code, 2);
    const dir = await newFolder();
    const again = await runCli(['keys', 'init', '--out', dir]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^sealed: key folder .* is not empty .*refused/);
    assert.equal(again.stderr.trim().split('\n').length, 1);
  });

  it('attack: init over a non-empty folder (existing keys) is refused and nothing is replaced', async () => {
    const dir = await newFolder();
    const before = readFileSync(join(dir, KEK_FILE));
    await refused(initKeyFolder(dir), 'keys.unsafeFolder', /is not empty/);
    assert.deepEqual(readFileSync(join(dir, KEK_FILE)), before);
  });

  it('attack: init into a group-writable folder is refused with the chmod fix', async () => {
    const dir = fresh();
    mkdirSync(dir);
    chmodSync(dir, 0o770);
    await refused(initKeyFolder(dir), 'keys.unsafeFolder', /mode 770.*chmod 700/);
    chmodSync(dir, 0o705);
    await refused(initKeyFolder(dir), 'keys.unsafeFolder', /group or others/);
  });

  it('accepts an existing empty 0700 folder', async () => {
    const dir = fresh();
    mkdirSync(dir, { mode: 0o700 });
    await initKeyFolder(dir);
    await LocalKeyProvider.open(dir);
  });

  it('attack: init through a symlinked folder is refused and writes nothing in the target', async () => {
    const target = fresh();
    mkdirSync(target, { mode: 0o700 });
    const link = fresh();
    symlinkSync(target, link);
    await refused(initKeyFolder(link), 'keys.unsafeFolder', /symbolic link/);
    assert.deepEqual(execFileSync('ls', ['-A', target], { encoding: 'utf8' }), '');
  });
});

describe('LocalKeyProvider.open', () => {
  it('attack: a key file with mode 0644 is refused, naming the file and chmod 600', async () => {
    const dir = await newFolder();
    const kek = join(dir, KEK_FILE);
    chmodSync(kek, 0o644);
    const error = await refused(LocalKeyProvider.open(dir), 'keys.unsafeFile', /mode 644.*chmod 600/);
    assert.ok(error.message.includes(kek));
    assert.equal(mode(kek), 0o644, 'not chmodded behind the user’s back');
    chmodSync(kek, 0o600);
    chmodSync(join(dir, SIGNING_KEY_FILE), 0o640);
    await refused(LocalKeyProvider.open(dir), 'keys.unsafeFile', /signing\.key.*chmod 600/);
  });

  it('attack: a folder opened to the group or others is refused', async () => {
    const dir = await newFolder();
    chmodSync(dir, 0o750);
    await refused(LocalKeyProvider.open(dir), 'keys.unsafeFolder', /chmod 700/);
  });

  it('attack: a symlinked key folder is refused', async () => {
    const dir = await newFolder();
    const link = fresh();
    symlinkSync(dir, link);
    await refused(LocalKeyProvider.open(link), 'keys.unsafeFolder', /symbolic link/);
  });

  it('attack: a symlinked key file is refused and its target is neither chmodded nor touched', async () => {
    const dir = await newFolder();
    const kek = join(dir, KEK_FILE);
    const target = join(root, `target-${++counter}.key`);
    renameSync(kek, target);
    chmodSync(target, 0o644);
    const before = statSync(target);
    symlinkSync(target, kek);
    await refused(LocalKeyProvider.open(dir), 'keys.unsafeFile', /kek\.key is a symbolic link/);
    const afterStat = statSync(target);
    assert.equal(afterStat.mode & 0o777, 0o644);
    assert.equal(afterStat.mtimeMs, before.mtimeMs);
    assert.equal(afterStat.ctimeMs, before.ctimeMs);
  });

  it('attack: a FIFO in place of the key is refused at once (no hang waiting for a writer)', async () => {
    const dir = await newFolder();
    const kek = join(dir, KEK_FILE);
    rmSync(kek);
    execFileSync('mkfifo', ['-m', '600', kek]);
    const started = Date.now();
    await refused(LocalKeyProvider.open(dir), 'keys.unsafeFile', /a FIFO/);
    assert.ok(Date.now() - started < 2000);
  });

  it('attack: a key of the wrong length is refused', async () => {
    const dir = await newFolder();
    const kek = join(dir, KEK_FILE);
    const short = Buffer.alloc(16, 1);
    const json = JSON.stringify({ format: 'sealed-kek', version: 1, algorithm: 'A256GCM-KW', keyId: kekKeyId(short), key: short.toString('base64') });
    writeFileSync(kek, json, { mode: 0o600 });
    await refused(LocalKeyProvider.open(dir), 'keys.badKeyFile', /16 bytes, expected 32/);
  });

  it('attack: a key file whose keyId does not match its key is refused', async () => {
    const dir = await newFolder();
    const kek = join(dir, KEK_FILE);
    const parsed = JSON.parse(readFileSync(kek, 'utf8')) as Record<string, unknown>;
    writeFileSync(kek, JSON.stringify({ ...parsed, keyId: '0000000000000000' }));
    await refused(LocalKeyProvider.open(dir), 'keys.badKeyFile', /keyId does not match/);
  });

  it('attack: a signing.pub that is not the signing key’s public half is refused', async () => {
    const dir = await newFolder();
    const other = await newFolder();
    writeFileSync(join(dir, SIGNING_PUB_FILE), readFileSync(join(other, SIGNING_PUB_FILE)));
    await refused(LocalKeyProvider.open(dir), 'keys.badKeyFile', /not the public key of signing\.key/);
  });

  it('a missing folder or key file names the fix', async () => {
    await refused(LocalKeyProvider.open(fresh()), 'keys.unsafeFolder', /does not exist.*sealed keys init/);
    const dir = await newFolder();
    rmSync(join(dir, SIGNING_KEY_FILE));
    await refused(LocalKeyProvider.open(dir), 'keys.missingFile', /signing\.key is missing/);
  });
});

describe('wrapping data keys', async () => {
  const dir = await newFolder();
  const provider = await LocalKeyProvider.open(dir);

  it('round trip: wrap then unwrap gives the data key back; two wraps differ (fresh nonce)', async () => {
    const key = dataKey();
    const wrapped = await provider.wrapKey(key, context);
    assert.equal(wrapped.provider, 'local');
    assert.equal(wrapped.algorithm, 'A256GCM-KW');
    assert.equal(wrapped.keyId, provider.keyId);
    assert.ok(!wrapped.wrapped.includes(Buffer.from(key).toString('base64')));
    assert.deepEqual(new Uint8Array(await provider.unwrapKey(wrapped, context)), key);
    const again = await provider.wrapKey(key, context);
    assert.notEqual(again.wrapped, wrapped.wrapped);
    // another open of the same folder unwraps it too
    assert.deepEqual(new Uint8Array(await (await LocalKeyProvider.open(dir)).unwrapKey(wrapped, context)), key);
  });

  it('attack: unwrap with another folder’s KEK fails (by key id, and by tag when the id is forged)', async () => {
    const wrapped = await provider.wrapKey(dataKey(), context);
    const other = await LocalKeyProvider.open(await newFolder());
    await refused(other.unwrapKey(wrapped, context), 'keys.wrongKey', /use the key folder the artifact was sealed with/);
    await refused(other.unwrapKey({ ...wrapped, keyId: other.keyId }, context), 'keys.unwrapFailed');
  });

  it('attack: unwrap with another context (artifact swapped between runs/tasks) fails', async () => {
    const wrapped = await provider.wrapKey(dataKey(), context);
    const otherContext = new TextEncoder().encode('run=r2\0task=train-model\0artifact=model\0type=system.Model');
    await refused(provider.unwrapKey(wrapped, otherContext), 'keys.unwrapFailed', /context differs/);
  });

  it('attack: a tampered wrapped key fails (every byte: nonce, body, tag), as do truncation and a wrong provider', async () => {
    const wrapped = await provider.wrapKey(dataKey(), context);
    const bytes = Buffer.from(wrapped.wrapped, 'base64');
    for (let i = 0; i < bytes.length; i++) {
      const flipped = Buffer.from(bytes);
      flipped[i]! ^= 0x01;
      await refused(provider.unwrapKey({ ...wrapped, wrapped: flipped.toString('base64') }, context), 'keys.unwrapFailed');
    }
    await refused(provider.unwrapKey({ ...wrapped, wrapped: bytes.subarray(0, 40).toString('base64') }, context), 'keys.badWrappedKey');
    await refused(provider.unwrapKey({ ...wrapped, wrapped: 'not base64!' }, context), 'keys.badWrappedKey');
    await refused(provider.unwrapKey({ ...wrapped, algorithm: 'RSA-OAEP-256' }, context), 'keys.wrongProvider');
  });

  it('refuses a data key that is not 32 bytes', async () => {
    await refused(provider.wrapKey(new Uint8Array(16), context), 'keys.badDataKey');
  });

  it('errors are typed SealedErrors with exit code 1 and never carry key bytes', async () => {
    const wrapped = await provider.wrapKey(dataKey(), context);
    const error = await refused(provider.unwrapKey(wrapped, new Uint8Array()), 'keys.unwrapFailed');
    assert.ok(isSealedError(error));
    assert.equal(error.exitCode, 1);
    const kek = (JSON.parse(readFileSync(join(dir, KEK_FILE), 'utf8')) as { key: string }).key;
    assert.ok(!error.message.includes(kek));
  });
});

describe('signing', async () => {
  const dir = await newFolder();
  const provider = await LocalKeyProvider.open(dir);

  it('sign/verify round trip; the verifier from signing.pub agrees; key ids are the fingerprint', () => {
    const message = new TextEncoder().encode('{"subject":[{"name":"model","digest":{"sha256":"00"}}]}');
    const signer = provider.signer();
    const signature = signer.sign(message);
    assert.equal(signature.length, 64);
    assert.ok(provider.verifier().verify(message, signature));
    const fromFile = verifierFromPublicKey(readFileSync(join(dir, SIGNING_PUB_FILE), 'utf8'));
    assert.ok(fromFile.verify(message, signature));
    assert.equal(fromFile.keyId, signer.keyId);
  });

  it('attack: a tampered message, a tampered signature or another key fails verification', async () => {
    const message = new TextEncoder().encode('manifest v1');
    const signature = provider.signer().sign(message);
    const tampered = new TextEncoder().encode('manifest v2');
    assert.equal(provider.verifier().verify(tampered, signature), false);
    const badSig = Buffer.from(signature);
    badSig[10]! ^= 0x80;
    assert.equal(provider.verifier().verify(message, badSig), false);
    assert.equal(provider.verifier().verify(message, signature.subarray(0, 10)), false);
    const other = await LocalKeyProvider.open(await newFolder());
    assert.equal(other.verifier().verify(message, signature), false);
  });

  it('verifierFromPublicKey refuses a private key PEM', () => {
    assert.throws(() => verifierFromPublicKey(readFileSync(join(dir, SIGNING_KEY_FILE), 'utf8')), (e: unknown) => e instanceof KeyError && e.code === 'keys.badKeyFile');
  });
});
