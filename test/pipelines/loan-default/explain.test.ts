// batch-inference with explain=true: every prediction gets the top reasons that TreeSHAP on
// the trained model gives (the same ones the scoring service returns), the ROC step still reads
// the predictions, and explain without the model or preprocessor input is refused up front.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModel, predictContributions } from '../../../src/gbdt/index.ts';
import { FittedColumnTransformer } from '../../../src/ml/index.ts';
import { rawFieldOf, topReasons } from '../../../src/pipelines/loan-default/index.ts';
import { readMatrix } from '../../../src/pipelines/loan-default/datasetFiles.ts';
import { readPredictions } from '../../../src/pipelines/loan-default/predictionFile.ts';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';
import { sealed, writeRawCsv } from './helpers.ts';

const cwd = tempDir();
const prepared = (async () => {
  writeRawCsv(cwd, 'raw.csv', 400);
  const steps: string[][] = [
    ['load-data', `--data_url=${join(cwd, 'raw.csv')}`, '--data_size=0', '--seed=0', '--credit_risk_dataset=data.csv'],
    ['create-train-test-set', '--data=data.csv', '--test_size=0.25', '--seed=0', '--split=random',
      '--x_train_data=xtr.csv', '--y_train_data=ytr.csv', '--x_test_data=xte.csv', '--y_test_data=yte.csv'],
    ['preprocess-features', '--x_train=xtr.csv', '--x_test=xte.csv', '--x_train_processed=ptr.csv', '--x_test_processed=pte.csv', '--preprocessor=pre.json'],
    ['train-model', '--x_train=ptr.csv', '--y_train=ytr.csv', '--num_boost_round=30', '--learning_rate=0.3', '--max_depth=5', '--min_child_weight=1', '--nthread=1', '--model=model.json'],
    ['compile-model', '--model=model.json', '--compiled_model=model.sealedgbm'],
  ];
  for (const args of steps) {
    const r = await sealed(['component', ...args], cwd);
    assert.equal(r.code, 0, `${args[0]}: ${r.stderr}`);
  }
})();

const inference = (extra: string[]) => [
  'component', 'batch-inference', '--x_test=pte.csv', '--y_test=yte.csv', '--compiled_model=model.sealedgbm', '--threshold=0.5',
  '--prediction_data=pred.csv', '--report=report.csv', '--metrics=metrics.json', ...extra,
];

test('explain=true adds each row\'s top reasons, equal to TreeSHAP on the trained model', async () => {
  await prepared;
  const r = await sealed(inference(['--explain=true', '--model=model.json', '--preprocessor=pre.json']), cwd);
  assert.equal(r.code, 0, r.stderr);
  const predictions = await readPredictions(join(cwd, 'pred.csv'));
  const reasons = predictions.reasons;
  assert.ok(reasons);
  const model = parseModel(readFileSync(join(cwd, 'model.json')), 'model.json');
  const fitted = FittedColumnTransformer.fromJSON(JSON.parse(readFileSync(join(cwd, 'pre.json'), 'utf8')));
  const x = await readMatrix(join(cwd, 'pte.csv'));
  const contribs = predictContributions(model, x);
  const fieldOf = rawFieldOf(fitted.featureNames);
  let explained = 0;
  for (let row = 0; row < x.nRows; row++) {
    const expected = topReasons(contribs.subarray(row * (x.nCols + 1), row * (x.nCols + 1) + x.nCols), fieldOf, 3).map((reason) => reason.field);
    const got: string[] = reasons.map((k) => k[row]).filter((f): f is string => f !== null);
    assert.deepEqual(got, expected, `row ${row}`);
    if (got.length > 0) explained++;
  }
  assert.ok(explained > x.nRows / 2, `${explained} of ${x.nRows} rows have reasons`);
  // The ROC step reads explained predictions as it reads plain ones.
  const roc = await sealed(['component', 'plot-roc-curve', '--prediction_data=pred.csv', '--roc_curve=roc.json', '--roc_plot=roc.html'], cwd);
  assert.equal(roc.code, 0, roc.stderr);
});

test('explain=false (the default) writes predictions without reason columns', async () => {
  await prepared;
  const r = await sealed(inference(['--model=model.json', '--preprocessor=pre.json']), cwd);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(cwd, 'pred.csv'), 'utf8').split('\n')[0], 'ground_truth,probability_score');
});

test('explain=true without the trained model is refused with the input named', async () => {
  await prepared;
  const before = readFileSync(join(cwd, 'pred.csv'), 'utf8');
  const r = await sealed(inference(['--explain=true', '--preprocessor=pre.json']), cwd);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /explain=true needs batch-inference's 'model'/);
  assert.equal(readFileSync(join(cwd, 'pred.csv'), 'utf8'), before, 'the earlier predictions are left as they were');
});
