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
// 0.1 us each, and the search needs four of each): the same binary search, each probe computed
// with one double multiplication or division. With |k| <= 22, 10^k is an exact double and a
// d-digit integer D (< 2^53) times or over it is correctly rounded, so D * 10^k is exactly the
// double Number() reads from the text; and a * 10^s is within half an ulp (< 2^-23 for values
// below 10^9) of the exact product, so it rounds to D the way toExponential does unless the
// fraction is within that error of one half: then (and for magnitudes out of the exact range,
// and for non-finite values) the probe gives up and formatFloat32Exact decides.

const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Fractions this close to one half are left to toExponential (the product's error is < 2^-23). */
const TIE_MARGIN = 2 ** -20;

// The last probe's results (module state: formatting is synchronous and single-threaded).
let probeDigits = 0;
let probeExponent = 0;
/** floor(log10(a)) as the probes corrected it. */
let probeE10 = 0;

const UNDECIDED = -1;

/** shortestFloat32's answer (module state, like the probe's). */
export const shortest = { digits: 0, count: 0, exponent: 0 };

/**
 * The text of a non-zero float32 f when the fast path can decide it: true, with |f|'s text in
 * `shortest` ("1.25E1" is digits 125, count 3, exponent 1); false when formatFloat32Exact must.
 */
export function shortestFloat32(f: number): boolean {
  const a = Math.abs(f);
  if (!(a < Infinity) || a === 0) return false;
  probeE10 = Math.floor(Math.log10(a));
  let lo = 1;
  let hi = 9;
  let digits = -1;
  let exponent = 0;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const ok = probe(a, mid);
    if (ok === UNDECIDED) return false;
    if (ok === 1) {
      hi = mid;
      digits = probeDigits;
      exponent = probeExponent;
    } else {
      lo = mid + 1;
    }
  }
  // The answer is the last probe that read back (hi only moves to such a probe), or nine
  // digits when none did — never probed, as the search stops before trying the upper bound.
  if (digits === -1) {
    if (probe(a, 9) === UNDECIDED) return false;
    digits = probeDigits;
    exponent = probeExponent;
  }
  shortest.digits = digits;
  shortest.count = lo;
  shortest.exponent = exponent;
  return true;
}

/**
 * Rounds a to d significant digits (probeDigits, probeExponent); 1 if that decimal reads back
 * as a, 0 if not, UNDECIDED when the doubles cannot tell exactly.
 */
function probe(a: number, d: number): number {
  for (let attempt = 0; attempt < 2; attempt++) {
    const s = d - 1 - probeE10;
    if (s > 22 || s < -22) return UNDECIDED;
    const x = s >= 0 ? a * POW10[s] : a / POW10[-s];
    // The guess of the decimal exponent was off by one (log10 rounding): correct it, once.
    if (x < POW10[d - 1]) {
      probeE10--;
      continue;
    }
    if (x >= POW10[d]) {
      probeE10++;
      continue;
    }
    const floor = Math.floor(x);
    const frac = x - floor;
    if (Math.abs(frac - 0.5) < TIE_MARGIN) return UNDECIDED;
    let digits = frac > 0.5 ? floor + 1 : floor;
    let exponent = probeE10;
    if (digits === POW10[d]) {
      // Rounded up to the next power of ten: "9.99" to two digits is "1.0E1".
      digits = POW10[d - 1];
      exponent++;
    }
    const k = exponent - d + 1;
    if (k > 22 || k < -22) return UNDECIDED;
    const back = k >= 0 ? digits * POW10[k] : digits / POW10[-k];
    probeDigits = digits;
    probeExponent = exponent;
    return Math.fround(back) === a ? 1 : 0;
  }
  return UNDECIDED;
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
