// The `prediction_data` artifact (CSV or Parquet, as datasetFiles.ts decides): `ground_truth,probability_score`, one row per test row;
// explained runs add `reason_1..reason_3` (raw applicant fields, strongest first, empty when
// fewer fields pushed the score up).
import type { ByteSink, ByteSource } from '../../core/index.ts';
import { categoricalFromStrings, MISSING_CODE, numericColumn, Table, type Schema } from '../../data/index.ts';
import { readColumnNames, readTableAs, writeTableAs, type ArtifactFormat } from './datasetFiles.ts';
import { FEATURE_COLUMNS } from './schema.ts';

export const REASON_COUNT = 3;

const reasonNames = Array.from({ length: REASON_COUNT }, (_, k) => `reason_${k + 1}`);

const schema: Schema = {
  columns: [
    { name: 'ground_truth', type: 'binary', nullable: false },
    { name: 'probability_score', type: 'number', nullable: false },
  ],
};
const explainedSchema: Schema = {
  columns: [...schema.columns, ...reasonNames.map((name) => ({ name, type: 'category' as const, nullable: true, categories: [...FEATURE_COLUMNS] }))],
};

export interface Predictions {
  groundTruth: Float64Array;
  probability: Float64Array;
  /** reasons[k][row]: the row's (k+1)-th reason. */
  reasons?: readonly (readonly (string | null)[])[];
}

export function writePredictions(p: Predictions, path: string | ByteSink, format?: ArtifactFormat): Promise<void> {
  const reasons = (p.reasons ?? []).map((values, k) => categoricalFromStrings(`reason_${k + 1}`, values));
  return writeTableAs(new Table([numericColumn('ground_truth', p.groundTruth), numericColumn('probability_score', p.probability), ...reasons]), path, format);
}

export async function readPredictions(path: string | ByteSource): Promise<Predictions> {
  const explained = (await readColumnNames(path)).includes(reasonNames[0]);
  const t = await readTableAs(path, explained ? explainedSchema : schema);
  const p: Predictions = { groundTruth: t.numeric('ground_truth').values, probability: t.numeric('probability_score').values };
  if (explained) {
    p.reasons = reasonNames.map((name) => {
      const { codes, dictionary } = t.categorical(name);
      return Array.from(codes, (c) => (c === MISSING_CODE ? null : dictionary[c]));
    });
  }
  return p;
}
