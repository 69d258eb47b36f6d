// XGBoost's UBJSON model format (`save_model("m.ubj")`): the JSON model's document, encoded
// as UBJSON. Writes what XGBoost 1.7 writes, byte for byte; reads 1.x and 2.x files.
import type { GbdtModel } from '../model.ts';
import { DocReader } from './docReader.ts';
import { modelDocument } from './modelDocument.ts';
import { modelFromDocument } from './modelRead.ts';
import { decodeUbjson } from './ubjsonRead.ts';
import { encodeUbjson } from './ubjsonWrite.ts';

export function toXgboostUbj(model: GbdtModel): Uint8Array {
  return encodeUbjson(modelDocument(model));
}

/** `file` only labels error messages. */
export function fromXgboostUbj(bytes: Uint8Array, file?: string): GbdtModel {
  return modelFromDocument(decodeUbjson(bytes, file), new DocReader('UBJSON', file));
}
