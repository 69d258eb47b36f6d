// The WebAssembly split evaluation must find, bit for bit, the split evaluateSplits finds:
// random histograms with missing values, empty bins, bundled features, feature lists and
// ranges, min_child_weight 0, and tiny negative hessian residues (as subtraction leaves).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomState } from '../../../../src/core/index.ts';
import { binMatrix } from '../../../../src/gbdt/data/binnedMatrix.ts';
import { packMatrix } from '../../../../src/gbdt/data/packedMatrix.ts';
import { evaluateSplits } from '../../../../src/gbdt/grow/hist/evaluateSplits.ts';
import { newExpandEntry, type ExpandEntry } from '../../../../src/gbdt/grow/hist/expandEntry.ts';
import { calcGain, type GainParams } from '../../../../src/gbdt/grow/hist/splitGain.ts';
import { wasmSplitEvaluator } from '../../../../src/gbdt/grow/hist/wasmEvaluate.ts';
import { KernelMemory } from '../../../../src/gbdt/wasm/kernelMemory.ts';
import { denseMatrix } from '../../../../src/gbdt/index.ts';

const N = 400;
const NC = 7;

function space() {
  const rs = new RandomState(21);
  const x = new Float64Array(N * NC);
  for (let r = 0; r < N; r++) {
    const k = r % 3;
    x.set([rs.standardNormal(), rs.randomSample() < 0.2 ? NaN : Math.floor(rs.randomSample() * 30), Math.floor(rs.randomSample() * 4), k === 0 ? 1 : 0, k === 1 ? 1 : 0, k === 2 ? 1 : 0, rs.randomSample() < 0.5 ? NaN : 1], r * NC);
  }
  const bm = binMatrix(denseMatrix(x, N, NC), 64);
  const pm = packMatrix(bm);
  return { bm, pm, space: { pm, cuts: bm.cuts, nBins: bm.nBins } };
}

test('WebAssembly split evaluation finds the JavaScript split, bit for bit', () => {
  const { bm, pm, space: sp } = space();
  assert.ok(pm.featureMember.some((k) => k >= 0), 'the one-hot columns are bundled');
  const km = new KernelMemory();
  const L = pm.totalSlots * 2;
  const r = km.alloc(L * 8);
  const hist = new Float64Array(r.buffer, r.byteOffset, L);
  const rs = new RandomState(5);
  let found = 0;
  let backward = 0;
  for (const mcw of [0, 1, 4]) {
    const p: GainParams = { lambda: 1, alpha: 0, minChildWeight: Math.fround(mcw), maxDeltaStep: 0, eta: 0.3, gamma: 0 };
    const wasm = wasmSplitEvaluator(km.memory, sp, p);
    for (let trial = 0; trial < 300; trial++) {
      hist.fill(0);
      let G = 0;
      let H = 0;
      const rows = 1 + Math.floor(rs.randomSample() * 80);
      for (let i = 0; i < rows; i++) {
        const row = Math.floor(rs.randomSample() * N);
        const g = rs.standardNormal();
        const h = rs.randomSample();
        for (let c = 0; c < pm.nCols; c++) {
          const s = 2 * (pm.colSlotOffset[c] + (pm.bytesPerBin === 1 ? new Uint8Array(pm.words.buffer)[row * pm.stride + c] : 0));
          hist[s] += g;
          hist[s + 1] += h;
        }
        G += g;
        H += h;
      }
      // A residue like the ones subtraction leaves in bins without rows.
      if (trial % 7 === 0) hist[2 * pm.colSlotOffset[0] + 3] = -1e-17;
      const features = trial % 5 === 0 ? Int32Array.from([6, 1, 3, 0]) : undefined;
      const from = trial % 10 === 5 ? 1 : 0;
      const to = trial % 10 === 5 ? 3 : undefined;
      const make = (): ExpandEntry => newExpandEntry(0, 0, G, H, calcGain(p, G, H));
      const js = make();
      evaluateSplits(js, hist, 0, sp, p, features, from, to);
      const ours = make();
      wasm(ours, hist, 0, features, from, to);
      assert.deepEqual(ours, js, `trial ${trial}, min_child_weight ${mcw}`);
      if (js.feature >= 0) found++;
      if (js.defaultLeft) backward++;
    }
  }
  assert.ok(found > 500 && backward > 20, `found ${found} splits, ${backward} with missing values going left`);
  assert.equal(bm.nCols, NC);
});

test('other gain parameters and heap histograms keep the JavaScript scan (same result)', () => {
  const { pm, space: sp } = space();
  const km = new KernelMemory();
  const hist = new Float64Array(pm.totalSlots * 2).map((_, i) => (i % 2 === 0 ? Math.sin(i) : 0.5));
  for (const p of [
    { lambda: 1, alpha: 0.5, minChildWeight: 0, maxDeltaStep: 0, eta: 0.3, gamma: 0 },
    { lambda: 1, alpha: 0, minChildWeight: 0, maxDeltaStep: 0.7, eta: 0.3, gamma: 0 },
    { lambda: 1, alpha: 0, minChildWeight: 0, maxDeltaStep: 0, eta: 0.3, gamma: 0 },
  ]) {
    const G = 0.3;
    const H = 40;
    const a = newExpandEntry(0, 0, G, H, calcGain(p, G, H));
    const b = newExpandEntry(0, 0, G, H, calcGain(p, G, H));
    evaluateSplits(a, hist, 0, sp, p);
    wasmSplitEvaluator(km.memory, sp, p)(b, hist, 0);
    assert.deepEqual(b, a);
  }
});
