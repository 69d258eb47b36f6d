// The metrics view of a real (small) loan-default run made in-process with `sealed run`: AUC
// and accuracy, the ROC points of plot-roc-curve, scikit-learn's report from report.csv, and
// confusion buckets that reproduce the confusion matrix of prediction_data.csv at a threshold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunDetail, RunMetrics, RunSummary } from '../../src/dashboard/api/contract.ts';
import { sealed, writeRawCsv } from '../pipelines/loan-default/helpers.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { get, loggedIn, testServer, toyRun } from './helpers.ts';

// One run for the whole file (about 2 s): 400 applicants, the pipeline's defaults otherwise.
const server = await testServer();
const client = await loggedIn(server.app);
const cwd = tempDir();
const runDir = join(server.runsDir, 'small');
const made = await sealed(['run', '--data-url', writeRawCsv(cwd, 'applicants.csv', 400, 3), '--run-dir', runDir, '--threads', '1'], cwd);
assert.equal(made.code, 0, made.stderr);

const predictions = (): { label: number; p: number }[] =>
  readFileSync(join(runDir, 'batch-inference', 'prediction_data.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [label, p] = line.split(',').map(Number);
      return { label, p };
    });

test('metrics: AUC, accuracy and ROC points as the run recorded them', async () => {
  const res = await get(server.app, client, '/api/runs/small/metrics');
  assert.equal(res.statusCode, 200, res.body);
  const metrics = res.json<RunMetrics>();
  const manifest = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
  const recorded = manifest.tasks['batch-inference'].outputs.metrics.metadata;
  assert.equal(metrics.auc, recorded.AUC);
  assert.equal(metrics.accuracy, recorded.Accuracy);
  const curve = JSON.parse(readFileSync(join(runDir, 'plot-roc-curve', 'roc_curve.json'), 'utf8')).confidenceMetrics;
  assert.equal(metrics.roc.length, curve.length);
  assert.deepEqual(metrics.roc[1], { threshold: curve[1].confidenceThreshold, fpr: curve[1].falsePositiveRate, tpr: curve[1].recall });
  assert.deepEqual(metrics.roc.at(-1), { threshold: curve.at(-1).confidenceThreshold, fpr: 1, tpr: 1 });

  const summary = (await get(server.app, client, '/api/runs')).json<{ runs: RunSummary[] }>().runs[0];
  assert.equal(summary.auc, recorded.AUC);
  assert.equal(summary.accuracy, recorded.Accuracy);
  assert.equal(summary.dataSize, 0);
});

test('metrics: the classification report rows of report.csv', async () => {
  const metrics = (await get(server.app, client, '/api/runs/small/metrics')).json<RunMetrics>();
  const lines = readFileSync(join(runDir, 'batch-inference', 'report.csv'), 'utf8').trim().split('\n');
  assert.equal(lines[0], ',precision,recall,f1-score,support');
  assert.deepEqual(
    metrics.report,
    lines.slice(1).map((line) => {
      const [label, precision, recall, f1, support] = line.split(',');
      return { label, precision: Number(precision), recall: Number(recall), f1: Number(f1), support: Number(support) };
    }),
  );
  assert.deepEqual(
    metrics.report.map((r) => r.label),
    ['Non-Default', 'Default', 'accuracy', 'macro avg', 'weighted avg'],
  );
});

test('metrics: confusion buckets give the confusion matrix of prediction_data at any threshold', async () => {
  const { confusion } = (await get(server.app, client, '/api/runs/small/metrics')).json<RunMetrics>();
  assert.ok(confusion, 'a plain run has its confusion buckets');
  assert.equal(confusion.buckets, 1000);
  assert.equal(confusion.positives.length, 1000);
  const rows = predictions();
  assert.equal(confusion.positives.reduce((a, b) => a + b, 0), rows.filter((r) => r.label === 1).length);
  assert.equal(confusion.negatives.reduce((a, b) => a + b, 0), rows.filter((r) => r.label === 0).length);
  for (const threshold of [0.1, 0.5, 0.77]) {
    const from = Math.round(threshold * 1000);
    const sum = (a: number[]): number => a.slice(from).reduce((x, y) => x + y, 0);
    assert.equal(sum(confusion.positives), rows.filter((r) => r.label === 1 && r.p >= threshold).length, `TP at ${threshold}`);
    assert.equal(sum(confusion.negatives), rows.filter((r) => r.label === 0 && r.p >= threshold).length, `FP at ${threshold}`);
  }
});

test('run detail of a loan-default run: seven tasks in order, large metadata left to the metrics route', async () => {
  const detail = (await get(server.app, client, '/api/runs/small')).json<RunDetail>();
  assert.deepEqual(
    detail.tasks.map((t) => t.name),
    ['load-data', 'create-train-test-set', 'preprocess-features', 'train-model', 'compile-model', 'batch-inference', 'plot-roc-curve'],
  );
  const roc = detail.tasks[6].outputs;
  assert.deepEqual(
    roc.map((o) => [o.name, o.type, o.view]),
    [
      ['roc_curve', 'system.ClassificationMetrics', 'json'],
      ['roc_plot', 'system.HTML', 'html'],
    ],
  );
  // Metadata kept in a side file (the ROC points of a large run) is not repeated in the detail.
  const recorded = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).tasks['plot-roc-curve'].outputs.roc_curve;
  assert.equal(roc[0].metadata === undefined, recorded.metadataPath !== undefined);
  assert.ok(detail.edges.some((e) => e.from === 'batch-inference' && e.to === 'plot-roc-curve' && e.label === 'prediction_data -> prediction_data'));
  assert.ok(detail.edges.some((e) => e.from === 'train-model' && e.to === 'batch-inference' && e.label === 'model -> model'));
  assert.ok(detail.tasks.every((t) => t.hasLog));
});

test('no metrics (404) for runs that have not produced them; a broken report is 422 naming the file', async () => {
  await toyRun(server.runsDir, 'toy');
  const toy = await get(server.app, client, '/api/runs/toy/metrics');
  assert.equal(toy.statusCode, 404);
  assert.deepEqual(toy.json(), { error: "run 'toy' has no metrics yet: batch-inference and plot-roc-curve must succeed first" });

  const manifestPath = join(runDir, 'run.json');
  const original = readFileSync(manifestPath, 'utf8');
  const reportPath = join(runDir, 'batch-inference', 'report.csv');
  const report = readFileSync(reportPath, 'utf8');
  try {
    const running = JSON.parse(original);
    running.tasks['plot-roc-curve'].state = 'running';
    writeFileSync(manifestPath, JSON.stringify(running));
    assert.equal((await get(server.app, client, '/api/runs/small/metrics')).statusCode, 404);
    writeFileSync(manifestPath, original);
    writeFileSync(reportPath, report.replace('0.88,', 'n/a,'));
    const broken = await get(server.app, client, '/api/runs/small/metrics');
    assert.equal(broken.statusCode, 422);
    assert.deepEqual(broken.json(), { error: "file 'batch-inference/report.csv' of run 'small': row 4: precision 'n/a' is not a number" });
  } finally {
    writeFileSync(manifestPath, original);
    writeFileSync(reportPath, report);
  }
});
