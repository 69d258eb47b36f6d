// Training parameters under their XGBoost names (and aliases), checked the way XGBoost's
// parameter declarations check them. Real-valued parameters are rounded to float32 because
// XGBoost stores them as `float`, which matters for bit-level agreement later.
//
// Decisions (XGBoost 1.7 unless said):
//   - objective defaults to binary:logistic (this project's task), not XGBoost's reg:squarederror;
//   - base_score defaults to 0.5 and is used as given (1.7 has no intercept estimation for
//     these objectives); in (0, 1) for the logistic objectives;
//   - tree_method: 'hist', or 'auto' meaning hist (XGBoost 1.7's auto would pick exact or
//     approx, which we do not implement); anything else is refused;
//   - subsample and colsample_* must be in (0, 1] (XGBoost allows 0, which samples nothing);
//   - accepted and ignored: verbosity, validate_parameters (we always validate); accepted only at
//     their defaults: booster 'gbtree', sampling_method 'uniform', num_parallel_tree 1;
//   - num_boost_round (alias n_estimators) and early_stopping_rounds, arguments of XGBoost's
//     Python `train`, are parameters here;
//   - undefined or null means "not given".
//
// Sizes are bounded so that memory stays bounded (PARAM_LIMITS below; memoryBudget.ts for the
// memory the sizes need together): a parameter error quotes at most an excerpt of the value.
import { excerpt, nearestName, UsageError } from '../core/index.ts';
import { checkMemory, minimumModelBytes } from './memoryBudget.ts';
import { countText } from './common/countText.ts';
import { createMetric, supportedMetrics } from './metric/index.ts';
import { baseScoreIsProbability, isMultiClassObjective } from './objective/index.ts';

export type ObjectiveName =
  | 'binary:logistic'
  | 'binary:logitraw'
  | 'reg:squarederror'
  | 'reg:logistic'
  | 'multi:softprob'
  | 'multi:softmax';
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
  /** Stop when the last eval set's last metric has not improved for this many rounds; 0 = never. */
  readonly earlyStoppingRounds: number;
  /** Threads for tree growing; 0 or -1: all cores. */
  readonly nthread: number;
  readonly seed: number;
  /** Fraction of rows each tree is grown on (uniform sampling). */
  readonly subsample: number;
  readonly colsampleBytree: number;
  readonly colsampleBylevel: number;
  readonly colsampleBynode: number;
  readonly scalePosWeight: number;
  /** XGBoost num_class: >= 2 for multi:*, else 0. */
  readonly numClass: number;
  /** Metric names as XGBoost reports them, in order, without duplicates; empty: the objective's default. */
  readonly evalMetric: readonly string[];
  readonly disableDefaultEvalMetric: boolean;
  /** Canonical names of the parameters the caller gave; the others hold defaults. */
  readonly given: ReadonlySet<string>;
}

/** What callers pass: XGBoost parameter names to numbers, strings, booleans or (eval_metric) lists. */
export type TrainParamsInput = Readonly<Record<string, unknown>>;

/** Defaults taken from a model being continued instead of XGBoost's (XGBoost keeps them too). */
export interface InheritedParams {
  readonly objective: string;
  readonly numClass: number;
  readonly baseScore: number;
}

const OBJECTIVES: readonly ObjectiveName[] = [
  'binary:logistic',
  'binary:logitraw',
  'reg:squarederror',
  'reg:logistic',
  'multi:softprob',
  'multi:softmax',
];

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
  n_estimators: 'num_boost_round',
  early_stopping_rounds: 'early_stopping_rounds',
  subsample: 'subsample',
  colsample_bytree: 'colsample_bytree',
  colsample_bylevel: 'colsample_bylevel',
  colsample_bynode: 'colsample_bynode',
  scale_pos_weight: 'scale_pos_weight',
  num_class: 'num_class',
  nthread: 'nthread',
  n_jobs: 'nthread',
  seed: 'seed',
  random_state: 'seed',
  eval_metric: 'eval_metric',
  disable_default_eval_metric: 'disable_default_eval_metric',
  tree_method: 'tree_method',
  booster: 'booster',
  sampling_method: 'sampling_method',
  num_parallel_tree: 'num_parallel_tree',
  verbosity: 'verbosity',
  validate_parameters: 'validate_parameters',
};

/**
 * Upper bounds of the size parameters, each with its reason. XGBoost's own bounds are the floor:
 * nothing XGBoost accepts and this engine can hold is refused here.
 *   max_depth   XGBoost sets only a lower bound (src/tree/param.h, DMLC_DECLARE_FIELD(max_depth)),
 *               and TrainParam::MaxNodes refuses > 30 when max_leaves is 0 (2^31 - 1 nodes would
 *               overflow bst_node_t). Tree depth drives TreeSHAP's tables ((depth + 2)^2
 *               doubles per path) and the recursive tree walks, so deeper than 1024 is refused;
 *               tree size itself is bounded by the memory budget.
 *   max_leaves  2 * max_leaves - 1 node ids must fit int32 (XGBoost's MaxNodes computes it as
 *               bst_node_t, RegTree's node ids here are Int32Array).
 *   max_bin     bin indices, with the missing-value slot, are stored in 16 bits
 *               (data/binnedMatrix.ts); XGBoost's lower bound 2 (src/tree/param.h).
 *   nthread     one worker thread (a V8 isolate, ~10 MB) per thread; XGBoost has no bound, but
 *               1024 is far above any core count, as the train-model component's nthread.
 *   num_class, num_boost_round: bounded together by memory (every round adds num_class trees;
 *               memoryBudget.ts), not by a fixed number.
 */
export const PARAM_LIMITS = {
  maxDepth: 1024,
  maxLeaves: 2 ** 30,
  maxBin: 65_535,
  nthread: 1024,
} as const;

/** Every accepted spelling (for suggestions and documentation). */
export const knownParamNames: readonly string[] = Object.keys(CANONICAL);

type Entry = { readonly name: string; readonly value: unknown } | undefined;

export function parseTrainParams(input: TrainParamsInput, inherited?: InheritedParams): TrainParams {
  const given = new Map<string, { name: string; value: unknown }>();
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    const canonical = Object.hasOwn(CANONICAL, name) ? CANONICAL[name] : undefined;
    if (canonical === undefined) {
      // Edit distance costs length x length: no suggestion for names no parameter is near.
      const suggestion = name.length <= 64 ? nearestName(name, knownParamNames) : undefined;
      throw new UsageError('gbdt.unknownParam', suggestion === undefined ? { name: excerpt(name) } : { name: excerpt(name), suggestion });
    }
    const earlier = given.get(canonical);
    if (earlier) throw new UsageError('gbdt.duplicateParam', { name: excerpt(name), alias: excerpt(earlier.name) });
    given.set(canonical, { name, value });
  }
  const get = (key: string): Entry => given.get(key);

  oneOf(get('tree_method'), ['hist', 'auto'], 'hist');
  oneOf(get('booster'), ['gbtree'], 'gbtree');
  oneOf(get('sampling_method'), ['uniform'], 'uniform');
  integer(get('num_parallel_tree'), 1, 1, 1);
  integer(get('verbosity'), 1, 0, 3);
  flag(get('validate_parameters'), false);

  const objective = oneOf(get('objective'), OBJECTIVES, inheritedObjective(inherited));
  const multi = isMultiClassObjective(objective);
  const numClassEntry = get('num_class');
  const numClass = integer(numClassEntry, multi ? (inherited?.numClass ?? 0) : 0, 0);
  if (multi && numClass < 2) {
    throw new UsageError('gbdt.badParam', {
      name: numClassEntry?.name ?? 'num_class',
      value: String(numClass),
      expected: `an integer >= 2 (the number of classes) for ${objective}`,
    });
  }
  if (!multi && numClass > 1) {
    throw new UsageError('gbdt.badParam', {
      name: numClassEntry!.name,
      value: String(numClass),
      expected: `0 or 1 for ${objective} (num_class is for multi:softprob and multi:softmax)`,
    });
  }

  const growPolicy = oneOf(get('grow_policy'), ['depthwise', 'lossguide'] as const, 'depthwise');
  const maxDepth = integer(get('max_depth'), 6, 0, PARAM_LIMITS.maxDepth);
  const maxLeaves = integer(get('max_leaves'), 0, 0, PARAM_LIMITS.maxLeaves);
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
  const baseScore = real(baseScoreEntry, inherited?.baseScore ?? 0.5, {});
  if (baseScoreIsProbability(objective) && !(baseScore > 0 && baseScore < 1)) {
    throw new UsageError('gbdt.badParam', {
      name: baseScoreEntry?.name ?? 'base_score',
      value: String(baseScore),
      expected: `in (0, 1) for ${objective}`,
    });
  }

  // The model alone needs a tree per class per round; refused before any data is read. With
  // early stopping only early_stopping_rounds rounds are certain (XGBoost users give a large
  // num_boost_round and let it stop); training counts what really grows (booster.ts).
  const numBoostRound = integer(get('num_boost_round'), 10, 0);
  const earlyStoppingRounds = integer(get('early_stopping_rounds'), 0, 1);
  const rounds = certainRounds(numBoostRound, earlyStoppingRounds);
  const groups = multi ? numClass : 1;
  const roundsName = earlyStoppingRounds > 0 ? (get('early_stopping_rounds')?.name ?? 'early_stopping_rounds') : (get('num_boost_round')?.name ?? 'num_boost_round');
  checkMemory(
    `${roundsName} ${rounds}${multi ? ` x ${numClassEntry?.name ?? 'num_class'} ${numClass}` : ''} (${countText(rounds * groups)} trees)`,
    minimumModelBytes(rounds, groups),
  );

  const unit = { min: 0, minExclusive: true, max: 1 };
  return {
    objective,
    eta: real(get('eta'), 0.3, { min: 0 }),
    maxDepth,
    maxLeaves,
    growPolicy,
    minChildWeight: real(get('min_child_weight'), 1, { min: 0 }),
    lambda: real(get('lambda'), 1, { min: 0 }),
    alpha: real(get('alpha'), 0, { min: 0 }),
    gamma: real(get('gamma'), 0, { min: 0 }),
    maxDeltaStep: real(get('max_delta_step'), 0, { min: 0 }),
    maxBin: integer(get('max_bin'), 256, 2, PARAM_LIMITS.maxBin),
    baseScore,
    numBoostRound,
    earlyStoppingRounds,
    nthread: integer(get('nthread'), 0, -1, PARAM_LIMITS.nthread),
    seed: integer(get('seed'), 0, Number.MIN_SAFE_INTEGER),
    subsample: real(get('subsample'), 1, unit),
    colsampleBytree: real(get('colsample_bytree'), 1, unit),
    colsampleBylevel: real(get('colsample_bylevel'), 1, unit),
    colsampleBynode: real(get('colsample_bynode'), 1, unit),
    scalePosWeight: real(get('scale_pos_weight'), 1, { min: 0 }),
    numClass: multi ? numClass : 0,
    evalMetric: metrics(get('eval_metric'), objective, multi),
    disableDefaultEvalMetric: flag(get('disable_default_eval_metric'), false),
    given: new Set(given.keys()),
  };
}

/** Rounds training will certainly run: all of them, or with early stopping at least early_stopping_rounds. */
export function certainRounds(numBoostRound: number, earlyStoppingRounds: number): number {
  return earlyStoppingRounds > 0 ? Math.min(numBoostRound, earlyStoppingRounds) : numBoostRound;
}

function inheritedObjective(inherited: InheritedParams | undefined): ObjectiveName {
  const name = inherited?.objective;
  return name !== undefined && (OBJECTIVES as readonly string[]).includes(name) ? (name as ObjectiveName) : 'binary:logistic';
}

function bad(e: { name: string; value: unknown }, expected: string): never {
  throw new UsageError('gbdt.badParam', { name: excerpt(e.name), value: excerpt(JSON.stringify(e.value) ?? String(e.value)), expected });
}

function toNumber(e: { name: string; value: unknown }, expected: string): number {
  const v = e.value;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) bad(e, expected);
  return n;
}

interface Range {
  readonly min?: number;
  readonly minExclusive?: boolean;
  readonly max?: number;
}

/** A float32 parameter; the range is checked on the float32 value, as XGBoost checks its floats. */
function real(e: Entry, fallback: number, range: Range): number {
  if (!e) return Math.fround(fallback);
  const { min, max, minExclusive } = range;
  const lower = min === undefined ? '' : minExclusive ? `> ${min}` : `>= ${min}`;
  const expected =
    min === undefined ? 'a finite number' : max === undefined ? `a number ${lower}` : `a number in ${minExclusive ? '(' : '['}${min}, ${max}]`;
  const n = Math.fround(toNumber(e, expected));
  if (!Number.isFinite(n)) bad(e, expected);
  if (min !== undefined && (n < min || (minExclusive && n === min))) bad(e, expected);
  if (max !== undefined && n > max) bad(e, expected);
  return n;
}

function integer(e: Entry, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!e) return fallback;
  const expected =
    min === max ? `${min} (the only supported value)` : min <= Number.MIN_SAFE_INTEGER ? 'an integer' : `an integer in [${min}, ${max}]`;
  const n = toNumber(e, expected);
  if (!Number.isInteger(n) || n < min || n > max) bad(e, expected);
  return n;
}

function flag(e: Entry, fallback: boolean): boolean {
  if (!e) return fallback;
  const v = e.value;
  if (v === true || v === 1 || v === '1' || v === 'true') return true;
  if (v === false || v === 0 || v === '0' || v === 'false') return false;
  return bad(e, 'true or false (or 1 or 0)');
}

function oneOf<T extends string>(e: Entry, allowed: readonly T[], fallback: T): T {
  if (!e) return fallback;
  if (typeof e.value !== 'string' || !(allowed as readonly string[]).includes(e.value)) {
    bad(e, allowed.length === 1 ? `'${allowed[0]}' (the only supported value)` : `one of ${allowed.join(', ')}`);
  }
  return e.value as T;
}

/** eval_metric: one name or a list; each known and fit for the objective's output shape. */
function metrics(e: Entry, objective: string, multi: boolean): readonly string[] {
  if (!e) return [];
  const list = Array.isArray(e.value) ? e.value : [e.value];
  const names: string[] = [];
  for (const item of list) {
    const metric = typeof item === 'string' ? createMetric(item) : undefined;
    if (!metric) {
      throw new UsageError('gbdt.badParam', {
        name: e.name,
        value: excerpt(JSON.stringify(item) ?? String(item)),
        expected: `one or more of ${supportedMetrics.join(', ')}`,
      });
    }
    const fits = metric.input === 'either' || (metric.input === 'one-per-class') === multi;
    if (!fits) {
      throw new UsageError('gbdt.badParam', {
        name: e.name,
        value: excerpt(JSON.stringify(item)),
        expected: multi
          ? `a multi-class metric (mlogloss, merror, auc) for ${objective}`
          : `a metric for one output per row (not mlogloss or merror) for ${objective}`,
      });
    }
    // XGBoost keeps the first of metrics that report the same name.
    if (!names.includes(metric.name)) names.push(metric.name);
  }
  return names;
}

