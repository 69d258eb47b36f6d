// Mersenne Twister MT19937, seeded the way numpy's legacy `RandomState(int)` seeds it
// (init_genrand), so that splits we make with a seed equal scikit-learn's for that seed.
const N = 624;
const M = 397;
// As int32 (the same bits): the state is an Int32Array and the twist and tempering use int32
// operations only; constants above 2^31 and Uint32Array loads were doubles in V8's optimised
// code (the refill took ~1.7x the time).
const MATRIX_A = 0x9908b0df | 0;
const UPPER = 0x80000000 | 0;
const LOWER = 0x7fffffff;
const TEMPER_B = 0x9d2c5680 | 0;
const TEMPER_C = 0xefc60000 | 0;

export class Mt19937 {
  private readonly mt = new Int32Array(N);
  /**
   * The current block's tempered words: the 624 words of a twist are made in one loop and handed
   * out from here (the same stream as twisting and tempering inside every call, ~30% less CPU
   * for augmentation's ~25M words at 1M rows; issue 17).
   */
  private readonly words = new Uint32Array(N);
  private next = N;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`seed must be an integer in [0, 2^32 - 1], got ${seed}`);
    }
    const mt = this.mt;
    mt[0] = seed | 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) | 0;
    }
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    if (this.next === N) this.refill();
    return this.words[this.next++];
  }

  /** The next block: MT19937's twist of all 624 words, then each tempered. */
  private refill(): void {
    const mt = this.mt;
    let kk = 0;
    for (; kk < N - M; kk++) {
      const y = (mt[kk] & UPPER) | (mt[kk + 1] & LOWER);
      mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    for (; kk < N - 1; kk++) {
      const y = (mt[kk] & UPPER) | (mt[kk + 1] & LOWER);
      mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    const y = (mt[N - 1] & UPPER) | (mt[0] & LOWER);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    const words = this.words;
    for (let k = 0; k < N; k++) {
      let t = mt[k];
      t ^= t >>> 11;
      t ^= (t << 7) & TEMPER_B;
      t ^= (t << 15) & TEMPER_C;
      t ^= t >>> 18;
      words[k] = t; // stored modulo 2^32: the same bits, read back unsigned
    }
    this.next = 0;
  }
}
