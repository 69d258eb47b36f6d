// Starting runs from the dashboard: 202 with the id as soon as run.json exists, the run then
// finishing in a child process; one run at a time, the next ones queued; parameters checked by
// the pipeline's own validation and the API limits, every bad request refused before a run
// folder appears. (Attacks on the run limits: test/security/dashboard.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { RunDetail, RunSummary } from '../../src/dashboard/api/contract.ts';
import { CHILD_CATALOGS, gatedCatalog } from './childCatalogs.ts';
import { get, loggedIn, post, testServer, type Client } from './helpers.ts';

/** Polls the run until it has ended. */
async function finished(app: FastifyInstance, client: Client, id: string): Promise<RunDetail> {
  for (let i = 0; i < 400; i++) {
    const detail = (await get(app, client, `/api/runs/${id}`)).json<RunDetail>();
    if (detail.summary.state !== 'running') return detail;
    await sleep(10);
  }
  throw new Error(`run ${id} did not finish`);
}

/** The run's first task once it has started (202 answers as soon as run.json exists, maybe before). */
async function started(app: FastifyInstance, client: Client, id: string): Promise<RunDetail['tasks'][number]> {
  for (let i = 0; i < 400; i++) {
    const task = (await get(app, client, `/api/runs/${id}`)).json<RunDetail>().tasks[0];
    if (task.state !== 'pending') return task;
    await sleep(10);
  }
  throw new Error(`run ${id} did not start`);
}

/** A server whose runs use the gated pipeline of childCatalogs.ts (one task that waits for a file). */
async function gatedServer(runLimits = {}): Promise<Awaited<ReturnType<typeof testServer>> & { gate: string }> {
  const server = await testServer({ pipeline: await gatedCatalog(), childCatalog: { module: CHILD_CATALOGS, export: 'gatedCatalog' }, runLimits });
  return { ...server, gate: join(server.stateDir, 'gate') };
}

test('POST /api/runs answers 202 {id} once run.json exists; the run shows up in the list and finishes', async () => {
  const { app, runsDir, errors } = await testServer();
  const client = await loggedIn(app);
  const res = await post(app, client, '/api/runs', { parameters: { count: 5, mode: 'mean' } });
  assert.equal(res.statusCode, 202, res.body);
  const { id } = res.json<{ id: string }>();
  assert.match(id, /^\d{8}-\d{6}-[0-9a-f]{6}$/);
  assert.ok(existsSync(join(runsDir, id, 'run.json')), 'run.json is there when the answer comes');
  const { runs } = (await get(app, client, '/api/runs')).json<{ runs: RunSummary[] }>();
  assert.deepEqual(
    runs.map((r) => r.id),
    [id],
  );
  assert.deepEqual(runs[0].parameters, { count: 5, mode: 'mean', fail_fit: false });
  const detail = await finished(app, client, id);
  assert.equal(detail.summary.state, 'succeeded');
  assert.ok(detail.tasks.every((t) => t.state === 'succeeded'));
  const failing = await post(app, client, '/api/runs', { parameters: { fail_fit: true } });
  assert.equal(failing.statusCode, 202, 'a run that will fail still starts');
  assert.equal((await finished(app, client, failing.json().id)).summary.state, 'failed');
  const third = await post(app, client, '/api/runs', {});
  assert.equal(third.statusCode, 202, 'accepted as soon as run.json shows the last run ended; parameters may be left out');
  // Runs go one at a time: once the third has finished, the failed run's process has exited and
  // its exit been judged (checking right after run.json said "failed" raced the child's exit).
  assert.equal((await finished(app, client, third.json().id)).summary.state, 'succeeded');
  assert.deepEqual(errors, [], 'a failed task is the run\'s result, not a server error');
});

test('runs from the dashboard run in a child process one at a time; the next waits in the queue, shown as running with pending tasks', async () => {
  const { app, runsDir, gate } = await gatedServer();
  const client = await loggedIn(app);
  const first = await post(app, client, '/api/runs', { parameters: { gate } });
  assert.equal(first.statusCode, 202);
  const { id } = first.json<{ id: string }>();
  const second = await post(app, client, '/api/runs', { parameters: { gate } });
  assert.equal(second.statusCode, 202, 'queued behind the first');
  const queuedId = second.json<{ id: string }>().id;
  const queued = (await get(app, client, `/api/runs/${queuedId}`)).json<RunDetail>();
  assert.equal(queued.summary.state, 'running');
  assert.deepEqual(
    queued.tasks.map((t) => [t.name, t.state]),
    [['wait-for-gate', 'pending']],
  );
  const listed = (await get(app, client, '/api/runs')).json<{ runs: RunSummary[] }>().runs.map((r) => r.id);
  assert.deepEqual(listed, [queuedId, id]);
  assert.equal((await started(app, client, id)).state, 'running');
  // The task logs as its first steps; the lines reach log.txt a moment after the task starts.
  let log = '';
  for (let i = 0; i < 400 && !log.includes('waiting'); i++, await sleep(10)) log = (await get(app, client, `/api/runs/${id}/tasks/wait-for-gate/log`)).body;
  assert.match(log, /^pid (\d+) heap-limit-mib \d+\npolicy .*\nwaiting\n$/, 'the log of a running task is readable');
  assert.notEqual(Number(/^pid (\d+)/.exec(log)?.[1]), process.pid, 'the run executes in another process');
  await writeFile(gate, '');
  assert.equal((await finished(app, client, id)).summary.state, 'succeeded');
  assert.equal((await finished(app, client, queuedId)).summary.state, 'succeeded', 'the queued run started once the first had ended');
  assert.equal(readdirSync(runsDir).length, 2);
});

test('closing the server cancels the run it started, which records its end', async () => {
  const { app, runsDir, gate } = await gatedServer();
  const client = await loggedIn(app);
  const { id } = (await post(app, client, '/api/runs', { parameters: { gate } })).json<{ id: string }>();
  await started(app, client, id);
  await app.close();
  const manifest = JSON.parse(readFileSync(join(runsDir, id, 'run.json'), 'utf8'));
  assert.equal(manifest.state, 'failed');
  assert.equal(manifest.error, "task 'wait-for-gate' failed: run cancelled");
});

test('bad start requests are refused before any run folder is made', async () => {
  const { app, runsDir } = await testServer();
  const client = await loggedIn(app);
  const cases: [unknown, number, RegExp | string][] = [
    [{ parameters: { nope: 1 } }, 400, "pipeline 'toy-pipeline' has no parameter 'nope' (known: count, mode, fail_fit)"],
    [{ parameters: { count: '5' } }, 400, "parameter 'count' of pipeline 'toy-pipeline' must be an integer, got '5'"],
    [{ parameters: { count: 2.5 } }, 400, /parameter 'count' of pipeline 'toy-pipeline' must be an integer/],
    [{ parameters: { count: 0 } }, 400, "parameter 'count' of pipeline 'toy-pipeline' must be >= 1, got 0"],
    [{ parameters: { mode: 'median' } }, 400, /parameter 'mode' of pipeline 'toy-pipeline' must be one of sum, mean/],
    [{ parameters: { fail_fit: 'yes' } }, 400, /parameter 'fail_fit' of pipeline 'toy-pipeline' must be/],
    [{ parameters: { mode: 'x'.repeat(2049) } }, 400, "parameter 'mode' is longer than 2048 characters"],
    [{ parameters: { count: null } }, 400, /^request body field 'parameters.count': /],
    [{ parameters: [1, 2] }, 400, /^request body field 'parameters': /],
    [{ parameters: {}, runDir: '/etc' }, 400, /^request body/],
    [{ parameters: { mode: 'x'.repeat(70_000) } }, 413, 'request body is larger than 65536 bytes'],
  ];
  for (const [body, status, error] of cases) {
    const res = await post(app, client, '/api/runs', body);
    assert.equal(res.statusCode, status, JSON.stringify(body).slice(0, 80));
    if (typeof error === 'string') assert.equal(res.json().error, error);
    else assert.match(res.json().error, error);
  }
  for (const raw of ['{"parameters": ', '{"parameters": {"__proto__": {"count": 1}}}', '{"parameters": {"constructor": {"prototype": {"x": 1}}}}']) {
    const res = await app.inject({ method: 'POST', url: '/api/runs', payload: raw, headers: { cookie: client.cookie, 'x-csrf-token': client.csrf, 'content-type': 'application/json' } });
    assert.equal(res.statusCode, 400, raw);
  }
  assert.equal((await post(app, client, '/api/runs', { parameters: {} }, null)).statusCode, 403, 'no CSRF token');
  assert.equal((await post(app, undefined, '/api/runs', { parameters: {} }, client.csrf)).statusCode, 401, 'no session');
  assert.ok(!existsSync(runsDir) || readdirSync(runsDir).length === 0, 'no run folder was made');
});
