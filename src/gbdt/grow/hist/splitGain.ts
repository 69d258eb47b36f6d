// Leaf weight and structure score from gradient sums, as XGBoost's TreeEvaluator computes
// them without constraints: sums are double, weights and gains are handed on as float32
// (the rounding points below are XGBoost 1.7's, which is what makes our trees match its trees).
import type { TrainParams } from '../../trainParams.ts';

const f32 = Math.fround;

/** The parameters the gain needs, already float32 like XGBoost's TrainParam fields. */
export interface GainParams {
  readonly lambda: number;
  readonly alpha: number;
  readonly minChildWeight: number;
  readonly maxDeltaStep: number;
  readonly eta: number;
  readonly gamma: number;
}

export function gainParams(p: TrainParams): GainParams {
  return {
    lambda: p.lambda,
    alpha: p.alpha,
    minChildWeight: p.minChildWeight,
    maxDeltaStep: p.maxDeltaStep,
    eta: p.eta,
    gamma: p.gamma,
  };
}

/**
 * Whether no split of a node with hessian sum `h` can pass min_child_weight, so evaluating it
 * is sure to find nothing. A candidate needs lh >= mcw and fl(h - lh) >= mcw. With mcw > 0
 * and h < 2 mcw that cannot happen in floating point either: if lh > 2h (or h <= 0), h - lh is
 * negative and so is its rounding; if h/2 <= lh <= 2h, h - lh is exact (Sterbenz) and the two
 * sides would sum to h >= 2 mcw; if lh < h/2, h > 2 lh >= 2 mcw. The backward scan and the
 * bundled features' two bins check the same pair of sums. NaN h never passes either.
 */
export function cannotSplit(p: GainParams, h: number): boolean {
  return p.minChildWeight > 0 && !(h >= 2 * p.minChildWeight);
}

export function thresholdL1(g: number, alpha: number): number {
  if (g > alpha) return g - alpha;
  if (g < -alpha) return g + alpha;
  return 0;
}

/** Optimal leaf weight -T(G)/(H + lambda), limited by max_delta_step; 0 below min_child_weight. */
export function calcWeight(p: GainParams, g: number, h: number): number {
  if (h < p.minChildWeight || h <= 0) return 0;
  let w = -thresholdL1(g, p.alpha) / (h + p.lambda);
  if (p.maxDeltaStep !== 0 && Math.abs(w) > p.maxDeltaStep) w = w < 0 ? -p.maxDeltaStep : p.maxDeltaStep;
  return f32(w);
}

/** Score of one side given its (float32) weight; the closed form when no max_delta_step. */
export function gainGivenWeight(p: GainParams, g: number, h: number, w: number): number {
  if (h <= 0) return 0;
  if (p.maxDeltaStep === 0) {
    // XGBoost divides in float32 here (SplitEvaluator::Divide takes floats).
    const t = thresholdL1(g, p.alpha);
    return f32(f32(t * t) / f32(h + p.lambda));
  }
  const g32 = f32(g);
  const h32 = f32(h);
  return -f32(f32(f32(2 * g32) * w) + f32(f32(h32 + p.lambda) * f32(w * w)));
}

/** A node's own score (XGBoost CalcGain), float32. */
export function calcGain(p: GainParams, g: number, h: number): number {
  return f32(gainGivenWeight(p, g, h, calcWeight(p, g, h)));
}

/** Score of a split into two sides (XGBoost CalcSplitGain), float32; subtract the parent's. */
export function splitGain(p: GainParams, gl: number, hl: number, gr: number, hr: number): number {
  if (p.maxDeltaStep === 0) return f32(gainGivenWeight(p, gl, hl, 0) + gainGivenWeight(p, gr, hr, 0));
  const wl = calcWeight(p, gl, hl);
  const wr = calcWeight(p, gr, hr);
  return f32(gainGivenWeight(p, gl, hl, wl) + gainGivenWeight(p, gr, hr, wr));
}
