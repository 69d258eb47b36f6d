// Reads an XGBoost JSON model (`save_model("m.json")`, XGBoost 1.x or 2.x) into the canonical
// model; the checks live in modelRead.ts, shared with the UBJSON reader.
import type { GbdtModel } from '../model.ts';
import { DocReader } from './docReader.ts';
import { modelFromDocument } from './modelRead.ts';

/** `file` only labels error messages. */
export function fromXgboostJson(text: string, file?: string): GbdtModel {
  const r = new DocReader('JSON', file);
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    return r.invalid('', `not JSON (${(e as Error).message})`);
  }
  return modelFromDocument(root, r);
}
