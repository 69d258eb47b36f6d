// Exact products of doubles (Dekker/Veltkamp), shared by the number parser and the number writer:
// both decide a rounding from a product whose last bits the double result drops.

/** 2^27 + 1: Veltkamp's split of a double into two 26-bit halves. */
const SPLITTER = 134217729;

/** The rounding error of p = fl(a * b), exactly: a * b = p + twoProductError(a, b, p). */
export function twoProductError(a: number, b: number, p: number): number {
  let c = SPLITTER * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLITTER * b;
  const bh = c - (c - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}
