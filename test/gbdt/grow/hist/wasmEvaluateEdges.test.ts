// The SIMD split evaluation (two gains per division, lanes narrowed from float64 masks) must
// keep evaluateSplits' answer on the values a lane-wise rewrite can get wrong: NaN and
// infinite sums, zero and negative hessians (h <= 0 scores 0, NaN h does not), lambda 0
// (0 / 0), a single bin, and a feature whose bins are all empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomState } from '../../../../src/core/index.ts';
import { evaluateSplits, type SplitSpace } from '../../../../src/gbdt/grow/hist/evaluateSplits.ts';
import { newExpandEntry } from '../../../../src/gbdt/grow/hist/expandEntry.ts';
import { calcGain, type GainParams } from '../../../../src/gbdt/grow/hist/splitGain.ts';
import { wasmSplitEvaluator } from '../../../../src/gbdt/grow/hist/wasmEvaluate.ts';
import { KernelMemory } from '../../../../src/gbdt/wasm/kernelMemory.ts';

// Five standalone features with 1, 2, 5, 9 and 16 bins (a missing slot after each).
const BINS = [1, 2, 5, 9, 16];

function layout(): SplitSpace {
  const nf = BINS.length;
  const colSlotOffset = new Uint32Array(nf);
  const ptrs = new Uint32Array(nf + 1);
  let slots = 0;
  BINS.forEach((b, f) => {
    colSlotOffset[f] = slots;
    slots += b + 1;
    ptrs[f + 1] = ptrs[f] + b;
  });
  const values = Float32Array.from({ length: ptrs[nf] }, (_, i) => i + 0.5);
  return {
    pm: { nFeatures: nf, featureCol: Int32Array.from(BINS, (_, f) => f), featureMember: new Int32Array(nf).fill(-1), featureDefaultBin: new Uint8Array(nf), colSlotOffset },
    cuts: { ptrs, values, minValues: new Float32Array(nf).fill(-1) },
    nBins: Uint32Array.from(BINS),
  } as unknown as SplitSpace;
}

const SPECIAL = [0, -0, NaN, Infinity, -Infinity, -1e-17, 1e-300, -2, 3.5];

test('edge values: the SIMD evaluation agrees with evaluateSplits bit for bit', () => {
  const sp = layout();
  const slots = BINS.reduce((a, b) => a + b + 1, 0);
  const km = new KernelMemory();
  const r = km.alloc(slots * 16);
  const hist = new Float64Array(r.buffer, r.byteOffset, slots * 2);
  const rs = new RandomState(3);
  let splits = 0;
  for (const lambda of [0, 1]) {
    for (const mcw of [0, 0.5]) {
      const p: GainParams = { lambda, alpha: 0, minChildWeight: mcw, maxDeltaStep: 0, eta: 0.3, gamma: 0 };
      const wasm = wasmSplitEvaluator(km.memory, sp, p);
      for (let trial = 0; trial < 400; trial++) {
        const pick = (scale: number) => {
          const u = rs.randomSample();
          if (u < 0.25) return 0;
          if (u < 0.35) return SPECIAL[Math.floor(rs.randomSample() * SPECIAL.length)];
          return rs.standardNormal() * scale;
        };
        for (let i = 0; i < hist.length; i += 2) {
          hist[i] = pick(1);
          hist[i + 1] = Math.abs(pick(0.5)) * (rs.randomSample() < 0.05 ? -1 : 1);
        }
        // Feature 2 empty in this node.
        if (trial % 4 === 0) hist.fill(0, 2 * sp.pm.colSlotOffset[2], 2 * sp.pm.colSlotOffset[3]);
        let G = 0;
        let H = 0;
        for (let s = sp.pm.colSlotOffset[4]; s < slots; s++) {
          G += hist[2 * s];
          H += hist[2 * s + 1];
        }
        if (trial % 9 === 0) G = NaN;
        const make = () => newExpandEntry(0, 0, G, H, calcGain(p, G, H));
        const js = make();
        evaluateSplits(js, hist, 0, sp, p);
        const ours = make();
        wasm(ours, hist, 0);
        assert.deepEqual(ours, js, `trial ${trial}, lambda ${lambda}, min_child_weight ${mcw}`);
        if (js.feature >= 0) splits++;
      }
    }
  }
  assert.ok(splits > 200, `found ${splits} splits`);
});

// min_child_weight > 0 takes a shorter candidate test without gainOf's guards (both hessian
// sums are then > 0); a NaN gradient sum on one side must still score that side 0, not lose
// the candidate, so the evaluation computes the guarded gains again when the loss is NaN.
test('a NaN gradient sum with min_child_weight > 0: the side scores 0 as in evaluateSplits', () => {
  const sp = layout();
  const slots = BINS.reduce((a, b) => a + b + 1, 0);
  const km = new KernelMemory();
  const r = km.alloc(slots * 16);
  const hist = new Float64Array(r.buffer, r.byteOffset, slots * 2);
  const p: GainParams = { lambda: 1, alpha: 0, minChildWeight: 1, maxDeltaStep: 0, eta: 0.3, gamma: 0 };
  const wasm = wasmSplitEvaluator(km.memory, sp, p);
  // Feature 4 (16 bins), finite bins; the node's gradient sum is NaN, so every right side is
  // NaN (scores 0) and the best split is the left side with the largest score: bins 0..5.
  const base = 2 * sp.pm.colSlotOffset[4];
  const g = [3, 3, 3, 3, 3, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1];
  g.forEach((v, i) => {
    hist[base + 2 * i] = v;
    hist[base + 2 * i + 1] = 2;
  });
  const G = NaN;
  const H = 32;
  const make = () => newExpandEntry(0, 0, G, H, calcGain(p, G, H));
  const js = make();
  evaluateSplits(js, hist, 0, sp, p, Int32Array.of(4));
  const ours = make();
  wasm(ours, hist, 0, Int32Array.of(4));
  assert.deepEqual(ours, js);
  assert.equal(js.feature, 4, 'a split is found');
  assert.equal(js.splitBin, 5);
  assert.ok(Number.isNaN(js.rightGrad), 'the right side is the NaN one');
});
