// The dashboard on runs kept in an object store (issue 16 item 6: "the dashboard can browse runs
// in a store"), against the real servers the store fixture starts on 127.0.0.1 (s3rver for S3,
// Azurite for Azure Blob: test/pipeline/store/storeCases.ts, test/helpers/storeServers.ts).
// A plain and a sealed loan-default run are written into each store by `sealed run --store`; the
// dashboard (in-process, fastify inject, as the other dashboard tests) lists both, shows the
// sealed one locked without keys and open with them, and its CSV pages, JSON, metrics and
// downloads equal those of the same run kept in a local runs folder.
// The attacks: a run.json in the store naming keys outside its run ('../', absolute, a '..'
// segment inside) or an oversized run.json; run ids and task names from the request that try to
// leave the run; a store that is down, one that never answers, and one that stalls an artifact
// read. Every API answer of the file is checked for the store credentials. The faults are
// network-level only (a closed port, a socket that never answers, a proxy that withholds one
// GET's response from the real server), so no store protocol is imitated here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, request, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { CsvPage, RunDetail, RunMetrics, RunSummary } from '../../src/dashboard/api/contract.ts';
import { loanDefaultCatalog } from '../../src/cli/pipelineCatalog.ts';
import { parseStoreUrl, type ArtifactStore, type StoreUrlOptions } from '../../src/pipeline/index.ts';
import { LocalKeyProvider, initKeyFolder } from '../../src/seal/index.ts';
import { main } from '../../src/cli/main.ts';
import { Capture, runCli, toyCatalog } from '../cli/helpers.ts';
import { AZURITE_KEY } from '../helpers/storeServers.ts';
import { writeRawCsv } from '../pipelines/loan-default/helpers.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { forEachStore, type StoreCaseContext } from '../pipeline/store/storeCases.ts';
import { loggedIn, testServer, type Client } from './helpers.ts';

const work = tempDir('sealed-store-dashboard-');
const keysDir = join(work, 'keys');
const localRuns = join(work, 'runs');
/** The S3 secret the store fixture sets (s3rver checks only the key id, so any secret works). */
const S3_SECRET = 'store-test-secret-7f3a9c';
const MAGIC = 'SEALED';
const OUTSIDE = 'OUTSIDE-THE-RUN-MARKER';

const X_TEST = ['create-train-test-set', 'x_test_data'] as const;
const PREDICTIONS = ['batch-inference', 'prediction_data'] as const;
const REPORT = ['batch-inference', 'report'] as const;
const ROC = ['plot-roc-curve', 'roc_curve'] as const;
const at = (run: string, [task, output]: readonly [string, string], rest = ''): string => `/api/runs/${run}/artifacts/${task}/${output}${rest}`;

interface Served {
  app: FastifyInstance;
  client: Client;
  errors: unknown[];
}

/** Every API answer of this file, for the credentials check at its end. */
const answers: { url: string; text: string }[] = [];

async function call(s: Served, url: string, method: 'GET' | 'POST' = 'GET', payload?: Record<string, unknown>): Promise<LightMyRequestResponse> {
  const res = await s.app.inject({
    method,
    url,
    headers: { cookie: s.client.cookie, ...(method === 'POST' ? { 'x-csrf-token': s.client.csrf } : {}) },
    ...(payload ? { payload } : {}),
  });
  answers.push({ url, text: JSON.stringify(res.headers) + res.rawPayload.toString('latin1') });
  return res;
}

async function serve(options: Parameters<typeof testServer>[0]): Promise<Served> {
  const s = await testServer(options);
  return { app: s.app, client: await loggedIn(s.app), errors: s.errors };
}

const keys = async (): Promise<{ provider: LocalKeyProvider; dir: string }> => ({ provider: await LocalKeyProvider.open(keysDir), dir: keysDir });

let raw = '';
let local: Served;

before(async () => {
  await initKeyFolder(keysDir);
  raw = writeRawCsv(work, 'applicants.csv', 300, 3);
  const r = await runCli(['run', '--data-url', raw, '--seed', '3', '--threads', '1', '--run-dir', join(localRuns, 'plain')], { catalog: loanDefaultCatalog, cwd: work });
  assert.equal(r.code, 0, r.stderr);
  local = await serve({ runsDir: localRuns });
});

/** `sealed run --store` into the fixture's store at `prefix`; returns the run id. */
async function runInto(ctx: StoreCaseContext, prefix: string, extra: string[]): Promise<string> {
  const { text, options } = ctx.url(prefix);
  const args = ['run', '--data-url', raw, '--seed', '3', '--threads', '1', '--json', '--store', text, ...(options.s3Endpoint ? ['--s3-endpoint', options.s3Endpoint] : []), ...extra];
  const r = await runCli(args, { catalog: loanDefaultCatalog, cwd: work, env: ctx.env() });
  assert.equal(r.code, 0, r.stderr);
  const runDir = (JSON.parse(r.stdout.trim().split('\n').pop()!) as { runDir: string }).runDir;
  assert.ok(runDir.startsWith(`${text}/`), runDir);
  return runDir.slice(text.length + 1);
}

/** The store at `prefix` as the dashboard opens it: small list pages, so the run listing takes several. */
function storeAt(ctx: StoreCaseContext, prefix: string, override: StoreUrlOptions = {}): ArtifactStore {
  const { text, options } = ctx.url(prefix);
  return parseStoreUrl(text, ctx.env(), { ...options, listPageSize: 25, ...override });
}

/** An endpoint URL `override` for the store kind: S3's --s3-endpoint, Azure's blob endpoint (it keeps the account in its path). */
function endpointAt(ctx: StoreCaseContext, origin: string): StoreUrlOptions {
  if (ctx.kind === 's3') return { s3Endpoint: origin };
  return { azureBlobEndpoint: `${origin}${new URL(ctx.proxy()!.url).pathname}` };
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server that takes connections and never answers. */
async function silentServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createNetServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A proxy in front of `target` (an origin) that forwards every request but never answers a GET whose path contains `stall`. */
async function stallingProxy(target: string, stall: string): Promise<{ origin: string; stalled: () => number; close(): Promise<void> }> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let stalled = 0;
  const server: HttpServer = createHttpServer((req, res) => {
    if (req.method === 'GET' && (req.url ?? '').includes(stall)) {
      stalled++;
      return; // headers never come
    }
    const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    stalled: () => stalled,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const errorOf = (res: LightMyRequestResponse): string => res.json<{ error: string }>().error;

forEachStore(
  'the dashboard on runs in a store',
  (_makeStore, tamper, ctx) => {
    const prefix = `dash-${process.pid}`;
    const attackPrefix = `dash-attack-${process.pid}`;
    let plainId = '';
    let sealedId = '';
    let noKeys: Served;
    let withKeys: Served;
    let storeUrl = '';

    before(async () => {
      plainId = await runInto(ctx, prefix, []);
      sealedId = await runInto(ctx, prefix, ['--seal', '--keys', keysDir]);
      storeUrl = ctx.url(prefix).text;
      noKeys = await serve({ runStore: storeAt(ctx, prefix) });
      withKeys = await serve({ runStore: storeAt(ctx, prefix), keys: await keys() });
    });

    test('lists the plain and the sealed run from the store; without keys the sealed one is locked', async () => {
      const res = await call(noKeys, '/api/runs');
      assert.equal(res.statusCode, 200, res.body);
      const runs = res.json<{ runs: RunSummary[] }>().runs;
      assert.deepEqual(runs.map((r) => r.id).sort(), [plainId, sealedId].sort());
      const byId = new Map(runs.map((r) => [r.id, r]));
      assert.equal(byId.get(plainId)?.sealed, false);
      assert.equal(byId.get(sealedId)?.sealed, true);
      assert.equal(byId.get(sealedId)?.locked, true);
      assert.equal(byId.get(plainId)?.state, 'succeeded');
      const withKeyList = (await call(withKeys, '/api/runs')).json<{ runs: RunSummary[] }>().runs;
      assert.equal(withKeyList.find((r) => r.id === sealedId)?.locked, undefined);
      // The same summary as the same run in a local folder, but for the id and the times.
      const localSummary = (await call(local, '/api/runs')).json<{ runs: RunSummary[] }>().runs[0];
      const { id: _a, createdAt: _b, finishedAt: _c, durationMs: _d, parameters: p1, ...rest } = byId.get(plainId)!;
      const { id: _e, createdAt: _f, finishedAt: _g, durationMs: _h, parameters: p2, ...localRest } = localSummary;
      assert.deepEqual(rest, localRest);
      assert.deepEqual({ ...p1, threads: 0 }, { ...p2, threads: 0 });
    });

    test('run detail, task logs and the graph come from the store', async () => {
      const res = await call(noKeys, `/api/runs/${plainId}`);
      assert.equal(res.statusCode, 200, res.body);
      const detail = res.json<RunDetail>();
      const localDetail = (await call(local, '/api/runs/plain')).json<RunDetail>();
      assert.deepEqual(
        detail.tasks.map((t) => [t.name, t.state, t.outputs.map((o) => [o.name, o.view, o.sha256])]),
        localDetail.tasks.map((t) => [t.name, t.state, t.outputs.map((o) => [o.name, o.view, o.sha256])]),
      );
      assert.deepEqual(detail.edges, localDetail.edges);
      assert.ok(detail.edges.length > 0, 'pipeline.json was read from the store');
      const logged = detail.tasks.filter((t) => t.hasLog);
      assert.ok(logged.length > 0);
      const log = await call(noKeys, `/api/runs/${plainId}/tasks/${logged[0].name}/log`);
      assert.equal(log.statusCode, 200, log.body);
      assert.match(log.headers['content-type'] as string, /^text\/plain/);
      assert.ok(log.body.length > 0);
    });

    test('CSV pages, JSON, metrics and downloads of the plain run equal the local run, byte for byte', async () => {
      for (const output of [X_TEST, PREDICTIONS, REPORT]) {
        const first = await call(local, at('plain', output, '/preview?limit=7'));
        assert.equal(first.statusCode, 200, first.body);
        for (const query of ['/preview?limit=7', `/preview?limit=7&cursor=${first.json<CsvPage>().nextCursor ?? 0}`]) {
          const page = await call(noKeys, at(plainId, output, query));
          assert.equal(page.statusCode, 200, page.body);
          assert.equal(page.body, (await call(local, at('plain', output, query))).body, `${output.join('/')} ${query}`);
        }
      }
      const json = await call(noKeys, at(plainId, ROC, '/json'));
      assert.equal(json.statusCode, 200, json.body);
      assert.equal(json.body, (await call(local, at('plain', ROC, '/json'))).body);
      const metrics = await call(noKeys, `/api/runs/${plainId}/metrics`);
      assert.equal(metrics.statusCode, 200, metrics.body);
      assert.deepEqual(metrics.json<RunMetrics>(), (await call(local, '/api/runs/plain/metrics')).json<RunMetrics>());
      const download = await call(noKeys, at(plainId, X_TEST));
      assert.equal(download.statusCode, 200);
      assert.deepEqual(download.rawPayload, readFileSync(join(localRuns, 'plain', 'create-train-test-set', 'x_test_data.csv')));
      assert.equal(download.headers['content-length'], String(download.rawPayload.length));
    });

    test('the sealed run: 409 without keys; with keys its pages, metrics and plaintext download equal the plain run', async () => {
      const locked = await call(noKeys, at(sealedId, X_TEST, '/preview?limit=5'));
      assert.equal(locked.statusCode, 409, locked.body);
      assert.match(errorOf(locked), new RegExp(`run '${sealedId}' is sealed: start the dashboard with --keys DIR`));
      assert.ok(!locked.body.includes('person_age'));
      const lockedMetrics = (await call(noKeys, `/api/runs/${sealedId}/metrics`)).json<RunMetrics>();
      assert.match(lockedMetrics.sealedNotice ?? '', /is sealed/);
      assert.equal(lockedMetrics.confusion, undefined);

      for (const output of [X_TEST, PREDICTIONS]) {
        const query = '/preview?limit=9&cursor=0';
        const page = await call(withKeys, at(sealedId, output, query));
        assert.equal(page.statusCode, 200, page.body);
        assert.equal(page.body, (await call(local, at('plain', output, query))).body, output.join('/'));
      }
      const metrics = await call(withKeys, `/api/runs/${sealedId}/metrics`);
      assert.equal(metrics.statusCode, 200, metrics.body);
      assert.deepEqual(metrics.json<RunMetrics>(), (await call(local, '/api/runs/plain/metrics')).json<RunMetrics>());
      const plaintext = await call(withKeys, at(sealedId, X_TEST, '?plain=1'));
      assert.equal(plaintext.statusCode, 200, plaintext.body);
      assert.deepEqual(plaintext.rawPayload, readFileSync(join(localRuns, 'plain', 'create-train-test-set', 'x_test_data.csv')));
      const envelope = await call(noKeys, at(sealedId, X_TEST));
      assert.equal(envelope.statusCode, 200);
      assert.equal(envelope.rawPayload.subarray(0, MAGIC.length).toString('latin1'), MAGIC);
      assert.match(envelope.headers['content-disposition'] as string, /x_test_data\.csv\.sealed"$/);
    });

    test('a changed ciphertext object in the store: 422 naming the artifact, no plaintext', async () => {
      const key = `${sealedId}/create-train-test-set/x_test_data.csv`;
      const store = storeAt(ctx, prefix);
      const original = await tamper.read(store, key);
      await tamper.flipBit(store, key, 300);
      try {
        const res = await call(withKeys, at(sealedId, X_TEST, '/preview?limit=5'));
        assert.equal(res.statusCode, 422, res.body);
        assert.match(errorOf(res), /x_test_data\.csv/);
        assert.ok(!res.body.includes('person_age'));
      } finally {
        await tamper.overwrite(store, key, original);
      }
    });

    test('starting a run from a dashboard on a store is refused with the command that does it', async () => {
      const res = await call(noKeys, '/api/runs', 'POST', { parameters: {} });
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(errorOf(res), `this dashboard browses runs in ${storeUrl}; start runs with sealed run --store ${storeUrl}`);
    });

    test('list cap: a dashboard that lists at most one run shows the newest by id', async () => {
      const capped = await serve({ runStore: storeAt(ctx, prefix), maxStoreRuns: 1 });
      const runs = (await call(capped, '/api/runs')).json<{ runs: RunSummary[] }>().runs;
      assert.deepEqual(
        runs.map((r) => r.id),
        [[plainId, sealedId].sort().reverse()[0]],
      );
      const older = [plainId, sealedId].sort()[0];
      assert.equal((await call(capped, `/api/runs/${older}`)).statusCode, 404, 'a run past the cap is not opened');
    });

    test('attack: a run.json in the store naming keys outside its run (../, absolute, a .. segment) is refused and those keys are never requested', async () => {
      const store = storeAt(ctx, attackPrefix);
      const manifest = JSON.parse((await storeAt(ctx, `${prefix}/${plainId}`).get('run.json')).toString('utf8')) as {
        tasks: Record<string, { log?: string; outputs: Record<string, { path: string; metadataPath?: string }> }>;
      };
      manifest.tasks[X_TEST[0]].outputs[X_TEST[1]].path = `../${plainId}/create-train-test-set/x_test_data.csv`;
      manifest.tasks[PREDICTIONS[0]].outputs[PREDICTIONS[1]].path = '/other/x.csv';
      manifest.tasks[ROC[0]].outputs[ROC[1]].path = 'plot-roc-curve/../../other/x.json';
      manifest.tasks['load-data'].log = '../other/x';
      await store.put('other/x', { bytes: OUTSIDE });
      await store.put('other/x.json', { bytes: JSON.stringify({ marker: OUTSIDE }) });
      await store.put('evil/run.json', { bytes: JSON.stringify(manifest) });
      await store.put('evil/pipeline.json', { bytes: '{}' });
      const s = await serve({ runStore: store });
      const before = ctx.proxy()!.requests.length;
      assert.deepEqual(
        (await call(s, '/api/runs')).json<{ runs: RunSummary[] }>().runs.map((r) => r.id),
        ['evil'],
      );
      for (const url of [at('evil', X_TEST, '/preview'), at('evil', X_TEST), at('evil', PREDICTIONS), at('evil', ROC, '/json'), '/api/runs/evil/tasks/load-data/log']) {
        const res = await call(s, url);
        assert.equal(res.statusCode, 404, `${url}: ${res.body}`);
        assert.match(errorOf(res), /is outside the run folder; refused/, url);
        assert.ok(!res.body.includes(OUTSIDE) && !res.body.includes('person_age'), url);
      }
      // Request text that tries to leave the run names no run or task.
      for (const url of ['/api/runs/..%2Fother/artifacts/x/y', '/api/runs/evil/artifacts/..%2F..%2Fother/x', '/api/runs/other/metrics', `/api/runs/..%2F${prefix}%2F${plainId}`]) {
        const res = await call(s, url);
        assert.equal(res.statusCode, 404, `${url}: ${res.body}`);
      }
      const reads = ctx.proxy()!.requests.slice(before).filter((r) => r.method === 'GET' || r.method === 'HEAD');
      assert.ok(reads.some((r) => r.url.includes('evil/run.json')), 'the proxy saw the dashboard read run.json');
      const leaked = reads.filter((r) => /\/other\/|x_test_data|prediction_data/.test(decodeURIComponent(r.url.split('?')[0])));
      assert.deepEqual(
        leaked.map((r) => `${r.method} ${r.url}`),
        [],
      );
    });

    test('attack: a run.json over the 16 MiB cap is not a run (the listing shows only the others)', async () => {
      const store = storeAt(ctx, attackPrefix);
      const manifest = JSON.parse((await storeAt(ctx, `${prefix}/${plainId}`).get('run.json')).toString('utf8')) as Record<string, unknown>;
      // Valid but for its size: without the cap it would parse (the schema drops unknown fields).
      await store.put('huge/run.json', { bytes: JSON.stringify({ ...manifest, padding: 'x'.repeat(16 * 1024 * 1024) }) });
      const s = await serve({ runStore: store });
      assert.deepEqual(
        (await call(s, '/api/runs')).json<{ runs: RunSummary[] }>().runs.map((r) => r.id),
        ['evil'],
      );
      assert.equal((await call(s, '/api/runs/huge')).statusCode, 404);
    });

    // Timeouts: without the deadlines these would wait on the store's sockets (minutes).
    test('a store that is down: 502 with one line naming the store, at once', { timeout: 15_000 }, async () => {
      const origin = `http://127.0.0.1:${await deadPort()}`;
      const s = await serve({ runStore: storeAt(ctx, prefix, endpointAt(ctx, origin)) });
      const started = Date.now();
      const res = await call(s, '/api/runs');
      assert.equal(res.statusCode, 502, res.body);
      assert.match(errorOf(res), new RegExp(`^the run store ${storeUrl.replace(/[/.]/g, '\\$&')} could not be read: .*(refused|ECONNREFUSED)`));
      assert.doesNotMatch(errorOf(res), /\n/);
      assert.ok(Date.now() - started < 8000, `took ${Date.now() - started} ms`);
      assert.equal((await call(s, `/api/runs/${plainId}`)).statusCode, 502);
    });

    test('a store that never answers: 503 with Retry-After once the read deadline has passed, not a hang', { timeout: 15_000 }, async () => {
      const silent = await silentServer();
      try {
        const s = await serve({ runStore: storeAt(ctx, prefix, { ...endpointAt(ctx, silent.origin), maxAttempts: 1 }), readDeadlineMs: 300 });
        const started = Date.now();
        const res = await call(s, '/api/runs');
        assert.equal(res.statusCode, 503, res.body);
        assert.equal(res.headers['retry-after'], '5');
        assert.match(errorOf(res), /did not answer within 0\.9 s \(listing runs\); try again later$/);
        assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
      } finally {
        await silent.close();
      }
    });

    test('an artifact read that stalls in the store: 503 within the read deadline; the list and other files still answer', { timeout: 15_000 }, async () => {
      const target = new URL(ctx.proxy()!.url).origin;
      const proxy = await stallingProxy(target, 'x_test_data');
      try {
        const s = await serve({ runStore: storeAt(ctx, prefix, { ...endpointAt(ctx, proxy.origin), maxAttempts: 1 }), readDeadlineMs: 1000 });
        assert.equal((await call(s, '/api/runs')).statusCode, 200);
        const started = Date.now();
        const res = await call(s, at(plainId, X_TEST, '/preview?limit=5'));
        assert.equal(res.statusCode, 503, res.body);
        assert.match(errorOf(res), /did not answer within 1 s \(reading 'create-train-test-set\/x_test_data\.csv' of run/);
        assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
        assert.ok(proxy.stalled() > 0);
        assert.equal((await call(s, at(plainId, PREDICTIONS, '/preview?limit=5'))).statusCode, 200);
      } finally {
        await proxy.close();
      }
    });

    test('sealed ui --runs <store URL> serves those runs; bad store options fail before anything is written', async () => {
      const { text, options } = ctx.url(prefix);
      const endpoint = options.s3Endpoint ? ['--s3-endpoint', options.s3Endpoint] : [];
      const cwd = join(work, `ui-${ctx.kind}`);
      const password = 'store dashboard password 42';
      const stderr = new Capture();
      const cancel = new AbortController();
      const argv = ['ui', '--port', '0', '--insecure-http', '--state-dir', 'state', '--runs', text, ...endpoint];
      const running = main(argv, { catalog: toyCatalog, cwd, env: { ...ctx.env(), SEALED_UI_PASSWORD: password }, stdout: new Capture(), stderr, signal: cancel.signal });
      try {
        let url: string | undefined;
        for (let i = 0; i < 400 && !url && !/^sealed: /m.test(stderr.text); i++) {
          url = /dashboard listening on (\S+)/.exec(stderr.text)?.[1];
          if (!url) await new Promise((r) => setTimeout(r, 25));
        }
        assert.ok(url, stderr.text);
        assert.match(stderr.text, new RegExp(`browsing the runs in ${text.replace(/[/.]/g, '\\$&')} \\(read-only`));
        const login = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
        assert.equal(login.status, 200);
        const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
        const listed = await fetch(`${url}/api/runs`, { headers: { cookie } });
        const body = await listed.text();
        answers.push({ url: 'sealed ui /api/runs', text: body });
        assert.equal(listed.status, 200, body);
        assert.deepEqual((JSON.parse(body) as { runs: RunSummary[] }).runs.map((r) => r.id).sort(), [plainId, sealedId].sort());
        assert.equal(existsSync(join(cwd, 'runs')), false, 'no local runs folder is made');
      } finally {
        cancel.abort();
        assert.equal(await running, 0);
      }

      const bad = async (args: string[], env: NodeJS.ProcessEnv, expected: RegExp): Promise<void> => {
        const dir = join(work, `ui-bad-${ctx.kind}-${answers.length}`);
        const r = await runCli(['ui', '--port', '0', '--state-dir', 'state', ...args], { catalog: toyCatalog, cwd: dir, env });
        assert.notEqual(r.code, 0, r.stderr);
        assert.match(r.stderr, expected);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        assert.equal(existsSync(join(dir, 'state')), false, 'nothing written');
        answers.push({ url: `sealed ${args.join(' ')}`, text: r.stderr + r.stdout });
      };
      const other = ctx.kind === 's3' ? `az://${text.slice('s3://'.length)}` : `s3://${text.slice('az://'.length)}`;
      await bad(['--runs', text, ...endpoint], {}, ctx.kind === 's3' ? /AWS_ACCESS_KEY_ID is not set/ : /AZURE_STORAGE_CONNECTION_STRING .* is not set/);
      await bad(['--runs', ctx.kind === 's3' ? other : text, '--s3-endpoint', 'http://127.0.0.1:9'], ctx.env(), /--s3-endpoint is for --runs s3:\/\//);
      await bad(['--runs', `s3://AKIAEXAMPLE:${S3_SECRET}@bucket/runs`], ctx.env(), /must not carry credentials/);
    });

    after(() => {
      // No answer of this suite carries a credential of the store.
      const secrets = ctx.kind === 's3' ? [S3_SECRET] : [AZURITE_KEY, String(ctx.env().AZURE_STORAGE_CONNECTION_STRING)];
      for (const a of answers) for (const secret of secrets) assert.ok(!a.text.includes(secret), `${a.url} holds a credential`);
      assert.ok(answers.length > 40);
      for (const s of [noKeys, withKeys]) assert.deepEqual(s.errors, []);
    });
  },
  ['s3', 'azure'],
);
