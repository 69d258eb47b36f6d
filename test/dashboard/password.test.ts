// The stored password: bcrypt $2y$ at cost 12 in an htpasswd line of mode 0600, written
// atomically; no default password (given by env or file, or generated and printed once);
// passwords bcrypt would truncate are refused with a message that says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { ensurePassword } from '../../src/dashboard/server/initialPassword.ts';
import { hashPassword, PASSWORD_FILE, readPasswordFile, verifyPassword } from '../../src/dashboard/server/passwordFile.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';

function printer(): { lines: string[]; print: (line: string) => void } {
  const lines: string[] = [];
  return { lines, print: (line) => lines.push(line) };
}

test('a generated password is printed once with the user name; the file keeps a $2y$ cost-12 hash, mode 0600', async () => {
  const stateDir = tempDir();
  const first = printer();
  const record = await ensurePassword({ stateDir, user: 'admin', sources: {}, bcryptCost: 12, print: first.print });
  const shown = first.lines.join('\n');
  const password = /user 'admin', generated password: (\S+)/.exec(shown)?.[1];
  assert.ok(password, shown);
  assert.ok(password.length >= 20, 'at least 20 characters');
  const path = join(stateDir, PASSWORD_FILE);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const text = readFileSync(path, 'utf8');
  assert.match(text, /^admin:\$2y\$12\$[./A-Za-z0-9]{53}\n$/);
  assert.equal(bcrypt.getRounds(record.hash), 12);
  assert.doesNotMatch(text, new RegExp(password), 'only the hash is stored');
  assert.ok(await verifyPassword(password, record.hash));
  assert.deepEqual(readdirSync(stateDir), [PASSWORD_FILE], 'no temporary file left behind');

  const second = printer();
  const again = await ensurePassword({ stateDir, user: 'admin', sources: {}, bcryptCost: 12, print: second.print });
  assert.deepEqual(again, record);
  assert.deepEqual(second.lines, [], 'never shown again');
});

test('the first password can come from SEALED_UI_PASSWORD or --password-file; later ones are ignored with a notice', async () => {
  const stateDir = tempDir();
  const out = printer();
  const record = await ensurePassword({ stateDir, user: 'admin', sources: { env: 'from the environment' }, bcryptCost: 4, print: out.print });
  assert.deepEqual(out.lines, [], 'a given password is not printed');
  assert.ok(await verifyPassword('from the environment', record.hash));

  const fileDir = tempDir();
  const file = join(fileDir, 'pw.txt');
  writeFileSync(file, 'from a file, with a newline\n');
  const fromFile = await ensurePassword({ stateDir: fileDir, user: 'ops', sources: { file }, bcryptCost: 4, print: out.print });
  assert.equal(fromFile.user, 'ops');
  assert.ok(await verifyPassword('from a file, with a newline', fromFile.hash), 'the final line break is not part of it');

  const later = printer();
  assert.deepEqual(await ensurePassword({ stateDir, user: 'admin', sources: { env: 'another password' }, bcryptCost: 4, print: later.print }), record);
  assert.match(later.lines.join('\n'), /already stored in .*; the one given by SEALED_UI_PASSWORD is ignored/);
  await assert.rejects(ensurePassword({ stateDir: tempDir(), user: 'admin', sources: { env: 'a password', file }, bcryptCost: 4, print: out.print }), /SEALED_UI_PASSWORD or by --password-file, not both/);
});

test('passwords over 72 bytes are refused, saying why; so are passwords under 8 characters', async () => {
  const stateDir = tempDir();
  const print = printer().print;
  const long = 'é'.repeat(37); // 37 characters, 74 bytes
  await assert.rejects(ensurePassword({ stateDir, user: 'admin', sources: { env: long }, bcryptCost: 4, print }), {
    message: 'the password from SEALED_UI_PASSWORD is 74 bytes long; bcrypt ignores everything past 72 bytes, so passwords over 72 bytes are refused',
  });
  await assert.rejects(ensurePassword({ stateDir, user: 'admin', sources: { env: 'short' }, bcryptCost: 4, print }), /shorter than 8 characters/);
  assert.ok(!existsSync(join(stateDir, PASSWORD_FILE)), 'nothing stored');
});

test('$2y$, $2b$ and $2a$ hashes all verify; the stored prefix is $2y$', async () => {
  const hash = await hashPassword('the password', 4);
  assert.match(hash, /^\$2y\$04\$/);
  const b = hash.replace('$2y$', '$2b$');
  const a = hash.replace('$2y$', '$2a$');
  for (const h of [hash, b, a]) {
    assert.ok(await verifyPassword('the password', h));
    assert.ok(!(await verifyPassword('the passworD', h)));
  }
  await assert.rejects(hashPassword('x', 3), /bcrypt cost must be an integer from 4 to 31, got 3/);
});

test('a password file readable by others is narrowed to 0600 with a warning; a corrupt one is an error', async () => {
  const stateDir = tempDir();
  const path = join(stateDir, PASSWORD_FILE);
  writeFileSync(path, `admin:${await hashPassword('the password', 4)}\n`);
  chmodSync(path, 0o644);
  const warnings: string[] = [];
  assert.equal((await readPasswordFile(path, (m) => warnings.push(m)))?.user, 'admin');
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.match(warnings[0], /readable by others \(mode 644\); changed it to 600/);
  writeFileSync(path, 'admin:not-a-hash\n');
  await assert.rejects(readPasswordFile(path, () => {}), /is not a dashboard password file: expected user:<bcrypt hash>/);
});
