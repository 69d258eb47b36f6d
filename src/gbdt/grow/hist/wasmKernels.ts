// RowKernels in WebAssembly, generated for one record shape and slot layout (like the
// JavaScript histogram loop, histogram.ts byteKernel) and run on views of one shared
// WebAssembly memory (wasm/kernelMemory.ts). Why: V8 checks bounds on every typed-array
// access and adds a (grad, hess) pair as two loads, two adds and two stores; here a slot's
// pair is one 128-bit load, one f64x2 add and one store, a record moves as one 16- and one
// 8-byte copy, and memory accesses need no checks (measured on 750,000 loan-default records:
// histograms 3x, the one-pass split 2x faster than the JavaScript loops).
//
// Every sum is the JavaScript kernels' sum: the same float64 additions in the same order
// (f64x2.add adds each lane as a scalar add would), so trees do not depend on which ran.
import { Code, encodeModule, F32, I32, V128, type FunctionDef, type ValType } from '../../wasm/moduleEncoder.ts';
import { MAX_PAGES, KernelMemory } from '../../wasm/kernelMemory.ts';
import { slotEnd, type SlotLayout } from './histogram.ts';
import { RECORD_HEADER, ROW_WORD, type Lane, type RecordShape } from './rowPartitioner.ts';
import type { RowKernels } from './rowKernels.ts';

interface PartitionExports {
  split(src: number, srcEnd: number, dst: number, temp: number, binAt: number, lut: number, flip: number): number;
  mark(p: number, end: number, binAt: number, lut: number, goLeft: number): number;
  scatter(p: number, end: number, goLeft: number, left: number, right: number): void;
  sub(a: number, b: number, aEnd: number): void;
  add(a: number, b: number, aEnd: number): void;
  loadPairs(dst: number, gpair: number, gpairEnd: number): void;
  zero(a: number, bytes: number): void;
  markAt(q: number, qEnd: number, records: number, binAt: number, lut: number, goLeft: number): number;
  scatterAt(src: number, i: number, end: number, goLeft: number, left: number, right: number): void;
  splitAt(src: number, i: number, end: number, records: number, dst: number, temp: number, binAt: number, lut: number, flip: number): number;
  leafRec: LeafFunction;
  leafAt: LeafFunction;
  leafRecSplit: LeafFunction;
  leafAtSplit: LeafFunction;
}

type LeafFunction = (from: number, to: number, records: number, margins: number, stride: number, offset: number, binAt: number, lut: number, left: number, right: number) => void;

interface HistogramExports {
  hist(p: number, end: number, hist: number): void;
  histAt(q: number, qEnd: number, records: number, hist: number): void;
  histLoad(p: number, end: number, hist: number, gpair: number): void;
}

function fn(name: string, params: ValType[], results: ValType[], locals: ValType[], code: Code): FunctionDef {
  return { name, params, results, locals, code };
}

/** Copies a record of `bytes` bytes from the address in local `from` to the one in local `to`. */
function copyRecord(c: Code, from: number, to: number, bytes: number): void {
  let off = 0;
  for (; bytes - off >= 16; off += 16) c.get(to).get(from).loadV128(off).storeV128(off);
  for (; bytes - off >= 8; off += 8) c.get(to).get(from).load64(off).store64(off);
  for (; bytes - off >= 4; off += 4) c.get(to).get(from).load32(off).store32(off);
}

/** Pushes the bin at (local p) + (local binAt) as an i32. */
function loadBin(c: Code, p: number, binAt: number, bytesPerBin: 1 | 2): void {
  c.get(p).get(binAt).add();
  if (bytesPerBin === 1) c.load8();
  else c.load16();
}

function partitionModule(shape: RecordShape, bytesPerBin: 1 | 2): Uint8Array {
  const RB = shape.words * 4;
  // split: records [src, srcEnd) -> the other child's from dst on, the built child's to temp
  // and then after them; each record is written once, to an address picked by select.
  const split = new Code();
  {
    const [src, srcEnd, dst, temp, binAt, lut, flip, o, t, toBuilt, d] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const record = () => {
      loadBin(split, src, binAt, bytesPerBin);
      split.get(lut).add().load8().get(flip).xor().set(toBuilt);
      split.get(t).get(o).get(toBuilt).select().set(d);
      copyRecord(split, src, d, RB);
      split.get(t).get(toBuilt).i32(RB).mul().add().set(t);
      split.get(o).i32(RB).add().get(toBuilt).i32(RB).mul().sub().set(o);
      split.get(src).i32(RB).add().set(src);
    };
    split.get(dst).set(o).get(temp).set(t);
    // Two records an iteration while two are left (less loop control per record), then one.
    split.block().loop();
    split.get(src).i32(2 * RB).add().get(srcEnd).gtU().brIf(1);
    record();
    record();
    split.br(0).end().end();
    split.block().loop();
    split.get(src).get(srcEnd).geU().brIf(1);
    record();
    split.br(0).end().end();
    split.get(o).get(temp).get(t).get(temp).sub().memoryCopy();
    split.get(t).get(temp).sub();
  }
  const mark = new Code();
  {
    const [p, end, binAt, lut, goLeft, n, l] = [0, 1, 2, 3, 4, 5, 6];
    mark.block().loop();
    mark.get(p).get(end).geU().brIf(1);
    loadBin(mark, p, binAt, bytesPerBin);
    mark.get(lut).add().load8().set(l);
    mark.get(goLeft).get(l).store8();
    mark.get(n).get(l).add().set(n);
    mark.get(goLeft).i32(1).add().set(goLeft);
    mark.get(p).i32(RB).add().set(p);
    mark.br(0).end().end();
    mark.get(n);
  }
  const scatter = new Code();
  {
    const [p, end, goLeft, left, right, gl, d] = [0, 1, 2, 3, 4, 5, 6];
    scatter.block().loop();
    scatter.get(p).get(end).geU().brIf(1);
    scatter.get(goLeft).load8().set(gl);
    scatter.get(left).get(right).get(gl).select().set(d);
    copyRecord(scatter, p, d, RB);
    scatter.get(left).get(gl).i32(RB).mul().add().set(left);
    scatter.get(right).i32(RB).add().get(gl).i32(RB).mul().sub().set(right);
    scatter.get(goLeft).i32(1).add().set(goLeft);
    scatter.get(p).i32(RB).add().set(p);
    scatter.br(0).end().end();
  }
  const pairwise = (name: string, sub: boolean) => {
    const c = new Code();
    const [a, b, aEnd] = [0, 1, 2];
    const pair = (off: number) => {
      c.get(a).get(a).loadV128(off).get(b).loadV128(off);
      if (sub) c.f64x2Sub();
      else c.f64x2Add();
      c.storeV128(off);
    };
    // Four slot pairs an iteration while four are left (the loop's control cost as much as a
    // pair), then one at a time.
    c.block().loop();
    c.get(a).i32(64).add().get(aEnd).gtU().brIf(1);
    for (let k = 0; k < 4; k++) pair(16 * k);
    c.get(a).i32(64).add().set(a).get(b).i32(64).add().set(b);
    c.br(0).end().end();
    c.block().loop();
    c.get(a).get(aEnd).geU().brIf(1);
    pair(0);
    c.get(a).i32(16).add().set(a).get(b).i32(16).add().set(b);
    c.br(0).end().end();
    return fn(name, [I32, I32, I32], [], [], c);
  };
  // Positions (index mode, rowPartitioner.ts): mark through positions, scatter positions.
  const markAt = new Code();
  {
    const [q, qEnd, records, binAt, lut, goLeft, n, l, p] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    markAt.block().loop();
    markAt.get(q).get(qEnd).geU().brIf(1);
    markAt.get(records).get(q).load32().i32(RB).mul().add().set(p);
    loadBin(markAt, p, binAt, bytesPerBin);
    markAt.get(lut).add().load8().set(l);
    markAt.get(goLeft).get(l).store8();
    markAt.get(n).get(l).add().set(n);
    markAt.get(goLeft).i32(1).add().set(goLeft);
    markAt.get(q).i32(4).add().set(q);
    markAt.br(0).end().end();
    markAt.get(n);
  }
  const scatterAt = new Code();
  {
    // src 0: the parent's rows are records, and position i is the entry itself.
    const [src, i, end, goLeft, left, right, gl] = [0, 1, 2, 3, 4, 5, 6];
    scatterAt.block().loop();
    scatterAt.get(i).get(end).geU().brIf(1);
    scatterAt.get(goLeft).load8().set(gl);
    scatterAt.get(left).get(right).get(gl).select();
    scatterAt.get(src).load32().get(i).get(src).i32(0).ne().select();
    scatterAt.store32();
    scatterAt.get(left).get(gl).i32(4).mul().add().set(left);
    scatterAt.get(right).i32(4).add().get(gl).i32(4).mul().sub().set(right);
    scatterAt.get(src).i32(4).get(src).i32(0).ne().mul().add().set(src);
    scatterAt.get(goLeft).i32(1).add().set(goLeft);
    scatterAt.get(i).i32(1).add().set(i);
    scatterAt.br(0).end().end();
  }
  // Positions, one pass (rowPartitioner.ts splitPositionsBuiltLast): each position to dst or
  // temp by select, as split does with records; src 0 as in scatterAt.
  const splitAt = new Code();
  {
    const [src, i, end, records, dst, temp, binAt, lut, flip, o, t, v, toBuilt] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    splitAt.get(dst).set(o).get(temp).set(t);
    splitAt.block().loop();
    splitAt.get(i).get(end).geU().brIf(1);
    splitAt.get(src).load32().get(i).get(src).i32(0).ne().select().set(v);
    splitAt.get(records).get(v).i32(RB).mul().add().get(binAt).add();
    if (bytesPerBin === 1) splitAt.load8();
    else splitAt.load16();
    splitAt.get(lut).add().load8().get(flip).xor().set(toBuilt);
    splitAt.get(o).get(v).store32();
    splitAt.get(t).get(v).store32();
    splitAt.get(t).get(toBuilt).i32(4).mul().add().set(t);
    splitAt.get(o).i32(4).add().get(toBuilt).i32(4).mul().sub().set(o);
    splitAt.get(src).i32(4).get(src).i32(0).ne().mul().add().set(src);
    splitAt.get(i).i32(1).add().set(i);
    splitAt.br(0).end().end();
    splitAt.get(o).get(temp).get(t).get(temp).sub().memoryCopy();
    splitAt.get(t).get(temp).sub().i32(2).shrS();
  }
  // Gradient pairs (8 bytes a row) into the records' first two words.
  const loadPairs = new Code();
  {
    const [dst, gp, gpEnd] = [0, 1, 2];
    loadPairs.block().loop();
    loadPairs.get(gp).get(gpEnd).geU().brIf(1);
    loadPairs.get(dst).get(gp).load64().store64();
    loadPairs.get(dst).i32(RB).add().set(dst);
    loadPairs.get(gp).i32(8).add().set(gp);
    loadPairs.br(0).end().end();
  }
  // Zeroing a histogram's columns before a build: memory.fill (a memset), where a typed
  // array's fill over the shared memory took ~2.5x as long (a histogram is ~17 KB on the
  // loan-default data, zeroed 80 times a tree).
  const zero = new Code();
  zero.get(0).i32(0).get(1).memoryFill();
  return encodeModule(
    [
      fn('loadPairs', [I32, I32, I32], [], [], loadPairs),
      fn('split', [I32, I32, I32, I32, I32, I32, I32], [I32], [I32, I32, I32, I32], split),
      fn('mark', [I32, I32, I32, I32, I32], [I32], [I32, I32], mark),
      fn('scatter', [I32, I32, I32, I32, I32], [], [I32, I32], scatter),
      pairwise('sub', true),
      pairwise('add', false),
      fn('markAt', [I32, I32, I32, I32, I32, I32], [I32], [I32, I32, I32], markAt),
      fn('scatterAt', [I32, I32, I32, I32, I32, I32], [], [I32], scatterAt),
      leafFunction('leafRec', false, false, RB, bytesPerBin),
      leafFunction('leafAt', true, false, RB, bytesPerBin),
      leafFunction('leafRecSplit', false, true, RB, bytesPerBin),
      leafFunction('leafAtSplit', true, true, RB, bytesPerBin),
      fn('zero', [I32, I32], [], [], zero),
      fn('splitAt', [I32, I32, I32, I32, I32, I32, I32, I32, I32], [I32], [I32, I32, I32, I32], splitAt),
    ],
    MAX_PAGES,
  );
}

/**
 * leafValues.ts addLeafRows: margins[row * stride + offset] += the leaf's value (float32 add,
 * as the JavaScript's store into a Float32Array rounds the double sum) for records [from, to)
 * (byte addresses), or for the positions at [from, to) into `records`; with `split`, the left
 * value where lut[bin of the record at binAt] is 1, else the right one.
 * Parameters: from, to, records, margins, strideBytes, offsetBytes, binAt, lut, left (f32), right (f32).
 */
function leafFunction(name: string, indexed: boolean, split: boolean, RB: number, bytesPerBin: 1 | 2): FunctionDef {
  const [from, to, records, margins, stride, offset, binAt, lut, left, right, p, a] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const c = new Code();
  c.block().loop();
  c.get(from).get(to).geU().brIf(1);
  if (indexed) c.get(records).get(from).load32().i32(RB).mul().add().set(p);
  else c.get(from).set(p);
  c.get(margins).get(p).load32(ROW_WORD * 4).get(stride).mul().add().get(offset).add().tee(a);
  c.get(a).loadF32();
  if (split) {
    // Chosen as bits (an i32 select): V8 compiled the f32 select to a branch, mispredicted
    // for about every other row of a coin-flip split (3.5 against 1.1 ns a record).
    c.get(left).i32ReinterpretF32().get(right).i32ReinterpretF32();
    loadBin(c, p, binAt, bytesPerBin);
    c.get(lut).add().load8().select().f32ReinterpretI32();
  } else c.get(left);
  c.f32Add().storeF32();
  c.get(from).i32(indexed ? 4 : RB).add().set(from);
  c.br(0).end().end();
  return fn(name, [I32, I32, I32, I32, I32, I32, I32, I32, F32, F32], [], [I32, I32], c);
}

/**
 * Adds the record's gradient pair (from the record at (local p), or from (local pairAt) when
 * given) to the slot pair of every column in `cols` of the record at (local p).
 */
function addRecord(c: Code, p: number, h: number, gh: number, a: number, shape: RecordShape, layout: SlotLayout, cols: Int32Array, pairAt = p): void {
  const bpb = layout.bytesPerBin;
  c.get(pairAt).loadV64().f64x2PromoteLow().set(gh);
  for (const col of cols) {
    const slotBytes = layout.colSlotOffset[col] * 16;
    c.get(h).get(p);
    if (bpb === 1) c.load8(RECORD_HEADER * 4 + col);
    else c.load16(RECORD_HEADER * 4 + 2 * col);
    c.i32(4).shl().add().tee(a);
    c.get(a).loadV128(slotBytes).get(gh).f64x2Add().storeV128(slotBytes);
  }
}

function histogramModule(shape: RecordShape, layout: SlotLayout, cols: Int32Array): Uint8Array {
  const RB = shape.words * 4;
  const hist = new Code();
  {
    const [p, end, h, gh, a] = [0, 1, 2, 3, 4];
    hist.block().loop();
    hist.get(p).get(end).geU().brIf(1);
    addRecord(hist, p, h, gh, a, shape, layout, cols);
    hist.get(p).i32(RB).add().set(p);
    hist.br(0).end().end();
  }
  const histAt = new Code();
  {
    const [q, qEnd, records, h, gh, a, p] = [0, 1, 2, 3, 4, 5, 6];
    histAt.block().loop();
    histAt.get(q).get(qEnd).geU().brIf(1);
    histAt.get(records).get(q).load32().i32(RB).mul().add().set(p);
    addRecord(histAt, p, h, gh, a, shape, layout, cols);
    histAt.get(q).i32(4).add().set(q);
    histAt.br(0).end().end();
  }
  // The root's records: load each row's gradient pair into its record and add it to the
  // histogram in the same pass (one read of the records instead of two).
  const histLoad = new Code();
  {
    const [p, end, h, gp, gh, a] = [0, 1, 2, 3, 4, 5];
    histLoad.block().loop();
    histLoad.get(p).get(end).geU().brIf(1);
    histLoad.get(p).get(gp).load64().store64();
    addRecord(histLoad, p, h, gh, a, shape, layout, cols, gp);
    histLoad.get(p).i32(RB).add().set(p);
    histLoad.get(gp).i32(8).add().set(gp);
    histLoad.br(0).end().end();
  }
  return encodeModule(
    [
      fn('hist', [I32, I32, I32], [], [V128, I32], hist),
      fn('histAt', [I32, I32, I32, I32], [], [V128, I32, I32], histAt),
      fn('histLoad', [I32, I32, I32, I32], [], [V128, I32], histLoad),
    ],
    MAX_PAGES,
  );
}

let simdSupported: boolean | undefined;

/** Whether this runtime runs the kernels (WebAssembly with SIMD and shared memory). */
export function wasmKernelsSupported(): boolean {
  if (simdSupported === undefined) {
    try {
      const shape = { words: 6, binStride: 24, binBase: 12 };
      simdSupported =
        typeof WebAssembly === 'object' &&
        WebAssembly.validate(partitionModule(shape, 1)) &&
        WebAssembly.validate(histogramModule(shape, { nCols: 1, colSlotOffset: Uint32Array.of(0), totalSlots: 4, bytesPerBin: 1 }, Int32Array.of(0)));
    } catch {
      simdSupported = false;
    }
  }
  return simdSupported === true;
}

function instantiate<T>(bytes: Uint8Array, memory: WebAssembly.Memory): T {
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), { k: { m: memory } }).exports as unknown as T;
}

/**
 * This thread's kernels over `memory`. Every Lane, histogram slab, goLeft and positions array
 * given to them must be a view of that memory (the training buffers come from a
 * KernelMemory); split tables (luts) may live anywhere: they are copied in first.
 */
export function wasmKernels(memory: WebAssembly.Memory, shape: RecordShape, layout: SlotLayout): RowKernels {
  const RB = shape.words * 4;
  const bpb = layout.bytesPerBin;
  const part = instantiate<PartitionExports>(partitionModule(shape, bpb), memory);
  const histograms = new Map<string, HistogramExports>();
  // Per column list: the byte ranges (from, to, relative to the histogram) of its runs of
  // adjacent columns, which zeroColumns would fill.
  const zeroRuns = new WeakMap<Int32Array, Int32Array>();
  const zeroFor = (hist: Float64Array, base: number, cols: Int32Array) => {
    let runs = zeroRuns.get(cols);
    if (!runs) {
      const r: number[] = [];
      for (let k = 0; k < cols.length; ) {
        let j = k + 1;
        while (j < cols.length && cols[j] === cols[j - 1] + 1) j++;
        r.push(16 * layout.colSlotOffset[cols[k]], 16 * slotEnd(layout, cols[j - 1]));
        k = j;
      }
      zeroRuns.set(cols, (runs = Int32Array.from(r)));
    }
    const h = hist.byteOffset + base * 8;
    for (let i = 0; i < runs.length; i += 2) part.zero(h + runs[i], runs[i + 1] - runs[i]);
  };
  // By the column list's identity first: callers pass the same few lists every time, and
  // joining a list into a key per histogram cost more than small histograms do.
  const byList = new WeakMap<Int32Array, HistogramExports>();
  const histFor = (cols: Int32Array) => {
    let k = byList.get(cols);
    if (k) return k;
    const key = cols.join(',');
    k = histograms.get(key);
    if (!k) histograms.set(key, (k = instantiate<HistogramExports>(histogramModule(shape, layout, cols), memory)));
    byList.set(cols, k);
    return k;
  };
  let widest = 0;
  for (let c = 0; c < layout.nCols; c++) widest = Math.max(widest, slotEnd(layout, c) - layout.colSlotOffset[c]);
  const lutRegion = new KernelMemory(memory).alloc(widest);
  const lutScratch = new Uint8Array(lutRegion.buffer, lutRegion.byteOffset, widest);
  const lutAt = (lut: Uint8Array) => {
    lutScratch.set(lut.length > widest ? lut.subarray(0, widest) : lut);
    return lutRegion.byteOffset;
  };
  const at = (lane: Lane, i: number) => lane.words.byteOffset + i * RB;
  const binAt = (col: number) => RECORD_HEADER * 4 + col * bpb;
  const pairs = (f: (a: number, b: number, aEnd: number) => void, slab: Float64Array, aBase: number, other: Float64Array, bBase: number, from: number, to: number) => {
    const a = slab.byteOffset + (aBase + from) * 8;
    f(a, other.byteOffset + (bBase + from) * 8, a + (to - from) * 8);
  };
  return {
    kind: 'wasm',
    buildHistogram(hist, base, lane, cols, begin, end, idx) {
      zeroFor(hist, base, cols);
      const h = hist.byteOffset + base * 8;
      if (idx) histFor(cols).histAt(idx.byteOffset + begin * 4, idx.byteOffset + end * 4, lane.words.byteOffset, h);
      else histFor(cols).hist(at(lane, begin), at(lane, end), h);
    },
    buildRootHistogram(hist, base, lane, cols, begin, end, gpair) {
      zeroFor(hist, base, cols);
      histFor(cols).histLoad(at(lane, begin), at(lane, end), hist.byteOffset + base * 8, gpair.byteOffset + 8 * begin);
    },
    subtractHistogram: (slab, parentBase, childSlab, childBase, from, to) => pairs(part.sub, slab, parentBase, childSlab, childBase, from, to),
    addHistogram: (slab, totalBase, partSlab, partBase, from, to) => pairs(part.add, slab, totalBase, partSlab, partBase, from, to),
    markLeft(lane, col, lut, goLeft, begin, end, idx) {
      if (idx) return part.markAt(idx.byteOffset + 4 * begin, idx.byteOffset + 4 * end, lane.words.byteOffset, binAt(col), lutAt(lut), goLeft.byteOffset + begin);
      return part.mark(at(lane, begin), at(lane, end), binAt(col), lutAt(lut), goLeft.byteOffset + begin);
    },
    loadGradients(lane, gpair, begin, end) {
      part.loadPairs(at(lane, begin), gpair.byteOffset + 8 * begin, gpair.byteOffset + 8 * end);
    },
    scatterPositions(src, dst, goLeft, begin, end, leftAt, rightAt) {
      const from = src ? src.byteOffset + 4 * begin : 0;
      part.scatterAt(from, begin, end, goLeft.byteOffset + begin, dst.byteOffset + 4 * leftAt, dst.byteOffset + 4 * rightAt);
    },
    addLeafRows(r, margins, stride, offset) {
      const { lane, idx } = r;
      const from = idx ? idx.byteOffset + 4 * r.begin : at(lane, r.begin);
      const to = idx ? idx.byteOffset + 4 * r.end : at(lane, r.end);
      const records = lane.words.byteOffset;
      const m = margins.byteOffset;
      if (r.col < 0) (idx ? part.leafAt : part.leafRec)(from, to, records, m, 4 * stride, 4 * offset, 0, 0, r.value, 0);
      else (idx ? part.leafAtSplit : part.leafRecSplit)(from, to, records, m, 4 * stride, 4 * offset, binAt(r.col), lutAt(r.lut!), r.value, r.rightValue);
    },
    scatterRows(src, dst, goLeft, begin, end, leftAt, rightAt) {
      part.scatter(at(src, begin), at(src, end), goLeft.byteOffset + begin, at(dst, leftAt), at(dst, rightAt));
    },
    splitPositionsBuiltLast(records, src, dst, temp, col, lut, built, begin, end) {
      const from = src ? src.byteOffset + 4 * begin : 0;
      return part.splitAt(from, begin, end, records.words.byteOffset, dst.byteOffset + 4 * begin, temp.byteOffset, binAt(col), lutAt(lut), 1 - built);
    },
    splitBuiltLast(src, dst, temp, col, lut, built, begin, end) {
      return part.split(at(src, begin), at(src, end), at(dst, begin), at(temp, 0), binAt(col), lutAt(lut), 1 - built) / RB;
    },
  };
}
