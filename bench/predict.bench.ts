// `npm run bench:predict` — batch scoring only: the 250,000-row test set of the 1M-row run
// (reference split and preprocessing) scored with the reference model (500 trees, depth 10,
// trained once by our engine and cached; Python XGBoost loads the same JSON file). Ours
// compiled (compile-model's form), ours uncompiled (tree-by-tree traversal, one thread) and
// Python XGBoost 1.7 (Debian python3-xgboost, skipped with a message when absent) and
// onnxruntime-node running our ONNX export, alternating runs of fresh processes, at each thread
// count; prints median seconds, rows/s and ratios.
//
//   npm run bench:predict -- [--runs 3] [--data-size 1000000] [--threads 1,2]
//
// With --whole-process: `sealed gbdt predict` on the test rows as a CSV against XGBoost's
// whole-process scoring (pandas CSV in and out), each timed from outside as a fresh process
// (bench/lib/predictWholeProcess.ts); --threads defaults to 2 there.
import { join } from 'node:path';
import { repoRoot } from '../test/helpers/sharedData.ts';
import { runAlternating, metric, type Contestant } from './lib/alternate.ts';
import { parseBenchArgs } from './lib/args.ts';
import { measureProcess } from './lib/processStats.ts';
import { ensureTestCsv } from './lib/predictCsv.ts';
import { benchWholeProcess } from './lib/predictWholeProcess.ts';
import { ensureReferenceModel } from './lib/referenceModel.ts';
import { fmtRatio, fmtSeconds, printTable } from './lib/report.ts';
import { PYTHON, pythonHas } from './lib/spawnJson.ts';
import { median } from './lib/stats.ts';
import { ensureTrainData } from './lib/trainData.ts';

const args = parseBenchArgs(process.argv.slice(2), 3);
const dataSize = Number(args.flags.get('data-size') ?? 1_000_000);
const wholeProcess = args.flags.get('whole-process') === true;
const threadCounts = String(args.flags.get('threads') ?? (wholeProcess ? '2' : '1,2')).split(',').map(Number);
if (!Number.isInteger(dataSize) || dataSize < 1000) throw new Error('--data-size must be an integer >= 1000');
if (threadCounts.some((t) => !Number.isInteger(t) || t < 1)) throw new Error('--threads must list positive integers, e.g. 1,2');

console.log(`preparing the matrices (${dataSize} rows before the 75/25 split; cached in bench/.cache) ...`);
const files = await ensureTrainData(dataSize);
console.log('the reference model (500 rounds, depth 10; trained once and cached) ...');
const model = ensureReferenceModel(files);
const haveXgboost = pythonHas('xgboost', 'sklearn', 'numpy');
if (!haveXgboost) console.log('XGBoost side skipped: /usr/bin/python3 with xgboost and sklearn not found (apt-get install python3-xgboost python3-sklearn).');
console.log(`scoring ${files.nTest} x ${files.nCols} (${files.source} data), ${args.runs} alternating runs per thread count`);
if (wholeProcess) {
  const csv = await ensureTestCsv(files);
  await benchWholeProcess({ model, csv, nRows: files.nTest, threadCounts, runs: args.runs, haveXgboost });
  process.exit(0);
}

const run = async (command: string, argv: string[]) => {
  const s = await measureProcess(command, argv);
  const out = JSON.parse(s.stdout.trim().split('\n').pop()!) as { seconds: number; auc: number; loadSeconds: number };
  return { seconds: out.seconds, loadSeconds: out.loadSeconds, auc: out.auc };
};
const ours = (mode: 'compiled' | 'traversal', threads: number): Contestant => ({
  name: mode === 'compiled' ? `ours compiled, ${threads} thread${threads > 1 ? 's' : ''}` : 'ours uncompiled (1 thread)',
  run: () =>
    run(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench/lib/predictOurs.ts'), model, files.xTest, files.yTest, String(files.nCols), String(threads), mode]),
});
const xgboost = (threads: number): Contestant => ({
  name: `XGBoost 1.7, ${threads} thread${threads > 1 ? 's' : ''}`,
  run: () =>
    run(PYTHON, [
      join(repoRoot, 'bench/reference/predict_xgboost.py'),
      '--model', model, '--x-test', files.xTest, '--y-test', files.yTest, '--cols', String(files.nCols), '--threads', String(threads),
    ]),
});

const onnx = (threads: number): Contestant => ({
  name: `onnxruntime-node, ${threads} thread${threads > 1 ? 's' : ''}`,
  run: () => run(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench/lib/predictOnnx.ts'), model, files.xTest, files.yTest, String(files.nCols), String(threads)]),
});

const rows: string[][] = [];
for (const threads of threadCounts) {
  // XGBoost last: the ratios are against it.
  const contestants = [ours('compiled', threads), ...(threads === threadCounts[0] ? [ours('traversal', 1)] : []), onnx(threads), ...(haveXgboost ? [xgboost(threads)] : [])];
  const samples = await runAlternating(contestants, args.runs, console.log);
  const med = (c: Contestant, key: string) => median(metric(samples.get(c.name) ?? [], key));
  const peer = haveXgboost ? med(contestants[contestants.length - 1], 'seconds') : NaN;
  for (const c of contestants) {
    const s = med(c, 'seconds');
    rows.push([String(threads), c.name, fmtSeconds(s), String(Math.round(files.nTest / s)), fmtRatio(peer / s), fmtSeconds(med(c, 'loadSeconds')), med(c, 'auc').toFixed(5)]);
  }
}
printTable(['threads', 'contestant', 'scoring', 'rows/s', 'speed vs XGBoost', 'model load', 'AUC'], rows);
console.log('speed vs XGBoost = XGBoost seconds / contestant seconds at the same thread count (median of runs); above 1.0 means faster.');
