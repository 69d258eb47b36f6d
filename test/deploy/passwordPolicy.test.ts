// The Dex user's password policy (src/deploy/password/policy.ts, commonPasswords.ts). Each refusal is one
// line naming the source and never the password; the list is the real @zxcvbn-ts/language-common one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/core/index.ts';
import { checkPasswordPolicy, PASSWORD_MAX_BYTES } from '../../src/deploy/password/index.ts';
import { commonPasswordCount } from '../../src/deploy/password/commonPasswords.ts';

const GOOD = 'vK7#qLm2-Tzr9Wp';

function refused(password: string, code: string, context: { email?: string; source?: string } = {}): UsageError {
  let caught: unknown;
  try {
    checkPasswordPolicy(password, { source: 'pw.txt', ...context });
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof UsageError, `expected a refusal ${code} for a ${[...password].length}-character password`);
  assert.equal(caught.code, code);
  assert.equal(caught.exitCode, 2);
  assert.ok(!caught.message.includes('\n'), 'one line');
  assert.ok(caught.message.includes('pw.txt'), 'names the source');
  // (The one exception is the public 12341234, which the message names on purpose.)
  if (password.length >= 4 && password !== '12341234') assert.ok(!caught.message.includes(password), 'never echoes the password');
  return caught;
}

test('a long, varied password passes', () => {
  checkPasswordPolicy(GOOD);
  checkPasswordPolicy('correct staple horse violin', { email: 'ada@example.com' });
  checkPasswordPolicy('Ünïcødé-Pässwörd-7', { source: 'the terminal' }); // multi-byte, 19 characters, 26 bytes
});

test('shorter than 12 characters is refused, counted in characters not bytes', () => {
  refused('vK7#qLm2-Tz', 'deploy.password.tooShort');
  // 11 characters of 3 bytes each: 33 bytes, still too short.
  refused('€ü√∂ß∆ø¥Ωπ®', 'deploy.password.tooShort');
});

test('attack: 73-byte password (bcrypt would silently ignore the last byte) is refused; 72 bytes pass', () => {
  const seventyTwo = 'Xq7#vLm2-Tzr9Wp!' + 'aB3$kP9@hN5&dF8*' + 'Rj4%Ys6^Gc1(Ue0)' + 'Ko2_Hw8+Zi5=Mb7?' + 'Qt3;Ln9:';
  assert.equal(Buffer.byteLength(seventyTwo), PASSWORD_MAX_BYTES);
  checkPasswordPolicy(seventyTwo);
  assert.match(refused(`${seventyTwo}z`, 'deploy.password.tooLong').message, /73 bytes/);
  // Multi-byte: 28 characters, but 16 four-byte emoji make 76 bytes.
  const emoji = '\u{1F511}\u{1F332}\u{1F680}\u{1F3B2}\u{1F9E9}\u{1F30A}\u{1F525}\u{1F340}\u{1F3AF}\u{1F6E1}\u{1F9EA}\u{1F319}\u{1F3B5}\u{1F349}\u{1F98A}\u{1F41D}';
  assert.match(refused(`${emoji}Ab3$kP9@xQ7#`, 'deploy.password.tooLong').message, /76 bytes/);
});

test('attack: NUL byte and other control or bidi characters are refused', () => {
  refused('vK7#qLm2\x00Tzr9Wp', 'deploy.password.control');
  refused('vK7#qLm2\tTzr9Wp', 'deploy.password.control');
  refused('vK7#qLm2\x1b[2JTzr9Wp', 'deploy.password.control');
  refused('vK7#qLm2\u202eTzr9Wp', 'deploy.password.control');
  refused('vK7#qLm2\u2028Tzr9Wp', 'deploy.password.control');
  refused('vK7#qLm2\x85Tzr9Wp', 'deploy.password.control');
});

test('attack: a lone surrogate (hashed as U+FFFD, colliding with other passwords) is refused', () => {
  refused('vK7#qLm2-Tzr9W\uD800', 'deploy.password.badUnicode');
  refused('\uDC00vK7#qLm2-Tzr9W', 'deploy.password.badUnicode');
  checkPasswordPolicy('vK7#qLm2-Tzr9W\u{1F511}'); // a proper pair is fine
});

test("the tutorial's 12341234 is refused by name, alone or inside a longer password", () => {
  refused('12341234', 'deploy.password.tutorialDefault');
  refused('Kubeflow-12341234', 'deploy.password.tutorialDefault');
});

test("a password containing the user's email name is refused", () => {
  refused('ada.lovelace-rocks!', 'deploy.password.containsEmail', { email: 'ada.lovelace@example.com' });
  refused('Xq7#LOVELACE-vLm2', 'deploy.password.containsEmail', { email: 'ada.lovelace@example.com' });
  // Short names ("al") are not looked for.
  checkPasswordPolicy('vK7#qLal-Tzr9Wp', { email: 'al@example.com' });
});

test('common passwords and those built on them are refused by the real list', () => {
  assert.ok(commonPasswordCount() > 10_000, `the list has ${commonPasswordCount()} entries`);
  for (const pw of ['passwordpassword1', 'qwertyuiop123', 'Password2024!!', 'P4ssw0rd-2024!', 'iloveyou12345', 'DROWSSAP2024abc']) {
    refused(pw, 'deploy.password.common');
  }
});

test('patterns are refused: few different characters, a repeated piece, a run', () => {
  assert.match(refused('aaaaaaaaaaab', 'deploy.password.common').message, /different characters/);
  assert.match(refused('xK9#mxK9#mxK9#m', 'deploy.password.common').message, /repeated/);
  assert.match(refused('abcdefghijkl', 'deploy.password.common').message, /run/);
  assert.match(refused('zyxwvut-Q8#r', 'deploy.password.common').message, /run/);
});

test('the default source is named when none is given', () => {
  assert.throws(() => checkPasswordPolicy('short'), /the password from the input is shorter than 12 characters/);
});
