// The data steps' outputs, byte for byte: augmentation, split and preprocessing of a fixed
// synthetic table through the same library calls the loan-default steps make, written as the
// steps write them, hashed. The hashes were taken from the code before issue 17's speed work
// (per-value String(x) CSV writing, sort-based medians, one-thread Yeo-Johnson); any change in
// a value, a digit or a byte of these files fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCsv, numericColumn, Table, writeMatrixCsv } from '../../src/data/index.ts';
import { augmentRows, createColumnTransformer, trainTestSplit, type DenseMatrix } from '../../src/ml/index.ts';
import { CREDIT_RISK_AUGMENT_SPEC, FEATURE_COLUMNS, generateSyntheticCreditRisk, LOAN_DEFAULT_PREPROCESSOR } from '../../src/pipelines/loan-default/index.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';

const sha = (b: string | Uint8Array): string => createHash('sha256').update(b).digest('hex');

const GOLDEN = {
  raw: '30bf9d45d78f816bffb76cd9f643c4313f1ae128369538ae29d280247eec2fd8',
  xTrain: 'd37769cf99059c030d2533b5b75c486008e6322e999e65fd8445d8f1f913d0f0',
  yTest: '225e0761d59291171d4e9e86ecde8da6783f4c198f1e767a935a574f9bf51123',
  trainMatrix: 'e1800faff16446dba5fa1424186d0de4a8b8d5a3190f65451e8bf4f362a96481',
  testMatrix: '1918896e650cb29eaaeb2d0f28f06ce916f6accd6bbfcce620fd8fd772372891',
  preprocessor: '4b2127a66c7ca9cf89cd09d5882a051425fb99aaf5795930cbef510d392c3f19',
};

function splitTables() {
  const source = generateSyntheticCreditRisk({ rows: 3000, seed: 7 });
  const { table: grown, sourceRow } = augmentRows(source, { dataSize: 40000, seed: 3, label: 'loan_status', spec: CREDIT_RISK_AUGMENT_SPEC });
  const raw = new Table([...grown.columns, numericColumn('source_row', Float64Array.from(sourceRow))]);
  const idx = trainTestSplit(raw.numRows, { testSize: 0.25, seed: 0 });
  return { raw, train: raw.take(idx.train), test: raw.take(idx.test) };
}

async function matrixHash(m: DenseMatrix, path: string): Promise<string> {
  await writeMatrixCsv(m.data, m.nRows, m.nCols, path);
  return sha(readFileSync(path));
}

test('load-data and create-train-test-set outputs are byte-identical to the golden hashes', () => {
  const { raw, train, test: testSet } = splitTables();
  assert.equal(sha(formatCsv(raw)), GOLDEN.raw);
  assert.equal(sha(formatCsv(train.select(FEATURE_COLUMNS))), GOLDEN.xTrain);
  assert.equal(sha(formatCsv(new Table([numericColumn('y', testSet.numeric('loan_status').values)]), { header: false })), GOLDEN.yTest);
});

test('preprocess-features outputs are byte-identical to the golden hashes, fitted on one thread or on workers', async () => {
  const { train, test: testSet } = splitTables();
  const dir = tempDir();
  const spec = createColumnTransformer(LOAN_DEFAULT_PREPROCESSOR);
  const sync = spec.fitTransform(train.select(FEATURE_COLUMNS));
  const parallel = await spec.fitAsync(train.select(FEATURE_COLUMNS), { threads: 2, minValuesForWorkers: 0 });
  for (const fitted of [sync.fitted, parallel]) {
    assert.equal(await matrixHash(fitted.transform(train.select(FEATURE_COLUMNS)), join(dir, 'tr.csv')), GOLDEN.trainMatrix);
    assert.equal(await matrixHash(fitted.transform(testSet.select(FEATURE_COLUMNS)), join(dir, 'te.csv')), GOLDEN.testMatrix);
    assert.equal(sha(JSON.stringify(fitted.toJSON(), null, 2)), GOLDEN.preprocessor);
  }
  assert.equal(await matrixHash(sync.matrix, join(dir, 'tr2.csv')), GOLDEN.trainMatrix);
});
