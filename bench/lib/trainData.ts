// The training matrix of the loan-default pipeline, as benchmarks need it: the augmented
// credit-risk CSV (bench/lib/creditData.ts) split 75/25 with seed 0 and preprocessed exactly
// as the pipeline does, saved as raw little-endian float64 files in bench/.cache so that both
// contestants load it in milliseconds (np.fromfile / readFile) and only training is compared.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/core/index.ts';
import { readCsvFile } from '../../src/data/index.ts';
import { createColumnTransformer, trainTestSplit } from '../../src/ml/index.ts';
import { FEATURE_COLUMNS, LABEL_COLUMN, LOAN_DEFAULT_PREPROCESSOR } from '../../src/pipelines/loan-default/index.ts';
import { ensureCreditCsv } from './creditData.ts';
import { benchCacheDir } from './paths.ts';

const VERSION = 1;

export interface TrainDataFiles {
  readonly xTrain: string;
  readonly yTrain: string;
  readonly xTest: string;
  readonly yTest: string;
  readonly nTrain: number;
  readonly nTest: number;
  readonly nCols: number;
  readonly source: 'real' | 'synthetic';
}

export async function ensureTrainData(rows: number): Promise<TrainDataFiles> {
  const { path: csv, source } = await ensureCreditCsv(rows);
  const stem = join(benchCacheDir(), `train_${rows}_${source}_v${VERSION}`);
  const metaPath = `${stem}.json`;
  const files = (m: TrainDataFiles): TrainDataFiles => ({
    ...m,
    xTrain: `${stem}.x_train.f64`,
    yTrain: `${stem}.y_train.f64`,
    xTest: `${stem}.x_test.f64`,
    yTest: `${stem}.y_test.f64`,
  });
  if (existsSync(metaPath)) return files(JSON.parse(readFileSync(metaPath, 'utf8')) as TrainDataFiles);
  const table = await readCsvFile(csv);
  const { train, test } = trainTestSplit(table.numRows, { testSize: 0.25, seed: 0 });
  const tr = table.take(train);
  const te = table.take(test);
  const { fitted, matrix: xTrain } = createColumnTransformer(LOAN_DEFAULT_PREPROCESSOR).fitTransform(tr.select(FEATURE_COLUMNS));
  const xTest = fitted.transform(te.select(FEATURE_COLUMNS));
  const out = files({ xTrain: '', yTrain: '', xTest: '', yTest: '', nTrain: xTrain.nRows, nTest: xTest.nRows, nCols: xTrain.nCols, source });
  const bytes = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  await writeFileAtomic(out.xTrain, bytes(xTrain.data));
  await writeFileAtomic(out.yTrain, bytes(Float64Array.from(tr.numeric(LABEL_COLUMN).values)));
  await writeFileAtomic(out.xTest, bytes(xTest.data));
  await writeFileAtomic(out.yTest, bytes(Float64Array.from(te.numeric(LABEL_COLUMN).values)));
  // Written last: its presence says the four data files are complete.
  await writeFileAtomic(metaPath, JSON.stringify({ nTrain: out.nTrain, nTest: out.nTest, nCols: out.nCols, source }, null, 2) + '\n');
  return out;
}

/** A float64 file written by ensureTrainData. */
export function readF64(path: string): Float64Array {
  const b = readFileSync(path);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
