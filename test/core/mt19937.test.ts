// The MT19937 behind RandomState makes the 624 words of a twist in one loop (issue 17). Its
// stream must be the textbook generator's (init_genrand + genrand_int32 of Matsumoto and
// Nishimura's mt19937ar.c, which numpy's legacy RandomState(seed) uses): checked against the
// C++ standard's known answer and against that algorithm run one word per call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mt19937, RandomState } from '../../src/core/index.ts';

/** mt19937ar.c's genrand_int32, twisting and tempering inside every call. */
function perCallReference(seed: number): () => number {
  const mt = new Uint32Array(624);
  mt[0] = seed >>> 0;
  for (let i = 1; i < 624; i++) mt[i] = (Math.imul(1812433253, mt[i - 1] ^ (mt[i - 1] >>> 30)) + i) >>> 0;
  let mti = 624;
  const mag = (y: number) => (y & 1 ? 0x9908b0df : 0);
  return () => {
    if (mti >= 624) {
      for (let kk = 0; kk < 624; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[(kk + 1) % 624] & 0x7fffffff);
        mt[kk] = mt[(kk + 397) % 624] ^ (y >>> 1) ^ mag(y);
      }
      mti = 0;
    }
    let y = mt[mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };
}

test('the 10000th word of MT19937 seeded 5489 is 4123659995 (C++ [rand.predef], std::mt19937)', () => {
  const g = new Mt19937(5489);
  let last = 0;
  for (let i = 0; i < 10000; i++) last = g.nextUint32();
  assert.equal(last, 4123659995);
});

test('the block generator is the per-call algorithm word for word, across many blocks and seeds', () => {
  for (const seed of [0, 1, 42, 5489, 0x7fffffff, 0x80000000, 0xffffffff]) {
    const a = new Mt19937(seed);
    const b = perCallReference(seed);
    for (let i = 0; i < 5000; i++) if (a.nextUint32() !== b()) assert.fail(`seed ${seed} word ${i}`);
  }
});

test('attack: bad seeds and empty, negative or huge ranges are refused, not looped on', () => {
  for (const seed of [-1, 2 ** 32, 1.5, NaN]) assert.throws(() => new Mt19937(seed), RangeError);
  const r = new RandomState(0);
  assert.equal(r.integer(5, 6), 5, 'a single value draws nothing');
  for (const [low, high] of [[3, 3], [3, 2], [0, 2 ** 33], [0, 2.5]]) assert.throws(() => r.integer(low, high), RangeError, `${low}, ${high}`);
});

test('shuffle (its rejection mask kept across draws) equals a randomInterval(i) per draw, across powers of two', () => {
  for (const n of [0, 1, 2, 3, 4, 5, 8, 9, 16, 17, 255, 256, 257, 1025, 70000]) {
    const fast = new RandomState(n + 7).permutation(n);
    const ref = new RandomState(n + 7);
    const slow = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i >= 1; i--) {
      const j = ref.randomInterval(i);
      [slow[i], slow[j]] = [slow[j], slow[i]];
    }
    assert.deepEqual(fast, slow, `n = ${n}`);
  }
});
