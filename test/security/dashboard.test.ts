// Attacks on the dashboard server (`sealed ui`) behind its login: slow clients, connection
// floods, special files in run folders, runs that exhaust memory or flood the queue, unsafe
// state folders and secret files, and answers fastify or Node give before our hooks run.
// Network traffic goes to 127.0.0.1 only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { RunDetail, RunSummary } from '../../src/dashboard/api/contract.ts';
import { startDashboard, PASSWORD_FILE } from '../../src/dashboard/server/index.ts';
import { CHILD_CATALOGS, gatedCatalog } from '../dashboard/childCatalogs.ts';
import { get, loggedIn, post, testServer, toyRun, type Client } from '../dashboard/helpers.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';

const SECURITY_HEADERS = ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy'];

function assertSecurityHeaders(headers: Record<string, unknown>, what: string): void {
  for (const name of SECURITY_HEADERS) assert.ok(headers[name] !== undefined, `${what}: no ${name} header`);
}

/** A plain-HTTP server on 127.0.0.1 with short timeouts; returns its port. */
async function listening(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

/** Everything the server sends on `socket` until it closes it (or `ms` pass: then undefined). */
function readUntilClosed(socket: Socket, ms: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const timer = setTimeout(() => resolve(undefined), ms);
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (text += d));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Lower-cased header map of a raw HTTP answer. */
function rawHeaders(answer: string): Record<string, string> {
  const head = answer.split('\r\n\r\n')[0].split('\r\n').slice(1);
  return Object.fromEntries(head.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
}

const SHORT = { headersTimeoutMs: 400, requestTimeoutMs: 800, checkIntervalMs: 100 };

test('slow body: a body sent one byte at a time is cut at requestTimeout with a 408 carrying the security headers', { timeout: 30_000 }, async () => {
  const { app } = await testServer({ insecureHttp: true, serverLimits: SHORT });
  try {
    const socket = await open(await listening(app));
    const answer = readUntilClosed(socket, 5000);
    socket.write('POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
    const trickle = setInterval(() => socket.writable && socket.write(' '), 100);
    const t0 = Date.now();
    const text = await answer;
    clearInterval(trickle);
    assert.ok(text !== undefined, 'the connection was still open after 5 s');
    assert.ok(Date.now() - t0 < 3000, `cut after ${Date.now() - t0} ms`);
    assert.match(text, /^HTTP\/1\.1 408 /);
    assertSecurityHeaders(rawHeaders(text), '408');
  } finally {
    await app.close();
  }
});

test('slow headers (slowloris): a header block sent line by line is cut at headersTimeout', { timeout: 30_000 }, async () => {
  const { app } = await testServer({ insecureHttp: true, serverLimits: SHORT });
  try {
    const socket = await open(await listening(app));
    const answer = readUntilClosed(socket, 5000);
    socket.write('GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    let n = 0;
    const trickle = setInterval(() => socket.writable && socket.write(`X-Slow-${n++}: a\r\n`), 100);
    const text = await answer;
    clearInterval(trickle);
    assert.ok(text !== undefined, 'the connection was still open after 5 s');
    assert.match(text, /^HTTP\/1\.1 408 /);
  } finally {
    await app.close();
  }
});

test('connection flood: connections past maxConnections are closed at once, and the server answers again once they go', { timeout: 30_000 }, async () => {
  const { app } = await testServer({ insecureHttp: true, serverLimits: { maxConnections: 3 } });
  try {
    const port = await listening(app);
    const held = await Promise.all([open(port), open(port), open(port)]);
    const extra = await open(port);
    assert.equal(await readUntilClosed(extra, 2000), '', 'the connection over the cap is closed without an answer');
    for (const s of held) s.destroy();
    await sleep(100);
    const res = await fetch(`http://127.0.0.1:${port}/api/session`);
    assert.equal(res.status, 401);
  } finally {
    await app.close();
  }
});

// In review one address holding 300 half-sent requests kept every other client out: each address has its own cap
// (src/core/net/connectionsPerAddress.ts), so another loopback address (127.0.0.2) still gets answers.
test('connection hogging: one address past maxConnectionsPerAddress is cut off; another address is still served', { timeout: 30_000 }, async () => {
  const { app } = await testServer({ insecureHttp: true, serverLimits: { maxConnectionsPerAddress: 3 } });
  try {
    const port = await listening(app);
    const held = await Promise.all([open(port), open(port), open(port)]);
    const extra = await open(port);
    assert.equal(await readUntilClosed(extra, 2000), '', 'the fourth connection from one address is closed without an answer');
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', localAddress: '127.0.0.2', port, path: '/api/session', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 401, 'another address is answered');
    for (const s of held) s.destroy();
  } finally {
    await app.close();
  }
});

/** A server with one finished toy run `toy`, whose make-numbers output `numbers` is replaced by `make`. */
async function runWithSpecialOutput(make: (path: string) => void): Promise<{ app: FastifyInstance; client: Client; runsDir: string }> {
  const server = await testServer();
  await toyRun(server.runsDir, 'toy');
  const manifest = JSON.parse((await import('node:fs')).readFileSync(join(server.runsDir, 'toy', 'run.json'), 'utf8')) as { tasks: Record<string, { outputs: Record<string, { path: string }> }> };
  const path = join(server.runsDir, 'toy', manifest.tasks['make-numbers'].outputs.numbers.path);
  rmSync(path);
  make(path);
  return { app: server.app, client: await loggedIn(server.app), runsDir: server.runsDir };
}

test('FIFO: an artifact that is a FIFO is refused at once with one line, and requests after it keep working', { timeout: 30_000 }, async () => {
  const { app, client } = await runWithSpecialOutput((path) => execFileSync('mkfifo', [path]));
  // More at once than libuv's 4 threadpool threads: a blocking open() of each would stall every file operation.
  const urls = ['', '/preview', '', '/preview', '', '/preview'].map((s) => `/api/runs/toy/artifacts/make-numbers/numbers${s}`);
  const t0 = Date.now();
  const answers = await Promise.all(urls.map((u) => get(app, client, u)));
  for (const res of answers) {
    assert.equal(res.statusCode, 404, res.body);
    assert.deepEqual(res.json(), { error: "'make-numbers/numbers.csv' of run 'toy' is a FIFO, not a regular file; refused" });
  }
  assert.ok(Date.now() - t0 < 2000);
  assert.equal((await get(app, client, '/api/runs/toy')).statusCode, 200);
  assert.equal((await get(app, client, '/api/runs')).json<{ runs: RunSummary[] }>().runs.length, 1);
  await app.close();
});

test('FIFO: a run folder whose run.json is a FIFO does not stop the runs list', { timeout: 30_000 }, async () => {
  const { app, runsDir } = await testServer();
  await toyRun(runsDir, 'good');
  mkdirSync(join(runsDir, 'evil'));
  execFileSync('mkfifo', [join(runsDir, 'evil', 'run.json')]);
  const client = await loggedIn(app);
  for (let i = 0; i < 6; i++) {
    const res = await get(app, client, '/api/runs');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      res.json<{ runs: RunSummary[] }>().runs.map((r) => r.id),
      ['good'],
    );
  }
  assert.equal((await get(app, client, '/api/runs/evil')).statusCode, 404);
  await app.close();
});

test('special file: a /dev/zero-like character device as an artifact is refused, never read', { timeout: 30_000 }, async (t) => {
  let made = true;
  const { app, client } = await runWithSpecialOutput((path) => {
    try {
      execFileSync('mknod', [path, 'c', '1', '5'], { stdio: 'ignore' });
    } catch {
      made = false;
      writeFileSync(path, '');
    }
  });
  if (!made) {
    t.skip('mknod is not allowed here');
    await app.close();
    return;
  }
  for (const suffix of ['', '/preview']) {
    const res = await get(app, client, `/api/runs/toy/artifacts/make-numbers/numbers${suffix}`);
    assert.equal(res.statusCode, 404);
    assert.match(res.json().error, /is a device, not a regular file; refused$/);
  }
  await app.close();
});

/** A logged-in server whose runs use the gated pipeline of childCatalogs.ts. */
async function gatedServer(overrides: Parameters<typeof testServer>[0] = {}): Promise<{ app: FastifyInstance; client: Client; runsDir: string; gate: string; errors: unknown[] }> {
  const server = await testServer({ pipeline: await gatedCatalog(), childCatalog: { module: CHILD_CATALOGS, export: 'gatedCatalog' }, ...overrides });
  return { ...server, client: await loggedIn(server.app), gate: join(server.stateDir, 'gate') };
}

async function logOf(app: FastifyInstance, client: Client, id: string, until: RegExp): Promise<string> {
  let log = '';
  for (let i = 0; i < 500 && !until.test(log); i++, await sleep(10)) log = (await get(app, client, `/api/runs/${id}/tasks/wait-for-gate/log`)).body;
  return log;
}

async function ended(app: FastifyInstance, client: Client, id: string, ms = 15_000): Promise<RunDetail> {
  for (const t0 = Date.now(); Date.now() - t0 < ms; await sleep(50)) {
    const detail = (await get(app, client, `/api/runs/${id}`)).json<RunDetail>();
    if (detail.summary.state !== 'running') return detail;
  }
  throw new Error(`run ${id} did not end`);
}

test('oversized data_size: a dashboard run asking for more rows than --max-data-size is refused before any process starts', { timeout: 30_000 }, async () => {
  const { app, client, runsDir } = await gatedServer({ runLimits: { maxDataSize: 5000 } });
  const res = await post(app, client, '/api/runs', { parameters: { data_size: 100_000_000 } });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error, "parameter 'data_size' must be <= 5000 for runs started from the dashboard (sealed ui --max-data-size), got 100000000");
  assert.ok(!existsSync(runsDir) || readdirSync(runsDir).length === 0);
  const info = (await get(app, client, '/api/pipeline')).json<{ parameters: { name: string; max?: number }[] }>();
  assert.equal(info.parameters.find((p) => p.name === 'data_size')?.max, 5000, 'the form shows the cap');
  await app.close();
});

test('memory exhaustion: a run executes in a child with a heap cap; when it dies (heap, SIGKILL) the dashboard keeps answering and takes new runs', { timeout: 30_000 }, async () => {
  const { app, client, gate, errors } = await gatedServer({ runLimits: { memoryMb: 96, maxPerUser: 1 } });
  try {
    writeFileSync(gate, '');
    const plain = (await post(app, client, '/api/runs', { parameters: { gate } })).json<{ id: string }>().id;
    const log = await logOf(app, client, plain, /waiting/);
    const limit = Number(/heap-limit-mib (\d+)/.exec(log)?.[1]);
    assert.ok(limit >= 96 && limit < 200, `the child's heap cap is ${limit} MiB`);
    assert.notEqual(Number(/^pid (\d+)/.exec(log)?.[1]), process.pid);
    assert.equal((await ended(app, client, plain)).summary.state, 'succeeded');
    rmSync(gate);
    // The slot is the plain run's until its process has exited, a moment after run.json says it ended.
    let hog = await post(app, client, '/api/runs', { parameters: { hog: true } });
    for (let i = 0; i < 100 && hog.statusCode === 429; i++, await sleep(50)) hog = await post(app, client, '/api/runs', { parameters: { hog: true } });
    assert.equal(hog.statusCode, 202, hog.body);
    // The hog dies of its heap cap; the slot is free again and the dashboard still answers.
    let next;
    for (let i = 0; i < 300; i++, await sleep(50)) {
      next = await post(app, client, '/api/runs', { parameters: { gate } });
      if (next.statusCode === 202) break;
      assert.equal(next.statusCode, 429, next.body);
    }
    assert.equal(next?.statusCode, 202, next?.body);
    assert.ok(errors.some((e) => /its process ended with .*: it ran out of memory \(heap cap 96 MiB, sealed ui --run-memory\)/.test(String(e))), 'the death is reported on the server output');
    // Queued behind nothing: it runs; kill its process outright.
    const id = next!.json<{ id: string }>().id;
    const pid = Number(/^pid (\d+)/.exec(await logOf(app, client, id, /waiting/))?.[1]);
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 100 && (await post(app, client, '/api/runs', { parameters: {} })).statusCode !== 202; i++) await sleep(50);
    assert.equal((await get(app, client, '/api/runs')).statusCode, 200);
  } finally {
    await app.close();
  }
});

test('queue flood: runs past the queue are refused with 503 and Retry-After; the queued one is listed', { timeout: 30_000 }, async () => {
  const { app, client, gate } = await gatedServer({ runLimits: { maxConcurrent: 1, maxQueued: 1, maxPerUser: 10 } });
  try {
    assert.equal((await post(app, client, '/api/runs', { parameters: { gate } })).statusCode, 202);
    const queued = await post(app, client, '/api/runs', { parameters: { gate } });
    assert.equal(queued.statusCode, 202);
    const full = await post(app, client, '/api/runs', { parameters: { gate } });
    assert.equal(full.statusCode, 503);
    assert.equal(full.headers['retry-after'], '30');
    assert.equal(full.json().error, "the dashboard's run queue is full (1 running, 1 waiting); try again when a run has finished");
    assert.equal((await get(app, client, '/api/runs')).json<{ runs: RunSummary[] }>().runs[0].id, queued.json().id);
  } finally {
    await app.close();
  }
});

test('per-user flood: a user past --max-runs-per-user is refused with 429 and Retry-After', { timeout: 30_000 }, async () => {
  const { app, client, gate } = await gatedServer({ runLimits: { maxPerUser: 1, maxQueued: 10 } });
  try {
    assert.equal((await post(app, client, '/api/runs', { parameters: { gate } })).statusCode, 202);
    const over = await post(app, client, '/api/runs', { parameters: { gate } });
    assert.equal(over.statusCode, 429);
    assert.equal(over.headers['retry-after'], '30');
    assert.equal(over.json().error, "user 'admin' already has 1 runs running or waiting (the limit); try again when one has finished");
  } finally {
    await app.close();
  }
});

test('local file read: a dashboard run gets SEALED_DATA_POLICY with only the data roots, and private networks off', { timeout: 30_000 }, async () => {
  const { app, client, gate } = await gatedServer({ dataPolicy: { dataRoots: ['/srv/data'] } });
  try {
    writeFileSync(gate, '');
    const { id } = (await post(app, client, '/api/runs', { parameters: { gate } })).json<{ id: string }>();
    const log = await logOf(app, client, id, /waiting/);
    const policy = JSON.parse(/^policy (.*)$/m.exec(log)?.[1] ?? 'null');
    assert.deepEqual(policy, { localPaths: 'roots', dataRoots: ['/srv/data'], allowPrivateNetworks: false });
    assert.equal((await ended(app, client, id)).summary.state, 'succeeded');
  } finally {
    await app.close();
  }
});

async function start(stateDir: string, runsDir: string): Promise<Awaited<ReturnType<typeof startDashboard>>> {
  return startDashboard({
    stateDir,
    runsDir,
    pipeline: await gatedCatalog(),
    insecureHttp: true,
    host: '127.0.0.1',
    port: 0,
    bcryptCost: 4,
    password: { env: 'correct horse battery staple' },
    print: () => {},
  });
}

test('world-writable state dir: refused at start with a one-line fix, as is a world-writable runs folder', { timeout: 30_000 }, async () => {
  const root = tempDir('sealed-ui-perm-');
  const stateDir = join(root, 'state');
  mkdirSync(stateDir);
  chmodSync(stateDir, 0o777);
  await assert.rejects(start(stateDir, join(root, 'runs')), { message: `state folder ${stateDir} is writable by everyone (mode 777); refused (fix: chmod go-w '${stateDir}')` });
  assert.ok(!existsSync(join(stateDir, PASSWORD_FILE)), 'no password was written there');
  chmodSync(stateDir, 0o770);
  await assert.rejects(start(stateDir, join(root, 'runs')), { message: /is writable by its group \(mode 770\)/ });
  chmodSync(stateDir, 0o700);
  const runsDir = join(root, 'runs');
  mkdirSync(runsDir, { mode: 0o777 });
  chmodSync(runsDir, 0o777);
  await assert.rejects(start(stateDir, runsDir), { message: /^runs folder .* is writable by everyone/ });
  chmodSync(runsDir, 0o755);
  const running = await start(stateDir, runsDir);
  await running.close();
});

test('symlinked password file: refused, and the link target is never chmodded', { timeout: 30_000 }, async () => {
  const root = tempDir('sealed-ui-link-');
  const stateDir = join(root, 'state');
  mkdirSync(stateDir, { mode: 0o700 });
  const target = join(root, 'shared-config');
  writeFileSync(target, 'admin:$2y$04$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ12\n', { mode: 0o644 });
  chmodSync(target, 0o644);
  symlinkSync(target, join(stateDir, PASSWORD_FILE));
  await assert.rejects(start(stateDir, join(root, 'runs')), { message: `${join(stateDir, PASSWORD_FILE)} is a symbolic link; a secret file must be a regular file (replace the link with the file itself)` });
  assert.equal(statSync(target).mode & 0o777, 0o644, 'the target keeps its mode');
});

test('malformed URL: the router\'s own 400 and the parser\'s 400, 413 and 415 carry the security headers', { timeout: 30_000 }, async () => {
  const { app } = await testServer({ insecureHttp: true });
  try {
    for (const url of ['/%', '/api/runs/%zz', '/api/%E0%A4%A']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 400, url);
      assertSecurityHeaders(res.headers, url);
      assert.match(res.json().error, /^malformed URL '/);
    }
    const big = await app.inject({ method: 'POST', url: '/api/login', payload: { username: 'x'.repeat(70_000), password: 'y' } });
    assert.equal(big.statusCode, 413);
    assertSecurityHeaders(big.headers, '413');
    const form = await app.inject({ method: 'POST', url: '/api/login', payload: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(form.statusCode, 415);
    assertSecurityHeaders(form.headers, '415');
    const socket = await open(await listening(app));
    const answer = readUntilClosed(socket, 3000);
    socket.write('GET / HTTP/1.1\r\nHost 127.0.0.1 no colon\r\n\r\n');
    const text = await answer;
    assert.match(text ?? '', /^HTTP\/1\.1 400 /);
    assertSecurityHeaders(rawHeaders(text ?? ''), 'raw 400');
  } finally {
    await app.close();
  }
});
