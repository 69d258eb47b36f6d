// bcrypt for the Dex user (src/deploy/password/bcryptHash.ts). Three independent references:
// - known answers: the Openwall crypt_blowfish test vectors (Solar Designer's wrapper.c `tests[]`, also used
//   by OpenBSD's and PHP's bcrypt tests, ext/standard/tests/strings/crypt_blowfish.phpt), ASCII ones only, since
//   bcryptjs takes strings;
// - libxcrypt's crypt(3) (Debian's libcrypt.so.1, a C implementation derived from crypt_blowfish), reached
//   through Perl's crypt(), which calls it: every hash we make must be reproduced by it byte for byte;
// - bcryptjs's own compare.
// Dex verifies with Go's golang.org/x/crypto/bcrypt, which ignores the minor letter (bcrypt.go decodeVersion):
// the vectors below show $2a$, $2b$ and $2y$ give one digest, which is why relabelling to $2y$ is safe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import bcrypt from 'bcryptjs';
import { UsageError } from '../../src/core/index.ts';
import { checkPasswordPolicy, hashPassword, parseBcryptHash, passwordMatches, PUBLISHED_HASHES } from '../../src/deploy/password/index.ts';

/** Openwall crypt_blowfish wrapper.c vectors with ASCII keys (cost 5). */
const OPENWALL = [
  { key: 'U*U', hash: '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW' },
  { key: 'U*U*', hash: '$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK' },
  { key: 'U*U*U', hash: '$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a' },
  { key: '', hash: '$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy' },
];
const OVER_72 = {
  key: '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored',
  hash: '$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui',
};

/** crypt(3) of libxcrypt through Perl; the key goes through stdin, never argv. */
function libxcrypt(key: string, setting: string): string {
  const r = spawnSync('perl', ['-e', 'binmode STDIN; my $k = <STDIN>; chomp $k; my $s = <STDIN>; chomp $s; print crypt($k, $s)'], {
    input: Buffer.concat([Buffer.from(key, 'utf8'), Buffer.from(`\n${setting}\n`)]),
  });
  assert.equal(r.status, 0, `perl crypt failed: ${r.stderr}`);
  return r.stdout.toString();
}

test('known answers: bcryptjs reproduces the Openwall vectors, under $2a$, $2b$ and $2y$ alike', () => {
  for (const { key, hash } of OPENWALL) {
    for (const minor of ['a', 'b', 'y']) {
      const labelled = `$2${minor}$${hash.slice(4)}`;
      assert.equal(bcrypt.hashSync(key, labelled.slice(0, 29)), labelled);
      assert.equal(bcrypt.compareSync(key, labelled), true);
    }
  }
});

test('known answers: libxcrypt (the reference C implementation) agrees on the same vectors', () => {
  for (const { key, hash } of OPENWALL) {
    assert.equal(libxcrypt(key, hash), hash);
    const y = `$2y$${hash.slice(4)}`;
    assert.equal(libxcrypt(key, y), y);
  }
});

test('attack: the 72-byte truncation the policy guards against is real (vector "chars after 72 are ignored")', () => {
  assert.equal(bcrypt.hashSync(OVER_72.key, OVER_72.hash.slice(0, 29)), OVER_72.hash);
  assert.equal(bcrypt.compareSync(OVER_72.key.slice(0, 72), OVER_72.hash), true, 'only the first 72 bytes count');
  assert.throws(() => checkPasswordPolicy(OVER_72.key), (e: unknown) => e instanceof UsageError && e.code === 'deploy.password.tooLong');
});

test('hashPassword: $2y$, cost 12, a fresh salt, verified by bcryptjs and reproduced by libxcrypt', async () => {
  for (const password of ['vK7#qLm2-Tzr9Wp', 'Ünïcødé-Pässwörd-7']) {
    const hash = await hashPassword(password);
    assert.match(hash, /^\$2y\$12\$[./A-Za-z0-9]{53}$/);
    assert.equal(await passwordMatches(password, hash), true);
    assert.equal(await passwordMatches(`${password}x`, hash), false);
    assert.equal(libxcrypt(password, hash), hash, 'the C implementation computes the same hash (UTF-8 bytes, same salt)');
    assert.equal(parseBcryptHash(hash, 'test').hash, hash, 'our own hash passes our own hash check');
  }
  assert.notEqual(await hashPassword('vK7#qLm2-Tzr9Wp'), await hashPassword('vK7#qLm2-Tzr9Wp'), 'a new salt each time');
});

test('attack: hashPassword refuses a 73-byte password even when the policy was skipped', async () => {
  await assert.rejects(hashPassword('x'.repeat(73)), (e: unknown) => e instanceof UsageError && e.code === 'deploy.password.tooLong');
});

function badHash(text: string, pattern: RegExp): void {
  assert.throws(
    () => parseBcryptHash(text, 'dex.hash'),
    (e: unknown) => e instanceof UsageError && e.code === 'deploy.password.badHash' && pattern.test(e.message) && !e.message.includes(text.slice(7)),
  );
}

test('parseBcryptHash: $2a$/$2b$/$2y$ at cost 12..16 are accepted and relabelled $2y$', () => {
  const a12 = bcrypt.hashSync('vK7#qLm2-Tzr9Wp', '$2a$12$CCCCCCCCCCCCCCCCCCCCC.');
  const digest = a12.slice(7);
  for (const minor of ['a', 'b', 'y']) {
    for (const cost of ['12', '13', '16']) {
      assert.deepEqual(parseBcryptHash(`$2${minor}$${cost}$${digest}`, 't'), { hash: `$2y$${cost}$${digest}`, cost: Number(cost) });
    }
  }
});

test('attack: a cost-4 hash (cheap to brute-force) is refused, and so are 10, 11 and 17', () => {
  const cost4 = bcrypt.hashSync('vK7#qLm2-Tzr9Wp', 4);
  badHash(cost4, /cost 4 is below 12/);
  badHash(`$2y$10$${cost4.slice(7)}`, /cost 10 is below 12/);
  badHash(`$2y$11$${cost4.slice(7)}`, /cost 11/);
  badHash(`$2y$17$${cost4.slice(7)}`, /cost 17 is above 16/);
});

test('attack: $2x$ (crypt_blowfish bug mode, which Go never implements) is refused', () => {
  badHash('$2x$12$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e', /\$2x\$/);
  badHash('$2c$12$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e', /unknown bcrypt version/);
  badHash('$2$12$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e', /unknown bcrypt version/);
});

test('attack: wrong length, alphabet or padding bits are refused as damaged', () => {
  const good = '$2y$12$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';
  badHash(good.slice(0, 59), /60 in all/);
  badHash(`${good}A`, /60 in all/);
  badHash(`${good.slice(0, 30)}+${good.slice(31)}`, /60 in all/); // '+' is standard base64, not bcrypt's
  badHash(`${good.slice(0, 28)}D${good.slice(29)}`, /edited or damaged/); // salt's last char must carry 2 bits only
  badHash(`${good.slice(0, 59)}z`, /edited or damaged/); // digest's last char must carry 4 bits only
  badHash(`${good} `, /60 in all/);
});

test("attack: the hashes published with Kubeflow (12341234's, the README example) are refused", () => {
  for (const [hash] of PUBLISHED_HASHES) {
    badHash(hash, /anyone can log in/);
    badHash(`$2b$${hash.slice(4)}`, /anyone can log in/);
  }
});
