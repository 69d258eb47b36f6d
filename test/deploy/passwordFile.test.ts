// --dex-password-file (src/deploy/password/passwordFile.ts): one line, plain password or bcrypt hash, in a
// file treated like an ssh private key. Real files, links, FIFOs and sparse files in a temporary folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { IoError, UsageError } from '../../src/core/index.ts';
import { PASSWORD_FILE_LIMIT, passwordMatches, readPasswordFile } from '../../src/deploy/password/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'sealed-dexpw-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(content: string | Buffer, mode = 0o600): string {
  const path = join(dir, `pw-${n++}`);
  writeFileSync(path, content, { mode });
  chmodSync(path, mode); // the umask may have narrowed it
  return path;
}

async function refused(path: string, code: string, pattern?: RegExp): Promise<void> {
  await assert.rejects(readPasswordFile(path), (e: unknown) => {
    assert.ok(e instanceof UsageError || e instanceof IoError, String(e));
    assert.equal(e.code, code, e.message);
    assert.ok(!e.message.includes('\n'), 'one line');
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

test('a plain password (with or without its final line break) is checked and hashed $2y$12$', async () => {
  for (const text of ['vK7#qLm2-Tzr9Wp\n', 'vK7#qLm2-Tzr9Wp', 'vK7#qLm2-Tzr9Wp\r\n']) {
    const r = await readPasswordFile(file(text));
    assert.equal(r.from, 'plain');
    assert.match(r.hash, /^\$2y\$12\$/);
    assert.equal(await passwordMatches('vK7#qLm2-Tzr9Wp', r.hash), true);
  }
});

test('a bcrypt hash is validated, relabelled $2y$ and not hashed again', async () => {
  const hash = bcrypt.hashSync('vK7#qLm2-Tzr9Wp', 12);
  const r = await readPasswordFile(file(`${hash}\n`));
  assert.deepEqual(r, { from: 'hash', hash: `$2y$${hash.slice(4)}` });
});

test('the plain password goes through the policy, with the email name check', async () => {
  await refused(file('short\n'), 'deploy.password.tooShort');
  await assert.rejects(readPasswordFile(file('ada.lovelace-rocks!\n'), { email: 'ada.lovelace@example.com' }), /email name/);
});

test('attack: world-readable password file is refused (like ssh), with the chmod that fixes it', async () => {
  await refused(file('vK7#qLm2-Tzr9Wp\n', 0o644), 'deploy.password.filePermissions', /mode 644.*chmod 600/);
  await refused(file('vK7#qLm2-Tzr9Wp\n', 0o640), 'deploy.password.filePermissions', /mode 640/);
  await refused(file('vK7#qLm2-Tzr9Wp\n', 0o620), 'deploy.password.filePermissions', /mode 620/);
  await refused(file('vK7#qLm2-Tzr9Wp\n', 0o602), 'deploy.password.filePermissions', /mode 602/);
  await readPasswordFile(file('vK7#qLm2-Tzr9Wp\n', 0o400)); // read-only for its owner is fine
});

test("attack: a file owned by another user is refused (someone else controls the Dex password)", { skip: process.getuid?.() !== 0 && 'needs root to chown' }, async () => {
  const path = file('vK7#qLm2-Tzr9Wp\n');
  chownSync(path, 65534, 65534);
  await refused(path, 'deploy.password.fileOwner', /uid 65534/);
});

test('attack: symlink to an /etc/shadow-like file is refused without reading the target', async () => {
  const shadow = file('root:$6$secret-shadow-line:19000:0:99999:7:::\n');
  const link = join(dir, 'link-to-shadow');
  symlinkSync(shadow, link);
  await assert.rejects(readPasswordFile(link), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.equal(e.code, 'deploy.password.fileSymlink');
    assert.ok(!e.message.includes('secret-shadow-line'));
    return true;
  });
  symlinkSync('/etc/shadow', join(dir, 'link-to-etc-shadow'));
  await refused(join(dir, 'link-to-etc-shadow'), 'deploy.password.fileSymlink');
});

test('attack: FIFO never blocks: refused at once, even with no writer', async () => {
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', ['-m', '600', fifo]);
  const started = Date.now();
  await refused(fifo, 'deploy.password.fileKind', /FIFO/);
  assert.ok(Date.now() - started < 2000);
});

test('attack: a folder or a device is refused', async () => {
  await refused(dir, 'deploy.password.fileKind', /folder/);
  await refused('/dev/zero', 'deploy.password.fileKind', /character device/);
});

test('attack: 1 GB file refused from its size alone, without reading it', async () => {
  const huge = file('');
  truncateSync(huge, 1024 ** 3); // sparse: takes no disk space
  const started = Date.now();
  await refused(huge, 'deploy.password.fileTooLarge', /1073741824 bytes/);
  assert.ok(Date.now() - started < 1000, 'no time spent reading');
  await refused(file('x'.repeat(PASSWORD_FILE_LIMIT + 1)), 'deploy.password.fileTooLarge');
});

test('attack: several lines (a password plus a hidden second one, or a whole config) are refused', async () => {
  await refused(file('vK7#qLm2-Tzr9Wp\nsecond-line\n'), 'deploy.password.severalLines', /2 lines/);
  await refused(file('vK7#qLm2-Tzr9Wp\n\n'), 'deploy.password.severalLines');
  await refused(file('vK7#qLm2\rTzr9Wp'), 'deploy.password.severalLines');
});

test('attack: NUL byte, invalid UTF-8 and an empty file are refused', async () => {
  await refused(file('vK7#qLm2\0Tzr9Wp\n'), 'deploy.password.control');
  await refused(file(Buffer.from([0x76, 0x4b, 0x37, 0xff, 0xfe, 0x71, 0x4c, 0x6d, 0x32, 0x2d, 0x54, 0x7a, 0x72, 0x39])), 'deploy.password.notUtf8');
  await refused(file(''), 'deploy.password.empty');
  await refused(file('\n'), 'deploy.password.empty');
});

test('attack: cost-4 hash, $2x$ hash, a damaged hash and hashes of 12341234 are refused from the file', async () => {
  await refused(file(`${bcrypt.hashSync('vK7#qLm2-Tzr9Wp', 4)}\n`), 'deploy.password.badHash', /cost 4/);
  await refused(file('$2x$12$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e\n'), 'deploy.password.badHash', /\$2x\$/);
  await refused(file('$2y$12$tooShort\n'), 'deploy.password.badHash');
  await refused(file('$2y$12$4K/VkmDd1q1Orb3xAt82zu8gk7Ad6ReFR4LCP9UeYE90NLiN9Df72\n'), 'deploy.password.badHash', /default hash/);
  // A freshly salted hash of 12341234 is found by one bcrypt run.
  await refused(file(`${bcrypt.hashSync('12341234', 12)}\n`), 'deploy.password.badHash', /12341234/);
});

test('a missing file is an IoError naming the path', async () => {
  await assert.rejects(readPasswordFile(join(dir, 'nope')), (e: unknown) => e instanceof IoError && e.code === 'io.notFound' && e.message.includes('nope'));
});
