// Draws the noise of one perturbation. The bulk functions consume the random stream column
// by column in the same order and with the same calls as numpy's legacy generator does for
// the reference (`randint`, `normal`, then `rand` + `choice` per categorical column), so a
// seed gives the same table as `np.random.seed(seed)` followed by the reference code.
import type { RandomState } from '../../core/random/randomState.ts';
import type { CategoryResample, IntegerNoise, NormalNoise } from './spec.ts';

export function integerNoise(p: IntegerNoise, rng: RandomState, base: number): number {
  const k = rng.integer(p.low, p.high);
  return p.divisor === undefined ? base + k : base + k / p.divisor;
}

export function normalNoise(p: NormalNoise, rng: RandomState, base: number): number {
  return base + rng.normal(p.mean, p.std);
}

export function perturbNumeric(p: IntegerNoise | NormalNoise, rng: RandomState, source: Float64Array, sourceRow: Int32Array): Float64Array {
  const out = new Float64Array(sourceRow.length);
  if (p.kind === 'integerNoise') {
    for (let i = 0; i < out.length; i++) out[i] = integerNoise(p, rng, source[sourceRow[i]]);
  } else {
    for (let i = 0; i < out.length; i++) out[i] = normalNoise(p, rng, source[sourceRow[i]]);
  }
  return out;
}

/**
 * Distinct codes of the expanded column in order of first appearance — pandas `unique()`,
 * which the reference samples from. A missing value (-1) counts as a value, as NaN does there.
 */
export function distinctCodes(codes: Int32Array, sourceRow: Int32Array, dictionarySize: number): Int32Array {
  const seen = new Uint8Array(dictionarySize + 1);
  const out: number[] = [];
  for (let i = 0; i < sourceRow.length; i++) {
    const c = codes[sourceRow[i]];
    if (seen[c + 1] === 0) {
      seen[c + 1] = 1;
      out.push(c);
    }
  }
  return Int32Array.from(out);
}

/** One draw of keep-or-replace; both numbers are drawn every time, as in the reference. */
export function resampleOne(p: CategoryResample, u: number, replacement: number, original: number): number {
  return u > p.probability ? original : replacement;
}

export function perturbCategorical(p: CategoryResample, rng: RandomState, codes: Int32Array, sourceRow: Int32Array, choices: Int32Array): Int32Array {
  const n = sourceRow.length;
  // numpy draws the whole `rand(n)` vector, then the whole `choice(unique, n)` vector.
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) u[i] = rng.randomSample();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const replacement = choices[rng.integer(0, choices.length)];
    out[i] = resampleOne(p, u[i], replacement, codes[sourceRow[i]]);
  }
  return out;
}
