// The logistic gradients run two rows per SIMD step and the last row of an odd count through
// the scalar loop: every length (1, 2, odd, even) and both weight cases must give the
// JavaScript's numbers, and nothing past the rows may be written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomState } from '../../../src/core/index.ts';
import { createObjective } from '../../../src/gbdt/objective/index.ts';
import { wasmGradients } from '../../../src/gbdt/objective/wasmGradients.ts';
import { KernelMemory } from '../../../src/gbdt/wasm/kernelMemory.ts';

test('odd and even row counts: SIMD pairs plus the scalar tail equal the JavaScript gradients', () => {
  const km = new KernelMemory();
  const kernel = wasmGradients(km.memory);
  const rs = new RandomState(4);
  const make = (len: number) => {
    const r = km.alloc(len * 4);
    return new Float32Array(r.buffer, r.byteOffset, len);
  };
  for (const n of [1, 2, 3, 4, 7, 64, 101]) {
    const m = make(n);
    const y = make(n);
    const w = make(n);
    // Two guard pairs after the row pairs: they must stay untouched.
    const out = make(2 * n + 4);
    for (let i = 0; i < n; i++) {
      m[i] = i % 13 === 5 ? NaN : i % 17 === 3 ? -200 : rs.standardNormal() * 6;
      y[i] = i % 2;
      w[i] = rs.randomSample() * 2;
    }
    for (const scalePosWeight of [1, 3]) {
      for (const weights of [undefined, w]) {
        const objective = createObjective('binary:logistic', { numClass: 0, scalePosWeight });
        const expected = new Float32Array(2 * n);
        objective.gradients(m, y, weights, expected);
        out.fill(9);
        const gpair = out.subarray(0, 2 * n);
        assert.equal(kernel(objective, m, y, weights, gpair), true);
        for (let i = 0; i < 2 * n; i++) assert.ok(Object.is(gpair[i], expected[i]) || (Number.isNaN(gpair[i]) && Number.isNaN(expected[i])), `n ${n}, value ${i}`);
        assert.deepEqual(Array.from(out.subarray(2 * n)), [9, 9, 9, 9], `n ${n}: written past the rows`);
      }
    }
  }
});
