// The in-process hand-off of datasets between steps (data/memo): over every dataset of whole
// runs, what a step got from the memo deep-equals (byte for byte: typed arrays, NaN bits, -0,
// dictionaries, column order) what parsing the file would give, and every artifact and metric
// is the same as with the memo off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clearWrittenMemo, setWrittenMemoEnabled, writtenMemoStats } from '../../../src/data/memo/index.ts';
import { setCompileMemoAudit } from '../../../src/pipelines/loan-default/components/compileModel.ts';
import { setDatasetMemoAudit } from '../../../src/pipelines/loan-default/datasetFiles.ts';
import { initKeyFolder } from '../../../src/seal/index.ts';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';
import { sealed, writeRawCsv } from './helpers.ts';

interface Manifest {
  tasks: Record<string, { outputs: Record<string, { path: string; sha256: string; metadata?: { sealed?: { plaintextSha256?: string } } }> }>;
}

async function run(cwd: string, dir: string, extra: string[]): Promise<Manifest> {
  const r = await sealed(['run', '--run-dir', dir, '--json', ...extra], cwd);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(readFileSync(join(cwd, dir, 'run.json'), 'utf8')) as Manifest;
}

/** Each artifact's content digest (of the plaintext, for a sealed run). */
const digests = (m: Manifest): Record<string, string> =>
  Object.fromEntries(
    Object.entries(m.tasks).flatMap(([t, task]) => Object.entries(task.outputs).map(([o, out]) => [`${t}/${o}`, out.metadata?.sealed?.plaintextSha256 ?? out.sha256])),
  );

for (const [name, extra] of [
  ['embedded synthetic data', [] as string[]],
  ['an augmented CSV with missing values (source_row column, grouped split)', ['--data-size', '3000', '--seed', '7', '--split', 'grouped']],
  // Sealed: the memo's content check reads through the sealing codec (decrypted, verified).
  ['a sealed run', ['--data-size', '2500', '--seal', '--keys', 'keys']],
] as const) {
  test(`memo hand-off, ${name}: every remembered dataset equals its parse, artifacts unchanged`, async () => {
    const cwd = tempDir();
    await initKeyFolder(join(cwd, 'keys'));
    const args = extra.length > 0 ? ['--data-url', writeRawCsv(cwd, 'raw.csv', 1200, 5), ...extra] : [];
    clearWrittenMemo();
    const audited: string[] = [];
    setDatasetMemoAudit((label, fromMemo, parsed) => {
      assert.deepStrictEqual(fromMemo, parsed, label);
      audited.push(label);
    });
    // The model compile-model took from memory compiles to the same bytes as the parsed file.
    const compiled: string[] = [];
    setCompileMemoAudit((label, fromMemo, parsed) => {
      assert.ok(Buffer.from(fromMemo).equals(Buffer.from(parsed)), label);
      compiled.push(label);
    });
    let withMemo: Manifest;
    const before = writtenMemoStats().hits;
    try {
      withMemo = await run(cwd, 'memo', args);
    } finally {
      setDatasetMemoAudit(undefined);
      setCompileMemoAudit(undefined);
    }
    // raw, x_train, y_train, x_test, y_test, x_train_processed, x_test_processed (small: kept
    // through training), the trained model (compile-model), prediction_data
    assert.equal(writtenMemoStats().hits - before, 9, audited.join('\n'));
    assert.deepEqual(compiled.map((l) => l.split('/').slice(-2).join('/')), ['train-model/model.json']);
    assert.deepEqual(audited.map((l) => l.split('/').slice(-2).join('/')).sort(), [
      'batch-inference/prediction_data.csv',
      'create-train-test-set/x_test_data.csv',
      'create-train-test-set/x_train_data.csv',
      'create-train-test-set/y_test_data.csv',
      'create-train-test-set/y_train_data.csv',
      'load-data/credit_risk_dataset.csv',
      'preprocess-features/x_test_processed.csv',
      'preprocess-features/x_train_processed.csv',
    ]);
    assert.equal(writtenMemoStats().entries, 0, 'every remembered value was handed on');
    // The same run with nothing remembered (each read parses): identical artifacts.
    const parsedOnly = await runWithoutMemo(cwd, args);
    assert.deepEqual(digests(withMemo), digests(parsedOnly));
  });
}

/** A run whose readers always parse: every remembered value is dropped before it is read. */
async function runWithoutMemo(cwd: string, args: string[]): Promise<Manifest> {
  setWrittenMemoEnabled(false);
  try {
    return await run(cwd, 'parsed', args);
  } finally {
    setWrittenMemoEnabled(true);
  }
}

test('attack: a dataset edited between steps (same size, mtime restored) is read from disk, not from memory', async () => {
  const { writeFeatures, readFeatures } = await import('../../../src/pipelines/loan-default/datasetFiles.ts');
  const { generateSyntheticCreditRisk } = await import('../../../src/pipelines/loan-default/index.ts');
  const { statSync, utimesSync, writeFileSync } = await import('node:fs');
  clearWrittenMemo();
  const path = join(tempDir(), 'x_train.csv');
  const table = generateSyntheticCreditRisk({ rows: 40, seed: 2 });
  await writeFeatures(table, path);
  const st = statSync(path);
  const lines = readFileSync(path, 'utf8').split('\n');
  const age = lines[1].split(',')[0];
  const edited = String((Number(age[0]) + 1) % 10) + age.slice(1);
  lines[1] = [edited, ...lines[1].split(',').slice(1)].join(',');
  writeFileSync(path, lines.join('\n'));
  utimesSync(path, st.atime, st.mtime);
  assert.equal(statSync(path).size, st.size);
  const got = await readFeatures(path);
  assert.equal(got.numeric('person_age').values[0], Number(edited));
  assert.notEqual(got.numeric('person_age').values[0], table.numeric('person_age').values[0]);
  assert.deepStrictEqual(got, await readFeatures(path), 'what the parse gives');
});

test('a remembered matrix read in batches: the same batches as the parse (sizes and values)', async () => {
  const { writeMatrix, readMatrixBatches } = await import('../../../src/pipelines/loan-default/datasetFiles.ts');
  const path = join(tempDir(), 'm.csv');
  const data = Float64Array.from({ length: 1000 * 3 }, (_, i) => (i % 7 === 0 ? NaN : i % 5 === 0 ? -0 : Math.cos(i)));
  const collect = async () => {
    const out: { nRows: number; nCols: number; data: number[] }[] = [];
    for await (const b of readMatrixBatches(path, 300)) out.push({ nRows: b.nRows, nCols: b.nCols, data: [...b.data] });
    return out;
  };
  clearWrittenMemo();
  await writeMatrix({ data, nRows: 1000, nCols: 3 }, path);
  const hits = writtenMemoStats().hits;
  const fromMemo = await collect();
  assert.equal(writtenMemoStats().hits, hits + 1);
  const parsed = await collect();
  assert.deepStrictEqual(fromMemo, parsed);
  assert.deepEqual(fromMemo.map((b) => b.nRows), [300, 300, 300, 100]);
  await writeMatrix({ data, nRows: 1000, nCols: 3 }, path, undefined, { remember: false });
  assert.equal(writtenMemoStats().entries, 1, 'remember: false still keeps a small matrix');
  clearWrittenMemo();
});

test('remember: false keeps nothing of a matrix over SMALL_MATRIX_BYTES (held through training it would raise the peak)', async () => {
  const { writeMatrix, SMALL_MATRIX_BYTES } = await import('../../../src/pipelines/loan-default/datasetFiles.ts');
  const path = join(tempDir(), 'big.csv');
  const nCols = 4;
  const nRows = SMALL_MATRIX_BYTES / 8 / nCols + 1;
  clearWrittenMemo();
  await writeMatrix({ data: new Float64Array(nRows * nCols), nRows, nCols }, path, undefined, { remember: false });
  assert.equal(writtenMemoStats().entries, 0);
  await writeMatrix({ data: new Float64Array((nRows - 1) * nCols), nRows: nRows - 1, nCols }, path, undefined, { remember: false });
  assert.equal(writtenMemoStats().entries, 1, 'exactly SMALL_MATRIX_BYTES is kept');
  clearWrittenMemo();
});
