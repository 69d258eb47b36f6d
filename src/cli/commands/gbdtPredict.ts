// `sealed gbdt predict`: scores a feature CSV with an XGBoost JSON or UBJSON model. One line per
// row: the prediction (probability, value, or raw margin with --output-margin), or for
// multi-class softprob one comma-separated value per class. Numbers are written in their
// shortest round-trip form (JS String(number)), the file atomically.
import { resolve } from 'node:path';
import { DataError } from '../../core/index.ts';
import { writeMatrixCsv } from '../../data/index.ts';
import { parseModel, predict } from '../../gbdt/index.ts';
import type { CliIo } from '../io.ts';
import { readBytes, readFeatureMatrix, type InputFile } from './gbdtFiles.ts';

export interface GbdtPredictOptions {
  model: string;
  data: string;
  out: string;
  outputMargin?: boolean;
  /** Accepted for symmetry with train; prediction runs on the main thread for now. */
  threads?: number;
}

export async function gbdtPredictCommand(options: GbdtPredictOptions, io: CliIo): Promise<number> {
  const file = (name: string): InputFile => ({ name, path: resolve(io.cwd, name) });
  const model = parseModel(await readBytes(file(options.model)), options.model);
  const x = await readFeatureMatrix(file(options.data));
  if (x.nCols !== model.numFeature) {
    throw new DataError('gbdt.featureCount', { expected: model.numFeature, got: x.nCols }, { location: { file: options.data } });
  }
  const out = predict(model, x, { outputMargin: options.outputMargin ?? false });
  const perRow = x.nRows > 0 ? out.length / x.nRows : 1;
  await writeMatrixCsv(out, x.nRows, perRow, resolve(io.cwd, options.out));
  io.stderr.write(`wrote ${options.out} (${x.nRows} row${x.nRows === 1 ? '' : 's'}${perRow > 1 ? ` x ${perRow} classes` : ''})\n`);
  return 0;
}
