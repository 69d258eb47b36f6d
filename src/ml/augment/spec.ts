// Declarative description of how augmentation perturbs a table: one entry per perturbed
// column, applied — and drawn from the random stream — in list order. Columns the spec does
// not name (the label among them) are copied unchanged.

/** value += integer drawn uniformly from [low, high), divided by `divisor` (default 1). */
export interface IntegerNoise {
  readonly column: string;
  readonly kind: 'integerNoise';
  readonly low: number;
  readonly high: number;
  readonly divisor?: number;
}

/** value += Normal(mean, std). */
export interface NormalNoise {
  readonly column: string;
  readonly kind: 'normalNoise';
  readonly mean: number;
  readonly std: number;
}

/** With `probability`, replace the category by a uniform draw from the column's distinct values. */
export interface CategoryResample {
  readonly column: string;
  readonly kind: 'resampleCategory';
  readonly probability: number;
}

export type Perturbation = IntegerNoise | NormalNoise | CategoryResample;

export interface AugmentSpec {
  readonly perturbations: readonly Perturbation[];
}
