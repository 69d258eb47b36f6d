// The document model the writers share: what XGBoost's own Json value tree holds when it saves
// a model. JSON text and UBJSON are two encodings of one document, so the model is turned into
// a document once (modelDocument.ts) and each encoder only encodes.
//
// XGBoost distinguishes plain arrays from typed arrays (F32Array, I32Array, I64Array, U8Array):
// the JSON text looks the same, but UBJSON writes typed arrays as optimised containers, so
// the document keeps the distinction.

export type TypedKind = 'f32' | 'i32' | 'i64' | 'u8';

/** A typed array of the document (float32, int32, int64 or uint8 values). */
export class TypedValues {
  constructor(
    readonly kind: TypedKind,
    readonly values: ArrayLike<number>,
  ) {}
}

/** Integers are plain numbers (XGBoost's Integer); XGBoost saves no other numbers in models. */
export type DocValue = string | number | boolean | TypedValues | readonly DocValue[] | DocMap;
export interface DocMap {
  readonly [key: string]: DocValue;
}

/** Object keys in the order XGBoost writes them: its objects are std::map, sorted by bytes. */
export function sortedKeys(o: DocMap): string[] {
  const keys = Object.keys(o);
  // UTF-16 order equals byte order for ASCII keys (all of XGBoost's own); others compare bytes.
  if (keys.every(isAscii)) return keys.sort();
  const bytes = new Map(keys.map((k) => [k, Buffer.from(k, 'utf8')]));
  return keys.sort((a, b) => Buffer.compare(bytes.get(a)!, bytes.get(b)!));
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
