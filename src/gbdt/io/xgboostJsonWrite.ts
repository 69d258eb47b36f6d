// Writes the canonical model in XGBoost 1.7's JSON model format (what `Booster.save_model`
// writes for a `.json` file), byte for byte; see modelDocument.ts for the fields.
import type { GbdtModel } from '../model.ts';
import { documentToJson, documentToJsonBytes } from './jsonText.ts';
import { modelDocument } from './modelDocument.ts';

export { XGBOOST_JSON_VERSION } from './modelDocument.ts';

export function toXgboostJson(model: GbdtModel): string {
  return documentToJson(modelDocument(model));
}

/** The same text as UTF-8 bytes (what a file gets), without making the string. */
export function toXgboostJsonBytes(model: GbdtModel): Uint8Array {
  return documentToJsonBytes(modelDocument(model));
}
