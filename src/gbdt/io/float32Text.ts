// Float32 numbers as XGBoost's JSON writer prints them: the shortest decimal that reads back
// as the same float32, in scientific form with a capital E and no '+' ("1.25E1", "-6E-2", "0E0").

export function formatFloat32(x: number): string {
  const f = Math.fround(x);
  if (f === 0) return Object.is(f, -0) ? '-0E0' : '0E0';
  if (!shortestFloat32(f)) return formatFloat32Exact(f);
  return text(f < 0, shortest.digits, shortest.count, shortest.exponent);
}

/**
 * The definition of the text (and the fallback of the fast path): the correctly rounded d-digit
 * decimal (Number#toExponential) reads back as f, so if it does so does every longer one; binary
 * search for the shortest (9 digits always suffice for float32).
 */
export function formatFloat32Exact(x: number): string {
  const f = Math.fround(x);
  if (f === 0) return Object.is(f, -0) ? '-0E0' : '0E0';
  let lo = 1;
  let hi = 9;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Math.fround(Number(f.toExponential(mid - 1))) === f) hi = mid;
    else lo = mid + 1;
  }
  return f.toExponential(lo - 1).replace('e+', 'E').replace('e', 'E');
}

// The fast path (a model's JSON holds millions of floats; toExponential and Number cost about
// 0.1 us each, and the search needs four of each). One scaling puts |f| as a9 = |f| * 10^s in
// [10^8, 10^9): with |s| <= 22, 10^s is an exact double, so a9 is within half an ulp (2^-24,
// a9 < 2^30) of the exact product. Rounding f to d significant digits is rounding a9 to a
// multiple of p = 10^(9 - d): its integer part's leading digits, up when the rest (an exact sum:
// an integer below min(p, a9) plus a9's fraction, no finer than a9's ulp, fits 53 bits) is
// above p / 2. That decimal
// reads back as f exactly when it lies within half the gap from f to its float32 neighbour on
// its side (below a power of two: a quarter of the gap above), the midpoints going to the even
// float32. The sums carry a9's error, and Number() rounds the text to a double first (within
// 2^-23 in a9's units), so the probe gives up (formatFloat32Exact decides) whenever the rest is
// within 2^-20 of p / 2 or the distance within 2^-20 of the half gap; and for zero, subnormal
// and non-finite values, and magnitudes whose 10^s is not exact (below 1e-14, above 1e30).
// Digit counts are tried from nine down while the decimal reads back, the last that does being
// the shortest, as the binary search of formatFloat32Exact finds it: a rounding to more digits is
// never farther from f, so for any f but a power of two (whose two half gaps are equal) the digit
// counts that read back are all those from the shortest up; at powers of two the tests compare
// with the definition. Compared with the definition and the previous fast path (a probe per digit
// count of a binary search) on three whole binades (2^-7, 1, 2^9: 25 million values) and 30
// million random bit patterns, without a difference.

const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Sums this close to a rounding boundary are left to formatFloat32Exact (their error is < 2^-22). */
const MARGIN = 2 ** -20;
const LOG10_2 = Math.log10(2);
/** f's float32 bits (module state: formatting is synchronous and single-threaded). */
const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** shortestFloat32's answer (module state, like the scratch). */
export const shortest = { digits: 0, count: 0, exponent: 0 };

/**
 * The text of a non-zero float32 f when the fast path can decide it: true, with |f|'s text in
 * `shortest` ("1.25E1" is digits 125, count 3, exponent 1); false when formatFloat32Exact must.
 */
export function shortestFloat32(f: number): boolean {
  scratch[0] = f;
  const bits = scratchBits[0] & 0x7fffffff;
  const ex = bits >>> 23;
  if (ex === 0 || ex === 255) return false;
  const man = bits & 0x7fffff;
  // |f| as float32 (callers pass float32 values; the bits above are of this one).
  const a = Math.abs(scratch[0]);
  // floor(log10 |f|) is this guess or one more (|f| is in [2^e, 2^(e+1))).
  let e10 = Math.floor((ex - 127) * LOG10_2);
  let s = 8 - e10;
  if (s > 22 || s < -22) return false;
  let a9 = s >= 0 ? a * POW10[s] : a / POW10[-s];
  if (a9 >= 1e9) {
    e10++;
    s--;
    if (s < -22) return false;
    a9 = s >= 0 ? a * POW10[s] : a / POW10[-s];
  }
  if (!(a9 >= 1e8 && a9 < 1e9)) return false;
  const whole = Math.floor(a9);
  const frac = a9 - whole;
  // Half the gap to the next float32 up (|f| / (2 * significand), exact but for a9's error),
  // and down: a quarter of the upper gap at a power of two (not the smallest normal).
  const hUp = a9 / (2 * (8388608 + man));
  const hDown = man === 0 && ex > 1 ? hUp / 2 : hUp;
  let lead = whole;
  let p = 1;
  let found = 0;
  let digits = 0;
  for (let d = 9; d >= 1; d--) {
    const rest = whole - lead * p + frac;
    const half = p / 2;
    if (Math.abs(rest - half) < MARGIN) return false;
    const up = rest > half;
    // The decimal minus a9, and the half gap on that side.
    const off = up ? p - rest : -rest;
    const gap = off >= 0 ? hUp : hDown;
    const dist = off >= 0 ? off : -off;
    if (Math.abs(dist - gap) < MARGIN) return false;
    if (!(dist < gap)) break;
    found = d;
    digits = up ? lead + 1 : lead;
    lead = (lead / 10) | 0;
    p *= 10;
  }
  if (found === 0) return false;
  let exponent = e10;
  if (digits === POW10[found]) {
    // Rounded up to the next power of ten: "9.99" to two digits is "1.0E1".
    digits = POW10[found - 1];
    exponent++;
  }
  shortest.digits = digits;
  shortest.count = found;
  shortest.exponent = exponent;
  return true;
}

/** toExponential's layout with XGBoost's capital E and no '+': "-1.25E1". */
function text(negative: boolean, digits: number, d: number, exponent: number): string {
  const s = String(digits);
  const mantissa = d === 1 ? s : `${s[0]}.${s.slice(1)}`;
  return `${negative ? '-' : ''}${mantissa}E${exponent}`;
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
