// Test helper: turns a decoded model document (JSON.parse or decodeUbjson output) back into the
// writers' document model, so tests can edit a real XGBoost file's document and re-encode it.
import { TypedValues, type DocValue } from '../../../src/gbdt/io/document.ts';

export function toDocValue(v: unknown): DocValue {
  if (v instanceof Float32Array) return new TypedValues('f32', v);
  if (v instanceof Int32Array) return new TypedValues('i32', v);
  if (v instanceof Uint8Array) return new TypedValues('u8', v);
  if (v instanceof Float64Array) return new TypedValues('i64', v); // decodeUbjson's int64 arrays
  if (Array.isArray(v)) return v.map(toDocValue);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, DocValue> = {};
    for (const [k, e] of Object.entries(v)) out[k] = toDocValue(e);
    return out;
  }
  throw new Error(`no document value for ${String(v)}`);
}
