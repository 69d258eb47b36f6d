// JavaScript's Number-to-String (the shortest digits that read back as the same double, the
// closest such if several) written straight into a byte buffer: what `String(x)` gives, byte for
// byte, without making a string. CSV writing is dominated by number formatting (String(x) costs
// 100-300 ns a value, this 20-60 ns), and every artifact between steps is CSV text.
//
// How: for 1e-6 <= |x| < 1e15, x times 10^k is computed exactly as a double-double (Dekker's
// product; 10^k is exact for k <= 22) and rounded to the nearest integer of 17 significant
// digits; the nearest of 16 and of 15 digits follow from its last digits and the sign of the
// exact remainder (no double rounding). A 15-digit decimal that reads back as x is the only one (doubles hold
// 15 digits), so it is the shortest once trailing zeros go; the nearest 16-digit one that reads
// back is the closest of its length; the nearest 17-digit one always reads back (its error is
// below half an ulp except next to a power of two, which is left to String). "Reads back" is
// tested exactly: m / 10^k of two exact doubles is the correctly rounded quotient, which is what
// parsing the decimal gives. Integers below 2^53 are written digit by digit. Everything else
// (powers of two, exact ties, |x| < 1e-6 or >= 1e15, 16 digits above 2^53, infinities) goes to
// String(x), so the output is String(x)'s in every case (test/data/csv/formatNumber.test.ts
// compares millions of values).
import { twoProductError } from './twoProduct.ts';

const POW10 = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const TWO53 = 9007199254740992;
const E8 = 1e8;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Longest text written for one number: "-0.0000034624479581233426" (25), "-2.2250738585072014e-308" (24). */
export const MAX_NUMBER_BYTES = 25;

// Results of nearest: the integer is rHi * 1e8 + rLo (0 <= rLo < 1e8), rSign the sign of
// the exact remainder (value - integer).
let rHi = 0;
let rLo = 0;
let rSign = 0;
const digits = new Uint8Array(24);

/**
 * Rounds ax * 10^k (exactly, 0 <= k <= 22) to the nearest integer into rHi/rLo/rSign. Returns
 * false when the remainder is (or may be) exactly one half, which String's rule decides.
 */
function nearest(ax: number, k: number): boolean {
  const b = POW10[k];
  const p = ax * b;
  // p + err is exactly ax * b.
  const err = twoProductError(ax, b, p);
  const q = Math.floor(p);
  const r = p - q; // exact
  const o = Math.round(r + err);
  const d = r - o + err; // r - o is exact, so the sign of d is the exact remainder's
  if (d >= 0.5 || d <= -0.5) return false;
  rSign = d > 0 ? 1 : d < 0 ? -1 : 0;
  let hi = Math.floor(q / E8);
  let lo = q - hi * E8 + o; // exact: hi * 1e8 is a double, and the difference is a small integer
  while (lo < 0) {
    lo += E8;
    hi--;
  }
  while (lo >= E8) {
    lo -= E8;
    hi++;
  }
  rHi = hi;
  rLo = lo;
  return true;
}

/**
 * Rounds an integer m with remainder sign `sign` to the nearest multiple of ten, given its last
 * digit: returns +1 to round up, 0 down, NaN for an exact tie; sets rSign to the new remainder's sign.
 */
function roundLastDigit(last: number, sign: number): number {
  if (last < 5 || (last === 5 && sign < 0)) {
    rSign = last > 0 ? 1 : sign;
    return 0;
  }
  if (last === 5 && sign === 0) return NaN;
  rSign = -1;
  return 1;
}

/** Fills `digits` with the n digits of rHi * 1e8 + rLo; returns the count without trailing zeros. */
function spell(n: number): number {
  // int32 arithmetic: % on a double calls fmod, several times slower
  let lo = rLo | 0;
  for (let i = n - 1; i >= n - 8; i--) {
    digits[i] = 48 + (lo % 10);
    lo = (lo / 10) | 0;
  }
  let hi = rHi | 0;
  for (let i = n - 9; i >= 0; i--) {
    digits[i] = 48 + (hi % 10);
    hi = (hi / 10) | 0;
  }
  let len = n;
  while (len > 1 && digits[len - 1] === 48) len--;
  return len;
}

/** Writes digits[0, len) with the decimal point after `pos` digits, as Number::toString does for 1e-6 <= |x| < 1e21. */
function emitFixed(buf: Uint8Array, at: number, len: number, pos: number): number {
  if (pos >= len) {
    for (let i = 0; i < len; i++) buf[at++] = digits[i];
    for (let i = len; i < pos; i++) buf[at++] = 48;
    return at;
  }
  if (pos > 0) {
    for (let i = 0; i < pos; i++) buf[at++] = digits[i];
    buf[at++] = 46;
    for (let i = pos; i < len; i++) buf[at++] = digits[i];
    return at;
  }
  buf[at++] = 48;
  buf[at++] = 46;
  for (let i = pos; i < 0; i++) buf[at++] = 48;
  for (let i = 0; i < len; i++) buf[at++] = digits[i];
  return at;
}

function writeAscii(buf: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) buf[at++] = text.charCodeAt(i);
  return at;
}

/** Writes a non-negative integer below 2^53. */
function writeInteger(buf: Uint8Array, at: number, v: number): number {
  if (v < E8) {
    let x = v | 0;
    let n = 1;
    for (let t = x; t >= 10; t = (t / 10) | 0) n++;
    for (let i = at + n - 1; i >= at; i--) {
      buf[i] = 48 + (x % 10);
      x = (x / 10) | 0;
    }
    return at + n;
  }
  const hi = Math.floor(v / E8);
  at = writeInteger(buf, at, hi);
  let lo = (v - hi * E8) | 0;
  for (let i = at + 7; i >= at; i--) {
    buf[i] = 48 + (lo % 10);
    lo = (lo / 10) | 0;
  }
  return at + 8;
}

/**
 * Writes String(x) as ASCII at buf[at] and returns the offset after it. The caller leaves at
 * least MAX_NUMBER_BYTES bytes of room. NaN is written as "NaN", like String(NaN).
 */
export function writeNumber(buf: Uint8Array, at: number, x: number): number {
  if (x === 0) {
    buf[at] = 48; // String(-0) is "0" too
    return at + 1;
  }
  const neg = x < 0;
  const ax = neg ? -x : x;
  if (ax < TWO53 && ax === Math.floor(ax)) {
    if (neg) buf[at++] = 45;
    return writeInteger(buf, at, ax);
  }
  if (!(ax >= 1e-6 && ax < 1e15) || !LITTLE_ENDIAN) return writeAscii(buf, at, String(x));
  f64[0] = ax;
  if (u32[0] === 0 && (u32[1] & 0xfffff) === 0) return writeAscii(buf, at, String(x)); // power of two: uneven gaps
  // Decimal exponent from the binary one (floor(e2 * log10 2) is e10 or e10 - 1), then the
  // 17-digit nearest integer; its range corrects the exponent if it was off.
  const e2 = ((u32[1] >>> 20) & 0x7ff) - 1023;
  let e10 = Math.floor(e2 * 0.3010299956639812);
  let ok = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    const k = 16 - e10;
    if (k > 22 || k < 0 || !nearest(ax, k)) break;
    if (rHi >= 1e9) e10++;
    else if (rHi < 1e8) e10--;
    else {
      ok = true;
      break;
    }
  }
  if (!ok || e10 < -6) return writeAscii(buf, at, String(x));
  const k17 = 16 - e10;
  // m17 = hi * 1e8 + lo; m16 = round(m17 / 10) and m15 = round(m16 / 10) using the remainders' signs.
  const hi17 = rHi;
  const lo17 = rLo | 0;
  const sign17 = rSign;
  const q16 = (lo17 / 10) | 0;
  const up16 = roundLastDigit(lo17 - q16 * 10, sign17);
  if (up16 !== up16) return writeAscii(buf, at, String(x));
  const m16 = hi17 * 1e7 + q16 + up16; // hi17 * 1e7 is exact; the sum is exact below 2^53
  if (m16 >= TWO53) return writeAscii(buf, at, String(x));
  const sign16 = rSign;
  const q15 = Math.floor(m16 / 10);
  const up15 = roundLastDigit(m16 - q15 * 10, sign16);
  if (up15 !== up15) return writeAscii(buf, at, String(x));
  const m15 = q15 + up15;
  if (m15 / POW10[k17 - 2] === ax) {
    // m15 may have rounded up to 1e15: one digit more before the point, spelled the same way
    if (m15 >= 1e15) return writeAscii(buf, at, String(x));
    rHi = Math.floor(m15 / E8);
    rLo = m15 - rHi * E8;
    if (neg) buf[at++] = 45;
    return emitFixed(buf, at, spell(15), e10 + 1);
  }
  if (m16 / POW10[k17 - 1] === ax) {
    if (m16 >= 1e16) return writeAscii(buf, at, String(x));
    rHi = Math.floor(m16 / E8);
    rLo = m16 - rHi * E8;
    if (neg) buf[at++] = 45;
    return emitFixed(buf, at, spell(16), e10 + 1);
  }
  // 17 digits: the nearest always reads back (x is not a power of two).
  rHi = hi17;
  rLo = lo17;
  if (neg) buf[at++] = 45;
  return emitFixed(buf, at, spell(17), e10 + 1);
}
