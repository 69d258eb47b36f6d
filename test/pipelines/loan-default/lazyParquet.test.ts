// datasetFiles.ts loads the Parquet code on first Parquet use and tells Parquet by its first
// bytes itself: the same answer as data/parquet's isParquetSource on every kind of content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isParquetSource as parquetModuleSays, writeParquetVector } from '../../../src/data/parquet/index.ts';
import { isParquetSource, loadParquet, readLabels, writeLabels } from '../../../src/pipelines/loan-default/datasetFiles.ts';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';

test('isParquetSource agrees with data/parquet on Parquet, CSV, empty, short and PAR1-prefixed text files', async () => {
  const dir = tempDir();
  const parquet = join(dir, 'y.parquet');
  await writeParquetVector('loan_status', Float64Array.of(0, 1, 1), parquet);
  const files: [string, string | Uint8Array][] = [
    ['y.csv', '0\n1\n'],
    ['empty.csv', ''],
    ['short', 'PAR'],
    ['par1-text.csv', 'PAR1,a\n1,2\n'],
    ['lower.csv', 'par1\n'],
  ];
  for (const [name, content] of files) writeFileSync(join(dir, name), content);
  for (const path of [parquet, ...files.map(([name]) => join(dir, name))]) {
    assert.equal(await isParquetSource(path), await parquetModuleSays(path), path);
  }
  assert.equal(await isParquetSource(parquet), true);
});

test('labels written and read as Parquet through the lazily loaded module: the same values', async () => {
  const path = join(tempDir(), 'y.parquet');
  const labels = Float64Array.of(1, 0, 0, 1);
  await writeLabels(labels, path);
  assert.deepEqual(await readLabels(path), labels);
  assert.equal(await loadParquet(), await loadParquet(), 'imported once');
});
