// exp(x) for results that are rounded to float32 (the logistic gradients and predictions).
// Math.exp costs ~9 ns in V8 (a call into fdlibm); this table-driven version inlines to ~3 ns:
// exp(x) = 2^k * 2^(j/64) * exp(r), with x = (64k + j) * ln2/64 + r, |r| <= ln2/128, and exp(r)
// from its Taylor series to r^6 (truncation below 1e-17 relative). ln2/64 is split into a
// short high part (exact products with k) and the rest, as usual (Cody-Waite). Its result is
// within a few double ulps of Math.exp's, so after rounding to float32 the two agree except
// for inputs within ~1e-15 of a float32 rounding boundary (none in 10^8 random inputs, see
// the test).
const N = 64;
const LOG2_N = 6;
/** Below this, exp(x) rounds to float32 zero (e^-104 < half the smallest subnormal). */
const MIN_X = -104;
/** Above this, exp(x) is infinite in float32. */
const MAX_X = 89;
const INV_STEP = N / Math.LN2;
const STEP_HI = highBits(Math.LN2 / N);
const STEP_LO = Math.LN2 / N - STEP_HI;
/** Adding and subtracting 1.5 * 2^52 rounds a double to an integer (ties to even). */
const ROUND = 6755399441055744;
const MIN_K = -160;
const FRACTION = Float64Array.from({ length: N }, (_, j) => Math.pow(2, j / N));
const SCALE = Float64Array.from({ length: 2 * -MIN_K + 1 }, (_, i) => Math.pow(2, i + MIN_K));

function highBits(v: number): number {
  // The double with the low 32 mantissa bits cleared: products with |k| < 2^20 are exact.
  const f = new Float64Array([v]);
  new Uint32Array(f.buffer)[0] = 0;
  return f[0];
}

/** The constants and tables, for kernels that must compute exactly this (objective/wasmGradients.ts). */
export const EXP_PARTS = { N, LOG2_N, MIN_X, MAX_X, INV_STEP, STEP_HI, STEP_LO, ROUND, MIN_K, FRACTION, SCALE } as const;

export function expForFloat32(x: number): number {
  if (!(x > MIN_X)) return x !== x ? x : 0;
  if (x > MAX_X) return Infinity;
  const kd = x * INV_STEP + ROUND - ROUND;
  const ki = kd | 0;
  const r = x - kd * STEP_HI - kd * STEP_LO;
  const q = r * (1 + r * (1 / 2 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720))))));
  const t = FRACTION[ki & (N - 1)];
  return SCALE[(ki >> LOG2_N) - MIN_K] * (t + t * q);
}
