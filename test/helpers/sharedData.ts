// Locates the real Kaggle credit-risk CSV in ../shared/data beside the repository (never
// committed). Tests and benchmarks that need it skip cleanly when it is absent.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export function realDataPath(): string | undefined {
  const p = process.env.SEALED_REAL_DATA ?? resolve(repoRoot, '../shared/data/credit_risk_dataset.csv');
  return existsSync(p) ? p : undefined;
}

/** Pass as `{ skip: skipWithoutRealData() }` to node:test. */
export function skipWithoutRealData(): string | false {
  return realDataPath() ? false : 'real dataset ../shared/data/credit_risk_dataset.csv not present';
}
