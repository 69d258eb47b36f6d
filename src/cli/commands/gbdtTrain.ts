// `sealed gbdt train`: trains gradient-boosted trees on CSV files and saves an XGBoost JSON or
// UBJSON model (chosen by the --out extension). Parameters are XGBoost's names, checked by the
// engine before any data is read; every input file is read and checked before training starts,
// and the model is written atomically only when training finished.
import { resolve } from 'node:path';
import { DataError, SealedError, UsageError, isSealedError, writeFileAtomic } from '../../core/index.ts';
import { modelFormatFromPath, parseModel, parseTrainParams, serializeModel, trainAsync, Booster, type DenseMatrix, type GbdtModel } from '../../gbdt/index.ts';
import type { CliIo } from '../io.ts';
import { readBytes, readFeatureMatrix, readParamsFile, readVector, rebuild, type InputFile } from './gbdtFiles.ts';

export interface GbdtTrainOptions {
  data: string;
  label: string;
  out: string;
  params?: string;
  threads?: number;
  initModel?: string;
  evalData?: string;
  evalLabel?: string;
  weights?: string;
  json?: boolean;
}

/** Name of the --eval-data set in progress lines and metrics (XGBoost's `evals` name). */
export const EVAL_SET = 'eval';

export async function gbdtTrainCommand(options: GbdtTrainOptions, io: CliIo, signal: AbortSignal): Promise<number> {
  const file = (name: string): InputFile => ({ name, path: resolve(io.cwd, name) });
  if ((options.evalData === undefined) !== (options.evalLabel === undefined)) {
    throw new UsageError('cli.usage', { reason: 'options --eval-data and --eval-label go together' });
  }
  const format = modelFormatFromPath(options.out);
  const params = options.params !== undefined ? await readParamsFile(file(options.params)) : {};
  if (options.threads !== undefined) {
    delete params.nthread;
    delete params.n_jobs;
    params.nthread = options.threads;
  } else if (!('nthread' in params) && !('n_jobs' in params)) {
    params.nthread = io.cores;
  }
  const init = options.initModel !== undefined ? parseModel(await readBytes(file(options.initModel)), options.initModel) : undefined;
  // Unknown or out-of-range parameters fail now, before any data is read. As in XGBoost, a
  // continued model keeps its objective, classes and base score unless params say otherwise.
  const parsed = inParamsFile(options.params, params, () =>
    parseTrainParams(params, init && { objective: init.objective, numClass: init.numClass, baseScore: init.baseScore }),
  );
  if (parsed.earlyStoppingRounds > 0 && options.evalData === undefined) {
    throw new UsageError('cli.usage', { reason: 'early_stopping_rounds needs a validation set: give --eval-data and --eval-label' });
  }
  const x = await readFeatureMatrix(file(options.data));
  const y = await readVector(file(options.label), 'label');
  checkRows(options.label, y.length, 'labels', options.data, x);
  if (init && init.numFeature !== x.nCols) throw featureCountError(init, x, options.data);
  const weights = options.weights !== undefined ? await readVector(file(options.weights), 'weight', { nonNegative: true }) : undefined;
  if (weights) checkRows(options.weights as string, weights.length, 'weights', options.data, x);
  let evalSet: { data: DenseMatrix; labels: Float64Array } | undefined;
  if (options.evalData !== undefined && options.evalLabel !== undefined) {
    const data = await readFeatureMatrix(file(options.evalData));
    if (data.nCols !== x.nCols) throw new DataError('cli.usage', { reason: `${options.evalData} has ${data.nCols} columns but ${options.data} has ${x.nCols}` });
    const labels = await readVector(file(options.evalLabel), 'label');
    checkRows(options.evalLabel, labels.length, 'labels', options.evalData, data);
    evalSet = { data, labels };
  }

  const progress = roundProgress(io);
  const started = performance.now();
  let booster: Booster;
  try {
    booster = await trainAsync(x, y, params, {
      signal,
      onRound: progress,
      ...(weights ? { weights } : {}),
      ...(init ? { initModel: init } : {}),
      ...(evalSet ? { evals: [{ name: EVAL_SET, data: evalSet.data, labels: evalSet.labels }] } : {}),
    });
  } catch (e) {
    if (signal.aborted && (e as Error)?.name === 'AbortError') throw new SealedError('cli.interrupted', {});
    throw locateTrainError(e, options, params);
  }
  const seconds = (performance.now() - started) / 1000;
  const model = booster.model;
  await writeFileAtomic(resolve(io.cwd, options.out), serializeModel(model, format));
  io.stderr.write(`wrote ${options.out}\n`);

  const summary = trainSummary(booster, seconds, init, parsed.earlyStoppingRounds > 0);
  if (options.json) io.stdout.write(JSON.stringify({ out: options.out, ...summary }) + '\n');
  else io.stdout.write(formatSummary(summary) + '\n');
  return 0;
}

interface TrainSummary {
  /** Rounds added by this training (the model may hold more, continued from --init-model). */
  rounds: number;
  trees: number;
  seconds: number;
  bestIteration?: number;
  bestScore?: number;
}

function trainSummary(booster: Booster, seconds: number, init: GbdtModel | undefined, earlyStopping: boolean): TrainSummary {
  const model = booster.model;
  const rounds = booster.numBoostedRounds() - (init ? new Booster(init).numBoostedRounds() : 0);
  const summary: TrainSummary = { rounds, trees: model.trees.length, seconds: Number(seconds.toFixed(3)) };
  // As XGBoost's Python train: best_iteration counts every round of the model (0-based).
  if (earlyStopping) {
    summary.bestIteration = booster.bestIteration;
    if (booster.bestScore !== undefined && Number.isFinite(booster.bestScore)) summary.bestScore = booster.bestScore;
  }
  return summary;
}

function formatSummary(s: TrainSummary): string {
  const best = s.bestIteration !== undefined ? `; best iteration ${s.bestIteration}${s.bestScore !== undefined ? ` (score ${s.bestScore})` : ''}` : '';
  return `trained ${s.rounds} round${s.rounds === 1 ? '' : 's'} in ${s.seconds.toFixed(2)} s; the model has ${s.trees} tree${s.trees === 1 ? '' : 's'}${best}`;
}

/**
 * On a terminal, a line every so many rounds (about 20 lines in all, and the last round):
 * `[gbdt] round 40/200  eval-logloss 0.4121  1.9 s`. Nothing when stderr is not a terminal.
 */
function roundProgress(io: CliIo): ((round: number, total: number, evals: readonly { set: string; metric: string; value: number }[]) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  const started = performance.now();
  return (round, total, evals) => {
    const every = Math.max(1, Math.ceil(total / 20));
    if (round % every !== 0 && round !== total && round !== 1) return;
    const metrics = evals.map((e) => `  ${e.set}-${e.metric} ${e.value.toPrecision(6)}`).join('');
    io.stderr.write(`[gbdt] round ${round}/${total}${metrics}  ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  };
}

function checkRows(file: string, count: number, what: string, data: string, x: DenseMatrix): void {
  if (count !== x.nRows) throw new DataError('cli.rowCount', { file, count, what, data, rows: x.nRows });
}

function featureCountError(model: GbdtModel, x: DenseMatrix, file: string): DataError {
  return new DataError('gbdt.featureCount', { expected: model.numFeature, got: x.nCols }, { location: { file } });
}

/** A parameter error about a name from the params file says which file. */
function inParamsFile<T>(paramsFile: string | undefined, params: Record<string, unknown>, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw paramError(e, paramsFile, params);
  }
}

function paramError(e: unknown, paramsFile: string | undefined, params: Record<string, unknown>): unknown {
  if (!isSealedError(e) || paramsFile === undefined || e.location !== undefined) return e;
  const name = (e.args as { name?: unknown }).name;
  if (typeof name === 'string' && Object.hasOwn(params, name)) return rebuild(e, { file: paramsFile });
  return e;
}

/** Errors the trainer reports by row get the file and line of that row. */
function locateTrainError(e: unknown, options: GbdtTrainOptions, params: Record<string, unknown>): unknown {
  if (!isSealedError(e)) return e;
  const err: SealedError = e;
  const args = err.args as { row?: unknown; value?: unknown; objective?: unknown; expected?: unknown; set?: unknown };
  if (typeof args.row === 'number') {
    const line = args.row + 1;
    if (err.code === 'gbdt.badLabel') {
      return new DataError('cli.badLabel', { value: String(args.value), objective: String(args.objective), expected: String(args.expected) }, { location: { file: options.label, line }, cause: e });
    }
    if (err.code === 'gbdt.badEvalLabel' && options.evalLabel !== undefined) {
      return new DataError('cli.badLabel', { value: String(args.value), objective: String(args.objective), expected: String(args.expected) }, { location: { file: options.evalLabel, line }, cause: e });
    }
  }
  return paramError(e, options.params, params);
}
