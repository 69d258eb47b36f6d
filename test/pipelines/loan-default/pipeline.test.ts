// The whole loan-default pipeline through `sealed run`, on the embedded synthetic data and
// (when present) on the real Kaggle file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256File } from '../../../src/core/index.ts';
import { repoRoot, skipWithoutRealData, realDataPath } from '../../helpers/sharedData.ts';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';
import { sealed } from './helpers.ts';

const TASKS = ['load-data', 'create-train-test-set', 'preprocess-features', 'train-model', 'compile-model', 'batch-inference', 'plot-roc-curve'];

interface Manifest {
  id: string;
  pipeline: string;
  parameters: Record<string, unknown>;
  state: string;
  tasks: Record<string, { state: string; startedAt: string; finishedAt: string; outputs: Record<string, { path: string; sha256: string; type: string }> }>;
}

test('npm start path: the embedded synthetic data runs all seven tasks and reports AUC and accuracy', async () => {
  const cwd = tempDir();
  const r = await sealed(['run', '--run-dir', 'run1', '--json'], cwd);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  const summary = JSON.parse(lines[lines.length - 1]) as { runDir: string; state: string; metrics: { AUC: number; Accuracy: number } };
  assert.equal(summary.state, 'succeeded');
  assert.equal(summary.runDir, join(cwd, 'run1'));
  assert.ok(summary.metrics.AUC > 0.85 && summary.metrics.AUC < 1, `AUC ${summary.metrics.AUC}`);
  assert.ok(summary.metrics.Accuracy > 75 && summary.metrics.Accuracy <= 100, `Accuracy ${summary.metrics.Accuracy}`);
  assert.match(r.stdout, /^results: run1$/m);
  assert.match(r.stdout, /^note: SYNTHETIC data: 20000 generated credit-risk rows/m);

  const manifest = JSON.parse(readFileSync(join(cwd, 'run1', 'run.json'), 'utf8')) as Manifest;
  assert.equal(manifest.pipeline, 'loan-default');
  assert.equal(manifest.state, 'succeeded');
  assert.deepEqual(Object.keys(manifest.tasks).sort(), [...TASKS].sort());
  const types = new Set<string>();
  for (const [name, task] of Object.entries(manifest.tasks)) {
    assert.equal(task.state, 'succeeded', name);
    assert.ok(Date.parse(task.finishedAt) >= Date.parse(task.startedAt), name);
    for (const out of Object.values(task.outputs)) {
      types.add(out.type);
      assert.equal(await sha256File(join(cwd, 'run1', out.path)), out.sha256, out.path);
    }
  }
  assert.deepEqual([...types].sort(), ['system.ClassificationMetrics', 'system.Dataset', 'system.HTML', 'system.Metrics', 'system.Model']);

  const out = (task: string, name: string) => join(cwd, 'run1', manifest.tasks[task].outputs[name].path);
  const metrics = JSON.parse(readFileSync(out('batch-inference', 'metrics'), 'utf8'));
  assert.deepEqual(metrics, summary.metrics);
  const report = readFileSync(out('batch-inference', 'report'), 'utf8').split('\n');
  assert.equal(report[0], ',precision,recall,f1-score,support');
  assert.deepEqual(report.slice(1, 6).map((l) => l.split(',')[0]), ['Non-Default', 'Default', 'accuracy', 'macro avg', 'weighted avg']);
  assert.equal(readFileSync(out('batch-inference', 'prediction_data'), 'utf8').split('\n')[0], 'ground_truth,probability_score');
  const processed = readFileSync(out('preprocess-features', 'x_test_processed'), 'utf8').split('\n')[0];
  assert.equal(processed.split(',').length, 26);
  const roc = JSON.parse(readFileSync(out('plot-roc-curve', 'roc_curve'), 'utf8')) as { confidenceMetrics: Record<string, number>[] };
  assert.ok(roc.confidenceMetrics.length > 10);
  for (const p of roc.confidenceMetrics) {
    assert.deepEqual(Object.keys(p).sort(), ['confidenceThreshold', 'falsePositiveRate', 'recall']);
    assert.ok(Object.values(p).every(Number.isFinite));
  }
  const html = readFileSync(out('plot-roc-curve', 'roc_plot'), 'utf8');
  assert.match(html, /<svg[\s\S]*AUC = 0\.\d{4}[\s\S]*<\/svg>/);
  assert.match(html, /data:image\/png;base64,iVBOR/);
  const model = JSON.parse(readFileSync(out('train-model', 'model'), 'utf8'));
  assert.equal(model.learner.gradient_booster.model.trees.length, 500);
});

test('the real dataset with the reference split: AUC within 0.002 of XGBoost 1.7 on the same split', { skip: skipWithoutRealData() }, async () => {
  const cwd = tempDir();
  const r = await sealed(['run', '--data-url', realDataPath()!, '--split', 'random', '--run-dir', 'real', '--json'], cwd);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as { metrics: { AUC: number; Accuracy: number } };
  // fixtures/gbdt/make_reference_auc.py: the Python reference pipeline's test AUC.
  const reference = JSON.parse(readFileSync(join(repoRoot, 'fixtures/gbdt/reference_auc.json'), 'utf8')) as { auc: number };
  assert.ok(Math.abs(summary.metrics.AUC - reference.auc) <= 0.002, `AUC ${summary.metrics.AUC}, XGBoost ${reference.auc}`);
  assert.ok(summary.metrics.Accuracy >= 93, `Accuracy ${summary.metrics.Accuracy}`);
  assert.doesNotMatch(r.stdout, /SYNTHETIC/);
  // scikit-learn's train_test_split(test_size=0.25, random_state=0) sizes.
  const y = readFileSync(join(cwd, 'real', 'create-train-test-set', 'y_test_data.csv'), 'utf8').trim().split('\n');
  assert.equal(y.length, 8146);
  const report = readFileSync(join(cwd, 'real', 'batch-inference', 'report.csv'), 'utf8');
  assert.match(report, /^Non-Default,[^\n]*,6482\.0$/m);
  assert.match(report, /^Default,[^\n]*,1664\.0$/m);
});
