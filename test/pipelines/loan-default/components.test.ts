// Each of the seven components runs alone through `sealed component`, named exactly as in the
// pipeline, chained by hand on a small dataset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';
import { RAW_HEADER, sealed, writeRawCsv } from './helpers.ts';

test('the seven components run one by one with the documented option names', async () => {
  const cwd = tempDir();
  writeRawCsv(cwd, 'raw.csv', 400);
  const steps: string[][] = [
    ['load-data', `--data_url=${join(cwd, 'raw.csv')}`, '--data_size=1000', '--seed=3', '--credit_risk_dataset=data.csv'],
    ['create-train-test-set', '--data=data.csv', '--test_size=0.25', '--seed=0', '--split=grouped',
      '--x_train_data=xtr.csv', '--y_train_data=ytr.csv', '--x_test_data=xte.csv', '--y_test_data=yte.csv'],
    ['preprocess-features', '--x_train=xtr.csv', '--x_test=xte.csv', '--x_train_processed=ptr.csv', '--x_test_processed=pte.csv', '--preprocessor=pre.json'],
    ['train-model', '--x_train=ptr.csv', '--y_train=ytr.csv', '--num_boost_round=20', '--learning_rate=0.3', '--max_depth=4', '--min_child_weight=1', '--nthread=1', '--model=model.json'],
    ['compile-model', '--model=model.json', '--compiled_model=model.sealedgbm'],
    ['batch-inference', '--x_test=pte.csv', '--y_test=yte.csv', '--compiled_model=model.sealedgbm', '--threshold=0.5',
      '--prediction_data=pred.csv', '--report=report.csv', '--metrics=metrics.json'],
    ['plot-roc-curve', '--prediction_data=pred.csv', '--roc_curve=roc.json', '--roc_plot=roc.html'],
  ];
  for (const args of steps) {
    const r = await sealed(['component', ...args], cwd);
    assert.equal(r.code, 0, `${args[0]}: ${r.stderr}`);
  }
  const data = readFileSync(join(cwd, 'data.csv'), 'utf8').split('\n');
  assert.equal(data[0], `${RAW_HEADER},source_row`);
  assert.equal(data.length - 2, 1000);
  assert.equal(readFileSync(join(cwd, 'xtr.csv'), 'utf8').split('\n')[0], RAW_HEADER.replace(',loan_status', ''));
  // Grouped: no source row on both sides. Rows keep source_row only in the dataset file, so
  // check through the sizes: 25% of the 400 groups (100) went to test, 2-3 rows each.
  const yTest = readFileSync(join(cwd, 'yte.csv'), 'utf8').trim().split('\n');
  assert.ok(yTest.every((v) => v === '0' || v === '1'));
  assert.ok(yTest.length >= 200 && yTest.length <= 300, `${yTest.length} test rows`);
  const pre = JSON.parse(readFileSync(join(cwd, 'pre.json'), 'utf8'));
  assert.equal(pre.format, 'sealed-preprocessor');
  // 3 imputed + 4 power-transformed + one column per category seen in training.
  const width = readFileSync(join(cwd, 'ptr.csv'), 'utf8').split('\n')[0].split(',').length;
  assert.equal(pre.featureNames.length, width);
  assert.ok(width >= 24 && width <= 26, `${width} columns`);
  const model = JSON.parse(readFileSync(join(cwd, 'model.json'), 'utf8'));
  assert.equal(model.learner.gradient_booster.model.trees.length, 20);
  const metrics = JSON.parse(readFileSync(join(cwd, 'metrics.json'), 'utf8'));
  assert.ok(metrics.AUC > 0.6 && metrics.AUC <= 1);
  const roc = JSON.parse(readFileSync(join(cwd, 'roc.json'), 'utf8'));
  assert.deepEqual(roc.confidenceMetrics[0].falsePositiveRate, 0);
  assert.deepEqual(roc.confidenceMetrics.at(-1).recall, 1);
});

test('the fitted preprocessor transforms new raw rows later and refuses mismatched columns', async () => {
  const cwd = tempDir();
  writeRawCsv(cwd, 'raw.csv', 300);
  for (const args of [
    ['create-train-test-set', '--data=raw.csv', '--x_train_data=xtr.csv', '--y_train_data=ytr.csv', '--x_test_data=xte.csv', '--y_test_data=yte.csv'],
    ['preprocess-features', '--x_train=xtr.csv', '--x_test=xte.csv', '--x_train_processed=ptr.csv', '--x_test_processed=pte.csv', '--preprocessor=pre.json'],
  ]) {
    const r = await sealed(['component', ...args], cwd);
    assert.equal(r.code, 0, r.stderr);
  }
  const { FittedColumnTransformer } = await import('../../../src/ml/index.ts');
  const { readCsvFile } = await import('../../../src/data/index.ts');
  const fitted = FittedColumnTransformer.fromJSON(JSON.parse(readFileSync(join(cwd, 'pre.json'), 'utf8')));
  const xTest = await readCsvFile(join(cwd, 'xte.csv'));
  const again = fitted.transform(xTest);
  const written = readFileSync(join(cwd, 'pte.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').map((v) => (v === '' ? NaN : Number(v))));
  assert.deepEqual(Array.from(again.data), written.flat());
  assert.throws(() => fitted.transform(xTest.drop(['loan_grade'])), /loan_grade/);
});
