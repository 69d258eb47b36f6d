// Reads the Python XGBoost fixtures written by fixtures/gbdt/make_fixtures.py.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '../helpers/sharedData.ts';
import { denseMatrix, type DenseMatrix } from '../../src/gbdt/index.ts';

export interface FixtureModel {
  params: Record<string, unknown>;
  label: 'bin' | 'reg';
  margin: number[];
  prediction: number[];
}

export interface Fixtures {
  x: DenseMatrix;
  yBin: number[];
  yReg: number[];
  models: Record<string, FixtureModel>;
}

const dir = resolve(repoRoot, 'fixtures/gbdt');

export function loadFixtures(): Fixtures {
  const d = JSON.parse(readFileSync(resolve(dir, 'data.json'), 'utf8'));
  const data = Float64Array.from(d.x as (number | null)[], (v) => (v === null ? NaN : v));
  return { x: denseMatrix(data, d.nRows, d.nCols), yBin: d.y_bin, yReg: d.y_reg, models: d.models };
}

export function fixtureModelText(name: string): string {
  return readFileSync(resolve(dir, `model_${name}.json`), 'utf8');
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
