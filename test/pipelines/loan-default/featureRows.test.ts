// The split writes its features by copying load-data's kept CSV text (data/csv/keptText.ts)
// when the raw table came from this process's write: the files must be byte for byte what
// formatting writes, for an augmented table (its categories renumbered by the memo's conform).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvRowsFromKeptText, KEEP_MIN_ROWS, numericColumn, Table } from '../../../src/data/index.ts';
import { augmentRows, trainTestSplit } from '../../../src/ml/index.ts';
import { CREDIT_RISK_AUGMENT_SPEC } from '../../../src/pipelines/loan-default/augmentSpec.ts';
import { readRawDataset, SOURCE_ROW_COLUMN, writeFeatureRows, writeFeatures, writeRawDataset } from '../../../src/pipelines/loan-default/datasetFiles.ts';
import { FEATURE_COLUMNS, LABEL_COLUMN } from '../../../src/pipelines/loan-default/schema.ts';
import { generateSyntheticCreditRisk } from '../../../src/pipelines/loan-default/syntheticData.ts';
import { tempDir } from '../../data/tmpFiles.ts';

test('split features copied from the kept raw text equal the formatted ones, train and test', async () => {
  const dir = tempDir();
  const source = generateSyntheticCreditRisk({ rows: 2000, seed: 3 });
  const { table: grown, sourceRow } = augmentRows(source, { dataSize: KEEP_MIN_ROWS + 5000, seed: 3, label: LABEL_COLUMN, spec: CREDIT_RISK_AUGMENT_SPEC });
  const raw = new Table([...grown.columns, numericColumn(SOURCE_ROW_COLUMN, Float64Array.from(sourceRow))]);
  await writeRawDataset(raw, join(dir, 'raw.csv'), 'csv');
  const data = await readRawDataset(join(dir, 'raw.csv')); // the memo's table, as the split gets it
  const { train, test: testRows } = trainTestSplit(data.numRows, { testSize: 0.25, seed: 5 });
  const kept = data.select([...FEATURE_COLUMNS, LABEL_COLUMN]);
  for (const [name, rows] of [['train', train], ['test', testRows]] as const) {
    assert.ok(csvRowsFromKeptText(data, FEATURE_COLUMNS, rows), `${name}: copied, not formatted`);
    const taken = kept.take(rows);
    await writeFeatureRows(data, rows, taken, join(dir, `x_${name}_copied.csv`), 'csv');
    await writeFeatures(taken, join(dir, `x_${name}_formatted.csv`), 'csv');
    assert.ok(readFileSync(join(dir, `x_${name}_copied.csv`)).equals(readFileSync(join(dir, `x_${name}_formatted.csv`))), name);
  }
});

test('a raw table parsed from a file (not written by this process) is formatted as before', async () => {
  const dir = tempDir();
  const raw = generateSyntheticCreditRisk({ rows: 500, seed: 4 });
  await writeRawDataset(raw, join(dir, 'raw.csv'), 'csv');
  const parsed = await readRawDataset(join(dir, 'raw.csv'));
  const again = await readRawDataset(join(dir, 'raw.csv')); // the memo was used once: this one is parsed
  const rows = Int32Array.of(3, 1, 2);
  assert.equal(csvRowsFromKeptText(again, FEATURE_COLUMNS, rows), undefined);
  await writeFeatureRows(again, rows, again.take(rows), join(dir, 'x.csv'), 'csv');
  await writeFeatures(parsed.take(rows), join(dir, 'y.csv'), 'csv');
  assert.ok(readFileSync(join(dir, 'x.csv')).equals(readFileSync(join(dir, 'y.csv'))));
});
