// A large credit-risk CSV for benchmarks, made exactly as the pipeline's load-data step makes
// it (the same augmentation, seeded) and cached in bench/.cache. From the real file when present,
// otherwise from the embedded synthetic data.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvFile, writeCsv } from '../../src/data/index.ts';
import { augmentRows } from '../../src/ml/index.ts';
import { CREDIT_RISK_AUGMENT_SPEC, generateSyntheticCreditRisk, LABEL_COLUMN } from '../../src/pipelines/loan-default/index.ts';
import { benchCacheDir, realDataPath } from './paths.ts';

const VERSION = 2;

/** Path of a cached CSV with `rows` rows (generated on first use). */
export async function ensureCreditCsv(rows: number, seed = 42): Promise<{ path: string; source: 'real' | 'synthetic' }> {
  const real = realDataPath();
  const source = real ? 'real' : 'synthetic';
  const path = join(benchCacheDir(), `credit_risk_${rows}_${source}_s${seed}_v${VERSION}.csv`);
  if (existsSync(path)) return { path, source };
  const base = real ? await readCsvFile(real) : generateSyntheticCreditRisk({ rows: 32581, seed });
  const { table } = augmentRows(base, { dataSize: rows, seed, label: LABEL_COLUMN, spec: CREDIT_RISK_AUGMENT_SPEC });
  await writeCsv(table, path); // atomic: a crash never leaves a half-written cache file
  return { path, source };
}
