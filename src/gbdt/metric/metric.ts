// What an eval metric is: a name as XGBoost reports it, a direction for early stopping, and a
// reduction over rows. Predictions arrive eval-transformed (XGBoost EvalTransform: probabilities
// for logistic and softmax objectives, margins otherwise), float32 values held in doubles;
// multi-class predictions are row-major, `numGroup` per row.

/** Which prediction layouts a metric reads. */
export type MetricInput = 'one-per-row' | 'one-per-class' | 'either';

export interface Metric {
  /** The name XGBoost reports, e.g. "logloss" or "error@0.7". */
  readonly name: string;
  /** Larger is better (XGBoost Python's early-stopping rule: auc and its kin maximise). */
  readonly higherIsBetter: boolean;
  readonly input: MetricInput;
  /** The metric over all rows; `weights` undefined means every row weighs 1. */
  evaluate(preds: ArrayLike<number>, labels: Float32Array, weights: Float32Array | undefined, numGroup: number): number;
}
