// watchRun against the fake KFP API, which moves a run one task per GET: the lines it reports,
// the final state, failures, retries of transient errors, and stopping on abort without
// terminating the run.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { bearerToken, KfpClient, readCompiledPipeline, submitPipeline, watchRun, type KfpRun } from '../../../src/pipeline/kfp/index.ts';
import { PipelineError, IoError } from '../../../src/core/errors.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { startFakeKfp, type FakeKfp } from './fakeKfpServer.ts';
import { writePipelineFile } from './toyPipelineYaml.ts';

const TOKEN = 'watch-token';
const compiled = await readCompiledPipeline(writePipelineFile(tempDir('sealed-kfp-watch-')), 'toy-kfp.yaml');
const open: { close(): Promise<void> }[] = [];
after(async () => {
  for (const o of open) await o.close();
});

async function started(prepare: (f: FakeKfp) => void = () => {}): Promise<{ f: FakeKfp; client: KfpClient; run: KfpRun }> {
  const f = await startFakeKfp({ token: TOKEN });
  const client = new KfpClient({ host: f.url, credentials: bearerToken(TOKEN, 'KFP_TOKEN') });
  open.push(f, client);
  prepare(f);
  const { run } = await submitPipeline(client, compiled, { pipelineName: 'toy-kfp', versionName: 'v1', experiment: 'Default', runName: 'r', parameters: {} });
  return { f, client, run };
}

/** Report lines with timestamps replaced by T. */
const withoutTimes = (lines: string[]): string[] => lines.map((l) => l.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/g, 'T'));

test('reports every task state change and the progress until the run succeeds', async () => {
  const { f, client, run } = await started();
  const lines: string[] = [];
  const result = await watchRun(client, run.run_id, { intervalMs: 5, expectedTasks: 3, report: (l) => lines.push(l) });
  assert.equal(result.stopped, false);
  assert.equal(result.run?.state, 'SUCCEEDED');
  const id = run.run_id;
  assert.deepEqual(withoutTimes(lines), [
    `run ${id}: PENDING, 0/3 tasks done`,
    'task make-data: RUNNING (started T)',
    `run ${id}: RUNNING, 0/3 tasks done`,
    'task make-data: SUCCEEDED (T → T)',
    'task train: RUNNING (started T)',
    `run ${id}: RUNNING, 1/3 tasks done`,
    'task train: SUCCEEDED (T → T)',
    'task evaluate: RUNNING (started T)',
    `run ${id}: RUNNING, 2/3 tasks done`,
    'task evaluate: SUCCEEDED (T → T)',
    `run ${id}: SUCCEEDED, 3/3 tasks done`,
  ]);
  assert.equal(f.calls('GET', `/runs/${id}`).length, 5);
});

test('a failed run ends the watch with its state and the failing task error', async () => {
  const { client, run } = await started((f) => f.failNextRun('train', 'OOMKilled: container used 9Gi'));
  const lines: string[] = [];
  const result = await watchRun(client, run.run_id, { intervalMs: 5, expectedTasks: 3, report: (l) => lines.push(l) });
  assert.equal(result.run?.state, 'FAILED');
  assert.equal(result.run?.error?.message, 'OOMKilled: container used 9Gi');
  // Argo-reported tasks carry no error of their own (api_converter.go@HEAD toModelTask, util.NodeStatus); the run has it.
  assert.ok(withoutTimes(lines).includes('task train: FAILED (T → T)'), lines.join('\n'));
  assert.equal(lines.at(-1), `run ${run.run_id}: FAILED, 2/3 tasks done`);
});

test('aborting stops watching but leaves the run alone', async () => {
  const { f, client, run } = await started();
  const stop = new AbortController();
  const lines: string[] = [];
  const result = await watchRun(client, run.run_id, {
    intervalMs: 10_000,
    signal: stop.signal,
    report: (l) => {
      lines.push(l);
      stop.abort();
    },
  });
  assert.deepEqual(result, { run: result.run, stopped: true });
  assert.equal(result.run?.state, 'PENDING');
  assert.equal(f.requests.filter((r) => r.path.endsWith(':terminate')).length, 0);
});

test('transient failures are retried; refused credentials and missing runs are not', async () => {
  const { f, client, run } = await started();
  f.inject({ method: 'GET', path: /^\/runs\//, status: 503, body: 'upstream connect error' });
  f.inject({ method: 'GET', path: /^\/runs\//, status: 502, body: 'bad gateway' });
  const lines: string[] = [];
  const result = await watchRun(client, run.run_id, { intervalMs: 5, report: (l) => lines.push(l) });
  assert.equal(result.run?.state, 'SUCCEEDED');
  assert.deepEqual(lines.slice(0, 2), [
    `reading run ${run.run_id} failed (KFP at ${f.url}: reading run ${run.run_id} failed with HTTP 503: upstream connect error); retrying`,
    `reading run ${run.run_id} failed (KFP at ${f.url}: reading run ${run.run_id} failed with HTTP 502: bad gateway); retrying`,
  ]);

  for (let i = 0; i < 3; i++) f.inject({ method: 'GET', path: /^\/runs\//, status: 503, body: 'down' });
  await assert.rejects(watchRun(client, run.run_id, { intervalMs: 5, maxConsecutiveFailures: 2 }), (e: unknown) => e instanceof IoError && /HTTP 503: down$/.test(e.message));
  f.inject({ method: 'GET', path: /^\/runs\//, status: 401, body: '{"error":"no user identity header"}' });
  await assert.rejects(watchRun(client, run.run_id, { intervalMs: 5 }), (e: unknown) => e instanceof IoError && e.code === 'kfp.authRefused');
  await assert.rejects(watchRun(client, 'missing', { intervalMs: 5 }), (e: unknown) => e instanceof PipelineError && e.message === 'no run missing');
});
