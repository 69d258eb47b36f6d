// Turning the pipeline's parameter list into form values and back (pure; unit-tested).
import type { ParameterInfo } from '../../../api/contract.ts';

export type FormValue = string | boolean;
export type ParameterValue = string | number | boolean;

export function initialValue(p: ParameterInfo, from?: ParameterValue): FormValue {
  const v = from ?? p.default;
  if (p.type === 'BOOLEAN') return v === true || v === 'true';
  if (v === undefined) return p.enum?.[0] ?? '';
  return String(v);
}

/** The typed value, or an error message naming what is wrong. */
export function parseValue(p: ParameterInfo, raw: FormValue): { value: ParameterValue } | { error: string } {
  if (p.type === 'BOOLEAN') return { value: raw === true };
  const text = String(raw);
  if (p.type === 'STRING') {
    if (p.enum && !p.enum.includes(text)) return { error: `choose one of ${p.enum.join(', ')}` };
    return { value: text };
  }
  if (text.trim() === '') return { error: 'enter a number' };
  const n = Number(text);
  if (!Number.isFinite(n)) return { error: 'not a number' };
  if (p.type === 'NUMBER_INTEGER' && !Number.isInteger(n)) return { error: 'must be a whole number' };
  if (p.min !== undefined && n < p.min) return { error: `must be at least ${p.min}` };
  if (p.max !== undefined && n > p.max) return { error: `must be at most ${p.max}` };
  return { value: n };
}
