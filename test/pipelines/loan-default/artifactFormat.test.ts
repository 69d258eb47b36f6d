// The data artifacts' file format (issue 17, item 2): `--artifact-format parquet` writes every data
// artifact as Parquet and the run computes exactly what the CSV run computes (same model bytes, same
// metrics); a sealed Parquet run too. `sealed component` follows each output's extension, and
// readers detect Parquet by content whatever the file is named.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { RunManifest } from '../../../src/pipeline/index.ts';
import { initKeyFolder } from '../../../src/seal/index.ts';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';
import { sealed, writeRawCsv } from './helpers.ts';

const cwd = tempDir();
const manifestOf = (dir: string): RunManifest => JSON.parse(readFileSync(join(cwd, dir, 'run.json'), 'utf8')) as RunManifest;
const DATA_OUTPUTS: readonly [string, string][] = [
  ['load-data', 'credit_risk_dataset'],
  ['create-train-test-set', 'x_train_data'],
  ['create-train-test-set', 'y_train_data'],
  ['create-train-test-set', 'x_test_data'],
  ['create-train-test-set', 'y_test_data'],
  ['preprocess-features', 'x_train_processed'],
  ['preprocess-features', 'x_test_processed'],
  ['batch-inference', 'prediction_data'],
];
const metricsOf = (m: RunManifest): unknown => {
  const { AUC, Accuracy } = m.tasks['batch-inference'].outputs!.metrics.metadata as Record<string, number>;
  return { AUC, Accuracy };
};

before(async () => {
  const raw = writeRawCsv(cwd, 'raw.csv', 3000, 7);
  await initKeyFolder(join(cwd, 'keys'));
  const runs: [string, string[]][] = [
    ['csv', []],
    ['parquet', ['--artifact-format', 'parquet']],
    ['sealed-parquet', ['--artifact-format', 'parquet', '--seal', '--keys', 'keys']],
  ];
  for (const [dir, extra] of runs) {
    const r = await sealed(['run', '--data-url', raw, '--data-size', '4000', '--run-dir', dir, '--seed', '3', ...extra], cwd);
    assert.equal(r.code, 0, r.stderr);
  }
});

test('--artifact-format parquet: every data artifact is a .parquet file starting with PAR1; the CSV run keeps .csv', () => {
  const csv = manifestOf('csv');
  const pq = manifestOf('parquet');
  assert.equal(pq.parameters.artifact_format, 'parquet');
  assert.equal(csv.parameters.artifact_format, 'csv');
  for (const [task, key] of DATA_OUTPUTS) {
    const p = pq.tasks[task].outputs![key];
    assert.match(p.path, /\.parquet$/, `${task}/${key}`);
    assert.equal(readFileSync(join(cwd, 'parquet', p.path)).subarray(0, 4).toString('latin1'), 'PAR1', `${task}/${key}`);
    const c = csv.tasks[task].outputs![key];
    assert.match(c.path, /\.csv$/);
    assert.notEqual(readFileSync(join(cwd, 'csv', c.path)).subarray(0, 4).toString('latin1'), 'PAR1');
  }
  // What is not a data table keeps its own format.
  assert.match(pq.tasks['batch-inference'].outputs!.report.path, /report\.csv$/);
});

test('a Parquet run computes exactly what the CSV run computes: same model bytes, same metrics', () => {
  const csv = manifestOf('csv');
  const pq = manifestOf('parquet');
  assert.equal(pq.tasks['train-model'].outputs!.model.sha256, csv.tasks['train-model'].outputs!.model.sha256);
  assert.equal(pq.tasks['preprocess-features'].outputs!.preprocessor.sha256, csv.tasks['preprocess-features'].outputs!.preprocessor.sha256);
  assert.equal(pq.tasks['plot-roc-curve'].outputs!.roc_curve.sha256, csv.tasks['plot-roc-curve'].outputs!.roc_curve.sha256);
  assert.deepEqual(metricsOf(pq), metricsOf(csv));
});

test('a sealed Parquet run: artifacts sealed (no PAR1 on disk), plaintext identical to the plain Parquet run', () => {
  const pq = manifestOf('parquet');
  const s = manifestOf('sealed-parquet');
  assert.equal(s.sealed, true);
  for (const [task, key] of DATA_OUTPUTS) {
    const rec = s.tasks[task].outputs![key];
    assert.notEqual(readFileSync(join(cwd, 'sealed-parquet', rec.path)).subarray(0, 4).toString('latin1'), 'PAR1', `${task}/${key} is sealed`);
    const seal = rec.metadata!.sealed as Record<string, unknown>;
    assert.equal(seal.plaintextSha256, pq.tasks[task].outputs![key].sha256, `${task}/${key}`);
  }
  assert.deepEqual(metricsOf(s), metricsOf(pq));
});

test('sealed component follows the extension; readers detect Parquet by content whatever the name', async () => {
  const run = join(cwd, 'parquet', 'create-train-test-set');
  // Parquet inputs named .csv and without extension, a Parquet output by extension, a CSV output by extension.
  const r = await sealed(
    [
      'component',
      'preprocess-features',
      `--x_train=${join(run, 'x_train_data.parquet')}`,
      `--x_test=${join(run, 'x_test_data.parquet')}`,
      '--x_train_processed=out/train.parquet',
      '--x_test_processed=out/test.csv',
      '--preprocessor=out/pre.json',
    ],
    cwd,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(cwd, 'out/train.parquet')).subarray(0, 4).toString('latin1'), 'PAR1');
  const testCsv = readFileSync(join(cwd, 'out/test.csv'), 'utf8');
  assert.equal(testCsv, readFileSync(join(cwd, 'csv', 'preprocess-features', 'x_test_processed.csv'), 'utf8'), '.csv stays exactly the CSV of a CSV run');
});

test('--artifact-format with a value outside csv|parquet is refused before any task runs', async () => {
  const r = await sealed(['run', '--run-dir', 'bad', '--artifact-format', 'xlsx'], cwd);
  assert.notEqual(r.code, 0);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(r.stderr, /artifact_format/);
  assert.match(r.stderr, /csv/);
});
