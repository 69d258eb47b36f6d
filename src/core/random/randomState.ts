// A seeded generator whose draws match numpy's legacy `np.random.RandomState(seed)` for the
// methods below. scikit-learn's `check_random_state(int)` builds exactly that generator,
// which is what lets `trainTestSplit` reproduce the reference split row for row.
import { Mt19937 } from './mt19937.ts';

export class RandomState {
  private readonly bits: Mt19937;
  private hasGauss = false;
  private gauss = 0;

  constructor(seed: number) {
    this.bits = new Mt19937(seed);
  }

  nextUint32(): number {
    return this.bits.nextUint32();
  }

  /** Uniform double in [0, 1) with 53 random bits (numpy `random_sample`). */
  randomSample(): number {
    const a = this.bits.nextUint32() >>> 5;
    const b = this.bits.nextUint32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /** Uniform integer in [0, max] by masked rejection (numpy legacy `random_interval`). */
  randomInterval(max: number): number {
    if (max === 0) return 0;
    // A negative or non-integer max would never be met by the rejection loop below.
    if (!(Number.isInteger(max) && max > 0 && max <= 0xffffffff)) throw new RangeError(`randomInterval supports integers 0 <= max < 2^32, got ${max}`);
    const mask = rejectionMask(max);
    let value: number;
    do {
      value = (this.bits.nextUint32() & mask) >>> 0;
    } while (value > max);
    return value;
  }

  /** Integer in [low, high) — same distribution as numpy, not the same stream. */
  integer(low: number, high: number): number {
    return low + this.randomInterval(high - low - 1);
  }

  /** Standard normal by the polar method with a cached second value (numpy legacy `gauss`). */
  standardNormal(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      return this.gauss;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2.0 * this.randomSample() - 1.0;
      x2 = 2.0 * this.randomSample() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt((-2.0 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  normal(loc: number, scale: number): number {
    return loc + scale * this.standardNormal();
  }

  /** In-place Fisher–Yates shuffle from the end, as numpy's legacy `shuffle` of a 1-d array. */
  shuffle(arr: { length: number; [i: number]: number }): void {
    const n = arr.length;
    if (n - 1 > 0xffffffff) throw new RangeError(`shuffle supports at most 2^32 elements, got ${n}`);
    // randomInterval(i) for i = n - 1 down to 1, its mask kept while i stays above mask >>> 1
    // (the mask halves ~log2(n) times; computing it per draw was ~half the loop's time).
    let mask = rejectionMask(n - 1);
    for (let i = n - 1; i >= 1; i--) {
      if (i <= mask >>> 1) mask = rejectionMask(i);
      let j: number;
      do {
        j = (this.bits.nextUint32() & mask) >>> 0;
      } while (j > i);
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
  }

  /** A random permutation of 0..n-1, equal to numpy's `RandomState.permutation(n)`. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    this.shuffle(out);
    return out;
  }
}

/** The smallest all-ones mask covering max (< 2^32): numpy's `random_interval` draws `word & mask` until <= max. */
export function rejectionMask(max: number): number {
  let mask = max;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  return mask >>> 0;
}
