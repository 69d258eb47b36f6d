import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pipelineEntry, type RunOptions } from '../../src/cli/pipelineCatalog.ts';
import { toyComponents, toyPipeline } from '../pipeline/fixtures/toyComponents.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { runCli } from './helpers.ts';

test('sealed run runs the catalog pipeline, prints results and the summary metrics', async () => {
  const cwd = tempDir();
  const r = await runCli(['run', '--json'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  const [runId] = readdirSync(join(cwd, 'runs'));
  assert.match(runId, /^\d{8}-\d{6}-[0-9a-f]{6}$/);
  const last = JSON.parse(r.stdout.trimEnd().split('\n').at(-1)!);
  assert.deepEqual(last, { runDir: join(cwd, 'runs', runId), state: 'succeeded', metrics: { score: 3 / 33, count: 2 } });
  assert.match(r.stdout, new RegExp(`^results: runs/${runId}\nmetrics:\n  score  0.0909\n  count  2\n`));
  const manifest = JSON.parse(readFileSync(join(cwd, 'runs', runId, 'run.json'), 'utf8'));
  assert.equal(manifest.state, 'succeeded');
  // Not a TTY: plain progress lines on stderr, nothing else.
  assert.match(r.stderr, /^run \S+ of toy-pipeline: 4 tasks, results in /);
  assert.match(r.stderr, /\[fit-model\] succeeded in \d+ms\n/);
  assert.match(r.stderr, /run succeeded in /);
});

test('sealed run maps options through the catalog, checks ranges and enums, defaults --threads to the cores', async () => {
  const cwd = tempDir();
  const seen: RunOptions[] = [];
  const catalog = async () =>
    pipelineEntry(toyPipeline, toyComponents, (o) => {
      seen.push(o);
      return { ...(o.split !== undefined ? { mode: o.split } : {}), ...(o.dataSize !== undefined ? { count: o.dataSize } : {}) };
    });
  const ok = await runCli(['run', '--run-dir', 'r', '--split', 'mean', '--data-size', '12', '--seed', '4'], { cwd, catalog });
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(seen[0], { threads: 3, split: 'mean', dataSize: 12, seed: 4 });
  assert.deepEqual(JSON.parse(readFileSync(join(cwd, 'r', 'run.json'), 'utf8')).parameters, { count: 12, mode: 'mean', fail_fit: false });

  const bad = await runCli(['run', '--split', 'median'], { cwd, catalog });
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, "sealed: parameter 'mode' of pipeline 'toy-pipeline' must be one of sum, mean, got 'median'\n");
  const zero = await runCli(['run', '--data-size', '0'], { cwd, catalog });
  assert.equal(zero.stderr, "sealed: parameter 'count' of pipeline 'toy-pipeline' must be >= 1, got 0\n");
  assert.equal(existsSync(join(cwd, 'runs')), false, 'no run started for invalid parameters');
  const threads = await runCli(['run', '--run-dir', 't', '--threads', '1'], { cwd, catalog });
  assert.equal(threads.code, 0);
  assert.equal(seen.at(-1)!.threads, 1);
});

test('sealed run validates numeric options and rejects unknown ones with exit code 2', async () => {
  const cases: [string[], string][] = [
    [['run', '--seed', '-1'], "sealed: option --seed must be an integer from 0 to 4294967295, got '-1'\n"],
    [['run', '--seed', '1.5'], "sealed: option --seed must be an integer from 0 to 4294967295, got '1.5'\n"],
    [['run', '--data-size', '1e3'], "sealed: option --data-size must be a non-negative integer, got '1e3'\n"],
    [['run', '--data-size', ''], "sealed: option --data-size must be a non-negative integer, got ''\n"],
    [['run', '--threads', '0'], "sealed: option --threads must be an integer from 1 to 1024, got '0'\n"],
    [['run', '--threads'], "sealed: option '--threads <n>' argument missing\n"],
    [['run', '--bogus'], "sealed: unknown option '--bogus'\n"],
    [['walk'], "sealed: unknown command 'walk'\n"],
    // The toy pipeline has no data_url parameter and the generic mapping says so.
    [['run', '--data-url', 'x.csv'], "sealed: option --data-url is not supported by pipeline 'toy-pipeline' (it has no parameter for it)\n"],
  ];
  for (const [argv, stderr] of cases) {
    const r = await runCli(argv, { cwd: tempDir() });
    assert.deepEqual([r.code, r.stderr], [2, stderr], argv.join(' '));
  }
});

test('a failed run exits 1 with one error line, and --json still ends stdout with the state', async () => {
  const cwd = tempDir();
  const catalog = async () => pipelineEntry(toyPipeline, toyComponents, () => ({ fail_fit: true }));
  const r = await runCli(['run', '--run-dir', 'f', '--json'], { cwd, catalog });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trimEnd().split('\n').at(-1), "sealed: run failed (f): task 'fit-model' failed: fit-model was asked to fail");
  assert.deepEqual(JSON.parse(r.stdout.trimEnd().split('\n').at(-1)!), { runDir: join(cwd, 'f'), state: 'failed', metrics: {} });
  assert.doesNotMatch(r.stdout, /results:/);
});

test('a used run directory is a usage error', async () => {
  const cwd = tempDir();
  assert.equal((await runCli(['run', '--run-dir', 'x'], { cwd })).code, 0);
  const again = await runCli(['run', '--run-dir', 'x'], { cwd });
  assert.equal(again.code, 2);
  assert.match(again.stderr, /^sealed: run directory already holds a run \(.*x\/run.json\)/);
});
