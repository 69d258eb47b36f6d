// Strict parsing of numeric and boolean option values: '12abc', '1e3', '' and '-0' are not
// integers here, and the message names the option.
import { UsageError } from '../core/index.ts';

export function parseInteger(option: string, text: string, { min = -Infinity }: { min?: number } = {}): number {
  const rule = min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : 'an integer';
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError('cli.badInteger', { option, value: text, rule });
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min || Object.is(value, -0)) throw new UsageError('cli.badInteger', { option, value: text, rule });
  return value;
}

export function parseNumber(option: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError('cli.badValue', { option, value: text, expected: 'a finite number' });
  return value;
}

export function parseBoolean(option: string, text: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new UsageError('cli.badValue', { option, value: text, expected: 'true or false' });
}
