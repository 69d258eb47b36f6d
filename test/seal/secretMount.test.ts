// A key folder mounted from a Kubernetes secret (src/seal/kubeSecretKeys.ts), as the kubelet lays it out
// (test/pipeline/helpers/kfpLauncher/secretVolume.ts follows kubernetes pkg/volume/util/atomic_writer.go): accepted
// only through the explicit opt-in keyProviderFromEnv uses; every attack on the layout is refused with one line
// naming the file, and a FIFO never makes the open wait. A user's own folder keeps its strict rules.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { KeyError } from '../../src/seal/keyErrors.ts';
import { keyProviderFromEnv } from '../../src/seal/keyProviderFromEnv.ts';
import { checkSecretVolumeUnchanged, openSecretVolume, readSecretVolumeFile } from '../../src/seal/kubeSecretKeys.ts';
import { KEK_FILE, LocalKeyProvider, SIGNING_KEY_FILE, SIGNING_PUB_FILE, initKeyFolder } from '../../src/seal/localKeys.ts';
import { projectSecret } from '../pipeline/helpers/kfpLauncher/secretVolume.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';

const root = tempDir('sealed-secret-mount-');
const MOUNTED = { layout: 'kubernetes-secret' } as const;
const FILES = [KEK_FILE, SIGNING_KEY_FILE, SIGNING_PUB_FILE];
const source = join(root, 'keys');
await initKeyFolder(source);
const secretData = Object.fromEntries(FILES.map((f) => [f, readFileSync(join(source, f))]));
const kekText = readFileSync(join(source, KEK_FILE), 'utf8');
let n = 0;

/** A fresh mount of the key secret: `<root>/mN` with the kubelet layout; returns the mount and its data folder. */
function mount(): { dir: string; ts: string } {
  const dir = join(root, `m${++n}`);
  const ts = projectSecret(dir, secretData);
  return { dir, ts };
}

/** `promise` must be refused with a one-line KeyError of `code` matching `pattern`, within 3 s, with no key bytes. */
async function refused(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('blocked (a FIFO opened without O_NONBLOCK?)')), 3000);
  });
  const error = await Promise.race([promise, hang]).then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  clearTimeout(timer);
  assert.ok(error instanceof KeyError, `expected a KeyError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  assert.doesNotMatch(error.message, /\n/);
  assert.match(error.message, pattern);
  const key = (JSON.parse(kekText) as { key: string }).key;
  assert.ok(!error.message.includes(key), 'no key bytes in the message');
}

test('the kubelet layout (links into ..data, 0644 files, 1777 tmpfs root) opens with the opt-in and holds the same keys', async () => {
  const { dir } = mount();
  const plain = await LocalKeyProvider.open(source);
  const mounted = await LocalKeyProvider.open(dir, MOUNTED);
  assert.equal(mounted.keyId, plain.keyId);
  const context = new TextEncoder().encode('run=r\0task=t\0artifact=a\0type=system.Dataset');
  const dataKey = new Uint8Array(32).fill(7);
  assert.deepEqual(Buffer.from(await plain.unwrapKey(await mounted.wrapKey(dataKey, context), context)), Buffer.from(dataKey));
  assert.equal(mounted.signer().keyId, plain.signer().keyId);
});

test('keyProviderFromEnv opts in: SEALED_KEYS_DIR may be the mounted secret; a plain key folder still works', async () => {
  const { dir } = mount();
  const configured = await keyProviderFromEnv({ SEALED_KEY_PROVIDER: 'local', SEALED_KEYS_DIR: dir });
  assert.ok(configured.provider instanceof LocalKeyProvider);
  assert.ok(configured.signer);
  assert.ok((await keyProviderFromEnv({ SEALED_KEY_PROVIDER: 'local', SEALED_KEYS_DIR: source })).provider instanceof LocalKeyProvider);
});

test('without the opt-in a secret mount is refused: the user-folder rules are unchanged', async () => {
  const { dir } = mount();
  await refused(LocalKeyProvider.open(dir), 'keys.unsafeFolder', /accessible by its group or others/);
  chmodSync(dir, 0o700);
  await refused(LocalKeyProvider.open(dir), 'keys.unsafeFile', /kek\.key is a symbolic link/);
});

test('with a pod fsGroup (files root:<gid> 0644, folders setgid, volume_linux.go SetVolumeOwnership roMask) it opens', async () => {
  const { dir, ts } = mount();
  for (const p of [dir, join(dir, ts), ...FILES.map((f) => join(dir, ts, f))]) chownSync(p, 0, 4321);
  chmodSync(dir, 0o3777);
  chmodSync(join(dir, ts), 0o2755);
  assert.equal((await LocalKeyProvider.open(dir, MOUNTED)).keyId, (await LocalKeyProvider.open(source)).keyId);
});

test('a plain folder opened with the opt-in still gets the user-folder rules (0644 secret refused)', async () => {
  const dir = join(root, `plain${++n}`);
  await initKeyFolder(dir);
  chmodSync(join(dir, KEK_FILE), 0o644);
  await refused(LocalKeyProvider.open(dir, MOUNTED), 'keys.unsafeFile', /kek\.key is readable or writable by its group or others.*chmod 600/);
});

test('attack: a key link pointing outside the folder is refused', async () => {
  const { dir } = mount();
  const other = join(root, `outside${++n}`);
  await initKeyFolder(other);
  unlinkSync(join(dir, KEK_FILE));
  symlinkSync(join(other, KEK_FILE), join(dir, KEK_FILE));
  await refused(LocalKeyProvider.open(dir, MOUNTED), 'keys.unsafeFile', /kek\.key links to .*outside the secret's data folder/);
});

test('attack: a key link into another ..timestamp folder of the same volume (an old version) is refused', async () => {
  const { dir, ts } = mount();
  const old = '..2020_01_01_00_00_00.1';
  mkdirSync(join(dir, old), { mode: 0o755 });
  writeFileSync(join(dir, old, KEK_FILE), readFileSync(join(dir, ts, KEK_FILE)), { mode: 0o644 });
  unlinkSync(join(dir, KEK_FILE));
  symlinkSync(join(old, KEK_FILE), join(dir, KEK_FILE));
  await refused(LocalKeyProvider.open(dir, MOUNTED), 'keys.unsafeFile', /outside the secret's data folder/);
});

test('attack: ..data pointing to /etc (or any path, or back to itself) is refused', async () => {
  for (const target of ['/etc', '../elsewhere', '..data', '..data_tmp', '.', '']) {
    const { dir } = mount();
    unlinkSync(join(dir, '..data'));
    if (target === '') continue;
    symlinkSync(target, join(dir, '..data'));
    await refused(LocalKeyProvider.open(dir, MOUNTED), 'keys.unsafeFolder', /\.\.data pointing to '.*', not to a \.\.<timestamp> folder inside it/);
  }
});

test('attack: ..data naming a link to /etc, a file, or nothing is refused', async () => {
  const linked = mount();
  symlinkSync('/etc', join(linked.dir, '..2021_01_01_00_00_00.9'));
  unlinkSync(join(linked.dir, '..data'));
  symlinkSync('..2021_01_01_00_00_00.9', join(linked.dir, '..data'));
  await refused(LocalKeyProvider.open(linked.dir, MOUNTED), 'keys.unsafeFolder', /which is a symbolic link, not a folder/);
  const missing = mount();
  unlinkSync(join(missing.dir, '..data'));
  symlinkSync('..2021_01_01_00_00_00.8', join(missing.dir, '..data'));
  await refused(LocalKeyProvider.open(missing.dir, MOUNTED), 'keys.unsafeFolder', /which does not exist/);
  const real = mount();
  unlinkSync(join(real.dir, '..data'));
  mkdirSync(join(real.dir, '..data'));
  await refused(LocalKeyProvider.open(real.dir, MOUNTED), 'keys.unsafeFolder', /has a \.\.data that is a folder/);
});

test('attack: a FIFO in place of a key is refused at once, never opened', async () => {
  const { dir, ts } = mount();
  rmSync(join(dir, ts, KEK_FILE));
  execFileSync('mkfifo', ['-m', '644', join(dir, ts, KEK_FILE)]);
  await refused(LocalKeyProvider.open(dir, MOUNTED), 'keys.unsafeFile', /kek\.key is a FIFO/);
});

test('attack: a group-writable or other-writable key file, data folder or unsticky root is refused', async () => {
  const file = mount();
  chmodSync(join(file.dir, file.ts, SIGNING_KEY_FILE), 0o664);
  await refused(LocalKeyProvider.open(file.dir, MOUNTED), 'keys.unsafeFile', /signing\.key is writable by its group or others \(mode 664\)/);
  const other = mount();
  chmodSync(join(other.dir, other.ts, SIGNING_PUB_FILE), 0o646);
  await refused(LocalKeyProvider.open(other.dir, MOUNTED), 'keys.unsafeFile', /signing\.pub is writable by its group or others/);
  const data = mount();
  chmodSync(join(data.dir, data.ts), 0o775);
  await refused(LocalKeyProvider.open(data.dir, MOUNTED), 'keys.unsafeFolder', /is writable by its group or others \(mode 775\)/);
  const rootDir = mount();
  chmodSync(rootDir.dir, 0o777);
  await refused(LocalKeyProvider.open(rootDir.dir, MOUNTED), 'keys.unsafeFolder', /without the sticky bit \(mode 777\)/);
});

test('attack: a key file owned by another user (not root, not us) is refused', async () => {
  const { dir, ts } = mount();
  chownSync(join(dir, ts, KEK_FILE), 12345, 12345);
  await refused(LocalKeyProvider.open(dir, MOUNTED), 'keys.unsafeFile', /kek\.key is owned by uid 12345/);
  const folder = mount();
  chownSync(folder.dir, 12345, 12345);
  await refused(LocalKeyProvider.open(folder.dir, MOUNTED), 'keys.unsafeFolder', /is owned by uid 12345/);
});

test('attack: a regular file, a dangling link or an oversized file as a key is refused', async () => {
  const regular = mount();
  unlinkSync(join(regular.dir, KEK_FILE));
  writeFileSync(join(regular.dir, KEK_FILE), kekText, { mode: 0o644 });
  await refused(LocalKeyProvider.open(regular.dir, MOUNTED), 'keys.unsafeFile', /is a regular file beside \.\.data, not the kubelet's link into it/);
  const dangling = mount();
  rmSync(join(dangling.dir, dangling.ts, KEK_FILE));
  await refused(LocalKeyProvider.open(dangling.dir, MOUNTED), 'keys.unsafeFile', /is a link to nothing/);
  const big = mount();
  writeFileSync(join(big.dir, big.ts, KEK_FILE), Buffer.alloc(64 * 1024 + 1, 0x20));
  await refused(LocalKeyProvider.open(big.dir, MOUNTED), 'keys.badKeyFile', /more than a key file holds/);
});

test('attack: the mount point itself being a link is refused', async () => {
  const { dir } = mount();
  const link = join(root, `link${++n}`);
  symlinkSync(dir, link);
  await refused(LocalKeyProvider.open(link, MOUNTED), 'keys.unsafeFolder', /is a symbolic link/);
});

test('attack: a key link swapped after the check is never trusted (refused, nothing returned)', async () => {
  const other = join(root, `swap-target${++n}`);
  await initKeyFolder(other);
  const { dir } = mount();
  const volume = (await openSecretVolume(dir))!;
  const swapLink = (visible: string) => {
    unlinkSync(visible);
    symlinkSync(join(other, KEK_FILE), visible);
  };
  await refused(readSecretVolumeFile(volume, KEK_FILE, { afterCheck: swapLink }), 'keys.unsafeFile', /kek\.key changed while it was being read/);
});

test('attack: the real file swapped after the check, for a link, a FIFO or another file, is refused', async () => {
  const outside = join(root, `outside-file${++n}`);
  writeFileSync(outside, kekText, { mode: 0o644 });
  const swaps: Record<string, (real: string) => void> = {
    link: (real) => {
      rmSync(real);
      symlinkSync(outside, real);
    },
    fifo: (real) => {
      rmSync(real);
      execFileSync('mkfifo', ['-m', '644', real]);
    },
    file: (real) => {
      writeFileSync(`${real}.new`, kekText, { mode: 0o644 });
      renameSync(`${real}.new`, real);
    },
  };
  const expected: Record<string, RegExp> = { link: /changed while it was being read/, fifo: /kek\.key is a FIFO/, file: /changed while it was being read/ };
  for (const [what, swap] of Object.entries(swaps)) {
    const { dir, ts } = mount();
    const volume = (await openSecretVolume(dir))!;
    await refused(readSecretVolumeFile(volume, KEK_FILE, { afterCheck: () => swap(join(dir, ts, KEK_FILE)) }), 'keys.unsafeFile', expected[what]);
  }
});

test('a secret update between two key reads (..data swapped by the kubelet) is refused, not mixed', async () => {
  const { dir } = mount();
  const volume = (await openSecretVolume(dir))!;
  assert.ok((await readSecretVolumeFile(volume, KEK_FILE)).length > 0);
  const other = join(root, `rotated${++n}`);
  await initKeyFolder(other);
  projectSecret(dir, Object.fromEntries(FILES.map((f) => [f, readFileSync(join(other, f))])));
  assert.equal(readdirSync(dir).filter((e) => e.startsWith('..2')).length, 1, 'the old data folder is gone, as atomic_writer.go step (11)');
  await refused(readSecretVolumeFile(volume, SIGNING_KEY_FILE), 'keys.unsafeFile', /signing\.key links to .*outside the secret's data folder/);
  await refused(checkSecretVolumeUnchanged(volume), 'keys.unsafeFolder', /was updated while its keys were read/);
});
