// Numbers as XGBoost's Python layer sees them. Eval results reach Python as text that the C++
// learner prints with 17 digits after the decimal point (std::fixed, max_digits10), and
// Python parses them back; early stopping compares those parsed values and records
// `str(score)` as the model's best_score attribute.

/** The value Python's evals_result holds for a metric value: float(f"{v:.17f}"). */
export function reportedValue(v: number): number {
  return Number.isFinite(v) ? Number(v.toFixed(17)) : v;
}

/** Python's repr/str of a float: shortest round-trip digits, "1.0" not "1", "1e-05" not "0.00001". */
export function pythonFloatRepr(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = v.toExponential().split('e');
  const exp = Number(expText);
  // Python switches to exponent notation when the decimal point would sit before the 4th
  // leading zero or after the 16th digit.
  if (exp < -4 || exp >= 16) {
    const e = Math.abs(exp);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  const sign = v < 0 ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const fraction = digits.slice(exp + 1);
  return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
}
