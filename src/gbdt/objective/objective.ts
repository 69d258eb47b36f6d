// What the booster needs from a loss: label checks, the margin of base_score, gradients of
// the current margins, and the transform from margin to output. Arithmetic is float32
// like XGBoost's (`bst_float`), so gradients agree with XGBoost's bit for bit where the
// math library does.

export interface Objective {
  readonly name: string;
  /** Human-readable label domain for error messages, e.g. "in [0, 1]". */
  readonly labelDomain: string;
  isValidLabel(y: number): boolean;
  /** Margin equivalent of `base_score` (XGBoost ProbToMargin). */
  baseMargin(baseScore: number): number;
  /** Writes interleaved (grad, hess) per row into `gpair` (length 2 * n). */
  gradients(margins: Float32Array, labels: Float32Array, gpair: Float32Array): void;
  /** Margin to prediction, in place. */
  transform(margins: Float64Array): void;
}
