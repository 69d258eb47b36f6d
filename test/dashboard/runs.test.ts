// Reading runs through the API: the list (from every valid run.json, newest first, kept fresh
// as run.json changes), run detail (pipeline order, edges from pipeline.json, artifacts and
// their views), task logs, downloads and the JSON view, with toy-pipeline runs and hand-written
// run.json files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunDetail, RunSummary } from '../../src/dashboard/api/contract.ts';
import { get, loggedIn, testServer, toyRun } from './helpers.ts';

/** A loan-default-like run.json by hand: enough for the summary fields. */
function handRun(runsDir: string, id: string, fields: { createdAt: string; state?: string; auc?: number; dataSize?: number }): void {
  mkdirSync(join(runsDir, id), { recursive: true });
  const manifest = {
    id,
    pipeline: 'loan-default',
    parameters: { data_url: '', data_size: fields.dataSize ?? 0, seed: 0 },
    state: fields.state ?? 'succeeded',
    createdAt: fields.createdAt,
    finishedAt: new Date(Date.parse(fields.createdAt) + 5300).toISOString(),
    tasks: {
      'batch-inference': {
        state: 'succeeded',
        component: 'batch-inference',
        outputs: { metrics: { path: 'batch-inference/metrics.json', sha256: 'ab', size: 43, type: 'system.Metrics', metadata: { AUC: fields.auc ?? 0.9, Accuracy: 87.5 } } },
      },
    },
  };
  writeFileSync(join(runsDir, id, 'run.json'), JSON.stringify(manifest));
}

test('the run list: every folder with a valid run.json, newest first, with state, times, data size, AUC and accuracy', async () => {
  const { app, runsDir } = await testServer();
  const client = await loggedIn(app);
  assert.deepEqual((await get(app, client, '/api/runs')).json(), { runs: [] }, 'no runs folder yet: an empty list');
  handRun(runsDir, 'older', { createdAt: '2026-11-01T10:00:00.000Z', auc: 0.91, dataSize: 250000 });
  handRun(runsDir, 'newer', { createdAt: '2026-11-02T10:00:00.000Z', auc: 0.93 });
  await toyRun(runsDir, 'toy', { count: 6 }, () => new Date('2026-10-01T00:00:00Z'));
  mkdirSync(join(runsDir, 'empty-folder'));
  mkdirSync(join(runsDir, 'broken'));
  writeFileSync(join(runsDir, 'broken', 'run.json'), '{"id": "broken", "state": "runn');
  mkdirSync(join(runsDir, 'not-a-manifest'));
  writeFileSync(join(runsDir, 'not-a-manifest', 'run.json'), '{"hello": "world"}');
  writeFileSync(join(runsDir, 'stray-file.txt'), 'not a run');

  const { runs } = (await get(app, client, '/api/runs')).json<{ runs: RunSummary[] }>();
  assert.deepEqual(
    runs.map((r) => r.id),
    ['newer', 'older', 'toy'],
  );
  assert.deepEqual(runs[1], {
    id: 'older',
    pipeline: 'loan-default',
    state: 'succeeded',
    createdAt: '2026-11-01T10:00:00.000Z',
    finishedAt: '2026-11-01T10:00:05.300Z',
    durationMs: 5300,
    dataSize: 250000,
    auc: 0.91,
    accuracy: 87.5,
    parameters: { data_url: '', data_size: 250000, seed: 0 },
    sealed: false,
  });
  assert.equal(runs[2].pipeline, 'toy-pipeline');
  assert.deepEqual(runs[2].parameters, { count: 6, mode: 'sum', fail_fit: false });
  assert.equal(runs[2].auc, undefined);
});

test('the list follows run.json as it is rewritten, and lists 200 runs', async () => {
  const { app, runsDir } = await testServer();
  const client = await loggedIn(app);
  for (let i = 0; i < 200; i++) handRun(runsDir, `run-${String(i).padStart(3, '0')}`, { createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), state: 'running' });
  const first = (await get(app, client, '/api/runs')).json<{ runs: RunSummary[] }>().runs;
  assert.equal(first.length, 200);
  assert.equal(first[0].id, 'run-199');
  assert.equal(first[199].id, 'run-000');
  // As the runner does: a new file renamed over the old one.
  const path = join(runsDir, 'run-007', 'run.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8'));
  writeFileSync(path + '.tmp', JSON.stringify({ ...manifest, state: 'failed', error: 'boom' }));
  renameSync(path + '.tmp', path);
  const again = (await get(app, client, '/api/runs')).json<{ runs: RunSummary[] }>().runs;
  assert.equal(again.find((r) => r.id === 'run-007')?.state, 'failed');
  assert.equal(again.filter((r) => r.state === 'running').length, 199);
});

test('run detail: tasks in pipeline order, edges from pipeline.json, outputs with their views, logs', async () => {
  const { app, runsDir } = await testServer();
  const client = await loggedIn(app);
  await toyRun(runsDir, 'toy', { count: 8 });
  const res = await get(app, client, '/api/runs/toy');
  assert.equal(res.statusCode, 200);
  const detail = res.json<RunDetail>();
  assert.equal(detail.summary.id, 'toy');
  assert.equal(detail.summary.state, 'succeeded');
  assert.deepEqual(
    detail.tasks.map((t) => [t.name, t.component, t.state, t.hasLog]),
    [
      ['make-numbers', 'make-numbers', 'succeeded', true],
      ['split-numbers', 'split-numbers', 'succeeded', false],
      ['fit-model', 'fit-model', 'succeeded', false],
      ['evaluate', 'evaluate', 'succeeded', false],
    ],
  );
  assert.deepEqual(detail.edges, [
    { from: 'make-numbers', to: 'split-numbers', label: 'numbers -> data' },
    { from: 'split-numbers', to: 'fit-model', label: 'train -> train' },
    { from: 'fit-model', to: 'evaluate', label: 'model -> model' },
    { from: 'split-numbers', to: 'evaluate', label: 'test -> test' },
  ]);
  const make = detail.tasks[0];
  assert.deepEqual(make.parameters, { count: 8, start: 1 });
  assert.equal(typeof make.durationMs, 'number');
  const numbers = make.outputs[0];
  assert.equal(numbers.name, 'numbers');
  assert.equal(numbers.type, 'system.Dataset');
  assert.equal(numbers.view, 'csv');
  assert.equal(numbers.size, readFileSync(join(runsDir, 'toy', 'make-numbers', 'numbers.csv')).length);
  assert.match(numbers.sha256, /^[0-9a-f]{64}$/);
  const views = Object.fromEntries(detail.tasks.flatMap((t) => t.outputs.map((o) => [`${t.name}/${o.name}`, o.view])));
  assert.deepEqual(views, {
    'make-numbers/numbers': 'csv',
    'split-numbers/train': 'csv',
    'split-numbers/test': 'csv',
    'fit-model/model': 'json',
    'evaluate/metrics': 'other',
    'evaluate/report': 'other',
  });
  assert.deepEqual(detail.tasks[3].outputs.find((o) => o.name === 'metrics')?.metadata, { score: 3 / 33, count: 2 });
});

test('a failed run shows its error, the failed task and the skipped ones', async () => {
  const { app, runsDir } = await testServer();
  const client = await loggedIn(app);
  await toyRun(runsDir, 'failing', { fail_fit: true });
  const detail = (await get(app, client, '/api/runs/failing')).json<RunDetail>();
  assert.equal(detail.summary.state, 'failed');
  assert.match(detail.error ?? '', /task 'fit-model' failed: fit-model was asked to fail/);
  assert.deepEqual(
    detail.tasks.map((t) => t.state),
    ['succeeded', 'succeeded', 'failed', 'skipped'],
  );
  assert.equal(detail.tasks[2].error, 'fit-model was asked to fail');
  assert.equal(detail.tasks[2].hasLog, true, 'the stack went to the log');
  const log = await get(app, client, '/api/runs/failing/tasks/fit-model/log');
  assert.match(log.body, /^error: (Error: )?fit-model was asked to fail/);
});

test('task log: text/plain, empty when the task logged nothing, the last MiB of a long one', async () => {
  const { app, runsDir } = await testServer();
  const client = await loggedIn(app);
  await toyRun(runsDir, 'toy');
  const log = await get(app, client, '/api/runs/toy/tasks/make-numbers/log');
  assert.equal(log.statusCode, 200);
  assert.equal(log.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(log.body, 'made 8 numbers\n');
  const none = await get(app, client, '/api/runs/toy/tasks/split-numbers/log');
  assert.equal(none.statusCode, 200);
  assert.equal(none.body, '');

  const line = 'x'.repeat(99) + '\n';
  writeFileSync(join(runsDir, 'toy', 'make-numbers', 'log.txt'), 'first line\n' + line.repeat(15_000));
  const long = await get(app, client, '/api/runs/toy/tasks/make-numbers/log');
  const [marker, ...rest] = long.body.split('\n');
  assert.match(marker, /^\[\d+ earlier bytes not shown\]$/);
  assert.ok(Buffer.byteLength(long.body) <= 1024 * 1024 + marker.length + 1);
  assert.ok(rest.slice(0, -1).every((l) => l === 'x'.repeat(99)), 'whole lines only');
  assert.equal(Number(/\d+/.exec(marker)?.[0]) + Buffer.byteLength(rest.join('\n')), 11 + 15_000 * 100);
});

test('download: the file as an attachment with its type; JSON view of JSON outputs only', async () => {
  const { app, runsDir } = await testServer();
  const client = await loggedIn(app);
  await toyRun(runsDir, 'toy');
  const csv = await get(app, client, '/api/runs/toy/artifacts/make-numbers/numbers');
  assert.equal(csv.statusCode, 200);
  assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
  assert.equal(csv.headers['content-disposition'], 'attachment; filename="numbers.csv"');
  assert.equal(csv.headers['x-content-type-options'], 'nosniff');
  assert.equal(csv.body, readFileSync(join(runsDir, 'toy', 'make-numbers', 'numbers.csv'), 'utf8'));
  const other = await get(app, client, '/api/runs/toy/artifacts/evaluate/metrics');
  assert.equal(other.headers['content-type'], 'application/octet-stream');
  assert.equal(other.headers['content-disposition'], 'attachment; filename="metrics"');

  const json = await get(app, client, '/api/runs/toy/artifacts/fit-model/model/json');
  assert.equal(json.statusCode, 200);
  assert.equal(json.headers['content-type'], 'application/json; charset=utf-8');
  assert.deepEqual(json.json(), { weight: 33 });
  const notJson = await get(app, client, '/api/runs/toy/artifacts/make-numbers/numbers/json');
  assert.equal(notJson.statusCode, 400);
  assert.deepEqual(notJson.json(), { error: "output 'numbers' of task 'make-numbers' in run 'toy' is not a JSON file" });
  const notCsv = await get(app, client, '/api/runs/toy/artifacts/fit-model/model/preview');
  assert.equal(notCsv.statusCode, 400);

  writeFileSync(join(runsDir, 'toy', 'fit-model', 'model.json'), '{"weight": ');
  const broken = await get(app, client, '/api/runs/toy/artifacts/fit-model/model/json');
  assert.equal(broken.statusCode, 422);
  assert.match(broken.json().error, /^file 'fit-model\/model.json' of run 'toy': not JSON/);
});

test('the pipeline a new run takes: parameters with types, defaults, enums and ranges; its tasks', async () => {
  const { app } = await testServer();
  const client = await loggedIn(app);
  assert.deepEqual((await get(app, client, '/api/pipeline')).json(), {
    name: 'toy-pipeline',
    description: 'Numbers in, a score out',
    parameters: [
      { name: 'count', type: 'NUMBER_INTEGER', default: 8, min: 1 },
      { name: 'mode', type: 'STRING', default: 'sum', enum: ['sum', 'mean'] },
      { name: 'fail_fit', type: 'BOOLEAN', default: false },
    ],
    tasks: ['make-numbers', 'split-numbers', 'fit-model', 'evaluate'],
    sealed: false,
  });
});
