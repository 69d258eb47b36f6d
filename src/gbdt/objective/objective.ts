// What the booster needs from a loss: label checks, the margin of base_score, gradients of
// the current margins, and the transforms from margin to output. Arithmetic is float32
// like XGBoost's (`bst_float`), so gradients agree with XGBoost's bit for bit where the
// math library does.
//
// Layout: a model has `numGroup` outputs per row (1, or num_class for multi:*). Margins are
// row-major `margins[row * numGroup + group]`; gradient pairs likewise, interleaved:
// `gpair[2 * (row * numGroup + group)]` is the gradient, `+ 1` the hessian.

/** What an objective is configured with besides its name (XGBoost parameters). */
export interface ObjectiveConfig {
  /** XGBoost `num_class`: 0 for single-output objectives, >= 2 for multi:*. */
  readonly numClass: number;
  /**
   * XGBoost `scale_pos_weight`: weight multiplier of rows labelled exactly 1. XGBoost 1.7
   * applies it in every objective of its RegLossObj family (reg:squarederror, reg:logistic,
   * binary:logistic, binary:logitraw), so we do too; multi:* ignores it.
   */
  readonly scalePosWeight: number;
}

export interface Objective {
  readonly name: string;
  /** Outputs (margins) per row. */
  readonly numGroup: number;
  /** Human-readable label domain for error messages, e.g. "in [0, 1]". */
  readonly labelDomain: string;
  /** XGBoost's default eval_metric for this objective. */
  readonly defaultMetric: string;
  isValidLabel(y: number): boolean;
  /** Margin equivalent of `base_score` (XGBoost ProbToMargin). */
  baseMargin(baseScore: number): number;
  /**
   * Writes interleaved (grad, hess) per row and group into `gpair` (length 2 * n * numGroup),
   * scaled by the row weights when given (XGBoost multiplies both by the weight).
   */
  gradients(margins: Float32Array, labels: Float32Array, weights: Float32Array | undefined, gpair: Float32Array): void;
  /** The same gradients as a WebAssembly kernel can compute them (objective/wasmGradients.ts), if one can. */
  readonly kernel?: GradientKernel;
  /** Margins (n * numGroup) to predictions: probabilities, values, or class indices (n) for multi:softmax. */
  predTransform(margins: Float64Array): Float64Array;
  /** Margins to what eval metrics read (XGBoost EvalTransform: multi:softmax gives probabilities here). */
  evalTransform(margins: Float64Array): Float64Array;
}

/** Gradients a WebAssembly kernel computes bit for bit like `gradients`: the logistic loss's. */
export interface GradientKernel {
  readonly kind: 'logistic';
  readonly scalePosWeight: number;
}
