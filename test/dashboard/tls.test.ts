// HTTPS by default: a self-signed ECDSA P-256 certificate for localhost, 127.0.0.1, ::1 and the
// host name, made once in the state folder (key 0600) and reused, made anew when about to
// expire or missing a name; a user's certificate is checked against its key. One real HTTPS
// listen: the browser's path (TLS, login cookie, session) end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { toyCatalog } from '../cli/helpers.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { startDashboard } from '../../src/dashboard/server/index.ts';
import { certificateNames, CERT_FILE, KEY_FILE, selfSignedCertificate } from '../../src/dashboard/server/selfSignedCertificate.ts';
import { loadUserCertificate } from '../../src/dashboard/server/userCertificate.ts';
import { PASSWORD, T0 } from './helpers.ts';

const DAY = 24 * 3600 * 1000;

test('the self-signed certificate is ECDSA P-256 for localhost, 127.0.0.1, ::1 and the host name; made once, then reused', async () => {
  const stateDir = tempDir();
  const now = new Date(T0);
  const made = await selfSignedCertificate({ stateDir, hostname: 'build-box', now, warn: assert.fail });
  assert.equal(made.generated, true);
  const cert = new X509Certificate(readFileSync(join(stateDir, CERT_FILE)));
  assert.equal(cert.publicKey.asymmetricKeyType, 'ec');
  assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  assert.equal(cert.subjectAltName, 'DNS:localhost, DNS:build-box, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
  assert.ok(cert.checkHost('localhost') && cert.checkIP('127.0.0.1') && cert.checkIP('::1') && cert.checkHost('build-box'));
  const validDays = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / DAY;
  assert.ok(validDays > 364 && validDays < 367, `${validDays} days`);
  assert.equal(statSync(join(stateDir, KEY_FILE)).mode & 0o777, 0o600);

  const reused = await selfSignedCertificate({ stateDir, hostname: 'build-box', now: new Date(T0 + 100 * DAY), warn: assert.fail });
  assert.equal(reused.generated, false);
  assert.equal(reused.cert, made.cert);
  assert.equal(reused.key, made.key);
});

test('a certificate is made anew when it is about to expire, lacks a name, or its key does not match', async () => {
  const stateDir = tempDir();
  const first = await selfSignedCertificate({ stateDir, hostname: 'build-box', now: new Date(T0), warn: assert.fail });
  const expiring = await selfSignedCertificate({ stateDir, hostname: 'build-box', now: new Date(T0 + 365 * DAY), warn: assert.fail });
  assert.equal(expiring.generated, true);
  assert.notEqual(expiring.cert, first.cert);
  const renamed = await selfSignedCertificate({ stateDir, hostname: 'new-name', now: new Date(T0 + 365 * DAY), warn: assert.fail });
  assert.equal(renamed.generated, true);
  assert.match(new X509Certificate(renamed.cert).subjectAltName ?? '', /DNS:new-name/);
  writeFileSync(join(stateDir, KEY_FILE), first.key, { mode: 0o600 });
  assert.equal((await selfSignedCertificate({ stateDir, hostname: 'new-name', now: new Date(T0 + 365 * DAY), warn: assert.fail })).generated, true);
});

test('host names that are not DNS names are left out of the certificate', () => {
  assert.deepEqual(certificateNames('Box_1'), { dns: ['localhost'], ip: ['127.0.0.1', '::1'] });
  assert.deepEqual(certificateNames('LAPTOP.example'), { dns: ['localhost', 'laptop.example'], ip: ['127.0.0.1', '::1'] });
  assert.deepEqual(certificateNames('localhost').dns, ['localhost']);
});

test('--cert/--key: a key that is not the certificate\'s is refused in one line', async () => {
  const a = tempDir();
  const b = tempDir();
  await selfSignedCertificate({ stateDir: a, hostname: 'x', now: new Date(), warn: assert.fail });
  await selfSignedCertificate({ stateDir: b, hostname: 'x', now: new Date(), warn: assert.fail });
  assert.ok((await loadUserCertificate(join(a, CERT_FILE), join(a, KEY_FILE))).cert.startsWith('-----BEGIN CERTIFICATE-----'));
  await assert.rejects(loadUserCertificate(join(a, CERT_FILE), join(b, KEY_FILE)), { message: `private key ${join(b, KEY_FILE)} does not belong to certificate ${join(a, CERT_FILE)}` });
  await assert.rejects(loadUserCertificate(join(a, KEY_FILE), join(a, KEY_FILE)), /is not a usable PEM certificate/);
  await assert.rejects(loadUserCertificate(join(a, 'missing.pem'), join(a, KEY_FILE)), /file not found/);
});

interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function httpsRequest(url: string, ca: string | undefined, options: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', ...(ca !== undefined ? { ca } : {}), headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

test('startDashboard serves HTTPS with its own certificate: a client trusting it logs in and uses the session', async () => {
  const root = tempDir();
  const lines: string[] = [];
  const dashboard = await startDashboard({
    runsDir: join(root, 'runs'),
    stateDir: join(root, 'state'),
    pipeline: await toyCatalog(),
    port: 0,
    password: { env: PASSWORD },
    bcryptCost: 4,
    loginFailureDelayMs: 0,
    print: (line) => lines.push(line),
  });
  try {
    assert.match(dashboard.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(lines.includes(`dashboard listening on ${dashboard.url}`), lines.join('\n'));
    const ca = readFileSync(join(root, 'state', CERT_FILE), 'utf8');
    assert.match(new X509Certificate(ca).subjectAltName ?? '', new RegExp(`DNS:${hostname().toLowerCase().replace(/[^a-z0-9.-]/g, '') || 'localhost'}`));
    const loginAnswer = await httpsRequest(`${dashboard.url}/api/login`, ca, {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(loginAnswer.status, 200, loginAnswer.body);
    assert.equal(loginAnswer.headers['strict-transport-security'], 'max-age=31536000');
    const cookie = (loginAnswer.headers['set-cookie'] as string[])[0].split(';')[0];
    assert.match(cookie, /^__Host-sealed_session=/);
    const runs = await httpsRequest(`${dashboard.url}/api/runs`, ca, { headers: { cookie } });
    assert.equal(runs.status, 200);
    assert.deepEqual(JSON.parse(runs.body), { runs: [] });
    await assert.rejects(httpsRequest(`${dashboard.url}/api/runs`, undefined), /self[- ]signed/, 'a client that does not trust it fails the handshake');
  } finally {
    await dashboard.close();
  }
});
