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
import { Code, encodeModule, F32, F64, I32, type FunctionDef } from '../wasm/moduleEncoder.ts';
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
  return encodeModule([fn], MAX_PAGES);
}

interface LogisticExports {
  logistic(margins: number, end: number, labels: number, weights: number, gpair: number, spw: number, tables: number): void;
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
    k.logistic(margins.byteOffset, margins.byteOffset + 4 * n, labels.byteOffset, weights ? weights.byteOffset : 0, gpair.byteOffset, spec.scalePosWeight, region.byteOffset);
    return true;
  };
}
