// Request bodies and query values checked at the edge: a zod schema for bodies, strict integers
// for query values. Failures are 400s naming the field.
import type { z } from 'zod';
import { ApiError } from './apiError.ts';

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ApiError(400, 'dashboard.badBody', { field: issue.path.map(String).join('.'), reason: issue.message });
}

/** A non-negative integer query value, or `fallback` when absent. */
export function queryInteger(name: string, value: unknown, fallback: number, { min = 0 }: { min?: number } = {}): number {
  if (value === undefined) return fallback;
  const text = String(value);
  const n = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!(n >= min)) throw new ApiError(400, 'dashboard.badQuery', { name, value: text.slice(0, 100), expected: `an integer >= ${min}` });
  return n;
}
