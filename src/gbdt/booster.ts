// Training and the Booster handle. `train` reads like XGBoost's boosting loop:
// bin the matrix once (weighted quantile cuts), then per round: gradients of the current
// margins -> for each output group: that group's gradient pairs (row-sampled) -> grow a tree
// (column-sampled) -> add its leaf values to the training margins and to each eval set's
// margins -> eval metrics -> early stopping.
//
// What XGBoost 1.7's Python `train` records is recorded here too: every round's eval results
// (Booster.evalsResult), and the model attributes best_iteration / best_ntree_limit (plus
// best_score with early stopping). Continuation (`initModel`, XGBoost's xgb_model) starts the
// training and eval margins from the model's own predictions and appends the new trees.
import { RandomState, UsageError, ModelError, DataError } from '../core/index.ts';
import { binMatrix } from './data/binnedMatrix.ts';
import { checkTrainingMatrix, type DenseMatrix } from './denseMatrix.ts';
import { toDenseMatrix, type TrainingMatrix } from './data/columnMatrix.ts';
import { HistTreeGrower } from './grow/hist/driver.ts';
import { fromXgboostJson, toXgboostJson } from './io/xgboostJson.ts';
import { numGroup, numRounds, type GbdtModel } from './model.ts';
import { createObjective, type Objective } from './objective/index.ts';
import { createMetric, type Metric } from './metric/index.ts';
import { Evaluator, type EvalResult, type EvalSet, type EvalsResult } from './metric/evaluator.ts';
import { EarlyStopping } from './metric/earlyStopping.ts';
import { predict, type PredictOptions } from './predict/predict.ts';
import { ColumnSampler, RowSampler } from './sampling/index.ts';
import { checkLabels, checkWeights } from './common/trainingInputs.ts';
import { modelMargins } from './common/treeMargins.ts';
import { countText } from './common/countText.ts';
import { certainRounds, parseTrainParams, type TrainParams, type TrainParamsInput } from './trainParams.ts';
import { checkArrayLength, checkMemory, memoryLimit, trainingBytes, treeBytes } from './memoryBudget.ts';
import type { RegTree } from './tree/regTree.ts';

export type { EvalSet, EvalResult, EvalsResult } from './metric/evaluator.ts';

export interface TrainOptions {
  /** Called after each boosting round with (rounds done, total rounds, this round's eval results). */
  readonly onRound?: (round: number, total: number, evals: readonly EvalResult[]) => void;
  /** Names written to the model's `feature_names` (optional). */
  readonly featureNames?: readonly string[];
  /** Per-row sample weights (XGBoost DMatrix weight); non-negative and finite. */
  readonly weights?: ArrayLike<number>;
  /** Datasets scored after every round with the eval metrics (XGBoost `evals`). */
  readonly evals?: readonly EvalSet[];
  /** Continue boosting this model (XGBoost `xgb_model`): new trees are appended to its trees. */
  readonly initModel?: GbdtModel;
}

export class Booster {
  /**
   * The best round (0-based, counting every round of the model) as XGBoost's Python Booster
   * reports it: the model's best_iteration attribute, else the last round.
   */
  readonly bestIteration: number;
  /** The early-stopping best score (model attribute best_score), if training stopped on one. */
  readonly bestScore: number | undefined;

  /** `evalsResult`: each eval set's metric values per round of the training that built it. */
  constructor(
    readonly model: GbdtModel,
    readonly evalsResult: EvalsResult = {},
  ) {
    const best = Number(model.attributes.best_iteration);
    this.bestIteration = model.attributes.best_iteration !== undefined && Number.isInteger(best) ? best : numRounds(model) - 1;
    this.bestScore = model.attributes.best_score !== undefined ? Number(model.attributes.best_score) : undefined;
  }

  /** Boosting rounds in the model (trees / output groups). */
  numBoostedRounds(): number {
    return numRounds(this.model);
  }

  predict(m: DenseMatrix, options: PredictOptions = {}): Float64Array {
    return predict(this.model, m, options);
  }

  toXgboostJson(): string {
    return toXgboostJson(this.model);
  }

  /** `file` only labels error messages. */
  static fromXgboostJson(text: string, file?: string): Booster {
    return new Booster(fromXgboostJson(text, file));
  }
}

export function train(
  m: TrainingMatrix,
  labels: ArrayLike<number>,
  paramsInput: TrainParamsInput,
  options: TrainOptions = {},
): Booster {
  const run = startTraining(m, labels, paramsInput, options);
  for (const _round of run.rounds) {
    // each step is one boosting round
  }
  return run.booster();
}

/** Longest stretch of rounds trainAsync runs without yielding to the event loop. */
const YIELD_MS = 10;

/**
 * The same training, yielding to the event loop between rounds (at least every YIELD_MS):
 * progress can be drawn, signals handled, and `signal` stops training between rounds (it
 * rejects with its reason).
 */
export async function trainAsync(
  m: TrainingMatrix,
  labels: ArrayLike<number>,
  paramsInput: TrainParamsInput,
  options: TrainOptions & { readonly signal?: AbortSignal } = {},
): Promise<Booster> {
  const run = startTraining(m, labels, paramsInput, options);
  let yielded = performance.now();
  for (const _round of run.rounds) {
    // Yielding costs a turn of the event loop (tens of microseconds, more on a busy host: a
    // few percent of a small training's 500 rounds); every YIELD_MS is soon enough for signals
    // and progress output. An abort seen by then (or made by onRound) stops before the next round.
    if (performance.now() - yielded >= YIELD_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      yielded = performance.now();
    }
    options.signal?.throwIfAborted();
  }
  return run.booster();
}

/** Everything the boosting loop works on, checked and prepared up front. */
interface Plan {
  readonly m: TrainingMatrix;
  readonly y: Float32Array;
  readonly weights: Float32Array | undefined;
  readonly params: TrainParams;
  readonly objective: Objective;
  readonly evaluator: Evaluator | undefined;
  readonly stopper: EarlyStopping | undefined;
  readonly initModel: GbdtModel | undefined;
  readonly onRound: TrainOptions['onRound'];
  /** Rows of every eval set together (memory accounting). */
  readonly evalRows: number;
}

/** Checks everything up front, then hands out the boosting loop one round at a time. */
function startTraining(
  m: TrainingMatrix,
  labels: ArrayLike<number>,
  paramsInput: TrainParamsInput,
  options: TrainOptions,
): { rounds: Iterable<number>; booster: () => Booster } {
  const init = options.initModel;
  const params = parseTrainParams(
    paramsInput,
    init && { objective: init.objective, numClass: init.numClass, baseScore: init.baseScore },
  );
  checkTrainingMatrix(m);
  if (init) checkInitModel(init, params, m.nCols);
  checkTrainingMemory(m, params, options);
  const objective = createObjective(params.objective, { numClass: params.numClass, scalePosWeight: params.scalePosWeight });
  const y = checkLabels(labels, m.nRows, objective);
  const weights = checkWeights(options.weights, m.nRows);
  if (options.featureNames && options.featureNames.length !== m.nCols) {
    throw new DataError('gbdt.badMatrix', {
      reason: `${options.featureNames.length} feature names for ${m.nCols} columns`,
    });
  }

  const metrics = evalMetrics(params, objective);
  const evals = options.evals ?? [];
  const baseMargin = objective.baseMargin(params.baseScore);
  // A continued model's margins read rows: a column matrix is laid out by row for them.
  const startMargins = (data: TrainingMatrix): Float32Array =>
    init ? modelMargins(init, baseMargin, toDenseMatrix(data)) : new Float32Array(data.nRows * objective.numGroup).fill(baseMargin);
  const evaluator = evals.length > 0 ? new Evaluator(evals, m.nCols, objective, metrics, startMargins) : undefined;
  let stopper: EarlyStopping | undefined;
  if (params.earlyStoppingRounds > 0) {
    if (!evaluator) throw new UsageError('gbdt.earlyStoppingNeeds', { what: 'at least one eval set (TrainOptions.evals)' });
    if (metrics.length === 0) {
      throw new UsageError('gbdt.earlyStoppingNeeds', { what: 'an eval metric (eval_metric is empty and disable_default_eval_metric is set)' });
    }
    stopper = new EarlyStopping(params.earlyStoppingRounds, metrics[metrics.length - 1].higherIsBetter);
  }

  const evalRows = evals.reduce((sum, e) => sum + e.data.nRows, 0);
  const plan: Plan = { m, y, weights, params, objective, evaluator, stopper, initModel: init, onRound: options.onRound, evalRows };
  const trees: RegTree[] = init ? [...init.trees] : [];
  const treeInfo: number[] = init ? [...init.treeInfo] : [];
  return {
    rounds: boost(plan, startMargins(m), trees, treeInfo),
    booster: () => new Booster(finishModel(plan, trees, treeInfo, options.featureNames), evaluator?.result() ?? {}),
  };
}

/** Refuses data and parameters whose certain allocations exceed the memory budget (memoryBudget.ts). */
function checkTrainingMemory(m: TrainingMatrix, params: TrainParams, options: TrainOptions): void {
  // Eval sets are checked later (Evaluator); a malformed one counts no rows here.
  const evalRows = (options.evals ?? []).reduce((sum, e) => sum + (Number(e?.data?.nRows) || 0), 0);
  const shape = trainingShape(m, params, options.weights !== undefined, evalRows);
  checkArrayLength(`gradient pairs of ${m.nRows} rows x ${shape.groups} output groups`, 2 * m.nRows * shape.groups);
  checkArrayLength(`margins of the eval sets (${evalRows} rows x ${shape.groups} output groups)`, evalRows * shape.groups);
  checkMemory(
    `training ${m.nRows} rows x ${m.nCols} features with num_boost_round ${params.numBoostRound}${shape.groups > 1 ? `, num_class ${shape.groups}` : ''}, max_bin ${params.maxBin}`,
    trainingBytes(shape),
  );
}

function trainingShape(m: TrainingMatrix, params: TrainParams, weighted: boolean, evalRows: number) {
  const groups = params.numClass > 1 ? params.numClass : 1;
  return { rows: m.nRows, cols: m.nCols, groups, rounds: certainRounds(params.numBoostRound, params.earlyStoppingRounds), maxBin: params.maxBin, weighted, evalRows };
}

/** eval_metric, or the objective's default unless disable_default_eval_metric. */
function evalMetrics(params: TrainParams, objective: Objective): Metric[] {
  const names = params.evalMetric.length > 0 ? params.evalMetric : params.disableDefaultEvalMetric ? [] : [objective.defaultMetric];
  return names.map((name) => createMetric(name)!);
}

/** The init model must be one this training can extend: same objective, classes, features, base_score. */
function checkInitModel(init: GbdtModel, params: TrainParams, nCols: number): void {
  const mismatch = (what: string, model: string, given: string): never => {
    throw new UsageError('gbdt.initModelMismatch', { what, model, given });
  };
  if (init.objective !== params.objective) mismatch('objective', init.objective, `objective ${params.objective}`);
  if (init.numClass !== params.numClass) mismatch('num_class', String(init.numClass), `num_class ${params.numClass}`);
  if (Math.fround(init.baseScore) !== params.baseScore) {
    mismatch('base_score', String(init.baseScore), `base_score ${params.baseScore}`);
  }
  if (init.numFeature !== nCols) mismatch('number of features', String(init.numFeature), `a matrix of ${nCols} columns`);
  const groups = numGroup(init);
  if ((init.numParallelTree ?? 1) !== 1) {
    throw new ModelError('gbdt.modelUnsupported', { what: `continuing a model with num_parallel_tree ${init.numParallelTree}` });
  }
  if (init.trees.length % groups !== 0 || init.treeInfo.some((g, t) => g !== t % groups)) {
    throw new ModelError('gbdt.modelInvalid', { reason: `its trees are not ${groups} per round in class order, so it cannot be continued` });
  }
}

/** The boosting loop; appends each round's trees to `trees` and yields the rounds done. */
function* boost(plan: Plan, margins: Float32Array, trees: RegTree[], treeInfo: number[]): Generator<number> {
  const { m, y, weights, params, objective, evaluator, stopper } = plan;
  const groups = objective.numGroup;
  const n = m.nRows;

  const rng = new RandomState(params.seed >>> 0);
  const rowSampler = params.subsample < 1 ? new RowSampler(params.subsample, rng) : undefined;
  const rates = { bytree: params.colsampleBytree, bylevel: params.colsampleBylevel, bynode: params.colsampleBynode };
  const columnSampler = ColumnSampler.isNeeded(rates) ? new ColumnSampler(m.nCols, rates, rng) : undefined;
  const roundsBefore = plan.initModel ? numRounds(plan.initModel) : 0;
  // What the data decides (how many nodes the trees really grow) is counted as it grows.
  const limit = memoryLimit();
  const fixed = trainingBytes({ ...trainingShape(m, params, weights !== undefined, plan.evalRows), rounds: 0 });
  let modelBytes = trees.reduce((sum, t) => sum + treeBytes(t.left.length), 0);

  const grower = new HistTreeGrower(binMatrix(m, params.maxBin, weights), params);
  // Arrays the grower's worker threads compute on too (the same arrays when single-threaded).
  const trainMargins = grower.shared(margins);
  const labels = grower.shared(y);
  const rowWeights = weights && grower.shared(weights);
  const gpair = grower.shared(new Float32Array(2 * n * groups));
  // Multi-class: each class's pairs are copied out for its tree (XGBoost's CopyGradient).
  const groupPairs = groups > 1 ? grower.shared(new Float32Array(2 * n)) : gpair;
  try {
    for (let round = 0; round < params.numBoostRound; round++) {
      grower.computeGradients(objective, trainMargins, labels, rowWeights, gpair);
      for (let k = 0; k < groups; k++) {
        if (groups > 1) {
          for (let r = 0, src = 2 * k; r < n; r++, src += 2 * groups) {
            groupPairs[2 * r] = gpair[src];
            groupPairs[2 * r + 1] = gpair[src + 1];
          }
        }
        rowSampler?.apply(groupPairs);
        columnSampler?.startTree();
        const tree = grower.grow(groupPairs, columnSampler);
        grower.addLeafValues(tree, trainMargins, groups, k);
        evaluator?.addTree(tree, k);
        trees.push(tree);
        treeInfo.push(k);
        modelBytes += treeBytes(tree.left.length);
      }
      // The rounds still certain to come need at least a root tree each.
      const ahead = Math.max(0, certainRounds(params.numBoostRound, params.earlyStoppingRounds) - round - 1) * groups * treeBytes(0);
      const needed = fixed + modelBytes + ahead;
      // The message is only built when it is needed (checkMemory's own test, every round).
      if (needed > limit || !Number.isFinite(needed)) {
        checkMemory(`the model after round ${roundsBefore + round + 1} (${countText(trees.length)} trees, of num_boost_round ${params.numBoostRound})`, needed, limit);
      }
      const results = evaluator ? evaluator.evaluate() : [];
      const stop = stopper !== undefined && stopper.update(roundsBefore + round, results[results.length - 1].value);
      plan.onRound?.(round + 1, params.numBoostRound, results);
      yield round + 1;
      if (stop) break;
    }
  } finally {
    grower.dispose();
  }
}

/** The trained model, with the attributes XGBoost 1.7's Python `train` leaves on it. */
function finishModel(plan: Plan, trees: RegTree[], treeInfo: number[], featureNames: readonly string[] | undefined): GbdtModel {
  const { params, initModel: init, stopper, m } = plan;
  const attributes: Record<string, string> = { ...init?.attributes, ...stopper?.attributes() };
  const groups = plan.objective.numGroup;
  // XGBoost's after_training: with a best_score on the model (early stopping, now or in the
  // model's earlier training), best_ntree_limit follows best_iteration; otherwise both name
  // the last round. num_parallel_tree is 1, and "num_class is handled internally".
  const best = attributes.best_score !== undefined ? Number(attributes.best_iteration) : trees.length / groups - 1;
  attributes.best_iteration = String(best);
  attributes.best_ntree_limit = String(best + 1);
  const names = featureNames ? [...featureNames] : init ? [...init.featureNames] : [];
  const types = featureNames ? featureNames.map(() => 'float') : init ? [...init.featureTypes] : [];
  const single = groups === 1;
  return {
    objective: params.objective,
    baseScore: params.baseScore,
    numFeature: m.nCols,
    numClass: params.numClass,
    trees,
    treeInfo,
    featureNames: names,
    featureTypes: types,
    attributes,
    // XGBoost estimates base_score (boost_from_average) unless it is given; for these
    // objectives the estimate is the default 0.5, but the flag is saved as XGBoost saves it.
    boostFromAverage: init ? !params.given.has('base_score') && (init.boostFromAverage ?? true) : !params.given.has('base_score'),
    ...(single ? { scalePosWeight: params.scalePosWeight } : {}),
  };
}
