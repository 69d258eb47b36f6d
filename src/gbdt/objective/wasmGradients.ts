// The logistic gradients (binaryLogistic.ts weightedGradients, with sigmoid32 and
// expForFloat32) in WebAssembly, for arrays in the training memory. Why: in V8 the JavaScript
// loop costs ~25 ns a row (every float32 rounding is a conversion pair, every array access is
// checked), which at 24k rows x 500 rounds was a sixth of training.
//
// Bit for bit the JavaScript's numbers: expForFloat32's double operations in the same order,
// with its own tables (copied into the memory), and each Math.fround of a float32 sum,
// difference, product or quotient as the float32 instruction (the same result: a double holds
// more than twice a float32's precision, so rounding twice equals rounding once). Unit weights
// and scale_pos_weight 1 multiply by 1.0f, which is exact, as the JavaScript's unit-weight loop
// assumes too.
import { Code, encodeModule, F32, F64, I32, V128, type FunctionDef, type ValType } from '../wasm/moduleEncoder.ts';
import { KernelMemory, MAX_PAGES } from '../wasm/kernelMemory.ts';
import { EXP_PARTS } from '../common/expForFloat32.ts';
import type { Objective } from './objective.ts';

const f32 = Math.fround;
const CLAMP = f32(88.7);
const HESS_EPS = f32(1e-16);

// logistic(margins, end, labels, weights (0: none), gpair, spw, tables)
const [M, END, Y, W, GP, SPW, TABLES] = [0, 1, 2, 3, 4, 5, 6];
const [KI] = [7];
const [X, KD, R, E] = [8, 9, 10, 11];
const [P, H, WT, YV] = [12, 13, 14, 15];

function logisticModule(): Uint8Array {
  const { MIN_X, MAX_X, INV_STEP, STEP_HI, STEP_LO, ROUND, MIN_K, N, LOG2_N } = EXP_PARTS;
  const c = new Code();
  c.block().loop();
  c.get(M).get(END).geU().brIf(1);
  // x = min(-margin, 88.7f)
  c.get(M).loadF32().f64PromoteF32().f64Neg().f64c(CLAMP).f64Min().set(X);
  // e = expForFloat32(x)
  c.get(X).f64c(MIN_X).f64Gt().if_();
  {
    c.get(X).f64c(MAX_X).f64Gt().if_();
    c.f64c(Infinity).set(E);
    c.else_();
    c.get(X).f64c(INV_STEP).f64Mul().f64c(ROUND).f64Add().f64c(ROUND).f64Sub().set(KD);
    c.get(KD).i32TruncF64().set(KI);
    c.get(X).get(KD).f64c(STEP_HI).f64Mul().f64Sub().get(KD).f64c(STEP_LO).f64Mul().f64Sub().set(R);
    // q = r * (1 + r * (1/2 + r * (1/6 + r * (1/24 + r * (1/120 + r * (1/720))))))
    c.get(R);
    c.f64c(1).get(R).f64c(1 / 2).get(R).f64c(1 / 6).get(R).f64c(1 / 24).get(R).f64c(1 / 120).get(R).f64c(1 / 720);
    c.f64Mul().f64Add().f64Mul().f64Add().f64Mul().f64Add().f64Mul().f64Add().f64Mul().f64Add().f64Mul();
    c.set(E);
    // t = FRACTION[ki & (N - 1)]; e = SCALE[(ki >> LOG2_N) - MIN_K] * (t + t * q)
    c.get(TABLES).get(KI).i32(N - 1).and().i32(8).mul().add().loadF64().set(R);
    c.get(TABLES).get(KI).i32(LOG2_N).shrS().i32(-MIN_K).add().i32(8).mul().add().loadF64(8 * N);
    c.get(R).get(R).get(E).f64Mul().f64Add().f64Mul().set(E);
    c.end();
  }
  c.else_();
  c.get(X).f64c(0).get(X).get(X).f64Ne().select().set(E);
  c.end();
  // p = f32(1 / f32(f32(e) + 1)); h = f32(p * f32(1 - p))
  c.f32c(1).get(E).f32DemoteF64().f32c(1).f32Add().f32Div().set(P);
  c.get(P).f32c(1).get(P).f32Sub().f32Mul().set(H);
  // w = weight (1 without), times scale_pos_weight for label 1
  c.get(Y).loadF32().set(YV);
  c.get(W).loadF32().f32c(1).get(W).i32(0).ne().select().set(WT);
  c.get(WT).get(SPW).f32Mul().get(WT).get(YV).f32c(1).f32Eq().select().set(WT);
  // gpair = (f32(p - y) * w, f32(max(h, eps)) * w)
  c.get(GP).get(P).get(YV).f32Sub().get(WT).f32Mul().storeF32();
  c.get(GP).get(H).f32c(HESS_EPS).get(H).f32c(HESS_EPS).f32Gt().select().get(WT).f32Mul().storeF32(4);
  c.get(M).i32(4).add().set(M);
  c.get(Y).i32(4).add().set(Y);
  c.get(W).i32(4).get(W).i32(0).ne().mul().add().set(W);
  c.get(GP).i32(8).add().set(GP);
  c.br(0).end().end();
  const fn: FunctionDef = {
    name: 'logistic',
    params: [I32, I32, I32, I32, I32, F32, I32],
    results: [],
    locals: [I32, F64, F64, F64, F64, F32, F32, F32, F32],
    code: c,
  };
  return encodeModule([fn, logisticSimd('logisticPairs', 1), logisticSimd('logisticQuads', 2)], MAX_PAGES);
}

// Locals of the SIMD functions (after the same parameters as logistic): shared constants,
// then one set per stream of two rows.
const [ONE32, EPS32, SPW32, ZERO64, WMASK] = [7, 8, 9, 10, 11];
const STREAM_LOCALS = 12;
interface Stream {
  readonly x: number;
  readonly kd: number;
  readonly r: number;
  readonly q: number;
  readonly e: number;
  readonly mask: number;
  readonly ki: number;
  readonly t: number;
  readonly p: number;
  readonly h: number;
  readonly wt: number;
  readonly yv: number;
  /** Byte offset of the stream's first row from the current row (0 or 8). */
  readonly rowBytes: number;
}

function stream(first: number, rowBytes: number): Stream {
  const [x, kd, r, q, e, mask, ki, t, p, h, wt, yv] = Array.from({ length: STREAM_LOCALS }, (_, i) => first + i);
  return { x, kd, r, q, e, mask, ki, t, p, h, wt, yv, rowBytes };
}

/**
 * `logistic` for two rows of a stream, as a list of statements (each leaves the stack empty)
 * so that two streams' statements can be interleaved: the same operations, each on two
 * float64 or float32 lanes (SIMD lane arithmetic is the scalar IEEE arithmetic per lane), with
 * expForFloat32's branches as selects.
 */
function pairStatements(s: Stream): Code[] {
  const { MIN_X, INV_STEP, STEP_HI, STEP_LO, ROUND, MIN_K, N, LOG2_N } = EXP_PARTS;
  const out: Code[] = [];
  const st = () => {
    const c = new Code();
    out.push(c);
    return c;
  };
  const o = s.rowBytes;
  // x = min(-margin, 88.7f); it never exceeds expForFloat32's MAX_X (89), so that branch is out.
  st().get(M).loadV64(o).f64x2PromoteLow().f64x2Neg().f64c(CLAMP).f64x2Splat().f64x2Min().set(s.x);
  // Lanes in expForFloat32's range; the others compute on 0 (valid table indices) and are replaced.
  st().get(s.x).f64c(MIN_X).f64x2Splat().f64x2Gt().set(s.mask);
  st().get(s.x).get(ZERO64).get(s.mask).bitselect().set(s.r);
  st().get(s.r).f64c(INV_STEP).f64x2Splat().f64x2Mul().f64c(ROUND).f64x2Splat().f64x2Add().f64c(ROUND).f64x2Splat().f64x2Sub().set(s.kd);
  st().get(s.kd).i32x4TruncSatF64x2Zero().set(s.ki);
  st().get(s.r).get(s.kd).f64c(STEP_HI).f64x2Splat().f64x2Mul().f64x2Sub().get(s.kd).f64c(STEP_LO).f64x2Splat().f64x2Mul().f64x2Sub().set(s.r);
  // q = r * (1 + r * (1/2 + r * (1/6 + r * (1/24 + r * (1/120 + r * (1/720))))))
  const q = st().get(s.r);
  [1, 1 / 2, 1 / 6, 1 / 24, 1 / 120].forEach((k) => q.f64c(k).f64x2Splat().get(s.r));
  q.f64c(1 / 720).f64x2Splat();
  q.f64x2Mul().f64x2Add().f64x2Mul().f64x2Add().f64x2Mul().f64x2Add().f64x2Mul().f64x2Add().f64x2Mul().f64x2Add().f64x2Mul().set(s.q);
  // t = FRACTION[ki & (N - 1)]; e = SCALE[(ki >> LOG2_N) - MIN_K] * (t + t * q), a lane at a time.
  const fraction = (c: Code, lane: number) => c.get(TABLES).get(s.ki).i32x4ExtractLane(lane).i32(N - 1).and().i32(8).mul().add();
  const scale = (c: Code, lane: number) => c.get(TABLES).get(s.ki).i32x4ExtractLane(lane).i32(LOG2_N).shrS().i32(-MIN_K).add().i32(8).mul().add();
  const t = st();
  fraction(t, 1);
  fraction(t, 0);
  t.loadV64().loadLane64(1).set(s.t);
  const e = st();
  scale(e, 1);
  scale(e, 0);
  e.loadV64(8 * N).loadLane64(1, 8 * N);
  e.get(s.t).get(s.t).get(s.q).f64x2Mul().f64x2Add().f64x2Mul().set(s.e);
  // Out of range: NaN stays NaN, else 0.
  st().get(s.e).get(s.x).get(ZERO64).get(s.x).get(s.x).f64x2Ne().bitselect().get(s.mask).bitselect().set(s.e);
  // p = f32(1 / f32(f32(e) + 1)); h = f32(p * f32(1 - p))
  st().get(ONE32).get(s.e).f32x4DemoteF64x2Zero().get(ONE32).f32x4Add().f32x4Div().set(s.p);
  st().get(s.p).get(ONE32).get(s.p).f32x4Sub().f32x4Mul().set(s.h);
  st().get(Y).loadV64(o).set(s.yv);
  // w = weight (1 without), times scale_pos_weight for label 1. Without weights W is 0 and
  // the load reads the memory's first bytes, which the mask discards.
  st().get(W).loadV64(o).get(ONE32).get(WMASK).bitselect().set(s.wt);
  st().get(s.wt).get(SPW32).f32x4Mul().get(s.wt).get(s.yv).get(ONE32).f32x4Eq().bitselect().set(s.wt);
  // gpair = (f32(p - y) * w, f32(max(h, eps)) * w), interleaved.
  const g = st().get(GP);
  g.get(s.p).get(s.yv).f32x4Sub().get(s.wt).f32x4Mul();
  g.get(s.h).get(EPS32).get(s.h).get(EPS32).f32x4Gt().bitselect().get(s.wt).f32x4Mul();
  g.shuffle([0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23]).storeV128(2 * o);
  return out;
}

/**
 * `logistic` for `streams` x 2 rows a step (margins to `end` must be a whole number of
 * steps), the streams' statements interleaved. Why: each row is one long dependency chain
 * (~120 cycles: the exp polynomial, a division); the scalar loop took ~17 ns a row (0.2 s of
 * 500 rounds on 24k rows), two rows in SIMD lanes ~8 ns, and two independent pairs let the
 * processor overlap the chains.
 */
function logisticSimd(name: string, streams: 1 | 2): FunctionDef {
  const c = new Code();
  c.f32c(1).f32x4Splat().set(ONE32);
  c.f32c(HESS_EPS).f32x4Splat().set(EPS32);
  c.get(SPW).f32x4Splat().set(SPW32);
  c.f64c(0).f64x2Splat().set(ZERO64);
  // All ones when there are weights.
  c.i32(0).get(W).i32(0).ne().sub().i32x4Splat().set(WMASK);
  c.block().loop();
  c.get(M).get(END).geU().brIf(1);
  const lists = Array.from({ length: streams }, (_, k) => pairStatements(stream(WMASK + 1 + k * STREAM_LOCALS, 8 * k)));
  for (let i = 0; i < lists[0].length; i++) for (const l of lists) c.bytes.push(...l[i].bytes);
  const step = 8 * streams;
  c.get(M).i32(step).add().set(M);
  c.get(Y).i32(step).add().set(Y);
  c.get(W).i32(step).get(W).i32(0).ne().mul().add().set(W);
  c.get(GP).i32(2 * step).add().set(GP);
  c.br(0).end().end();
  return {
    name,
    params: [I32, I32, I32, I32, I32, F32, I32],
    results: [],
    locals: Array<ValType>(5 + streams * STREAM_LOCALS).fill(V128),
    code: c,
  };
}

interface LogisticExports {
  logistic(margins: number, end: number, labels: number, weights: number, gpair: number, spw: number, tables: number): void;
  logisticPairs(margins: number, end: number, labels: number, weights: number, gpair: number, spw: number, tables: number): void;
  logisticQuads(margins: number, end: number, labels: number, weights: number, gpair: number, spw: number, tables: number): void;
}

let moduleBytes: Uint8Array | undefined;

/**
 * objective.gradients for arrays that are views of `memory`, when the objective has a kernel;
 * returns false (and computes nothing) otherwise. One per thread.
 */
export type GradientsKernel = (objective: Objective, margins: Float32Array, labels: Float32Array, weights: Float32Array | undefined, gpair: Float32Array) => boolean;

export function wasmGradients(memory: WebAssembly.Memory): GradientsKernel {
  moduleBytes ??= logisticModule();
  const k = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes), { k: { m: memory } }).exports as unknown as LogisticExports;
  const { FRACTION, SCALE } = EXP_PARTS;
  const region = new KernelMemory(memory).alloc((FRACTION.length + SCALE.length) * 8);
  const tables = new Float64Array(region.buffer, region.byteOffset, FRACTION.length + SCALE.length);
  tables.set(FRACTION);
  tables.set(SCALE, FRACTION.length);
  return (objective, margins, labels, weights, gpair) => {
    const spec = objective.kernel;
    if (spec?.kind !== 'logistic' || objective.numGroup !== 1) return false;
    const n = margins.length;
    if (labels.length !== n || gpair.length !== 2 * n || (weights && weights.length !== n)) return false;
    // Four rows a step, then a pair, then a single row, as many as the count leaves.
    const m = margins.byteOffset;
    const w = weights ? weights.byteOffset : 0;
    const spw = spec.scalePosWeight;
    const t = region.byteOffset;
    const quads = n & ~3;
    const pairs = n & ~1;
    const at = (i: number): [number, number, number, number] => [m + 4 * i, labels.byteOffset + 4 * i, w && w + 4 * i, gpair.byteOffset + 8 * i];
    let [a, y, ww, g] = at(0);
    k.logisticQuads(a, m + 4 * quads, y, ww, g, spw, t);
    [a, y, ww, g] = at(quads);
    if (pairs > quads) k.logisticPairs(a, m + 4 * pairs, y, ww, g, spw, t);
    [a, y, ww, g] = at(pairs);
    if (pairs < n) k.logistic(a, m + 4 * n, y, ww, g, spw, t);
    return true;
  };
}
