// `sealed ui` end to end, in-process: the first start generates and prints the password once,
// listens on HTTPS with its own certificate, answers a login with that password, and stops
// when cancelled; later starts reuse everything and print no password. Wrong flag combinations
// are usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { Capture, runCli, toyCatalog } from './helpers.ts';

interface Started {
  stderr: Capture;
  url: string;
  stop: () => Promise<number>;
}

async function startUi(cwd: string, argv: string[], env: Record<string, string> = {}): Promise<Started> {
  const stderr = new Capture();
  const cancel = new AbortController();
  const running = main(['ui', '--port', '0', ...argv], { catalog: toyCatalog, cwd, env, stdout: new Capture(), stderr, signal: cancel.signal });
  let url: string | undefined;
  for (let i = 0; i < 400 && !url; i++) {
    url = /dashboard listening on (\S+)/.exec(stderr.text)?.[1];
    if (!url) {
      if (/^sealed: /m.test(stderr.text)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  assert.ok(url, stderr.text);
  return {
    stderr,
    url,
    stop: async () => {
      cancel.abort();
      return running;
    },
  };
}

function postJson(url: string, ca: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

test('first start prints a generated password once and serves HTTPS; the next start prints none', async () => {
  const cwd = tempDir();
  const first = await startUi(cwd, ['--state-dir', 'state', '--runs', 'my-runs']);
  const password = /user 'admin', generated password: (\S+)/.exec(first.stderr.text)?.[1];
  assert.ok(password && password.length >= 20, first.stderr.text);
  assert.match(first.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const htpasswd = readFileSync(join(cwd, 'state', 'htpasswd'), 'utf8');
  assert.match(htpasswd, /^admin:\$2y\$12\$/, 'the CLI always hashes at cost 12');
  assert.equal(statSync(join(cwd, 'state', 'htpasswd')).mode & 0o777, 0o600);
  assert.equal(statSync(join(cwd, 'state')).mode & 0o777, 0o700);
  assert.ok(statSync(join(cwd, 'my-runs')).isDirectory(), 'the runs folder is made');
  const ca = readFileSync(join(cwd, 'state', 'tls-cert.pem'), 'utf8');
  assert.equal((await postJson(`${first.url}/api/login`, ca, { username: 'admin', password })).status, 200);
  assert.equal(await first.stop(), 0);
  assert.match(first.stderr.text, /dashboard stopped\n$/);
  assert.equal(first.stderr.text.split(password).length, 2, 'the password appears exactly once');

  const second = await startUi(cwd, ['--state-dir', 'state', '--runs', 'my-runs']);
  assert.doesNotMatch(second.stderr.text, /password/);
  assert.doesNotMatch(second.stderr.text, /certificate/, 'the certificate is reused');
  assert.equal(readFileSync(join(cwd, 'state', 'tls-cert.pem'), 'utf8'), ca);
  assert.equal(await second.stop(), 0);
});

test('--insecure-http serves plain HTTP with a warning; SEALED_UI_PASSWORD sets the first password; --idle-timeout', async () => {
  const cwd = tempDir();
  const ui = await startUi(cwd, ['--insecure-http', '--idle-timeout', '1'], { SEALED_UI_PASSWORD: 'a password from env' });
  assert.match(ui.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.match(ui.stderr.text, /warning: serving plain HTTP \(--insecure-http\)/);
  assert.doesNotMatch(ui.stderr.text, /a password from env/);
  const res = await fetch(`${ui.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'a password from env' }) });
  assert.equal(res.status, 200);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  assert.match(cookie, /^sealed_session=/);
  assert.equal((await fetch(`${ui.url}/api/session`, { headers: { cookie } })).status, 200);
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal((await fetch(`${ui.url}/api/session`, { headers: { cookie } })).status, 401, 'idle for more than --idle-timeout 1');
  assert.equal(await ui.stop(), 0);
  assert.ok(statSync(join(cwd, '.sealed-ui', 'htpasswd')).isFile(), 'default state folder');
});

test('wrong flag combinations are usage errors', async () => {
  const cwd = tempDir();
  const cases: [string[], string][] = [
    [['ui', '--cert', 'c.pem'], 'sealed: --cert and --key must be given together\n'],
    [['ui', '--cert', 'c.pem', '--key', 'k.pem', '--insecure-http'], 'sealed: --insecure-http serves plain HTTP and cannot be combined with --cert/--key\n'],
    [['ui', '--port', '70000'], "sealed: option --port must be an integer from 0 to 65535, got '70000'\n"],
    [['ui', '--port', 'x'], "sealed: option --port must be an integer from 0 to 65535, got 'x'\n"],
    [['ui', '--idle-timeout', '0'], "sealed: option --idle-timeout must be an integer from 1 to 2147483, got '0'\n"],
  ];
  for (const [argv, stderr] of cases) {
    const r = await runCli(argv, { cwd });
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.stderr, stderr);
  }
  const long = await runCli(['ui', '--port', '0', '--state-dir', 's'], { cwd, env: { SEALED_UI_PASSWORD: 'x'.repeat(73) } });
  assert.equal(long.code, 2);
  assert.match(long.stderr, /passwords over 72 bytes are refused/);
});
