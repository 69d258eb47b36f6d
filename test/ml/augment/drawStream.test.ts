import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomState } from '../../../src/core/index.ts';
import { DrawStream } from '../../../src/ml/augment/drawStream.ts';

test('DrawStream is RandomState\'s stream word for word, across many blocks and seeds (0, 1, 2^32 - 1, others)', () => {
  for (const seed of [0, 1, 42, 0x7fffffff, 0x80000000, 0xffffffff]) {
    const a = new RandomState(seed);
    const b = new DrawStream(seed);
    for (let i = 0; i < 5000; i++) if (a.nextUint32() !== b.nextUint32()) assert.fail(`seed ${seed} word ${i}`);
  }
});

test('every draw method matches RandomState in any interleaving (the gauss cache included)', () => {
  const a = new RandomState(7);
  const b = new DrawStream(7);
  let s = 1;
  for (let i = 0; i < 300_000; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const op = s % 5;
    let x: number;
    let y: number;
    if (op === 0) [x, y] = [a.randomSample(), b.randomSample()];
    else if (op === 1) [x, y] = [a.normal(3, 0.2), b.normal(3, 0.2)];
    else if (op === 2) [x, y] = [a.integer(-1, 1), b.integer(-1, 1)];
    else if (op === 3) [x, y] = [a.integer(0, 100), b.integer(0, 100)];
    else [x, y] = [a.integer(5, 6), b.integer(5, 6)]; // a single value: draws nothing
    if (!Object.is(x, y)) assert.fail(`draw ${i} (op ${op}): ${x} vs ${y}`);
  }
  assert.equal(a.nextUint32(), b.nextUint32());
});

test('attack: bad seeds and empty or huge ranges are refused, not looped on', () => {
  for (const seed of [-1, 2 ** 32, 1.5, NaN]) assert.throws(() => new DrawStream(seed), RangeError);
  const d = new DrawStream(0);
  assert.throws(() => d.integer(3, 3), RangeError);
  assert.throws(() => d.integer(0, 2 ** 33), RangeError);
});
