// The WebAssembly logistic gradients must give, bit for bit, what the objectives' JavaScript
// gives: every logistic objective, with and without weights and scale_pos_weight, on margins
// that reach every branch of expForFloat32 (NaN, infinities, the clamp, both cut-offs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createObjective } from '../../../src/gbdt/objective/index.ts';
import { wasmGradients } from '../../../src/gbdt/objective/wasmGradients.ts';
import { KernelMemory } from '../../../src/gbdt/wasm/kernelMemory.ts';
import { RandomState } from '../../../src/core/index.ts';

const EDGES = [NaN, Infinity, -Infinity, 0, -0, 88.7, -88.7, 88.8, -88.8, 89, -89, 103.9, -103.9, 104, -104, 105, -105, 1e-30, -1e-30, 3.4e38, -3.4e38];

function arrays(km: KernelMemory, n: number) {
  const make = (len: number) => {
    const r = km.alloc(len * 4);
    return new Float32Array(r.buffer, r.byteOffset, len);
  };
  return { m: make(n), y: make(n), w: make(n), gpair: make(2 * n) };
}

const sameBits = (a: Float32Array, b: Float32Array): number => {
  let bad = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) bad++;
  return bad;
};

test('WebAssembly logistic gradients equal the JavaScript ones bit for bit', () => {
  const km = new KernelMemory();
  const kernel = wasmGradients(km.memory);
  const n = 50_000;
  const { m, y, w, gpair } = arrays(km, n);
  const rs = new RandomState(11);
  for (let i = 0; i < n; i++) {
    m[i] = i < EDGES.length ? EDGES[i] : rs.standardNormal() * (i % 5 === 0 ? 60 : 4);
    y[i] = i % 3 === 0 ? 1 : i % 7 === 0 ? 0.25 : 0;
    w[i] = i % 11 === 0 ? 0 : rs.randomSample() * 3;
  }
  for (const name of ['binary:logistic', 'reg:logistic', 'binary:logitraw']) {
    for (const scalePosWeight of [1, 2.5]) {
      for (const weights of [undefined, w]) {
        const objective = createObjective(name, { numClass: 0, scalePosWeight });
        const expected = new Float32Array(2 * n);
        objective.gradients(m, y, weights, expected);
        gpair.fill(7);
        assert.equal(kernel(objective, m, y, weights, gpair), true);
        assert.equal(sameBits(gpair, expected), 0, `${name} spw ${scalePosWeight} ${weights ? 'weighted' : 'unweighted'}`);
      }
    }
  }
});

test('objectives without a kernel, and mismatched lengths, are left to JavaScript', () => {
  const km = new KernelMemory();
  const kernel = wasmGradients(km.memory);
  const { m, y, gpair } = arrays(km, 8);
  gpair.fill(7);
  assert.equal(kernel(createObjective('reg:squarederror'), m, y, undefined, gpair), false);
  assert.equal(kernel(createObjective('multi:softprob', { numClass: 2, scalePosWeight: 1 }), m, y, undefined, gpair), false);
  assert.equal(kernel(createObjective('binary:logistic'), m, y, undefined, gpair.subarray(0, 6)), false);
  assert.ok(gpair.every((v) => v === 7), 'nothing written');
});
