// Decimal text -> float64, straight from bytes. Results equal JS Number() (and a correctly
// rounding C strtod) exactly:
// - up to 2^53 in the decimal mantissa and a power of ten of at most 22: Clinger's fast path
//   (both operands are exact doubles, so one multiply or divide rounds correctly);
// - up to 19 significant digits (e.g. the 17 of a shortest round-trip float) and a power of ten
//   of at most 22: the mantissa is held exactly as a double-double and multiplied or divided
//   with error-free transformations; the result is accepted unless the exact value lies within
//   a tiny distance of a rounding midpoint (or the result is a power of two);
// - anything else, and those rare near-midpoint cases: Number(text).
//
// Accepted: optional sign, digits with an optional '.', at least one digit, optional exponent
// (`1`, `-2.5`, `+3.`, `.5`, `1e-5`, `2E+10`), surrounded by optional spaces/tabs (pandas
// accepts them too). Infinity spellings are handled by `parseSpecialNumber`. Everything else,
// including hex and 'NaN', is not a number here; 'NaN' and friends are missing-value tokens.
import { twoProductError } from './twoProduct.ts';

const POW10: Float64Array = (() => {
  const p = new Float64Array(23);
  p[0] = 1;
  for (let i = 1; i < 23; i++) p[i] = p[i - 1] * 10;
  return p;
})();

const TWO_POW_53 = 9007199254740992;
/** Results within this many ulps of a rounding midpoint go to the slow path. */
const MIDPOINT_GUARD = 2 ** -30;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = 1; // index of the high word on little-endian machines
const LO = 0;
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('parseNumber assumes a little-endian machine');

/**
 * Parses bytes [start, end) as a decimal number. Returns NaN when the text is not a number
 * in the accepted form (valid input never produces NaN, so NaN is an unambiguous "invalid").
 */
export function parseNumberBytes(b: Uint8Array, start: number, end: number): number {
  let i = start;
  let e = end;
  while (i < e && (b[i] === 32 || b[i] === 9)) i++;
  while (e > i && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  if (i === e) return NaN;
  const textStart = i;
  let neg = false;
  let c = b[i];
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) i++;
  // Significant digits: the first 15 in `hi`, the next up to 4 in `lo`; more -> slow path.
  let hi = 0;
  let lo = 0;
  let nd = 0;
  let nLo = 0;
  let exp10 = 0;
  let sawDigit = false;
  let tooLong = false;
  while (i < e) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) break;
    sawDigit = true;
    if (nd < 15) {
      if (nd > 0 || d !== 0) {
        hi = hi * 10 + d;
        nd++;
      }
    } else if (nd < 19) {
      lo = lo * 10 + d;
      nLo++;
      nd++;
    } else tooLong = true;
    i++;
  }
  if (i < e && b[i] === 46) {
    i++;
    while (i < e) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      sawDigit = true;
      if (nd < 15) {
        if (nd > 0 || d !== 0) {
          hi = hi * 10 + d;
          nd++;
        }
        exp10--;
      } else if (nd < 19) {
        lo = lo * 10 + d;
        nLo++;
        nd++;
        exp10--;
      } else tooLong = true;
      i++;
    }
  }
  if (!sawDigit) return NaN;
  if (i < e) {
    c = b[i];
    if (c !== 101 && c !== 69) return NaN;
    i++;
    let expNeg = false;
    if (i < e && (b[i] === 45 || b[i] === 43)) {
      expNeg = b[i] === 45;
      i++;
    }
    if (i === e) return NaN;
    let x = 0;
    while (i < e) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) return NaN;
      if (x < 100000) x = x * 10 + d;
      i++;
    }
    exp10 += expNeg ? -x : x;
  }
  if (tooLong) return slowParse(b, textStart, e);
  const v = assembleDecimal(hi, lo, nLo, exp10);
  if (v !== v) return slowParse(b, textStart, e);
  return neg ? -v : v;
}

/**
 * The value (hi * 10^nLo + lo) * 10^exp10, where hi < 10^15 holds the first significant digits
 * and lo the next nLo <= 4; NaN when it cannot be computed exactly here (use Number(text)).
 */
export function assembleDecimal(hi: number, lo: number, nLo: number, exp10: number): number {
  if (hi === 0 && lo === 0) return 0;
  if (exp10 < -22 || exp10 > 22) return NaN;
  const m = nLo === 0 ? hi : hi * POW10[nLo] + lo;
  if (m < TWO_POW_53) {
    if (exp10 === 0) return m;
    return exp10 > 0 ? m * POW10[exp10] : m / POW10[-exp10];
  }
  return scaleDoubleDouble(hi, lo, nLo, exp10);
}

/**
 * (hi * 10^nLo + lo) * 10^exp10 correctly rounded, for a mantissa below 10^19 and
 * |exp10| <= 22, or NaN when the result cannot be certified (the caller then uses Number()).
 */
export function scaleDoubleDouble(hi: number, lo: number, nLo: number, exp10: number): number {
  // Exact mantissa M = mh + ml: hi * 10^nLo as an exact product, then + lo.
  const a = hi;
  const bb = POW10[nLo];
  const p = a * bb;
  const pe = twoProductError(a, bb, p);
  const s = p + lo;
  const bv = s - p;
  const se = p - (s - bv) + (lo - bv); // TwoSum error
  const tail = se + pe; // small integers: exact
  const mh = s + tail;
  const ml = tail - (mh - s);
  let x: number;
  let t: number; // exact result ~ x + t
  if (exp10 >= 0) {
    const P = POW10[exp10];
    const q = mh * P;
    const qe = twoProductError(mh, P, q) + ml * P;
    x = q + qe;
    t = qe - (x - q);
  } else {
    const P = POW10[-exp10];
    const q1 = mh / P;
    const prod = q1 * P;
    const prodErr = twoProductError(q1, P, prod);
    const rem = (mh - prod - prodErr) + ml;
    const q2 = rem / P;
    x = q1 + q2;
    t = q2 - (x - q1);
  }
  // Certify: reject when x is a power of two (uneven spacing) or the exact value is near a midpoint.
  f64[0] = x;
  const hw = u32[HI];
  if ((hw & 0xfffff) === 0 && u32[LO] === 0) return NaN;
  const ex = (hw >>> 20) & 0x7ff;
  if (ex <= 53 || ex === 0x7ff) return NaN;
  u32[HI] = (ex - 52) << 20;
  u32[LO] = 0;
  const ulp = f64[0];
  const off = Math.abs(Math.abs(t) - ulp * 0.5);
  if (off <= ulp * MIDPOINT_GUARD) return NaN;
  return x;
}


export function slowParse(b: Uint8Array, start: number, end: number): number {
  // The text was validated above and is pure ASCII, so latin1 decoding is exact.
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
  return Number(s);
}

/** Infinity spellings pandas accepts (case-insensitive): inf, infinity, with optional sign. */
export function parseSpecialNumber(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  return NaN;
}

/** The same grammar for JS strings (used for small inputs and by tests). */
export function parseNumberText(text: string): number {
  const b = Buffer.from(text, 'utf8');
  const v = parseNumberBytes(b, 0, b.length);
  return v === v ? v : parseSpecialNumber(text);
}
