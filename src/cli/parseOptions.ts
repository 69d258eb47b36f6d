// Strict parsing of numeric and boolean option values: '12abc', '1e3', '' and '-0' are not
// integers here, every number is range-checked, and the message names the option and its
// range. A bad value is quoted as a bounded excerpt with control characters escaped
// (core/excerpt.ts): a 1 MB value or one holding terminal escapes comes back as 80 visible
// characters. Every failure is a UsageError (one line, exit 2).
import { excerpt, UsageError } from '../core/index.ts';

/**
 * Ranges of the numeric options that several commands share, each in one place.
 * Why these bounds:
 *   port      TCP ports are 16-bit (0: any free port);
 *   threads   worker threads per process; each costs a V8 isolate (~10 MB) and 1024 is far
 *             above any core count we run on, as the components' nthread bound;
 *   seed      seeds are used as 32-bit unsigned integers (RandomState takes seed >>> 0), as the
 *             pipeline's seed parameters (0..2^32-1);
 *   seconds   anything that ends in a setTimeout: Node clamps delays above 2^31-1 ms to 1 ms
 *             (https://nodejs.org/api/timers.html#settimeoutcallback-delay-args), so a longer
 *             timeout would fire at once;
 *   listLimit KFP list calls take page_size as int32 (backend/api/v2beta1/*.proto).
 */
export const OPTION_LIMITS = {
  port: { min: 0, max: 65_535 },
  threads: { min: 1, max: 1024 },
  seed: { min: 0, max: 0xffff_ffff },
  timerSeconds: { min: 1, max: Math.floor(0x7fff_ffff / 1000) },
  listLimit: { min: 1, max: 0x7fff_ffff },
} as const;

export interface IntegerRange {
  readonly min?: number;
  readonly max?: number;
}

export function parseInteger(option: string, text: string, { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER }: IntegerRange = {}): number {
  const rule = integerRule(min, max);
  const fail = (): never => {
    throw new UsageError('cli.badInteger', { option, value: excerpt(text), rule });
  };
  // Longer than any safe integer's digits: refused before any further look at it.
  if (text.length > 24 || !/^-?\d+$/.test(text.trim())) fail();
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min || value > max || Object.is(value, -0)) fail();
  return value;
}

export interface NumberRange {
  readonly min?: number;
  readonly max?: number;
  /** min itself is not allowed (e.g. a positive number of seconds). */
  readonly minExclusive?: boolean;
  /** Unit shown in the message ("seconds"). */
  readonly unit?: string;
}

export function parseNumber(option: string, text: string, range: NumberRange = {}): number {
  const { min, max, minExclusive = false } = range;
  const fail = (): never => {
    throw new UsageError('cli.badValue', { option, value: excerpt(text), expected: numberRule(range) });
  };
  // As Number() reads it (so 1e3 and 0.25 are numbers), but not blank, and no longer than any
  // sensible number is written.
  if (text.length > 64 || text.trim() === '') fail();
  const value = Number(text);
  if (!Number.isFinite(value)) fail();
  if (min !== undefined && (value < min || (minExclusive && value === min))) fail();
  if (max !== undefined && value > max) fail();
  return value;
}

export function parseBoolean(option: string, text: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new UsageError('cli.badValue', { option, value: excerpt(text), expected: 'true or false' });
}

function integerRule(min: number, max: number): string {
  const lowOpen = min <= Number.MIN_SAFE_INTEGER;
  const highOpen = max >= Number.MAX_SAFE_INTEGER;
  if (lowOpen && highOpen) return 'an integer';
  if (highOpen) return min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : `an integer >= ${min}`;
  if (lowOpen) return `an integer <= ${max}`;
  return `an integer from ${min} to ${max}`;
}

function numberRule({ min, max, minExclusive = false, unit }: NumberRange): string {
  const what = unit !== undefined ? `a number of ${unit}` : 'a finite number';
  if (min === undefined && max === undefined) return what;
  if (max === undefined) return `${what} ${minExclusive ? '>' : '>='} ${min}`;
  if (min === undefined) return `${what} <= ${max}`;
  return `${what} ${minExclusive ? '>' : '>='} ${min} and <= ${max}`;
}
