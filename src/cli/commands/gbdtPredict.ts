// `sealed gbdt predict`: scores a feature CSV with an XGBoost JSON or UBJSON model, or a
// compiled one (compile-model's .sealedgbm, told apart by content). One line per row: the
// prediction (probability, value, or raw margin with --output-margin), or for multi-class
// softprob one comma-separated value per class; with --contribs the TreeSHAP contributions
// (XGBoost pred_contribs: each feature's, then the bias; per class for multi-class models).
// Models are scored in their compiled form on --threads threads (default: every core; the
// same numbers as the tree-by-tree traversal). Numbers are written in their shortest
// round-trip form (JS String(number)), the file atomically.
import { resolve } from 'node:path';
import { DataError, UsageError } from '../../core/index.ts';
// Modules rather than the data and engine barrels: those also load training, explanations, the
// ONNX writer, the schema validator and network sources, start-up this command does not need.
import { writeMatrixCsv } from '../../data/csv/index.ts';
import { compileModel, isCompiledModel, loadCompiledModel, type CompiledModel } from '../../gbdt/compiled/index.ts';
import { parseModel } from '../../gbdt/io/modelFile.ts';
import { checkArrayLength, checkMemory } from '../../gbdt/memoryBudget.ts';
import { numGroup } from '../../gbdt/model.ts';
import type { CliIo } from '../io.ts';
import { readBytes, readFeatureColumns, rowMajor, type FeatureColumns, type InputFile } from './gbdtFiles.ts';

export interface GbdtPredictOptions {
  model: string;
  data: string;
  out: string;
  outputMargin?: boolean;
  /** TreeSHAP contributions (features, then bias) instead of predictions. */
  contribs?: boolean;
  /** Scoring threads (default: every core). */
  threads?: number;
}

export async function gbdtPredictCommand(options: GbdtPredictOptions, io: CliIo): Promise<number> {
  const file = (name: string): InputFile => ({ name, path: resolve(io.cwd, name) });
  const scorer = await modelScorer(await readBytes(file(options.model)), options);
  const x = await readFeatureColumns(file(options.data));
  if (x.columns.length !== scorer.numFeature) {
    throw new DataError('gbdt.featureCount', { expected: scorer.numFeature, got: x.columns.length }, { location: { file: options.data } });
  }
  let out: Float64Array;
  try {
    // The whole output is one float64 array (and then a CSV): refused up front when it cannot
    // fit, e.g. --contribs of many rows x classes x features.
    const values = x.nRows * scorer.perRow;
    const what = `${options.contribs ? 'contributions' : 'predictions'} of ${x.nRows} rows x ${scorer.perRow} values`;
    checkArrayLength(what, values);
    checkMemory(what, values * 8);
    out = scorer.score(x);
  } finally {
    scorer.dispose();
  }
  const perRow = x.nRows > 0 ? out.length / x.nRows : 1;
  await writeMatrixCsv(out, x.nRows, perRow, resolve(io.cwd, options.out));
  const per = options.contribs ? ` x ${perRow} contributions` : perRow > 1 ? ` x ${perRow} classes` : '';
  io.stderr.write(`wrote ${options.out} (${x.nRows} row${x.nRows === 1 ? '' : 's'}${per})\n`);
  return 0;
}

interface Scorer {
  readonly numFeature: number;
  /** Most values written per row (classes, or classes x (features + 1) contributions). */
  readonly perRow: number;
  score(x: FeatureColumns): Float64Array;
  dispose(): void;
}

async function modelScorer(bytes: Uint8Array, options: GbdtPredictOptions): Promise<Scorer> {
  const outputMargin = options.outputMargin ?? false;
  if (options.contribs) {
    // TreeSHAP weighs paths by the training cover of each node, which the compiled form drops.
    if (isCompiledModel(bytes)) throw new UsageError('cli.contribsNeedModel', { file: options.model });
    const model = parseModel(bytes, options.model);
    const { predictContributions } = await import('../../gbdt/explain/index.ts');
    return {
      numFeature: model.numFeature,
      perRow: numGroup(model) * (model.numFeature + 1),
      score: (x) => predictContributions(model, { data: rowMajor(x.columns, x.nRows), nRows: x.nRows, nCols: x.columns.length }),
      dispose: () => {},
    };
  }
  const fromCompiled = (c: CompiledModel): Scorer => ({
    numFeature: c.forest.numFeature,
    perRow: Math.max(1, c.forest.numGroup),
    // Straight from the CSV's columns: no row-major copy of the input is made.
    score: (x) => c.predictColumns(x.columns, x.nRows, { outputMargin, nthread: options.threads ?? 0 }),
    dispose: () => c.dispose(),
  });
  if (isCompiledModel(bytes)) return fromCompiled(loadCompiledModel(bytes, options.model));
  return fromCompiled(compileModel(parseModel(bytes, options.model)));
}
