// Eval sets during training (XGBoost `evals`): after every round each set's metrics are
// computed from its margins, which are kept between rounds and only get the round's new trees
// added (XGBoost's per-DMatrix prediction cache), so a round costs one pass per new tree
// rather than a prediction with every tree. Values are reported as XGBoost's Python layer
// receives them (see common/pythonFloat.ts).
import { DataError } from '../../core/index.ts';
import { checkTrainingMatrix, type DenseMatrix } from '../denseMatrix.ts';
import type { Objective } from '../objective/index.ts';
import type { RegTree } from '../tree/regTree.ts';
import { addTreeMargins } from '../common/treeMargins.ts';
import { reportedValue } from '../common/pythonFloat.ts';
import { checkLabels, checkWeights } from '../common/trainingInputs.ts';
import type { Metric } from './metric.ts';

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

/** Every round's value per eval set and metric, like XGBoost's `evals_result`. */
export type EvalsResult = Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>;

interface PreparedSet {
  readonly name: string;
  readonly data: DenseMatrix;
  readonly labels: Float32Array;
  readonly weights: Float32Array | undefined;
  readonly margins: Float32Array;
}

export class Evaluator {
  private readonly sets: PreparedSet[];
  private readonly history = new Map<string, Map<string, number[]>>();

  /**
   * Checks every set (feature count, labels, weights) up front. `initialMargins` gives a set's
   * starting margins (base margin plus any trees already in the model).
   */
  constructor(
    evals: readonly EvalSet[],
    nCols: number,
    private readonly objective: Objective,
    private readonly metrics: readonly Metric[],
    initialMargins: (data: DenseMatrix) => Float32Array,
  ) {
    const names = new Set<string>();
    this.sets = evals.map((set) => {
      const name = set.name;
      if (typeof name !== 'string' || name === '') {
        throw new DataError('gbdt.badEvalSet', { set: String(name), reason: 'the name must be a non-empty string' });
      }
      if (names.has(name)) throw new DataError('gbdt.badEvalSet', { set: name, reason: 'two eval sets have this name' });
      names.add(name);
      try {
        checkTrainingMatrix(set.data);
      } catch (e) {
        throw new DataError('gbdt.badEvalSet', { set: name, reason: (e as Error).message }, { cause: e });
      }
      if (set.data.nCols !== nCols) {
        throw new DataError('gbdt.badEvalSet', { set: name, reason: `${set.data.nCols} columns, the training matrix has ${nCols}` });
      }
      const labels = checkLabels(set.labels, set.data.nRows, objective, name);
      const weights = checkWeights(set.weights, set.data.nRows, name);
      return { name, data: set.data, labels, weights, margins: initialMargins(set.data) };
    });
  }

  get size(): number {
    return this.sets.length;
  }

  /** Adds a newly grown tree of output group `group` to every set's margins. */
  addTree(tree: RegTree, group: number): void {
    const stride = this.objective.numGroup;
    for (const s of this.sets) addTreeMargins(tree, s.data, s.margins, stride, group);
  }

  /** Every set's metrics, in set order then metric order (XGBoost's report order); recorded in the history. */
  evaluate(): EvalResult[] {
    const out: EvalResult[] = [];
    if (this.metrics.length === 0) return out;
    const k = this.objective.numGroup;
    for (const s of this.sets) {
      const preds = this.objective.evalTransform(Float64Array.from(s.margins));
      let perMetric = this.history.get(s.name);
      if (!perMetric) this.history.set(s.name, (perMetric = new Map()));
      for (const metric of this.metrics) {
        const value = reportedValue(metric.evaluate(preds, s.labels, s.weights, k));
        let values = perMetric.get(metric.name);
        if (!values) perMetric.set(metric.name, (values = []));
        values.push(value);
        out.push({ set: s.name, metric: metric.name, value });
      }
    }
    return out;
  }

  /** The history so far as plain objects. */
  result(): EvalsResult {
    const out: Record<string, Record<string, number[]>> = {};
    for (const [set, perMetric] of this.history) {
      out[set] = {};
      for (const [metric, values] of perMetric) out[set][metric] = [...values];
    }
    return out;
  }
}
