// `sealed gbdt predict` reads the feature CSV as columns and scores them without a row-major
// copy: the predictions and the errors must be what the row-major reading gave.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileModel, parseModel, predict } from '../../src/gbdt/index.ts';
import { listTree, tempDir } from '../pipeline/helpers/tempDir.ts';
import { runCli } from './helpers.ts';

test('predictions from the column reader equal the model\'s on the row-major matrix, on 1 and 2 threads', async () => {
  const cwd = tempDir();
  const rows = Array.from({ length: 9000 }, (_, i) => [Math.sin(i) * 3, i % 7 === 0 ? NaN : Math.cos(i * 0.7), (i * 37) % 11]);
  const labels = rows.map((r) => (r[0] + (r[2] > 5 ? 1 : 0) > 0.5 ? 1 : 0));
  writeFileSync(join(cwd, 'X.csv'), rows.map((r) => r.map((v) => (Number.isNaN(v) ? '' : String(v))).join(',')).join('\n') + '\n');
  writeFileSync(join(cwd, 'y.csv'), labels.join('\n') + '\n');
  writeFileSync(join(cwd, 'params.json'), '{"max_depth": 4, "num_boost_round": 20}');
  const t = await runCli(['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--params', 'params.json', '--out', 'm.json'], { cwd });
  assert.equal(t.code, 0, t.stderr);
  const model = parseModel(readFileSync(join(cwd, 'm.json')), 'm.json');
  const m = { data: Float64Array.from(rows.flat()), nRows: rows.length, nCols: 3 };
  const expected = Array.from(predict(model, m), String).join('\n') + '\n';
  assert.equal(Array.from(compileModel(model).predict(m), String).join('\n') + '\n', expected);
  for (const threads of ['1', '2']) {
    const r = await runCli(['gbdt', 'predict', '--model', 'm.json', '--data', 'X.csv', '--out', `p${threads}.csv`, '--threads', threads], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(cwd, `p${threads}.csv`), 'utf8'), expected);
  }
});

test('attack: infinities in several cells are reported at the first in row order, and nothing is written', async () => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'X.csv'), '1,2,3\n4,5,6\n0,1,0\n1,0,1\n');
  writeFileSync(join(cwd, 'y.csv'), '0\n1\n0\n1\n');
  writeFileSync(join(cwd, 'params.json'), '{"max_depth": 2, "num_boost_round": 2, "min_child_weight": 0}');
  assert.equal((await runCli(['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--params', 'params.json', '--out', 'm.json'], { cwd })).code, 0);
  // A later column of an earlier row beats an earlier column of a later row; in one row, the first column wins.
  writeFileSync(join(cwd, 'inf1.csv'), '1,2,3\n\n4,5,-inf\n-inf,1,2\n');
  writeFileSync(join(cwd, 'inf2.csv'), '1,2,3\n4,inf,Infinity\n');
  const before = listTree(cwd);
  for (const [file, message] of [
    ['inf1.csv', "inf1.csv, line 3, column 3: feature value '-inf' must be a finite number (leave the field empty for a missing value)"],
    ['inf2.csv', "inf2.csv, line 2, column 2: feature value 'inf' must be a finite number (leave the field empty for a missing value)"],
  ]) {
    const r = await runCli(['gbdt', 'predict', '--model', 'm.json', '--data', file, '--out', 'p.csv'], { cwd });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `sealed: ${message}\n`);
  }
  assert.deepEqual(listTree(cwd), before);
});
