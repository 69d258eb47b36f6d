// Float32 numbers as XGBoost's JSON writer prints them: the shortest decimal that reads back
// as the same float32, in scientific form with a capital E and no '+' ("1.25E1", "-6E-2", "0E0").

export function formatFloat32(x: number): string {
  const f = Math.fround(x);
  if (f === 0) return Object.is(f, -0) ? '-0E0' : '0E0';
  // The correctly rounded d-digit decimal is the closest one, so if it reads back as f so does
  // every longer one: binary search for the shortest (9 digits always suffice for float32).
  let lo = 1;
  let hi = 9;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Math.fround(Number(f.toExponential(mid - 1))) === f) hi = mid;
    else lo = mid + 1;
  }
  return f.toExponential(lo - 1).replace('e+', 'E').replace('e', 'E');
}

/**
 * A float32 training parameter as XGBoost saves it in a model's parameter blocks (dmlc
 * parameters print with 9 significant digits, printf "%.9g"): 1 -> "1", 2.5 -> "2.5",
 * 0.3 -> "0.300000012".
 */
export function formatParamFloat(x: number): string {
  const f = Math.fround(x);
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, exp] = f.toExponential(8).split('e');
  const e = Number(exp);
  const trim = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (e >= -4 && e < 9) return trim(f.toFixed(8 - e));
  return `${trim(mantissa)}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}
