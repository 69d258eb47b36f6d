// Reads the XGBoost model-format fixtures written by fixtures/gbdt/make_format_fixtures.py:
// every model kind saved as .json and .ubj by XGBoost 1.7.4, with XGBoost's predictions and
// feature importances on a shared input matrix.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '../../helpers/sharedData.ts';
import { denseMatrix, type DenseMatrix, type ImportanceType } from '../../../src/gbdt/index.ts';

export interface RangeExpectation {
  range: [number, number];
  margin: number[];
  prediction: number[];
}

export interface FormatFixture {
  params: Record<string, unknown>;
  objective: string;
  numClass: number;
  margin: number[];
  prediction: number[];
  /** XGBoost pred_contribs, flattened (rows x groups x (features + 1)). */
  contribs: number[];
  ranges: RangeExpectation[];
  importance: Record<ImportanceType, Record<string, number>>;
}

export interface FormatFixtures {
  x: DenseMatrix;
  models: Record<string, FormatFixture>;
}

export const formatsDir = resolve(repoRoot, 'fixtures/gbdt/formats');

export function loadFormatFixtures(): FormatFixtures {
  const d = JSON.parse(readFileSync(resolve(formatsDir, 'expectations.json'), 'utf8'));
  const data = Float64Array.from(d.x as (number | null)[], (v) => (v === null ? NaN : v));
  return { x: denseMatrix(data, d.nRows, d.nCols), models: d.models };
}

/** The bytes of a fixture model file as XGBoost wrote it. */
export function fixtureModelBytes(name: string, ext: 'json' | 'ubj'): Uint8Array {
  return new Uint8Array(readFileSync(resolve(formatsDir, `${name}.${ext}`)));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
