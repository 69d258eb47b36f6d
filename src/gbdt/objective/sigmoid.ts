// XGBoost 1.7's common::Sigmoid in float32: 1 / (expf(min(-x, 88.7)) + 1 + 1e-16f). The 1e-16
// vanishes in float32 (it is far below half an ulp of any sum >= 1), so it is left out.
import { expForFloat32 } from '../common/expForFloat32.ts';

const f32 = Math.fround;
const CLAMP = f32(88.7);

export function sigmoid32(x: number): number {
  const e = f32(expForFloat32(Math.min(-x, CLAMP)));
  return f32(1 / f32(e + 1));
}
