// `npm run bench:train-step` — what the pipeline's train-model step adds to
// training itself (issue 17: at most 10% over bench:train's time for the same data). Runs, in
// fresh processes and alternating: bench:train's own child (bench/lib/trainOurs.ts: binning +
// boosting on the float64 matrix) and the train-model component (bench/lib/trainStepOurs.ts:
// reading its inputs, checks, binning, boosting with progress, writing the model JSON) on the
// same matrix, as CSV the step wrote itself in a local run ("written"), CSV from another process
// ("csv") and Parquet ("parquet"). Prints medians, the ratios to bench:train, each step's time
// over the training time it logs in the same run (robust on a busy machine), and whether every
// contestant saved the same model bytes.
//
//   npm run bench:train-step -- [--runs 3] [--data-size 1000000] [--rounds 500]
//     [--threads 2] [--modes written,csv,parquet]
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../test/helpers/sharedData.ts';
import { runAlternating, metric, type Contestant } from './lib/alternate.ts';
import { parseBenchArgs } from './lib/args.ts';
import { readFloat64File } from './lib/float64File.ts';
import { benchCacheDir } from './lib/paths.ts';
import { measureProcess } from './lib/processStats.ts';
import { REFERENCE_PARAMS } from './lib/referenceModel.ts';
import { fmtRatio, fmtSeconds, printTable } from './lib/report.ts';
import { median } from './lib/stats.ts';
import { ensureTrainData } from './lib/trainData.ts';
import { writeLabels, writeMatrix } from '../src/pipelines/loan-default/datasetFiles.ts';

const MODES = ['written', 'csv', 'parquet'] as const;
type Mode = (typeof MODES)[number];

const args = parseBenchArgs(process.argv.slice(2), 3);
const dataSize = Number(args.flags.get('data-size') ?? 1_000_000);
const rounds = Number(args.flags.get('rounds') ?? 500);
const threads = Number(args.flags.get('threads') ?? 2);
const modes = String(args.flags.get('modes') ?? MODES.join(',')).split(',') as Mode[];
if (!Number.isInteger(dataSize) || dataSize < 1000) throw new Error('--data-size must be an integer >= 1000');
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
if (!Number.isInteger(threads) || threads < 1) throw new Error('--threads must be a positive integer');
if (modes.some((m) => !MODES.includes(m))) throw new Error(`--modes lists some of ${MODES.join(',')}`);

console.log(`preparing the training matrix (${dataSize} rows before the 75/25 split; cached in bench/.cache) ...`);
const files = await ensureTrainData(dataSize);
const stem = files.xTrain.replace(/\.x_train\.f64$/, '');
const csvX = `${stem}.x_train_step_v1.csv`;
const csvY = `${stem}.y_train_step_v1.csv`;
const parquetX = `${stem}.x_train_step_v1.parquet`;
if (!existsSync(csvX) || !existsSync(csvY) || !existsSync(parquetX)) {
  const y = readFloat64File(files.yTrain);
  const m = { data: readFloat64File(files.xTrain), nRows: files.nTrain, nCols: files.nCols };
  await writeMatrix(m, parquetX);
  await writeLabels(y, csvY);
  await writeMatrix(m, csvX);
}
const work = join(benchCacheDir(), 'train_step_work');
const params = JSON.stringify({ ...REFERENCE_PARAMS, eval_metric: 'logloss' });
const modelOf = join(work, 'bench_train_model.json');
const child = async (argv: string[]) => {
  const s = await measureProcess(process.execPath, ['--import', 'tsx', ...argv]);
  return JSON.parse(s.stdout.trim().split('\n').pop()!) as { seconds: number; trainSeconds?: number; sha256?: string };
};
const shas = new Map<string, Set<string>>();
const note = (name: string, sha: string) => shas.set(name, (shas.get(name) ?? new Set()).add(sha));
const benchTrain: Contestant = {
  name: 'bench:train',
  run: async () => {
    const out = await child([join(repoRoot, 'bench/lib/trainOurs.ts'), files.xTrain, files.yTrain, files.xTest, files.yTest, String(files.nCols), String(threads), params, String(rounds), modelOf]);
    note('bench:train', createHash('sha256').update(readFileSync(modelOf)).digest('hex'));
    return { seconds: out.seconds };
  },
};
const step = (mode: Mode): Contestant => ({
  name: `train-model (${mode})`,
  run: async () => {
    const [x, y] = mode === 'parquet' ? [parquetX, csvY] : [csvX, csvY];
    const out = await child([join(repoRoot, 'bench/lib/trainStepOurs.ts'), mode, mode === 'written' ? files.xTrain : x, mode === 'written' ? files.yTrain : y, String(files.nCols), String(threads), String(rounds), work]);
    note(`train-model (${mode})`, out.sha256!);
    // Within one run the step's whole time over its own training time: load on the machine
    // slows both alike, so this ratio holds up when the machine is busy.
    return { seconds: out.seconds, overOwnTraining: out.seconds / out.trainSeconds! };
  },
});
console.log(`${files.nTrain} x ${files.nCols}, ${rounds} rounds, ${threads} threads, ${args.runs} alternating runs`);
const contestants = [benchTrain, ...modes.map(step)];
const samples = await runAlternating(contestants, args.runs, console.log);
rmSync(work, { recursive: true, force: true });
const base = median(metric(samples.get(benchTrain.name)!, 'seconds'));
printTable(
  ['contestant', 'seconds (median)', 'ratio to bench:train', 'step / its own training (same run)'],
  contestants.map((c) => {
    const s = median(metric(samples.get(c.name)!, 'seconds'));
    const own = median(metric(samples.get(c.name)!, 'overOwnTraining'));
    return [c.name, fmtSeconds(s), fmtRatio(s / base), c === benchTrain ? '-' : own.toFixed(3)];
  }),
);
const distinct = new Set([...shas.values()].flatMap((s) => [...s]));
console.log(distinct.size === 1 ? 'every run saved the same model bytes' : `MODELS DIFFER: ${[...shas].map(([k, v]) => `${k}: ${[...v].join(' ')}`).join('; ')}`);
