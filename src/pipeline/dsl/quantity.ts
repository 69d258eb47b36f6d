// Kubernetes resource quantities ("500m", "2", "4Gi", "1e3"), parsed exactly. The grammar is
// apimachinery's (k8s.io/apimachinery/pkg/api/resource/quantity.go):
//   quantity ::= number suffix;  number ::= digits | digits.digits | digits. | .digits
//   suffix   ::= "" | n | u | m | k | M | G | T | P | E | Ki | Mi | Gi | Ti | Pi | Ei | (e|E) signed-digits
// Signs are left out on purpose (no resource a pipeline asks for may be negative), and so are
// exponents beyond ±100 (no real resource needs them). Values are
// kept as an exact fraction (BigInt numerator / denominator) so "request <= limit" and "a whole
// number of bytes" are decided without floating-point error.

const GRAMMAR = /^(\d+(?:\.\d*)?|\.\d+)(?:(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+))?$/;

const DECIMAL_SI: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SI: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** The longest quantity text we take: longer ones are typos or attacks, not resources. */
const MAX_LENGTH = 64;

export interface Quantity {
  readonly text: string;
  /** Number as written, without the suffix ("1.5" of "1.5Gi"). */
  readonly number: string;
  /** Suffix as written: "", a decimal or binary SI suffix, or "e<n>". */
  readonly suffix: string;
  /** Exact value = num / den (bytes for memory, cores for CPU). */
  readonly num: bigint;
  readonly den: bigint;
}

/** The parsed quantity, or undefined when `text` is not one. */
export function parseQuantity(text: string): Quantity | undefined {
  if (text.length === 0 || text.length > MAX_LENGTH) return undefined;
  const m = GRAMMAR.exec(text);
  if (!m) return undefined;
  const [, number, si, exponent] = m;
  const [whole, fraction = ''] = number.split('.');
  let num = BigInt((whole || '0') + fraction);
  let den = 10n ** BigInt(fraction.length);
  let power10 = 0;
  if (si !== undefined && si in BINARY_SI) num *= 2n ** BigInt(BINARY_SI[si]);
  else if (si !== undefined) power10 = DECIMAL_SI[si];
  else if (exponent !== undefined) {
    power10 = Number(exponent);
    // apimachinery refuses exponents it cannot represent; so do we, long before BigInt would suffer.
    if (Math.abs(power10) > 100) return undefined;
  }
  if (power10 >= 0) num *= 10n ** BigInt(power10);
  else den *= 10n ** BigInt(-power10);
  const suffix = si ?? (exponent !== undefined ? `e${exponent}` : '');
  return Object.freeze({ text, number, suffix, num, den });
}

/** -1, 0 or 1 as a < b, a == b, a > b. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** True when the value is a whole number (of bytes, of devices): what extended resources need. */
export function isWholeQuantity(q: Quantity): boolean {
  return q.num % q.den === 0n;
}

/** True when the value is zero. */
export function isZeroQuantity(q: Quantity): boolean {
  return q.num === 0n;
}

/** True when the value is a whole number of thousandths: Kubernetes allows no finer CPU precision than 1m. */
export function isWholeMilli(q: Quantity): boolean {
  return (q.num * 1000n) % q.den === 0n;
}

/** The value as a BigInt; only for whole quantities. */
export function quantityToInteger(q: Quantity): bigint {
  return q.num / q.den;
}

// The deprecated numeric fields of KFP's ResourceSpec, computed the way the KFP Python SDK does
// (sdk/python/kfp/compiler/compiler_utils.py@HEAD, _cpu_to_float and _memory_to_float, with the
// unit constants of sdk/python/kfp/dsl/constants.py): the number as a double, times the unit,
// divided by 10^9 for memory — the same double operations in the same order, so the same bits.
// KFP backends before 2.4 read only these (backend/src/v2/driver/driver.go@2.3.0 formats them
// back with "%v" and "%vG").

const SDK_MEMORY_UNIT: Readonly<Record<string, number>> = {
  E: 1e18, Ei: 2 ** 60, P: 1e15, Pi: 2 ** 50, T: 1e12, Ti: 2 ** 40, G: 1e9, Gi: 2 ** 30, M: 1e6, Mi: 2 ** 20, k: 1e3, Ki: 2 ** 10,
};

/** CPU cores as the SDK's `cpu_limit`/`cpu_request` double: "500m" -> 0.5. */
export function legacyCpu(q: Quantity): number {
  if (q.suffix === 'm') return Number(q.number) / 1000;
  if (q.suffix === '') return Number(q.number);
  return Number(q.num) / Number(q.den);
}

/** Memory in (decimal) gigabytes as the SDK's `memory_limit`/`memory_request` double: "256Mi" -> 0.268435456. */
export function legacyMemoryGb(q: Quantity): number {
  if (q.suffix === 'G') return Number(q.number);
  const unit = SDK_MEMORY_UNIT[q.suffix];
  if (unit !== undefined) return (Number(q.number) * unit) / 1e9;
  if (q.suffix === '') return Number(q.number) / 1e9;
  // Exponent forms ("5e9") are outside the SDK's grammar: the exact value in GB.
  return Number(q.num) / Number(q.den) / 1e9;
}
