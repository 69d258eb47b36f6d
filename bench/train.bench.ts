// `npm run bench:train` — training only: our engine against Python XGBoost 1.7 (Debian
// python3-xgboost) on the preprocessed loan-default training matrix (the real CSV augmented to
// --data-size rows, the reference split and preprocessing), with the reference parameters,
// at each thread count, alternating runs. Each run is a fresh process reading the same float64
// files; the timed part is binning/DMatrix + boosting; peak RSS is the whole process's.
//
//   npm run bench:train -- [--runs 3] [--data-size 1000000] [--rounds 500] [--threads 1,2]
import { join } from 'node:path';
import { repoRoot } from '../test/helpers/sharedData.ts';
import { runAlternating, metric, type Contestant } from './lib/alternate.ts';
import { parseBenchArgs } from './lib/args.ts';
import { measureProcess } from './lib/processStats.ts';
import { fmtMiB, fmtRatio, fmtSeconds, printTable } from './lib/report.ts';
import { PYTHON, pythonHas } from './lib/spawnJson.ts';
import { median } from './lib/stats.ts';
import { ensureTrainData } from './lib/trainData.ts';
import { REFERENCE_PARAMS } from './lib/referenceModel.ts';

/** The reference kit's training parameters (bench/reference/loan_default_reference.py). */
const TRAIN_PARAMS = { ...REFERENCE_PARAMS, eval_metric: 'logloss' };

const args = parseBenchArgs(process.argv.slice(2), 3);
const dataSize = Number(args.flags.get('data-size') ?? 1_000_000);
const rounds = Number(args.flags.get('rounds') ?? 500);
const threadCounts = String(args.flags.get('threads') ?? '1,2').split(',').map(Number);
if (!Number.isInteger(dataSize) || dataSize < 1000) throw new Error('--data-size must be an integer >= 1000');
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
if (threadCounts.some((t) => !Number.isInteger(t) || t < 1)) throw new Error('--threads must list positive integers, e.g. 1,2');

console.log(`preparing the training matrix (${dataSize} rows before the 75/25 split; cached in bench/.cache) ...`);
const files = await ensureTrainData(dataSize);
const params = JSON.stringify(TRAIN_PARAMS);
const haveXgboost = pythonHas('xgboost', 'sklearn', 'numpy');
if (!haveXgboost) console.log('XGBoost side skipped: /usr/bin/python3 with xgboost and sklearn not found (apt-get install python3-xgboost python3-sklearn).');
console.log(
  `training on ${files.nTrain} x ${files.nCols} (${files.source} data), ${rounds} rounds, depth 10, eta 0.02, ${args.runs} alternating runs per thread count`,
);

interface Result {
  threads: number;
  ours: { seconds: number; peakRss: number; auc: number };
  xgb?: { seconds: number; peakRss: number; auc: number };
}
const results: Result[] = [];
for (const threads of threadCounts) {
  const run = async (command: string, argv: string[]) => {
    const s = await measureProcess(command, argv);
    const out = JSON.parse(s.stdout.trim().split('\n').pop()!) as { seconds: number; auc: number };
    return { seconds: out.seconds, peakRss: s.peakRssBytes, auc: out.auc };
  };
  const ours: Contestant = {
    name: `sealed gbdt, ${threads} thread${threads > 1 ? 's' : ''}`,
    run: () =>
      run(process.execPath, [
        '--import', 'tsx', join(repoRoot, 'bench/lib/trainOurs.ts'),
        files.xTrain, files.yTrain, files.xTest, files.yTest, String(files.nCols), String(threads), params, String(rounds),
      ]),
  };
  const xgb: Contestant = {
    name: `XGBoost 1.7, ${threads} thread${threads > 1 ? 's' : ''}`,
    run: () =>
      run(PYTHON, [
        join(repoRoot, 'bench/reference/train_xgboost.py'),
        '--x-train', files.xTrain, '--y-train', files.yTrain, '--x-test', files.xTest, '--y-test', files.yTest,
        '--cols', String(files.nCols), '--threads', String(threads), '--params', params, '--rounds', String(rounds),
      ]),
  };
  const samples = await runAlternating(haveXgboost ? [ours, xgb] : [ours], args.runs, console.log);
  const med = (c: Contestant, key: string) => median(metric(samples.get(c.name) ?? [], key));
  const pick = (c: Contestant) => ({ seconds: med(c, 'seconds'), peakRss: med(c, 'peakRss'), auc: med(c, 'auc') });
  results.push({ threads, ours: pick(ours), xgb: haveXgboost ? pick(xgb) : undefined });
}

const rows: string[][] = [];
for (const r of results) {
  rows.push([
    String(r.threads),
    fmtSeconds(r.ours.seconds),
    r.xgb ? fmtSeconds(r.xgb.seconds) : '-',
    r.xgb ? fmtRatio(r.ours.seconds / r.xgb.seconds) : '-',
    fmtMiB(r.ours.peakRss),
    r.xgb ? fmtMiB(r.xgb.peakRss) : '-',
    r.xgb ? fmtRatio(r.ours.peakRss / r.xgb.peakRss) : '-',
    r.ours.auc.toFixed(5),
    r.xgb ? r.xgb.auc.toFixed(5) : '-',
  ]);
}
printTable(['threads', 'ours (train s)', 'XGBoost', 'time ratio', 'ours peak RSS', 'XGBoost', 'memory ratio', 'AUC ours', 'AUC XGBoost'], rows);
console.log('ratios are ours / XGBoost (median of runs); below 1.0 means ours is faster / smaller.');
