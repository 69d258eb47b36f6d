// Training parameters under their XGBoost names (and aliases), checked the way XGBoost's
// parameter declarations check them. Real-valued parameters are rounded to float32 because
// XGBoost stores them as `float`, which matters for bit-level agreement later.
import { UsageError } from '../core/index.ts';

export type ObjectiveName = 'binary:logistic' | 'reg:squarederror';
export type GrowPolicy = 'depthwise' | 'lossguide';

export interface TrainParams {
  readonly objective: ObjectiveName;
  readonly eta: number;
  readonly maxDepth: number;
  readonly maxLeaves: number;
  readonly growPolicy: GrowPolicy;
  readonly minChildWeight: number;
  readonly lambda: number;
  readonly alpha: number;
  readonly gamma: number;
  readonly maxDeltaStep: number;
  readonly maxBin: number;
  readonly baseScore: number;
  readonly numBoostRound: number;
  readonly nthread: number;
  readonly seed: number;
  readonly evalMetric: readonly string[];
}

/** What callers pass: XGBoost parameter names to numbers or strings. */
export type TrainParamsInput = Readonly<Record<string, unknown>>;

const OBJECTIVES: readonly ObjectiveName[] = ['binary:logistic', 'reg:squarederror'];
const METRICS = ['logloss', 'error', 'auc', 'rmse', 'mae', 'aucpr'];

/** Canonical name of each accepted parameter, keyed by every spelling. */
const CANONICAL: Readonly<Record<string, string>> = {
  objective: 'objective',
  eta: 'eta',
  learning_rate: 'eta',
  max_depth: 'max_depth',
  max_leaves: 'max_leaves',
  grow_policy: 'grow_policy',
  min_child_weight: 'min_child_weight',
  lambda: 'lambda',
  reg_lambda: 'lambda',
  alpha: 'alpha',
  reg_alpha: 'alpha',
  gamma: 'gamma',
  min_split_loss: 'gamma',
  max_delta_step: 'max_delta_step',
  max_bin: 'max_bin',
  base_score: 'base_score',
  num_boost_round: 'num_boost_round',
  nthread: 'nthread',
  n_jobs: 'nthread',
  seed: 'seed',
  random_state: 'seed',
  eval_metric: 'eval_metric',
  tree_method: 'tree_method',
};

export function parseTrainParams(input: TrainParamsInput): TrainParams {
  const given = new Map<string, { name: string; value: unknown }>();
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const canonical = CANONICAL[name];
    if (canonical === undefined) throw new UsageError('gbdt.unknownParam', { name });
    const earlier = given.get(canonical);
    if (earlier) throw new UsageError('gbdt.duplicateParam', { name, alias: earlier.name });
    given.set(canonical, { name, value });
  }
  const get = (key: string) => given.get(key);

  const objective = oneOf(get('objective'), OBJECTIVES, 'binary:logistic');
  oneOf(get('tree_method'), ['hist', 'auto'], 'hist');
  const growPolicy = oneOf(get('grow_policy'), ['depthwise', 'lossguide'] as const, 'depthwise');
  const maxDepth = integer(get('max_depth'), 6, 0);
  const maxLeaves = integer(get('max_leaves'), 0, 0);
  if (growPolicy === 'depthwise' && maxDepth === 0) {
    throw new UsageError('gbdt.badParam', {
      name: get('max_depth')?.name ?? 'max_depth',
      value: '0',
      expected: 'at least 1 with grow_policy depthwise',
    });
  }
  if (growPolicy === 'lossguide' && maxDepth === 0 && maxLeaves === 0) {
    throw new UsageError('gbdt.badParam', {
      name: 'max_leaves',
      value: '0',
      expected: 'at least 1 when max_depth is 0 (otherwise trees are unbounded)',
    });
  }
  const baseScoreEntry = get('base_score');
  const baseScore = real(baseScoreEntry, 0.5, -Infinity);
  if (objective === 'binary:logistic' && !(baseScore > 0 && baseScore < 1)) {
    throw new UsageError('gbdt.badParam', {
      name: baseScoreEntry?.name ?? 'base_score',
      value: String(baseScore),
      expected: 'in (0, 1) for binary:logistic',
    });
  }
  return {
    objective,
    eta: real(get('eta'), 0.3, 0),
    maxDepth,
    maxLeaves,
    growPolicy,
    minChildWeight: real(get('min_child_weight'), 1, 0),
    lambda: real(get('lambda'), 1, 0),
    alpha: real(get('alpha'), 0, 0),
    gamma: real(get('gamma'), 0, 0),
    maxDeltaStep: real(get('max_delta_step'), 0, 0),
    maxBin: integer(get('max_bin'), 256, 2, 65535),
    baseScore,
    numBoostRound: integer(get('num_boost_round'), 10, 0),
    nthread: integer(get('nthread'), 0, -1),
    seed: integer(get('seed'), 0, -Infinity),
    evalMetric: metrics(get('eval_metric')),
  };
}

type Entry = { name: string; value: unknown } | undefined;

function bad(e: { name: string; value: unknown }, expected: string): never {
  throw new UsageError('gbdt.badParam', { name: e.name, value: JSON.stringify(e.value) ?? String(e.value), expected });
}

function toNumber(e: { name: string; value: unknown }, expected: string): number {
  const v = e.value;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) bad(e, expected);
  return n;
}

function real(e: Entry, fallback: number, min: number): number {
  if (!e) return Math.fround(fallback);
  const expected = min === -Infinity ? 'a finite number' : `a number >= ${min}`;
  const n = toNumber(e, expected);
  if (n < min) bad(e, expected);
  return Math.fround(n);
}

function integer(e: Entry, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!e) return fallback;
  const expected = min === -Infinity ? 'an integer' : `an integer in [${min}, ${max}]`;
  const n = toNumber(e, expected);
  if (!Number.isInteger(n) || n < min || n > max) bad(e, expected);
  return n;
}

function oneOf<T extends string>(e: Entry, allowed: readonly T[], fallback: T): T {
  if (!e) return fallback;
  if (typeof e.value !== 'string' || !(allowed as readonly string[]).includes(e.value)) {
    bad(e, `one of ${allowed.join(', ')}`);
  }
  return e.value as T;
}

function metrics(e: Entry): readonly string[] {
  if (!e) return [];
  const list = Array.isArray(e.value) ? e.value : [e.value];
  for (const m of list) {
    if (typeof m !== 'string' || !METRICS.includes(m)) bad(e, `one or more of ${METRICS.join(', ')}`);
  }
  return list as string[];
}
