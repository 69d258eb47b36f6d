// Login, sessions, CSRF and security headers of the dashboard API, in-process with inject and
// a movable clock: failed and throttled logins, a new session id at every login, idle and
// absolute expiry, server-side logout, the cookie's attributes and every response's headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTENT_SECURITY_POLICY } from '../../src/dashboard/server/securityHeaders.ts';
import { get, loggedIn, login, PASSWORD, post, sessionCookieOf, testServer } from './helpers.ts';

const MINUTE = 60_000;

test('login with the right password answers the Session and sets the __Host- cookie with every attribute', async () => {
  const { app, clock } = await testServer();
  const res = await login(app);
  assert.equal(res.statusCode, 200);
  const session = res.json();
  assert.equal(session.user, 'admin');
  assert.match(session.csrfToken, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(session.idleExpiresAt, new Date(clock.t + 30 * MINUTE).toISOString());
  assert.equal(session.expiresAt, new Date(clock.t + 12 * 60 * MINUTE).toISOString());
  const cookie = res.headers['set-cookie'] as string;
  const [pair, ...attributes] = cookie.split(/;\s*/);
  assert.match(pair, /^__Host-sealed_session=[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
  assert.deepEqual(attributes.map((a) => a.toLowerCase()).sort(), ['httponly', 'path=/', 'samesite=strict', 'secure']);
  assert.equal((await get(app, { cookie: pair, csrf: '', session }, '/api/session')).statusCode, 200);
});

test('a wrong password or user name is 401 with one message; the session routes stay closed', async () => {
  const { app } = await testServer();
  for (const body of [
    { username: 'admin', password: 'wrong password!' },
    { username: 'root', password: PASSWORD },
    { username: 'admin', password: PASSWORD + 'x'.repeat(60) },
  ]) {
    const res = await login(app, body);
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), { error: 'wrong user name or password' });
    assert.equal(res.headers['set-cookie'], undefined);
  }
  const bad = await login(app, { username: 'admin' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().error, /password/);
  assert.equal((await get(app, undefined, '/api/session')).statusCode, 401);
});

test('a password over 72 bytes whose first 72 bytes match is still refused (no bcrypt truncation)', async () => {
  const exactly72 = 'p'.repeat(72);
  const { app } = await testServer({}, exactly72);
  assert.equal((await login(app, { username: 'admin', password: exactly72 })).statusCode, 200);
  assert.equal((await login(app, { username: 'admin', password: exactly72 + 'extra' })).statusCode, 401);
});

test('five failed logins from one address within 15 minutes: 429 with Retry-After, even for the right password', async () => {
  const { app, clock } = await testServer();
  for (let i = 0; i < 5; i++) {
    assert.equal((await login(app, { username: 'admin', password: `guess ${i} guess` })).statusCode, 401);
    clock.advance(MINUTE);
  }
  const blocked = await login(app);
  assert.equal(blocked.statusCode, 429);
  // The oldest failure was 5 minutes ago: it leaves the 15-minute window in 10 minutes.
  assert.equal(blocked.headers['retry-after'], String(10 * 60));
  assert.match(blocked.json().error, /too many failed logins from this address; try again in 600 s/);
  clock.advance(10 * MINUTE);
  assert.equal((await login(app)).statusCode, 200, 'the oldest failure has left the window');
});

test('attempts sent in parallel cannot outrun the limit', async () => {
  const { app } = await testServer();
  const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => login(app, { username: 'admin', password: `parallel guess ${i}` })));
  const codes = answers.map((r) => r.statusCode).sort();
  assert.deepEqual(codes, [...Array(5).fill(401), ...Array(7).fill(429)]);
});

test('each login makes a new session id and ends the one the browser presented', async () => {
  const { app } = await testServer();
  const first = await loggedIn(app);
  const again = await login(app, undefined, first.cookie);
  assert.equal(again.statusCode, 200);
  const second = sessionCookieOf(again);
  assert.notEqual(second, first.cookie);
  assert.notEqual(again.json().csrfToken, first.csrf);
  assert.equal((await get(app, first, '/api/session')).statusCode, 401, 'the old id is no longer valid');
  assert.equal((await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: second } })).statusCode, 200);
});

test('idle timeout: 30 minutes without a request ends the session; each request renews it', async () => {
  const { app, clock } = await testServer();
  const client = await loggedIn(app);
  clock.advance(29 * MINUTE);
  const renewed = await get(app, client, '/api/session');
  assert.equal(renewed.statusCode, 200);
  assert.equal(renewed.json().idleExpiresAt, new Date(clock.t + 30 * MINUTE).toISOString());
  clock.advance(29 * MINUTE);
  assert.equal((await get(app, client, '/api/runs')).statusCode, 200);
  clock.advance(30 * MINUTE);
  const expired = await get(app, client, '/api/runs');
  assert.equal(expired.statusCode, 401);
  assert.deepEqual(expired.json(), { error: 'not logged in, or the session has expired: log in again' });
});

test('absolute timeout: a session in constant use still ends 12 hours after login', async () => {
  const { app, clock } = await testServer();
  const client = await loggedIn(app);
  for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
    clock.advance(20 * MINUTE);
    assert.equal((await get(app, client, '/api/session')).statusCode, 200, `after ${minutes + 20} minutes`);
  }
  const last = await get(app, client, '/api/session');
  assert.equal(last.json().idleExpiresAt, last.json().expiresAt, 'the idle end never passes the absolute end');
  clock.advance(20 * MINUTE);
  assert.equal((await get(app, client, '/api/session')).statusCode, 401);
});

test('logout ends the session on the server and clears the cookie; the old cookie is then 401', async () => {
  const { app } = await testServer();
  const client = await loggedIn(app);
  const res = await post(app, client, '/api/logout');
  assert.equal(res.statusCode, 204);
  const cleared = res.headers['set-cookie'] as string;
  assert.match(cleared, /^__Host-sealed_session=;/);
  assert.match(cleared, /Max-Age=0|Expires=Thu, 01 Jan 1970/);
  assert.match(cleared, /Path=\//);
  assert.match(cleared, /Secure/);
  assert.equal((await get(app, client, '/api/session')).statusCode, 401);
  assert.equal((await post(app, client, '/api/logout')).statusCode, 401);
});

test('POSTs without the session CSRF token, or with a wrong one, are 403 and change nothing', async () => {
  const { app, runsDir } = await testServer();
  const client = await loggedIn(app);
  const other = await loggedIn(app);
  for (const url of ['/api/runs', '/api/logout']) {
    for (const token of [null, '', 'wrong', other.csrf]) {
      const res = await post(app, client, url, url === '/api/runs' ? { parameters: {} } : undefined, token);
      assert.equal(res.statusCode, 403, `${url} with token ${JSON.stringify(token)}`);
      assert.deepEqual(res.json(), { error: "missing or wrong CSRF token: send the session's csrfToken in the x-csrf-token header" });
    }
  }
  assert.equal((await get(app, client, '/api/session')).statusCode, 200, 'logout did not happen');
  const { readdirSync, existsSync } = await import('node:fs');
  assert.ok(!existsSync(runsDir) || readdirSync(runsDir).length === 0, 'no run was started');
});

test('every protected route is 401 without a session, before anything else is looked at', async () => {
  const { app } = await testServer();
  const routes: [string, string][] = [
    ['GET', '/api/session'],
    ['GET', '/api/runs'],
    ['POST', '/api/runs'],
    ['POST', '/api/logout'],
    ['GET', '/api/runs/x'],
    ['GET', '/api/runs/x/tasks/t/log'],
    ['GET', '/api/runs/x/artifacts/t/o'],
    ['GET', '/api/runs/x/artifacts/t/o/preview'],
    ['GET', '/api/runs/x/artifacts/t/o/json'],
    ['GET', '/api/runs/x/metrics'],
    ['GET', '/api/pipeline'],
  ];
  for (const [method, url] of routes) {
    for (const cookie of [undefined, '__Host-sealed_session=forged-session-id']) {
      const res = await app.inject({ method: method as 'GET' | 'POST', url, headers: cookie ? { cookie } : {} });
      assert.equal(res.statusCode, 401, `${method} ${url} ${cookie ?? ''}`);
    }
  }
});

test('every response carries the security headers: CSP, nosniff, DENY, no-referrer and HSTS over HTTPS', async () => {
  const { app } = await testServer();
  const client = await loggedIn(app);
  const responses = [
    await get(app, client, '/api/runs'),
    await get(app, undefined, '/api/runs'),
    await get(app, client, '/api/runs/nope'),
    await get(app, undefined, '/'),
    await get(app, undefined, '/no/such/page.js'),
    await login(app, { username: 'admin', password: 'wrong wrong' }),
    await app.inject({ method: 'POST', url: '/api/login', payload: 'x'.repeat(70_000), headers: { 'content-type': 'application/json' } }),
  ];
  assert.deepEqual(
    responses.map((r) => r.statusCode),
    [200, 401, 404, 503, 404, 401, 413],
  );
  for (const res of responses) {
    assert.equal(res.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.headers['strict-transport-security'], 'max-age=31536000');
  }
  assert.equal(
    CONTENT_SECURITY_POLICY,
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  );
  assert.equal(responses[0].headers['cache-control'], 'no-store', 'API answers are not cached');
});

test('plain HTTP (explicit): cookie sealed_session without Secure, and no HSTS', async () => {
  const { app } = await testServer({ insecureHttp: true });
  const res = await login(app);
  const cookie = res.headers['set-cookie'] as string;
  assert.match(cookie, /^sealed_session=[A-Za-z0-9_-]{43}; /);
  assert.doesNotMatch(cookie, /Secure/i);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.equal(res.headers['strict-transport-security'], undefined);
  assert.equal((await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: sessionCookieOf(res) } })).statusCode, 200);
});

test('non-JSON bodies (what a cross-site form can send) are refused', async () => {
  const { app } = await testServer();
  const form = await app.inject({ method: 'POST', url: '/api/login', payload: 'username=admin&password=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(form.statusCode, 415);
  const text = await app.inject({ method: 'POST', url: '/api/login', payload: '{}', headers: { 'content-type': 'text/plain' } });
  assert.equal(text.statusCode, 415);
});
