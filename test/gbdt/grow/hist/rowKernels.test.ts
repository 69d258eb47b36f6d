// One suite for every RowKernels implementation: each must give, bit for bit, what the
// JavaScript kernels on heap buffers give (the reference), for one- and two-byte bins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomState } from '../../../../src/core/index.ts';
import { binMatrix } from '../../../../src/gbdt/data/binnedMatrix.ts';
import { packMatrix, splitLut, type PackedMatrix } from '../../../../src/gbdt/data/packedMatrix.ts';
import { allColumns } from '../../../../src/gbdt/grow/hist/histogram.ts';
import { heapSource, type BufferSource } from '../../../../src/gbdt/grow/hist/bufferSource.ts';
import { jsKernels, type RowKernels } from '../../../../src/gbdt/grow/hist/rowKernels.ts';
import { RowPartitioner, recordShape, type Lane } from '../../../../src/gbdt/grow/hist/rowPartitioner.ts';
import { wasmKernels, wasmKernelsSupported } from '../../../../src/gbdt/grow/hist/wasmKernels.ts';
import { denseMatrix } from '../../../../src/gbdt/index.ts';
import { KernelMemory } from '../../../../src/gbdt/wasm/kernelMemory.ts';

const N = 5000;

function matrix(maxBin: number): { pm: PackedMatrix; nBins: Uint32Array | Int32Array | number[] } {
  const rs = new RandomState(3);
  const nCols = 7;
  const x = new Float64Array(N * nCols);
  for (let r = 0; r < N; r++) {
    const k = Math.floor(rs.randomSample() * 3);
    // Two continuous columns (one with missing values), a small integer one, a one-hot group.
    x.set([rs.standardNormal(), rs.randomSample() < 0.1 ? NaN : rs.randomSample() * 1e4, Math.floor(rs.randomSample() * 9), rs.standardNormal(), k === 0 ? 1 : 0, k === 1 ? 1 : 0, k === 2 ? 1 : 0], r * nCols);
  }
  const bm = binMatrix(denseMatrix(x, N, nCols), maxBin);
  return { pm: packMatrix(bm), nBins: bm.nBins };
}

interface Impl {
  readonly name: string;
  make(pm: PackedMatrix): { source: BufferSource; kernels: RowKernels };
}

const impls: Impl[] = [
  { name: 'javascript', make: (pm) => ({ source: heapSource(false), kernels: jsKernels(recordShape(pm), pm) }) },
];
if (wasmKernelsSupported()) {
  impls.push({
    name: 'webassembly',
    make: (pm) => {
      const tm = new KernelMemory();
      return { source: tm, kernels: wasmKernels(tm.memory, recordShape(pm), pm) };
    },
  });
}

test('this runtime has the WebAssembly kernels (SIMD, shared memory)', () => {
  assert.equal(wasmKernelsSupported(), true);
});

function setup(pm: PackedMatrix, impl: Impl) {
  const { source, kernels } = impl.make(pm);
  const part = new RowPartitioner(pm, { source, kernels, indexModeRows: 0 });
  const rs = new RandomState(9);
  part.reset(Float32Array.from({ length: 2 * N }, (_, i) => (i % 2 === 0 ? rs.standardNormal() : rs.randomSample())));
  const r = source.alloc(pm.totalSlots * 2 * 8 * 3);
  const hists = new Float64Array(r.buffer, r.byteOffset, pm.totalSlots * 2 * 3);
  return { part, kernels, hists, temp: part.tempLane(), source };
}

const laneBytes = (l: Lane) => Array.from(new Uint8Array(l.words.buffer, l.words.byteOffset, l.words.byteLength));

for (const maxBin of [200, 1000]) {
  for (const impl of impls) {
    test(`${impl.name} kernels, ${maxBin === 200 ? 'one' : 'two'}-byte bins: histograms, marking, moving and splitting match the reference`, () => {
      const { pm, nBins } = matrix(maxBin);
      assert.equal(pm.bytesPerBin, maxBin === 200 ? 1 : 2);
      const ref = setup(pm, impls[0]);
      const got = setup(pm, impl);
      const L = pm.totalSlots * 2;
      const cols = allColumns(pm);
      const some = cols.filter((c) => c % 2 === 1);
      for (const s of [ref, got]) {
        // Whole range, a sub-range into the second histogram, a column subset into the third.
        s.kernels.buildHistogram(s.hists, 0, s.part.lanes[0], cols, 0, N, null);
        s.kernels.buildHistogram(s.hists, L, s.part.lanes[0], cols, 17, 3001, null);
        s.kernels.buildHistogram(s.hists, 2 * L, s.part.lanes[0], some, 5, N - 5, null);
        s.kernels.subtractHistogram(s.hists, 0, s.hists, L, 0, L);
        s.kernels.addHistogram(s.hists, 2 * L, s.hists, L, 2, L - 2);
      }
      assert.deepEqual(Array.from(got.hists), Array.from(ref.hists));
      assert.ok(ref.hists.some((v) => v !== 0));

      // Mark and move in two chunks, as threads do; then histograms through positions.
      const lut = new Uint8Array(pm.totalSlots);
      const col = splitLut(pm, nBins[1], 1, 40, true, lut);
      for (const s of [ref, got]) {
        const { part } = s;
        const a = s.kernels.markLeft(part.lanes[0], col, lut, part.goLeft, 0, 2000, null);
        const b = s.kernels.markLeft(part.lanes[0], col, lut, part.goLeft, 2000, N, null);
        s.kernels.scatterRows(part.lanes[0], part.lanes[1], part.goLeft, 0, 2000, 0, a + b);
        s.kernels.scatterRows(part.lanes[0], part.lanes[1], part.goLeft, 2000, N, a, a + b + 2000 - a);
        for (let i = 0; i < 300; i++) part.indexLanes[0][i] = (i * 7919) % N;
        s.kernels.buildHistogram(s.hists, 0, part.lanes[1], cols, 10, 300, part.indexLanes[0]);
        s.kernels.markLeft(part.lanes[1], col, lut, part.goLeft, 0, 300, part.indexLanes[0]);
      }
      assert.deepEqual(laneBytes(got.part.lanes[1]), laneBytes(ref.part.lanes[1]));
      assert.deepEqual(Array.from(got.part.goLeft), Array.from(ref.part.goLeft));
      assert.deepEqual(Array.from(got.hists.subarray(0, L)), Array.from(ref.hists.subarray(0, L)));

      // The one-pass split of a sub-range, building either child.
      for (const built of [0, 1]) {
        const n = [ref, got].map((s) =>
          s.kernels.splitBuiltLast(s.part.lanes[1], s.part.lanes[2], s.temp.for(N), pm.featureCol[0], lut.fill(0).fill(1, 0, 100), built, 3, N - 1),
        );
        assert.equal(n[1], n[0]);
        assert.ok(n[0] > 0 && n[0] < N - 4);
        assert.deepEqual(laneBytes(got.part.lanes[2]), laneBytes(ref.part.lanes[2]));
      }
    });
  }
}

for (const maxBin of [200, 1000]) {
  for (const impl of impls) {
    test(`${impl.name} kernels, ${maxBin === 200 ? 'one' : 'two'}-byte bins: positions, gradient pairs, root histograms and leaf values match the reference`, () => {
      const { pm, nBins } = matrix(maxBin);
      const ref = setup(pm, impls[0]);
      const got = setup(pm, impl);
      const lut = new Uint8Array(pm.totalSlots);
      const col = splitLut(pm, nBins[1], 1, 30, false, lut);
      const results = [ref, got].map((s) => {
        const { part } = s;
        // Positions into the root records, marked and moved in two chunks (as threads do).
        for (let i = 0; i < 900; i++) part.indexLanes[0][i] = (i * 7919) % N;
        const a = s.kernels.markLeft(part.lanes[0], col, lut, part.goLeft, 0, 400, part.indexLanes[0]);
        const b = s.kernels.markLeft(part.lanes[0], col, lut, part.goLeft, 400, 900, part.indexLanes[0]);
        s.kernels.scatterPositions(part.indexLanes[0], part.indexLanes[1], part.goLeft, 0, 400, 0, a + b);
        s.kernels.scatterPositions(part.indexLanes[0], part.indexLanes[1], part.goLeft, 400, 900, a, a + b + 400 - a);
        // From records (no positions yet): the entries are the record positions themselves.
        const c = s.kernels.markLeft(part.lanes[0], col, lut, part.goLeft, 1000, 1600, null);
        s.kernels.scatterPositions(null, part.indexLanes[1], part.goLeft, 1000, 1600, 1000, 1000 + c);
        // Leaf values: through positions and over records, one leaf or a split into two.
        // Margins where the kernels can reach them (the WebAssembly ones: their memory).
        const region = s.source.alloc(4 * 2 * N);
        const m = new Float32Array(region.buffer, region.byteOffset, 2 * N).fill(0.25);
        const lane = part.lanes[0];
        s.kernels.addLeafRows({ lane, idx: part.indexLanes[1], begin: 0, end: 900, value: Math.fround(0.1), col: -1, rightValue: 0 }, m, 2, 1);
        s.kernels.addLeafRows({ lane, idx: null, begin: 50, end: 3000, value: Math.fround(-0.3), col: -1, rightValue: 0 }, m, 2, 0);
        s.kernels.addLeafRows({ lane, idx: part.indexLanes[1], begin: 1000, end: 1600, value: Math.fround(1.5), col, lut, rightValue: Math.fround(-2.5) }, m, 1, 0);
        s.kernels.addLeafRows({ lane, idx: null, begin: 3000, end: N, value: Math.fround(0.7), col, lut, rightValue: Math.fround(0.9) }, m, 2, 1);
        // Gradient pairs into records [100, 2100) of lane 2.
        const pairs = s.source.alloc(8 * N);
        const gpair = new Float32Array(pairs.buffer, pairs.byteOffset, 2 * N);
        gpair.forEach((_, i) => (gpair[i] = Math.cos(i) * 3));
        s.kernels.loadGradients(part.lanes[2], gpair, 100, 2100);
        // The root's pass: pairs loaded and the histogram built together.
        gpair.forEach((_, i) => (gpair[i] = Math.sin(i) * 2));
        s.kernels.buildRootHistogram(s.hists, 0, part.lanes[0], allColumns(pm), 20, N - 20, gpair);
        return { lane2: laneBytes(part.lanes[2]), root: laneBytes(part.lanes[0]), hist: Array.from(s.hists.subarray(0, pm.totalSlots * 2)), nLeft: [a, b, c], positions: Array.from(part.indexLanes[1].subarray(0, 1600)), goLeft: Array.from(part.goLeft.subarray(0, 1600)), margins: Array.from(m) };
      });
      assert.deepEqual(results[1], results[0]);
      assert.ok(results[0].nLeft[0] > 0 && results[0].nLeft[0] < 400);
    });

    test(`${impl.name} kernels, ${maxBin === 200 ? 'one' : 'two'}-byte bins: the one-pass split of positions matches the reference and markLeft + scatterPositions`, () => {
      const { pm, nBins } = matrix(maxBin);
      const ref = setup(pm, impls[0]);
      const got = setup(pm, impl);
      const lut = new Uint8Array(pm.totalSlots);
      const col = splitLut(pm, nBins[1], 1, 30, false, lut);
      const results = [ref, got].map((s) => {
        const { part } = s;
        const lane = part.lanes[0];
        const out: number[][] = [];
        for (let i = 0; i < 900; i++) part.indexLanes[0][i] = (i * 7919) % N;
        // Through positions (a sub-range), and from records (positions are the records' own).
        for (const [src, b, e] of [[part.indexLanes[0], 7, 900], [null, 1000, 1600], [part.indexLanes[0], 5, 5]] as const) {
          for (const built of [0, 1]) {
            const dst = part.indexLanes[1].fill(0xdead);
            const n = s.kernels.splitPositionsBuiltLast(lane, src, dst, s.temp.positions(e - b), col, lut, built, b, e);
            // The same rows as the two-pass partition, the built child last.
            const nLeft = s.kernels.markLeft(lane, col, lut, part.goLeft, b, e, src);
            const r = s.source.alloc(4 * N);
            const twoPass = new Uint32Array(r.buffer, r.byteOffset, N);
            s.kernels.scatterPositions(src, twoPass, part.goLeft, b, e, b, b + nLeft);
            const [left, right] = [Array.from(twoPass.subarray(b, b + nLeft)), Array.from(twoPass.subarray(b + nLeft, e))];
            assert.equal(n, built === 1 ? nLeft : e - b - nLeft);
            const [other, builtRows] = built === 1 ? [right, left] : [left, right];
            assert.deepEqual(Array.from(dst.subarray(b, e)), [...other, ...builtRows]);
            // Nothing outside [b, e) is written.
            assert.ok(dst.subarray(0, b).every((v) => v === 0xdead) && dst.subarray(e).every((v) => v === 0xdead));
            out.push([n, ...dst.subarray(b, e)]);
          }
        }
        return out;
      });
      assert.deepEqual(results[1], results[0]);
      assert.ok(results[0][0][0] > 0 && results[0][0][0] < 893);
    });
  }
}
