// Training and the Booster handle. `train` reads like XGBoost's boosting loop:
// bin the matrix once, then per round: gradients of the current margins -> grow a tree on
// them -> add its leaf values to the margins.
import { DataError } from '../core/index.ts';
import { binMatrix } from './data/binnedMatrix.ts';
import { checkTrainingMatrix, type DenseMatrix } from './denseMatrix.ts';
import { HistTreeGrower } from './grow/hist/driver.ts';
import { fromXgboostJson, toXgboostJson } from './io/xgboostJson.ts';
import type { GbdtModel } from './model.ts';
import { createObjective, type Objective } from './objective/index.ts';
import { predict, type PredictOptions } from './predict/predict.ts';
import { parseTrainParams, type TrainParams, type TrainParamsInput } from './trainParams.ts';
import type { RegTree } from './tree/regTree.ts';

/** A named dataset evaluated after every round (XGBoost `evals`); the last one drives early stopping. */
export interface EvalSet {
  readonly name: string;
  readonly data: DenseMatrix;
  readonly labels: ArrayLike<number>;
  readonly weights?: ArrayLike<number>;
}

/** One metric of one eval set after a round, e.g. { set: 'valid', metric: 'auc', value: 0.93 }. */
export interface EvalResult {
  readonly set: string;
  readonly metric: string;
  readonly value: number;
}

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
  constructor(readonly model: GbdtModel) {}

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
  m: DenseMatrix,
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

/**
 * The same training, yielding to the event loop after every round: progress can be drawn,
 * signals handled, and `signal` stops training between rounds (it rejects with its reason).
 */
export async function trainAsync(
  m: DenseMatrix,
  labels: ArrayLike<number>,
  paramsInput: TrainParamsInput,
  options: TrainOptions & { readonly signal?: AbortSignal } = {},
): Promise<Booster> {
  const run = startTraining(m, labels, paramsInput, options);
  for (const _round of run.rounds) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    options.signal?.throwIfAborted();
  }
  return run.booster();
}

/** Checks everything up front, then hands out the boosting loop one round at a time. */
function startTraining(
  m: DenseMatrix,
  labels: ArrayLike<number>,
  paramsInput: TrainParamsInput,
  options: TrainOptions,
): { rounds: Iterable<number>; booster: () => Booster } {
  const params = parseTrainParams(paramsInput);
  checkTrainingMatrix(m);
  const objective = createObjective(params.objective, { numClass: 0, scalePosWeight: 1 });
  const y = checkLabels(labels, m.nRows, objective);
  if (options.featureNames && options.featureNames.length !== m.nCols) {
    throw new DataError('gbdt.badMatrix', {
      reason: `${options.featureNames.length} feature names for ${m.nCols} columns`,
    });
  }
  const trees: RegTree[] = [];
  return {
    rounds: boost(m, y, params, objective, trees, options.onRound),
    booster: () =>
      new Booster({
        objective: params.objective,
        baseScore: params.baseScore,
        numFeature: m.nCols,
        numClass: 0,
        trees,
        treeInfo: trees.map(() => 0),
        featureNames: options.featureNames ? [...options.featureNames] : [],
        featureTypes: options.featureNames ? options.featureNames.map(() => 'float') : [],
        attributes: {},
      }),
  };
}

/** The boosting loop; appends each round's tree to `trees` and yields the rounds done. */
function* boost(
  m: DenseMatrix,
  y: Float32Array,
  params: TrainParams,
  objective: Objective,
  trees: RegTree[],
  onRound: TrainOptions['onRound'],
): Generator<number> {
  const bm = binMatrix(m, params.maxBin);
  const margins = new Float32Array(m.nRows).fill(objective.baseMargin(params.baseScore));
  const gpair = new Float32Array(2 * m.nRows);
  const grower = new HistTreeGrower(bm, params);
  for (let round = 0; round < params.numBoostRound; round++) {
    objective.gradients(margins, y, undefined, gpair);
    const tree = grower.grow(gpair);
    grower.addLeafValues(tree, margins);
    trees.push(tree);
    onRound?.(round + 1, params.numBoostRound, []);
    yield round + 1;
  }
}

/** Labels as float32 (XGBoost's label type), each checked against the objective's domain. */
function checkLabels(labels: ArrayLike<number>, nRows: number, objective: Objective): Float32Array {
  if (labels.length !== nRows) throw new DataError('gbdt.labelCount', { labels: labels.length, rows: nRows });
  const y = Float32Array.from(labels);
  for (let i = 0; i < y.length; i++) {
    if (!objective.isValidLabel(y[i])) {
      throw new DataError('gbdt.badLabel', {
        objective: objective.name,
        row: i,
        value: String(labels[i]),
        expected: objective.labelDomain,
      });
    }
  }
  return y;
}
