// `sealed gbdt importance`: XGBoost's Booster.get_score for a model file, one `feature  value`
// line per feature used in a split, highest value first (ties keep feature order); --json
// prints the same mapping as one JSON object.
import { resolve } from 'node:path';
import { excerpt, UsageError } from '../../core/index.ts';
import { IMPORTANCE_TYPES, featureImportance, parseModel, type ImportanceType } from '../../gbdt/index.ts';
import type { CliIo } from '../io.ts';
import { readBytes } from './gbdtFiles.ts';

export interface GbdtImportanceOptions {
  model: string;
  type?: string;
  json?: boolean;
}

/** Default like XGBoost's scikit-learn wrapper (`feature_importances_`); get_score's is 'weight'. */
export const DEFAULT_IMPORTANCE_TYPE: ImportanceType = 'gain';

export async function gbdtImportanceCommand(options: GbdtImportanceOptions, io: CliIo): Promise<number> {
  const type = options.type ?? DEFAULT_IMPORTANCE_TYPE;
  if (!(IMPORTANCE_TYPES as readonly string[]).includes(type)) throw new UsageError('gbdt.importanceType', { type: excerpt(type) });
  const model = parseModel(await readBytes({ name: options.model, path: resolve(io.cwd, options.model) }), options.model);
  const scores = [...featureImportance(model, type as ImportanceType)];
  // Array sort is stable: equal values keep the model's feature order.
  scores.sort((a, b) => b[1] - a[1]);
  if (options.json) {
    io.stdout.write(JSON.stringify(Object.fromEntries(scores)) + '\n');
    return 0;
  }
  const width = Math.max(0, ...scores.map(([name]) => name.length));
  io.stdout.write(scores.map(([name, value]) => `${name.padEnd(width)}  ${String(value)}\n`).join(''));
  if (scores.length === 0) io.stderr.write('no feature is used in any split\n');
  return 0;
}
