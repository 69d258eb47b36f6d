// Split evaluation (evaluateSplits.ts) in WebAssembly, for histograms in the training memory
// (wasm/kernelMemory.ts): one call per node scans every listed feature. Why: evaluation was
// the largest single cost of training on small data (every node scans ~1,000 bins, most of
// them candidates worth two float32 divisions), and the JavaScript loop pays a bounds check
// per load and a double division plus rounding per float32 one.
//
// The same numbers as evaluateSplits, bit for bit: the sums are the same float64 additions in
// the same order, and each float32 rounding of the JavaScript (Math.fround of a double sum,
// product or quotient of float32 values) is the float32 instruction here, which gives the
// same result because a double holds more than twice a float32's precision (2p + 2 bits), so
// rounding twice equals rounding once. Only the plain gain (alpha 0, max_delta_step 0) is
// here; other parameters keep the JavaScript scan.
import { Code, encodeModule, F32, F64, I32, V128, type FunctionDef, type ValType } from '../../wasm/moduleEncoder.ts';
import { KernelMemory, MAX_PAGES } from '../../wasm/kernelMemory.ts';
import type { ExpandEntry } from './expandEntry.ts';
import { evaluateSplits, setBest, type SplitSpace } from './evaluateSplits.ts';
import { cannotSplit, type GainParams } from './splitGain.ts';

/** evaluateSplits' signature, for one node's histogram `hist[base..]`. */
export type SplitEvaluator = (e: ExpandEntry, hist: Float64Array, base: number, features?: Int32Array, from?: number, to?: number) => void;

/** Bytes per feature in the feature table: slot byte offset, bins, flags, non-default bin. */
const TABLE_ENTRY = 16;
const BUNDLED = 1;
const SCAN_BACKWARD = 2;
/** The result area: best loss, left and right sums (f64), feature, bin, default-left (i32), then scratch bins. */
const OUT_BYTES = 128;
const SCRATCH_AT = 64;

// Parameters and locals of `evaluate`.
const [HIST, LIST, COUNT, PG, PH, ROOT, MCW, LAMBDA, OUT, TABLE, BEST_IN] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const BINS = 11;
const [J, F, T, FLAGS, NB, P, I, AT, IMPROVED, ND] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21];
const [G, H, LG, LH, RG, RH, BEST, X] = [22, 23, 24, 25, 26, 27, 28, 29];
const [LOSS, ROOT32] = [30, 31];
const [K, Q] = [32, 33];
const [ACC, RIGHT, H2, G2, GAINS, PGH, MCW2, LAMBDA2, ZERO2] = [34, 35, 36, 37, 38, 39, 40, 41, 42];
/** Shuffles of two f64x2 (a, b): (a1, b1), (a0, b0); and a 64-bit mask pair to 32-bit lanes 0 and 1. */
const HIGH_LANES = [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31];
const LOW_LANES = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
const NARROW = [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 16, 17, 18, 19];

/** Pushes gainOf(g, h) (evaluateSplits.ts) as an f32: 0 when h <= 0, else f32(g*g (0 for NaN)) / f32(h + lambda). */
function gainOf(c: Code, g: number, h: number): void {
  c.f32c(0);
  c.get(g).get(g).f64Mul().f64c(0).get(g).get(g).f64Eq().select().f32DemoteF64();
  c.get(h).get(LAMBDA).f64Add().f32DemoteF64().f32Div();
  c.get(h).f64c(0).f64Le().select();
}

/** if (loss > best && loss != Infinity): best = loss, and the candidate is written to the result. */
function keepIfBetter(c: Code, left: [number, number], right: [number, number], dir: number): void {
  c.get(LOSS).f64PromoteF32().get(BEST).f64Gt().get(LOSS).f32c(Infinity).f32Ne().and().if_();
  c.get(LOSS).f64PromoteF32().set(BEST);
  c.get(OUT).get(left[0]).storeF64(8);
  c.get(OUT).get(left[1]).storeF64(16);
  c.get(OUT).get(right[0]).storeF64(24);
  c.get(OUT).get(right[1]).storeF64(32);
  c.get(OUT).get(F).store32(40);
  c.get(OUT).get(I).store32(44);
  c.get(OUT).i32(dir).store32(48);
  c.i32(1).set(IMPROVED);
  c.end();
}

/**
 * LOSS of the forward candidate with sums ACC and RIGHT (H2 and G2 are their hessian and
 * gradient lanes); `guarded` keeps gainOf's 0 for a NaN square and for h <= 0.
 */
function forwardGains(c: Code, guarded: boolean): void {
  if (guarded) {
    // 0 where h <= 0 (the 64-bit lane masks narrowed to the two low 32-bit lanes), else the quotient.
    c.get(ZERO2);
    c.get(G2).get(G2).f64x2Mul().get(ZERO2).get(G2).get(G2).f64x2Eq().bitselect().f32x4DemoteF64x2Zero();
    c.get(H2).get(LAMBDA2).f64x2Add().f32x4DemoteF64x2Zero().f32x4Div();
    c.get(H2).get(ZERO2).f64x2Le().get(ZERO2).shuffle(NARROW).bitselect().set(GAINS);
  } else {
    c.get(G2).get(G2).f64x2Mul().f32x4DemoteF64x2Zero();
    c.get(H2).get(LAMBDA2).f64x2Add().f32x4DemoteF64x2Zero().f32x4Div().set(GAINS);
  }
  c.get(GAINS).f32x4ExtractLane(0).get(GAINS).f32x4ExtractLane(1).f32Add().get(ROOT32).f32Sub().set(LOSS);
}

/** The evaluation module; `positiveMcw` when min_child_weight > 0 (a shorter candidate test). */
function evaluateModule(positiveMcw: boolean): Uint8Array {
  const c = new Code();
  c.get(BEST_IN).set(BEST);
  c.get(ROOT).f32DemoteF64().set(ROOT32);
  c.get(PG).f64x2Splat().get(PH).f64x2ReplaceLane(1).set(PGH);
  c.get(MCW).f64x2Splat().set(MCW2);
  c.get(LAMBDA).f64x2Splat().set(LAMBDA2);
  c.f64c(0).f64x2Splat().set(ZERO2);
  c.block().loop();
  c.get(J).get(COUNT).geU().brIf(1);
  c.get(TABLE).get(LIST).get(J).i32(4).mul().add().load32().i32(TABLE_ENTRY).mul().add().set(T);
  c.get(LIST).get(J).i32(4).mul().add().load32().set(F);
  c.get(T).load32(4).set(NB);
  c.get(T).load32(8).set(FLAGS);
  c.get(FLAGS).i32(BUNDLED).and().if_();
  {
    // A bundled feature's two bins: its slot in the bundle and the rest of the node.
    c.get(HIST).get(T).load32().add().set(AT);
    c.get(AT).loadF64().set(G);
    c.get(AT).loadF64(8).set(H);
    c.get(T).load32(12).set(ND);
    c.get(OUT).i32(SCRATCH_AT).add().set(P);
    c.get(P).get(ND).i32(16).mul().add().set(AT);
    c.get(AT).get(G).storeF64();
    c.get(AT).get(H).storeF64(8);
    c.get(P).i32(16).get(ND).i32(16).mul().sub().add().set(AT);
    c.get(AT).get(PG).get(G).f64Sub().storeF64();
    c.get(AT).get(PH).get(H).f64Sub().storeF64(8);
  }
  c.else_();
  c.get(HIST).get(T).load32().add().set(P);
  c.end();

  // The bins to visit, listed without a branch per bin (whether a bin is empty is a coin flip
  // in mid-sized nodes): the non-empty ones and the first and last. An empty bin repeats the
  // candidate before it, which cannot be strictly better than itself, so visiting the first
  // and last also when empty changes nothing. A bin's (g, h) is one 128-bit load and compare.
  c.get(BINS).set(Q);
  c.get(NB).if_();
  {
    c.get(Q).i32(0).store32();
    c.get(Q).i32(4).add().set(Q);
    c.i32(1).set(I).get(P).i32(16).add().set(AT);
    // Four bins an iteration while bins I..I+3 are all before the last (the loop's control
    // cost as much as a bin's test), then one at a time.
    c.block().loop();
    c.get(I).i32(4).add().get(NB).geU().brIf(1);
    for (let k = 0; k < 4; k++) {
      c.get(Q).get(I).i32(k).add().store32();
      c.get(Q).get(AT).loadV128(16 * k).get(ZERO2).f64x2Ne().anyTrue().i32(2).shl().add().set(Q);
    }
    c.get(I).i32(4).add().set(I);
    c.get(AT).i32(64).add().set(AT);
    c.br(0).end().end();
    c.block().loop();
    c.get(I).get(NB).i32(1).sub().geU().brIf(1);
    c.get(Q).get(I).store32();
    c.get(Q).get(AT).loadV128().get(ZERO2).f64x2Ne().anyTrue().i32(4).mul().add().set(Q);
    c.get(I).i32(1).add().set(I);
    c.get(AT).i32(16).add().set(AT);
    c.br(0).end().end();
    c.get(NB).i32(1).gtU().if_();
    c.get(Q).get(NB).i32(1).sub().store32();
    c.get(Q).i32(4).add().set(Q);
    c.end();
  }
  c.end();
  c.get(Q).set(K);

  // Forward: bins 0..i on the left, missing with the right side. ACC = (lg, lh) and
  // RIGHT = (pg - lg, ph - lh) as float64 pairs; a candidate's two gains are computed in two
  // lanes: (lg, rg) squared and (lh, rh) + lambda, rounded to float32, one division. Every
  // lane is the scalar operation's result, so the losses are evaluateSplits' bit for bit.
  c.get(ZERO2).set(ACC).get(BINS).set(Q);
  c.block().loop();
  c.get(Q).get(K).geU().brIf(1);
  c.get(ACC).get(P).get(Q).load32().i32(16).mul().add().loadV128().f64x2Add().set(ACC);
  c.get(PGH).get(ACC).f64x2Sub().set(RIGHT);
  c.get(ACC).get(RIGHT).shuffle(HIGH_LANES).set(H2);
  c.get(H2).get(MCW2).f64x2Ge().i64x2AllTrue().if_();
  {
    c.get(ACC).get(RIGHT).shuffle(LOW_LANES).set(G2);
    if (positiveMcw) {
      // min_child_weight > 0: both hessian sums passed h >= mcw > 0, so only a NaN square
      // (a NaN gradient sum) needs gainOf's guard; it makes the loss NaN, and only then are
      // the gains computed again with the guard (a NaN loss is never kept either way).
      forwardGains(c, false);
      c.get(LOSS).get(LOSS).f32Ne().if_();
      forwardGains(c, true);
      c.end();
    } else forwardGains(c, true);
    c.get(LOSS).f64PromoteF32().get(BEST).f64Gt().get(LOSS).f32c(Infinity).f32Ne().and().if_();
    c.get(LOSS).f64PromoteF32().set(BEST);
    c.get(OUT).get(ACC).storeV128(8);
    c.get(OUT).get(RIGHT).storeV128(24);
    c.get(OUT).get(F).store32(40);
    c.get(OUT).get(Q).load32().store32(44);
    c.get(OUT).i32(0).store32(48);
    c.i32(1).set(IMPROVED);
    c.end();
  }
  c.end();
  c.get(Q).i32(4).add().set(Q);
  c.br(0).end().end();
  c.get(ACC).f64x2ExtractLane(0).set(LG);
  c.get(ACC).f64x2ExtractLane(1).set(LH);

  // Backward, when the feature may have missing rows and the bins do not sum to the node.
  c.get(FLAGS).i32(SCAN_BACKWARD).and().i32(0).ne().get(LG).get(PG).f64Ne().get(LH).get(PH).f64Ne().or().and().if_();
  {
    c.f64c(0).set(RG).f64c(0).set(RH);
    c.block().loop();
    c.get(Q).get(BINS).eq().brIf(1);
    c.get(Q).i32(4).sub().tee(Q).load32().set(I);
    c.get(P).get(I).i32(16).mul().add().set(AT);
    c.get(AT).loadF64().set(G);
    c.get(AT).loadF64(8).set(H);
    {
      c.get(RG).get(G).f64Add().set(RG);
      c.get(RH).get(H).f64Add().set(RH);
      c.get(PH).get(RH).f64Sub().set(X);
      c.get(RH).get(MCW).f64Ge().get(X).get(MCW).f64Ge().and().if_();
      c.get(PG).get(RG).f64Sub().set(LG);
      gainOf(c, LG, X);
      gainOf(c, RG, RH);
      c.f32Add().get(ROOT32).f32Sub().set(LOSS);
      keepIfBetter(c, [LG, X], [RG, RH], 1);
      c.end();
    }
    c.br(0).end().end();
  }
  c.end();

  c.get(J).i32(1).add().set(J);
  c.br(0).end().end();
  c.get(OUT).get(BEST).storeF64();
  c.get(IMPROVED);
  const fn: FunctionDef = {
    name: 'evaluate',
    params: [I32, I32, I32, F64, F64, F64, F64, F64, I32, I32, F64, I32],
    results: [I32],
    locals: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64, F32, F32, I32, I32, ...Array<ValType>(9).fill(V128)],
    code: c,
  };
  return encodeModule([fn], MAX_PAGES);
}

interface EvaluateExports {
  evaluate(
    hist: number,
    list: number,
    count: number,
    pg: number,
    ph: number,
    rootGain: number,
    mcw: number,
    lambda: number,
    out: number,
    table: number,
    best: number,
    bins: number,
  ): number;
}

/** The modules for min_child_weight 0 and > 0, built on first use. */
const moduleBytes: [Uint8Array?, Uint8Array?] = [];

/** This thread's split evaluator: WebAssembly over `memory` when the training buffers are there. */
export function splitEvaluator(memory: WebAssembly.Memory | undefined, space: SplitSpace, p: GainParams): SplitEvaluator {
  if (memory) return wasmSplitEvaluator(memory, space, p);
  return (e, hist, base, features, from, to) => evaluateSplits(e, hist, base, space, p, features, from, to);
}

/**
 * evaluateSplits for histograms in `memory` (one instance per thread: its result area is its
 * own). Every shared histogram given to it must be a view of `memory` (the training buffers
 * are, when the WebAssembly kernels run); parameters other than the plain gain, and heap
 * histograms, take the JavaScript scan.
 */
export function wasmSplitEvaluator(memory: WebAssembly.Memory, space: SplitSpace, p: GainParams): SplitEvaluator {
  const js: SplitEvaluator = (e, hist, base, features, from, to) => evaluateSplits(e, hist, base, space, p, features, from, to);
  if (p.alpha !== 0 || p.maxDeltaStep !== 0) return js;
  const positiveMcw = p.minChildWeight > 0;
  const bytes = (moduleBytes[+positiveMcw] ??= evaluateModule(positiveMcw));
  const k = new WebAssembly.Instance(new WebAssembly.Module(bytes), { k: { m: memory } }).exports as unknown as EvaluateExports;
  const { pm, cuts, nBins } = space;
  const nf = pm.nFeatures;
  let widest = 2;
  for (let f = 0; f < nf; f++) widest = Math.max(widest, nBins[f]);
  const region = new KernelMemory(memory).alloc(nf * TABLE_ENTRY + 2 * nf * 4 + OUT_BYTES + 4 * widest);
  const at = region.byteOffset;
  const table = new Int32Array(region.buffer, at, nf * 4);
  const all = new Int32Array(region.buffer, at + nf * TABLE_ENTRY, nf);
  const list = new Int32Array(region.buffer, at + nf * TABLE_ENTRY + nf * 4, nf);
  const outAt = at + nf * TABLE_ENTRY + 2 * nf * 4;
  const outF64 = new Float64Array(region.buffer, outAt, 5);
  const outI32 = new Int32Array(region.buffer, outAt + 40, 3);
  for (let f = 0; f < nf; f++) {
    const col = pm.featureCol[f];
    const k = pm.featureMember[f];
    const o = 4 * f;
    if (k < 0) table.set([16 * pm.colSlotOffset[col], nBins[f], SCAN_BACKWARD, 0], o);
    else table.set([16 * (pm.colSlotOffset[col] + k), 2, BUNDLED, 1 - pm.featureDefaultBin[f]], o);
    all[f] = f;
  }
  return (e, hist, base, features, from = 0, to = features ? features.length : nf) => {
    // Nothing could pass min_child_weight (splitGain.ts cannotSplit): the scan would find nothing.
    if (cannotSplit(p, e.sumHess)) return;
    // Heap histograms (not the training memory) cannot be read here.
    if (!(hist.buffer instanceof SharedArrayBuffer)) {
      js(e, hist, base, features, from, to);
      return;
    }
    let listAt = all.byteOffset + 4 * from;
    if (features) {
      list.set(features.subarray(from, to));
      listAt = list.byteOffset;
    }
    const histAt = hist.byteOffset + 8 * base;
    if (k.evaluate(histAt, listAt, to - from, e.sumGrad, e.sumHess, e.rootGain, p.minChildWeight, p.lambda, outAt, at, e.lossChg, outAt + OUT_BYTES) === 0) return;
    const f = outI32[0];
    const bin = outI32[1];
    const back = outI32[2] === 1;
    const value = !back ? cuts.values[cuts.ptrs[f] + bin] : bin === 0 ? cuts.minValues[f] : cuts.values[cuts.ptrs[f] + bin - 1];
    setBest(e, outF64[0], f, back ? bin - 1 : bin, value, back, outF64[1], outF64[2], outF64[3], outF64[4]);
  };
}
