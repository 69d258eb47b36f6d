import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMatrix, readMatrixBatches } from '../../../src/pipelines/loan-default/datasetFiles.ts';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';

test('a matrix read in batches (as batch-inference streams it) is the matrix read at once; a bad field is still refused', async () => {
  const dir = tempDir();
  const path = join(dir, 'x.csv');
  const rows = Array.from({ length: 1003 }, (_, r) => [r * 0.5, r % 7 === 0 ? '' : -r, 1e-3 * r].join(','));
  writeFileSync(path, rows.join('\n') + '\n');
  const whole = await readMatrix(path);
  const batches = [];
  for await (const b of readMatrixBatches(path, 100)) batches.push(b);
  assert.equal(batches.length, 11);
  assert.deepEqual(batches.map((b) => b.nRows), [...Array(10).fill(100), 3]);
  assert.deepEqual(Array.from(batches.flatMap((b) => Array.from(b.data))), Array.from(whole.data));
  writeFileSync(path, rows.slice(0, 500).join('\n') + '\nx,1,2\n');
  await assert.rejects(async () => {
    for await (const b of readMatrixBatches(path, 100)) void b;
  }, /line 501/);
});
