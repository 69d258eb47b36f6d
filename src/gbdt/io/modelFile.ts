// Model files in either of XGBoost's formats: JSON (`m.json`) and UBJSON (`m.ubj`). Reading
// tells the two apart by content, since both start with '{': in UBJSON the next byte is the
// type marker of the first key's length (XGBoost writes 'L'), in JSON it is whitespace or '"'.
// Writing picks the format by name, and a path's format comes from its extension, as XGBoost's
// own save_model/load_model decide (src/c_api/c_api.cc).
import { UsageError } from '../../core/index.ts';
import type { GbdtModel } from '../model.ts';
import { fromXgboostJson } from './xgboostJsonRead.ts';
import { toXgboostJsonBytes } from './xgboostJsonWrite.ts';
import { fromXgboostUbj, toXgboostUbj } from './xgboostUbj.ts';

export type ModelFormat = 'json' | 'ubj';

/** Markers that can follow a UBJSON object's '{' (a key length's integer type, no-op, count). */
const UBJ_AFTER_BRACE = new Set(['i', 'U', 'I', 'l', 'L', 'N', '#'].map((c) => c.charCodeAt(0)));

/** Reads a model file's bytes in either format; `file` only labels error messages. */
export function parseModel(bytes: Uint8Array, file?: string): GbdtModel {
  return detectModelFormat(bytes) === 'ubj'
    ? fromXgboostUbj(bytes, file)
    : fromXgboostJson(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), file);
}

export function serializeModel(model: GbdtModel, format: ModelFormat): Uint8Array {
  switch (format) {
    case 'json':
      return toXgboostJsonBytes(model);
    case 'ubj':
      return toXgboostUbj(model);
  }
}

/** The format XGBoost would use for this file name: `.json` or `.ubj` (any case). */
export function modelFormatFromPath(path: string): ModelFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.ubj')) return 'ubj';
  throw new UsageError('gbdt.modelFormat', { path });
}

export function detectModelFormat(bytes: Uint8Array): ModelFormat {
  return bytes.length >= 2 && bytes[0] === 0x7b /* { */ && UBJ_AFTER_BRACE.has(bytes[1]) ? 'ubj' : 'json';
}
