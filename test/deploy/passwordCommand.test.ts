// hashPasswordCommand (src/deploy/password/command.ts), the body of `sealed deploy hash-password`, run in-process
// with stream doubles: only the hash on stdout, or a 0600 file through temp+rename with --out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { UsageError } from '../../src/core/index.ts';
import { hashPasswordCommand, passwordMatches, type PasswordStdin } from '../../src/deploy/password/index.ts';

const root = mkdtempSync(join(tmpdir(), 'sealed-hashpw-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => {
  const d = join(root, `case-${n++}`);
  mkdirSync(d);
  return d;
};

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as Writable & { text: () => string };
  w.text = () => chunks.join('');
  return w;
}

function io(input: string | undefined, cwd: string) {
  const stdin = new PassThrough() as PassThrough & PasswordStdin;
  if (input !== undefined) stdin.end(input);
  return { stdin, stdout: sink(), stderr: sink(), cwd };
}

test('stdout gets the hash and nothing else; stderr gets no password', async () => {
  const t = io('vK7#qLm2-Tzr9Wp\n', freshDir());
  await hashPasswordCommand(t);
  const out = t.stdout.text();
  assert.match(out, /^\$2y\$12\$[./A-Za-z0-9]{53}\n$/);
  assert.equal(await passwordMatches('vK7#qLm2-Tzr9Wp', out.trim()), true);
  assert.ok(!t.stderr.text().includes('vK7#'));
});

test('--out writes the hash with mode 0600 through a temporary file, and nothing to stdout', async () => {
  const cwd = freshDir();
  const t = io('vK7#qLm2-Tzr9Wp\n', cwd);
  await hashPasswordCommand(t, { out: 'dex.hash' });
  const path = join(cwd, 'dex.hash');
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.match(readFileSync(path, 'utf8'), /^\$2y\$12\$[./A-Za-z0-9]{53}\n$/);
  assert.equal(t.stdout.text(), '');
  assert.deepEqual(readdirSync(cwd), ['dex.hash'], 'no temporary file left behind');
  // Run again: replaced, still 0600 (idempotent).
  await hashPasswordCommand(io('vK7#qLm2-Tzr9Wq\n', cwd), { out: 'dex.hash' });
  assert.equal(await passwordMatches('vK7#qLm2-Tzr9Wq', readFileSync(path, 'utf8').trim()), true);
  assert.equal(statSync(path).mode & 0o777, 0o600);
});

test('attack: an existing world-readable file at --out is replaced by a 0600 one, not written into', async () => {
  const cwd = freshDir();
  writeFileSync(join(cwd, 'dex.hash'), 'old\n', { mode: 0o644 });
  await hashPasswordCommand(io('vK7#qLm2-Tzr9Wp\n', cwd), { out: 'dex.hash' });
  assert.equal(statSync(join(cwd, 'dex.hash')).mode & 0o777, 0o600);
});

test('attack: a symlink planted at --out is replaced; its target (~/.bashrc) is untouched', async () => {
  const cwd = freshDir();
  const bashrc = join(cwd, 'bashrc');
  writeFileSync(bashrc, 'export PATH=/usr/bin\n');
  symlinkSync(bashrc, join(cwd, 'dex.hash'));
  await hashPasswordCommand(io('vK7#qLm2-Tzr9Wp\n', cwd), { out: 'dex.hash' });
  assert.equal(readFileSync(bashrc, 'utf8'), 'export PATH=/usr/bin\n');
  assert.equal(lstatSync(join(cwd, 'dex.hash')).isFile(), true);
});

test('attack: path traversal in --out resolves against the working folder, writes exactly there and nowhere else', async () => {
  const cwd = freshDir();
  mkdirSync(join(cwd, 'sub'));
  await hashPasswordCommand(io('vK7#qLm2-Tzr9Wp\n', join(cwd, 'sub')), { out: '../sub/../up.hash' });
  assert.deepEqual(readdirSync(cwd).sort(), ['sub', 'up.hash']);
  assert.deepEqual(readdirSync(join(cwd, 'sub')), []);
});

async function badOut(out: string, cwd: string, pattern: RegExp): Promise<void> {
  const t = io(undefined, cwd); // stdin never ends: the check must come before reading it
  await assert.rejects(hashPasswordCommand(t, { out }), (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.equal(e.code, 'deploy.password.badOut');
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes('\n'));
    return true;
  });
  assert.equal(t.stdin.listenerCount('data'), 0, 'stdin was never read');
}

test('attack: bad --out values are refused before the password is asked for', async () => {
  const cwd = freshDir();
  mkdirSync(join(cwd, 'afolder'));
  await badOut('', cwd, /empty/);
  await badOut('afolder', cwd, /is a folder/);
  await badOut('afolder/', cwd, /names a folder/);
  await badOut('missing/dex.hash', cwd, /not an existing folder/);
  await badOut('/dev/null', cwd, /not a regular file/);
  await badOut('dex\n.hash', cwd, /control character/);
  await badOut('dex\x1b[2J.hash', cwd, /\\x1b/); // shown escaped, never sent raw to the terminal
  assert.deepEqual(readdirSync(cwd), ['afolder']);
});

test('attack: YAML or shell metacharacters in --email do not matter; a malformed one is refused before reading', async () => {
  const cwd = freshDir();
  await assert.rejects(hashPasswordCommand(io(undefined, cwd), { email: 'ada\n- admin: true' }), /option --email must be an email address.*\\x0a/);
  await assert.rejects(hashPasswordCommand(io(undefined, cwd), { email: 'not-an-email' }), /option --email/);
  await assert.rejects(hashPasswordCommand(io('ada.lovelace-rocks!\n', cwd), { email: 'ada.lovelace@example.com' }), /email name/);
});

test('a weak password from stdin is refused with stdin named, and nothing is written', async () => {
  const cwd = freshDir();
  const t = io('12341234\n', cwd);
  await assert.rejects(hashPasswordCommand(t, { out: 'dex.hash' }), /password from stdin is or contains the Kubeflow tutorial's default/);
  assert.equal(existsSync(join(cwd, 'dex.hash')), false);
  assert.equal(t.stdout.text(), '');
});
