// Reads the XGBoost training fixtures written by fixtures/gbdt/make_training_fixtures.py.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '../../helpers/sharedData.ts';
import { denseMatrix, type DenseMatrix } from '../../../src/gbdt/index.ts';

const dir = resolve(repoRoot, 'fixtures/gbdt/training');

export type LabelKind = 'bin' | 'reg' | 'frac' | 'multi';

export interface FixtureSet {
  readonly x: DenseMatrix;
  readonly labels: Readonly<Record<LabelKind, number[]>>;
  readonly weights: number[];
}

export interface CompactTree {
  left: number[];
  split_indices: number[];
  split_conditions: number[];
  default_left: number[];
  group: number;
}

export interface TrainingCase {
  params: Record<string, unknown>;
  label: LabelKind;
  weighted: boolean;
  evals_result: Record<string, Record<string, (number | null)[]>>;
  attributes: Record<string, string>;
  num_trees: number;
  trees?: CompactTree[];
  train_margin: number[];
  valid_prediction: number[];
  best_iteration?: number;
  best_score?: number;
}

export interface MetricFixture {
  params: Record<string, unknown>;
  num_group: number;
  sets: Record<
    string,
    { labels: number[]; weights: number[] | null; predictions: number[][]; values: Record<string, (number | null)[]> }
  >;
}

const read = (name: string): unknown => JSON.parse(readFileSync(resolve(dir, name), 'utf8'));
const nanOf = (v: number | null): number => (v === null ? NaN : v);

export function loadTrainingSets(): { train: FixtureSet; valid: FixtureSet } {
  const d = read('data.json') as { nCols: number; sets: Record<string, Record<string, (number | null)[]> & { nRows: number }> };
  const set = (name: string): FixtureSet => {
    const s = d.sets[name];
    return {
      x: denseMatrix(Float64Array.from(s.x, nanOf), s.nRows, d.nCols),
      labels: { bin: s.bin as number[], reg: s.reg as number[], frac: s.frac as number[], multi: s.multi as number[] },
      weights: s.w as number[],
    };
  };
  return { train: set('train'), valid: set('valid') };
}

export function loadCase(name: string): TrainingCase {
  return read(`case_${name}.json`) as TrainingCase;
}

export function loadMetricFixture(name: string): MetricFixture {
  return read(`metrics_${name}.json`) as MetricFixture;
}

export function fixtureText(name: string): string {
  return readFileSync(resolve(dir, name), 'utf8');
}

export const caseNames = [
  'binary_weighted',
  'binary_scale_pos_weight',
  'logitraw',
  'reg_logistic',
  'squarederror_weighted',
  'softprob_weighted',
  'softmax',
] as const;

/** null in a fixture's value list stands for NaN. */
export const fixtureValue = nanOf;
