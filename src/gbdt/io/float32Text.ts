// Float32 numbers as XGBoost's JSON writer prints them: the shortest decimal that reads back
// as the same float32, in scientific form with a capital E and no '+' ("1.25E1", "-6E-2", "0E0").

export function formatFloat32(x: number): string {
  const f = Math.fround(x);
  if (f === 0) return Object.is(f, -0) ? '-0E0' : '0E0';
  for (let digits = 1; digits <= 9; digits++) {
    const s = f.toExponential(digits - 1);
    if (Math.fround(Number(s)) === f) return s.replace('e+', 'E').replace('e', 'E');
  }
  return f.toExponential(8).replace('e+', 'E').replace('e', 'E');
}
