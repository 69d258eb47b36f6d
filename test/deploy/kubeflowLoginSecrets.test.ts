// Login secrets of the Kubeflow overlay (src/deploy/kubeflow/loginSecrets.ts): fresh per overlay, reused
// from an overlay we wrote, and never read through a planted link or from a malformed file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshLoginSecrets, loginSecretsFor, CLIENT_SECRET_FILE, COOKIE_SECRET_FILE } from '../../src/deploy/kubeflow/index.ts';
import { tempDir } from './helpers/kubeflowBases.ts';

test('fresh login secrets differ on every call; the cookie secret is 32 bytes as oauth2-proxy needs (16, 24 or 32)', () => {
  const a = freshLoginSecrets();
  const b = freshLoginSecrets();
  assert.notEqual(a.clientSecret, b.clientSecret);
  assert.notEqual(a.cookieSecret, b.cookieSecret);
  assert.equal(Buffer.byteLength(a.cookieSecret), 32);
  assert.ok(a.clientSecret.length >= 32);
});

test('an existing overlay keeps its secrets; a first render gets fresh ones', () => {
  const dir = tempDir('kf-secrets-');
  const kept = freshLoginSecrets();
  writeFileSync(join(dir, CLIENT_SECRET_FILE), kept.clientSecret, { mode: 0o600 });
  writeFileSync(join(dir, COOKIE_SECRET_FILE), kept.cookieSecret, { mode: 0o600 });
  assert.deepEqual(loginSecretsFor(dir, true), kept);
  assert.notEqual(loginSecretsFor(dir, false).clientSecret, kept.clientSecret);
});

test('attack: a secret file planted as a link (to a file an attacker controls) or holding junk is not reused', () => {
  const dir = tempDir('kf-secrets-');
  const planted = join(tempDir('kf-planted-'), 'known');
  writeFileSync(planted, 'A'.repeat(43));
  symlinkSync(planted, join(dir, CLIENT_SECRET_FILE));
  writeFileSync(join(dir, COOKIE_SECRET_FILE), 'short\nFORCE_HTTPS=false');
  const s = loginSecretsFor(dir, true);
  assert.notEqual(s.clientSecret, 'A'.repeat(43));
  assert.match(s.cookieSecret, /^[0-9a-f]{32}$/);
});
