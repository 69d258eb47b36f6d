// `sealed gbdt train | predict | importance` end to end, in-process, on small generated CSVs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { compileModel, featureImportance, parseModel, predict, predictContributions, type GbdtModel } from '../../src/gbdt/index.ts';
import { listTree, tempDir } from '../pipeline/helpers/tempDir.ts';
import { Capture, runCli } from './helpers.ts';

/** Deterministic uniform numbers in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Data {
  rows: number[][];
  labels: number[];
}

/** Binary labels from the first two features; every `missingEvery`-th row misses feature 1. */
function binaryData(n: number, seed = 1, missingEvery = 0): Data {
  const r = lcg(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [r(), r(), r() * 10 - 5];
    labels.push(row[0] + row[1] > 1 ? 1 : 0);
    if (missingEvery > 0 && i % missingEvery === 0) row[1] = NaN;
    rows.push(row);
  }
  return { rows, labels };
}

function multiClassData(n: number, seed = 2): Data {
  const r = lcg(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [r(), r()];
    rows.push(row);
    labels.push(Math.min(2, Math.floor(row[0] * 3)));
  }
  return { rows, labels };
}

const csv = (rows: number[][]): string => rows.map((r) => r.map((v) => (Number.isNaN(v) ? '' : String(v))).join(',')).join('\n') + '\n';
const lines = (values: number[]): string => values.map(String).join('\n') + '\n';

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

function matrix(rows: number[][]) {
  return { data: Float64Array.from(rows.flat()), nRows: rows.length, nCols: rows[0].length };
}

const loadModel = (dir: string, name: string): GbdtModel => parseModel(readFileSync(join(dir, name)), name);
const readPredictions = (dir: string, name: string): string[][] =>
  readFileSync(join(dir, name), 'utf8').trimEnd().split('\n').map((l) => l.split(','));

test('train -> predict -> importance on a small binary problem with missing values', async () => {
  const cwd = tempDir();
  const d = binaryData(300, 1, 7);
  write(cwd, { 'X.csv': csv(d.rows), 'y.csv': lines(d.labels), 'params.json': '{"max_depth": 3, "eta": 0.3, "num_boost_round": 12}' });

  const train = await runCli(['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--params', 'params.json', '--out', 'model.json', '--threads', '2'], { cwd });
  assert.equal(train.code, 0, train.stderr);
  assert.match(train.stdout, /^trained 12 rounds in \d+\.\d\d s; the model has 12 trees\n$/);
  assert.equal(train.stderr, 'wrote model.json\n'); // no progress lines: stderr is not a terminal
  const model = loadModel(cwd, 'model.json');
  assert.equal(model.trees.length, 12);
  assert.equal(model.numFeature, 3);
  assert.equal(JSON.parse(readFileSync(join(cwd, 'model.json'), 'utf8')).learner.objective.name, 'binary:logistic');

  const pred = await runCli(['gbdt', 'predict', '--model', 'model.json', '--data', 'X.csv', '--out', 'pred.csv'], { cwd });
  assert.equal(pred.code, 0, pred.stderr);
  assert.equal(pred.stderr, 'wrote pred.csv (300 rows)\n');
  const written = readPredictions(cwd, 'pred.csv');
  assert.equal(written.length, 300);
  // Shortest round-trip text of exactly what the engine predicts (NaN = the empty fields).
  const expected = predict(model, matrix(d.rows));
  assert.deepEqual(written.map((r) => r[0]), Array.from(expected, String));
  for (const [text] of written) assert.equal(String(Number(text)), text);
  const accuracy = written.filter(([p], i) => (Number(p) > 0.5 ? 1 : 0) === d.labels[i]).length / 300;
  assert.ok(accuracy > 0.9, `accuracy ${accuracy}`);

  const margin = await runCli(['gbdt', 'predict', '--model', 'model.json', '--data', 'X.csv', '--out', 'margin.csv', '--output-margin'], { cwd });
  assert.equal(margin.code, 0, margin.stderr);
  assert.deepEqual(readPredictions(cwd, 'margin.csv').map((r) => r[0]), Array.from(predict(model, matrix(d.rows), { outputMargin: true }), String));

  const imp = await runCli(['gbdt', 'importance', '--model', 'model.json'], { cwd });
  assert.equal(imp.code, 0, imp.stderr);
  const shown = imp.stdout.trimEnd().split('\n').map((l) => l.split(/ +/));
  const gain = featureImportance(model, 'gain');
  assert.deepEqual(Object.fromEntries(shown.map(([k, v]) => [k, Number(v)])), Object.fromEntries(gain));
  const values = shown.map(([, v]) => Number(v));
  assert.deepEqual(values, [...values].sort((a, b) => b - a));
  assert.deepEqual(shown.slice(0, 2).map(([k]) => k).sort(), ['f0', 'f1']); // the label depends on f0 and f1

  const json = await runCli(['gbdt', 'importance', '--model', 'model.json', '--type', 'weight', '--json'], { cwd });
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), Object.fromEntries(featureImportance(model, 'weight')));
  assert.deepEqual(listTree(cwd), ['X.csv', 'margin.csv', 'model.json', 'params.json', 'pred.csv', 'y.csv']);
});

test('UBJSON models: written by extension, read by content, same predictions as JSON', async () => {
  const cwd = tempDir();
  const d = binaryData(200, 3);
  write(cwd, { 'X.csv': csv(d.rows), 'y.csv': lines(d.labels) });
  for (const out of ['m.json', 'm.ubj']) {
    const r = await runCli(['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--out', out, '--json'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual({ ...JSON.parse(r.stdout), seconds: 0 }, { out, rounds: 10, trees: 10, seconds: 0 });
  }
  assert.equal(readFileSync(join(cwd, 'm.ubj'))[0], '{'.charCodeAt(0));
  assert.throws(() => JSON.parse(readFileSync(join(cwd, 'm.ubj'), 'utf8')));
  for (const model of ['m.json', 'm.ubj']) {
    const r = await runCli(['gbdt', 'predict', '--model', model, '--data', 'X.csv', '--out', `${model}.csv`], { cwd });
    assert.equal(r.code, 0, r.stderr);
  }
  assert.equal(readFileSync(join(cwd, 'm.json.csv'), 'utf8'), readFileSync(join(cwd, 'm.ubj.csv'), 'utf8'));
  // A UBJSON model renamed to .json is still read (format from content).
  writeFileSync(join(cwd, 'renamed.json'), readFileSync(join(cwd, 'm.ubj')));
  const imp = await runCli(['gbdt', 'importance', '--model', 'renamed.json', '--json'], { cwd });
  assert.equal(imp.code, 0, imp.stderr);
});

test('predict takes a compiled model (.sealedgbm) too, on any thread count, with the same lines as its JSON model', async () => {
  const cwd = tempDir();
  const d = binaryData(9000, 1, 5);
  write(cwd, { 'X.csv': csv(d.rows), 'y.csv': lines(d.labels), 'params.json': '{"max_depth": 4, "eta": 0.3, "num_boost_round": 8}' });
  assert.equal((await runCli(['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--params', 'params.json', '--out', 'm.json'], { cwd })).code, 0);
  writeFileSync(join(cwd, 'm.sealedgbm'), compileModel(loadModel(cwd, 'm.json')).serialize());
  const expected = Array.from(predict(loadModel(cwd, 'm.json'), matrix(d.rows)), String);
  for (const [model, threads] of [['m.json', '1'], ['m.sealedgbm', '1'], ['m.sealedgbm', '2']]) {
    const r = await runCli(['gbdt', 'predict', '--model', model, '--data', 'X.csv', '--out', 'p.csv', '--threads', threads], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readPredictions(cwd, 'p.csv').map((row) => row[0]), expected, `${model}, ${threads} threads`);
  }
  writeFileSync(join(cwd, 'bad.sealedgbm'), compileModel(loadModel(cwd, 'm.json')).serialize().subarray(0, 200));
  const bad = await runCli(['gbdt', 'predict', '--model', 'bad.sealedgbm', '--data', 'X.csv', '--out', 'q.csv'], { cwd });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /bad\.sealedgbm is not a valid compiled model: /);
  assert.ok(!existsSync(join(cwd, 'q.csv')));
});

test('--contribs writes TreeSHAP contributions, features then bias, summing to the margin; not from a compiled model', async () => {
  const cwd = tempDir();
  const d = binaryData(200, 3, 6);
  write(cwd, { 'X.csv': csv(d.rows), 'y.csv': lines(d.labels), 'params.json': '{"max_depth": 3, "eta": 0.3, "num_boost_round": 5}' });
  assert.equal((await runCli(['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--params', 'params.json', '--out', 'm.json'], { cwd })).code, 0);
  const r = await runCli(['gbdt', 'predict', '--model', 'm.json', '--data', 'X.csv', '--out', 'c.csv', '--contribs'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, 'wrote c.csv (200 rows x 4 contributions)\n');
  const model = loadModel(cwd, 'm.json');
  const written = readPredictions(cwd, 'c.csv');
  assert.deepEqual(written.flat(), Array.from(predictContributions(model, matrix(d.rows)), String));
  const margins = predict(model, matrix(d.rows), { outputMargin: true });
  written.forEach((row, i) => assert.ok(Math.abs(row.reduce((a, v) => a + Number(v), 0) - margins[i]) < 1e-5));
  writeFileSync(join(cwd, 'm.sealedgbm'), compileModel(model).serialize());
  const compiled = await runCli(['gbdt', 'predict', '--model', 'm.sealedgbm', '--data', 'X.csv', '--out', 'c2.csv', '--contribs'], { cwd });
  assert.equal(compiled.code, 2);
  assert.match(compiled.stderr, /m\.sealedgbm is a compiled model, which keeps no node covers: --contribs needs the XGBoost JSON or UBJSON model/);
  assert.ok(!existsSync(join(cwd, 'c2.csv')));
});

test('multi-class softprob: one comma-separated probability per class on each line', async () => {
  const cwd = tempDir();
  const d = multiClassData(240);
  write(cwd, { 'X.csv': csv(d.rows), 'y.csv': lines(d.labels), 'p.json': '{"objective": "multi:softprob", "num_class": 3, "num_boost_round": 8, "max_depth": 3}' });
  const train = await runCli(['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--params', 'p.json', '--out', 'm.json', '--json'], { cwd });
  assert.equal(train.code, 0, train.stderr);
  assert.deepEqual({ ...JSON.parse(train.stdout), seconds: 0 }, { out: 'm.json', rounds: 8, trees: 24, seconds: 0 });
  const pred = await runCli(['gbdt', 'predict', '--model', 'm.json', '--data', 'X.csv', '--out', 'p.csv'], { cwd });
  assert.equal(pred.code, 0, pred.stderr);
  assert.equal(pred.stderr, 'wrote p.csv (240 rows x 3 classes)\n');
  const rows = readPredictions(cwd, 'p.csv');
  assert.equal(rows.length, 240);
  const expected = predict(loadModel(cwd, 'm.json'), matrix(d.rows));
  assert.deepEqual(rows.flat(), Array.from(expected, String));
  for (const r of rows) {
    assert.equal(r.length, 3);
    assert.ok(Math.abs(r.reduce((a, v) => a + Number(v), 0) - 1) < 1e-6);
  }
  const correct = rows.filter((r, i) => r.map(Number).indexOf(Math.max(...r.map(Number))) === d.labels[i]).length;
  assert.ok(correct / 240 > 0.9, `accuracy ${correct / 240}`);
});

test('--init-model continues training: the old trees stay and num_boost_round more are added', async () => {
  const cwd = tempDir();
  const d = binaryData(200, 4);
  write(cwd, { 'X.csv': csv(d.rows), 'y.csv': lines(d.labels), 'five.json': '{"num_boost_round": 5}', 'three.json': '{"num_boost_round": 3}' });
  assert.equal((await runCli(['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--params', 'five.json', '--out', 'm5.ubj'], { cwd })).code, 0);
  const more = await runCli(['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--params', 'three.json', '--init-model', 'm5.ubj', '--out', 'm8.json'], { cwd });
  assert.equal(more.code, 0, more.stderr);
  assert.match(more.stdout, /^trained 3 rounds in .* s; the model has 8 trees\n$/);
  const m5 = loadModel(cwd, 'm5.ubj');
  const m8 = loadModel(cwd, 'm8.json');
  assert.equal(m8.trees.length, 8);
  assert.deepEqual(m8.trees.slice(0, 5), m5.trees);
  // Continuing fits the training data better than the 5-round model alone.
  const loss = (m: GbdtModel) => {
    const p = predict(m, matrix(d.rows));
    return d.labels.reduce((s, y, i) => s - (y ? Math.log(p[i]) : Math.log(1 - p[i])), 0);
  };
  assert.ok(loss(m8) < loss(m5));
});

test('an eval set with early stopping reports the best iteration', async () => {
  const cwd = tempDir();
  const train = binaryData(300, 5);
  const valid = binaryData(100, 6);
  write(cwd, {
    'X.csv': csv(train.rows),
    'y.csv': lines(train.labels),
    'Xv.csv': csv(valid.rows),
    'yv.csv': lines(valid.labels),
    'p.json': '{"num_boost_round": 300, "eta": 0.5, "early_stopping_rounds": 5, "eval_metric": "logloss"}',
  });
  const r = await runCli(['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--eval-data', 'Xv.csv', '--eval-label', 'yv.csv', '--params', 'p.json', '--out', 'm.json', '--json'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout) as { rounds: number; trees: number; bestIteration: number; bestScore: number };
  assert.ok(summary.rounds < 300, `stopped early: ${summary.rounds} rounds`);
  assert.equal(summary.bestIteration, summary.rounds - 6);
  assert.ok(summary.bestScore > 0 && summary.bestScore < 0.7);
  const human = await runCli(['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--eval-data', 'Xv.csv', '--eval-label', 'yv.csv', '--params', 'p.json', '--out', 'm.json'], { cwd });
  assert.match(human.stdout, new RegExp(`; best iteration ${summary.bestIteration} \\(score ${summary.bestScore}\\)\\n$`));
});

test('progress lines go to stderr only when it is a terminal', async () => {
  const cwd = tempDir();
  const d = binaryData(100, 7);
  write(cwd, { 'X.csv': csv(d.rows), 'y.csv': lines(d.labels), 'Xv.csv': csv(d.rows), 'p.json': '{"num_boost_round": 40}' });
  const stderr = new Capture();
  stderr.isTTY = true;
  const r = await runCli(['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--eval-data', 'Xv.csv', '--eval-label', 'y.csv', '--params', 'p.json', '--out', 'm.json'], { cwd, stderr });
  assert.equal(r.code, 0, stderr.text);
  const progress = stderr.text.split('\n').filter((l) => l.startsWith('[gbdt]'));
  assert.deepEqual(progress.map((l) => /round (\d+)\/40/.exec(l)?.[1]), ['1', '2', '4', '6', '8', '10', '12', '14', '16', '18', '20', '22', '24', '26', '28', '30', '32', '34', '36', '38', '40']);
  assert.match(progress[0], /^\[gbdt\] round 1\/40 {2}eval-logloss \d\.\d+ {2}\d+\.\d s$/);
});

test('bad input: one line naming file, line and column; usage errors exit 2; nothing written', async () => {
  const cwd = tempDir();
  const d = binaryData(20, 8);
  write(cwd, {
    'X.csv': csv(d.rows),
    'y.csv': lines(d.labels),
    'X2.csv': csv(d.rows.map((r) => r.slice(0, 2))),
    'badnum.csv': '1,2,3\n4,5,abc\n',
    'ragged.csv': '1,2,3\n4,5,6\n7,8\n',
    'inf.csv': '1,2,3\n\n4,inf,6\n',
    'empty.csv': '',
    'y-short.csv': lines(d.labels.slice(0, 19)),
    'y-inf.csv': lines([...d.labels.slice(0, 3), Infinity, ...d.labels.slice(4)]),
    'y-blank.csv': '0\n\n' + lines(d.labels.slice(2)),
    'y-word.csv': '0\n1\nyes\n',
    'y-class.csv': lines([0, 1, 2, ...d.labels.slice(3)]),
    'w-neg.csv': lines(d.labels.map((_, i) => (i === 4 ? -1 : 1))),
    'w-short.csv': lines([1, 1]),
    'bad.json': '{\n  "max_depth": 3,\n  "eta": \n}\n',
    'trailing.json': '{"eta": 0.1,}',
    'array.json': '[1, 2]',
    'unknown.json': '{"max_dept": 3}',
    'range.json': '{"max_depth": -1}',
    'es.json': '{"early_stopping_rounds": 3}',
    'corrupt.json': '{"learner": {"oops": 1}}',
    'garbage.ubj': 'not a model at all',
  });
  const r0 = await runCli(['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--out', 'm.json'], { cwd });
  assert.equal(r0.code, 0, r0.stderr);
  writeFileSync(join(cwd, 'truncated.ubj'), (await (async () => {
    await runCli(['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--out', 'full.ubj'], { cwd });
    return readFileSync(join(cwd, 'full.ubj')).subarray(0, 200);
  })()));
  const before = listTree(cwd);
  const train = (...extra: string[]) => ['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--out', 'out.json', ...extra];
  const trainOn = (data: string, label = 'y.csv', ...extra: string[]) => ['gbdt', 'train', '--data', data, '--label', label, '--out', 'out.json', ...extra];
  const cases: [string[], number, string | RegExp][] = [
    [trainOn('badnum.csv', 'y.csv'), 1, "badnum.csv, line 2, column 3: expected a number, found 'abc'"],
    [trainOn('ragged.csv'), 1, 'ragged.csv, line 3: row has 2 fields, expected 3'],
    [trainOn('inf.csv'), 1, "inf.csv, line 3, column 2: feature value 'inf' must be a finite number (leave the field empty for a missing value)"],
    [trainOn('empty.csv'), 1, 'empty.csv: CSV file is empty'],
    [trainOn('nope.csv'), 1, 'file not found: nope.csv'],
    [trainOn('X.csv', 'y-short.csv'), 1, 'y-short.csv has 19 labels but X.csv has 20 rows'],
    [trainOn('X.csv', 'y-inf.csv'), 1, "y-inf.csv, line 4: label 'Infinity' must be a finite number"],
    [trainOn('X.csv', 'y-blank.csv'), 1, 'y-blank.csv, line 2: blank line; expected one label per line'],
    [trainOn('X.csv', 'y-word.csv'), 1, "y-word.csv, line 3, column 1: expected a number, found 'yes'"],
    [trainOn('X.csv', 'y-class.csv'), 1, /^y-class\.csv, line 3: label 2 is invalid for binary:logistic: labels must be /],
    [train('--weights', 'w-neg.csv'), 1, "w-neg.csv, line 5: weight '-1' must be a finite number >= 0"],
    [train('--weights', 'w-short.csv'), 1, 'w-short.csv has 2 weights but X.csv has 20 rows'],
    [train('--params', 'bad.json'), 2, 'bad.json, line 4, column 1: invalid JSON: unexpected "}", expected a value'],
    [train('--params', 'trailing.json'), 2, 'trailing.json, line 1, column 13: invalid JSON: unexpected "}", expected a property name in double quotes'],
    [train('--params', 'array.json'), 2, 'array.json: training parameters must be a JSON object of XGBoost parameter names, got an array'],
    [train('--params', 'unknown.json'), 2, "unknown.json: unknown training parameter 'max_dept'; did you mean 'max_depth'?"],
    [train('--params', 'range.json'), 2, /^range\.json: training parameter 'max_depth' must be /],
    [train('--params', 'es.json'), 2, 'early_stopping_rounds needs a validation set: give --eval-data and --eval-label'],
    [train('--eval-data', 'X.csv'), 2, 'options --eval-data and --eval-label go together'],
    [train('--eval-data', 'X2.csv', '--eval-label', 'y.csv'), 1, 'X2.csv has 2 columns but X.csv has 3'],
    [train('--init-model', 'corrupt.json'), 1, /^corrupt\.json.*: invalid XGBoost JSON model: /],
    [trainOn('X2.csv', 'y.csv', '--init-model', 'm.json'), 1, 'X2.csv: model expects 3 features, matrix has 2 columns'],
    [train('--threads', '0'), 2, "option --threads must be an integer from 1 to 1024, got '0'"],
    [['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--out', 'model.txt'], 2, 'cannot tell the model format of model.txt: the file name must end in .json or .ubj'],
    [['gbdt', 'train', '--data', 'X.csv', '--out', 'm2.json'], 2, "required option '--label <y.csv>' not specified"],
    [['gbdt', 'predict', '--model', 'corrupt.json', '--data', 'X.csv', '--out', 'p.csv'], 1, /^corrupt\.json.*: invalid XGBoost JSON model: /],
    [['gbdt', 'predict', '--model', 'garbage.ubj', '--data', 'X.csv', '--out', 'p.csv'], 1, /^garbage\.ubj.*: invalid XGBoost /],
    [['gbdt', 'predict', '--model', 'truncated.ubj', '--data', 'X.csv', '--out', 'p.csv'], 1, /^truncated\.ubj.*: invalid XGBoost UBJSON model: /],
    [['gbdt', 'predict', '--model', 'm.json', '--data', 'X2.csv', '--out', 'p.csv'], 1, 'X2.csv: model expects 3 features, matrix has 2 columns'],
    [['gbdt', 'predict', '--model', 'm.json', '--data', 'ragged.csv', '--out', 'p.csv'], 1, 'ragged.csv, line 3: row has 2 fields, expected 3'],
    [['gbdt', 'predict', '--model', 'missing.json', '--data', 'X.csv', '--out', 'p.csv'], 1, 'file not found: missing.json'],
    [['gbdt', 'importance', '--model', 'm.json', '--type', 'splits'], 2, "unknown feature importance type 'splits', expected one of weight, gain, cover, total_gain, total_cover"],
    [['gbdt', 'importance', '--model', 'corrupt.json'], 1, /^corrupt\.json.*: invalid XGBoost JSON model: /],
    [['gbdt', 'frobnicate'], 2, "unknown command 'frobnicate'"],
  ];
  for (const [argv, code, message] of cases) {
    const r = await runCli(argv, { cwd });
    const line = r.stderr.replace(/^sealed: /, '').replace(/\n$/, '');
    assert.equal(r.code, code, `${argv.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.startsWith('sealed: ') && !line.includes('\n'), `one line: ${r.stderr}`);
    if (typeof message === 'string') assert.equal(line, message, argv.join(' '));
    else assert.match(line, message, argv.join(' '));
    assert.equal(r.stdout, '', argv.join(' '));
  }
  assert.deepEqual(listTree(cwd), before);
});

test('a cancelled training writes nothing', async () => {
  const cwd = tempDir();
  const d = binaryData(200, 9);
  write(cwd, { 'X.csv': csv(d.rows), 'y.csv': lines(d.labels), 'p.json': '{"num_boost_round": 100000}' });
  const controller = new AbortController();
  const stderr = new (class extends Writable {
    text = '';
    isTTY = true;
    override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
      this.text += chunk.toString();
      if (this.text.includes('round')) controller.abort();
      done();
    }
  })();
  const r = await runCli(['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--params', 'p.json', '--out', 'm.json'], { cwd, stderr, signal: controller.signal });
  assert.equal(r.code, 1);
  assert.match(stderr.text, /sealed: interrupted; nothing was written\n$/);
  assert.deepEqual(listTree(cwd), ['X.csv', 'p.json', 'y.csv']);
});

test('export-onnx writes an ONNX model that onnxruntime scores like our predict; a bad model file writes nothing', async () => {
  const cwd = tempDir();
  const d = binaryData(300, 2, 5);
  write(cwd, { 'X.csv': csv(d.rows), 'y.csv': lines(d.labels), 'params.json': '{"max_depth": 3, "eta": 0.3, "num_boost_round": 6}' });
  assert.equal((await runCli(['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--params', 'params.json', '--out', 'm.json'], { cwd })).code, 0);
  const r = await runCli(['export-onnx', '--model', 'm.json', '--out', 'm.onnx'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, 'wrote m.onnx (6 trees, input "input": float [N, 3])\n');
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(join(cwd, 'm.onnx'));
  const x = matrix(d.rows);
  const out = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.data), [x.nRows, x.nCols]) });
  const p = out.probabilities.data as Float32Array;
  const expected = predict(loadModel(cwd, 'm.json'), x);
  for (let i = 0; i < x.nRows; i++) assert.ok(Math.abs(p[2 * i + 1] - expected[i]) <= 1e-5);
  write(cwd, { 'bad.json': '{"learner": 3}' });
  const bad = await runCli(['export-onnx', '--model', 'bad.json', '--out', 'bad.onnx'], { cwd });
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, "sealed: bad.json, field 'learner': invalid XGBoost JSON model: expected an object, got 3\n");
  assert.ok(!existsSync(join(cwd, 'bad.onnx')));
});
