// The `prediction_data` artifact: CSV `ground_truth,probability_score`, one row per test row.
import { numericColumn, readCsvFile, Table, writeCsv, type Schema } from '../../data/index.ts';

const schema: Schema = {
  columns: [
    { name: 'ground_truth', type: 'binary', nullable: false },
    { name: 'probability_score', type: 'number', nullable: false },
  ],
};

export interface Predictions {
  groundTruth: Float64Array;
  probability: Float64Array;
}

export function writePredictions(p: Predictions, path: string): Promise<void> {
  return writeCsv(new Table([numericColumn('ground_truth', p.groundTruth), numericColumn('probability_score', p.probability)]), path);
}

export async function readPredictions(path: string): Promise<Predictions> {
  const t = await readCsvFile(path, { schema });
  return { groundTruth: t.numeric('ground_truth').values, probability: t.numeric('probability_score').values };
}
