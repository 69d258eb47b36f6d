// Draws the noise of one perturbation. The bulk functions consume the random stream column
// by column in the same order and with the same calls as numpy's legacy generator does for
// the reference (`randint`, `normal`, then `rand` + `choice` per categorical column), so a
// seed gives the same table as `np.random.seed(seed)` followed by the reference code.
import { rejectionMask, type RandomState } from '../../core/random/randomState.ts';
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
    const k = integersInto(rng, p.low, p.high, sourceRow.length);
    const divisor = p.divisor;
    if (divisor === undefined) for (let i = 0; i < out.length; i++) out[i] = source[sourceRow[i]] + k[i];
    else for (let i = 0; i < out.length; i++) out[i] = source[sourceRow[i]] + k[i] / divisor;
  } else {
    for (let i = 0; i < out.length; i++) out[i] = normalNoise(p, rng, source[sourceRow[i]]);
  }
  return out;
}

/**
 * n draws of rng.integer(low, high), in order, with the masked-rejection loop of numpy's
 * `random_interval` (RandomState.randomInterval) run here with its mask computed once: the
 * same 32-bit words are consumed and the same values come out, without a call per draw.
 */
export function integersInto(rng: RandomState, low: number, high: number, n: number): Int32Array | Float64Array {
  const max = high - low - 1;
  if (max <= 0 || max > 0x7fffffff || !Number.isInteger(low) || Math.abs(low) > 0x3fffffff) {
    // Rare shapes (a single value, which draws nothing, or huge ranges): the generator's own call.
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = rng.integer(low, high);
    return out;
  }
  const mask = rejectionMask(max);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let value: number;
    do {
      value = rng.nextUint32() & mask;
    } while (value > max);
    out[i] = low + value;
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
  const pick = integersInto(rng, 0, choices.length, n);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = resampleOne(p, u[i], choices[pick[i]], codes[sourceRow[i]]);
  return out;
}
