// XGBoost's common::Sigmoid in float32: 1 / (1 + expf(min(-x, 88.7))).
const f32 = Math.fround;
const CLAMP = f32(88.7);

export function sigmoid32(x: number): number {
  const e = f32(Math.exp(Math.min(-x, CLAMP)));
  return f32(1 / f32(e + 1));
}
