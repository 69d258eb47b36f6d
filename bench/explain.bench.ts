// `npm run bench:explain` — TreeSHAP (XGBoost pred_contribs semantics) on the reference model
// (500 trees, depth 10, trained once by our engine and cached) for the first --rows rows of the
// 1M-row run's test set: ours (leaf-path TreeSHAP on worker threads, what batch-inference
// explain=true runs) against Python XGBoost 1.7's predict(pred_contribs=True), alternating
// runs of fresh processes at each thread count; prints median seconds, rows/s, the ratio, and
// the largest difference between the two sides' contributions.
//
//   npm run bench:explain -- [--runs 3] [--rows 2000] [--data-size 1000000] [--threads 1,2]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../test/helpers/sharedData.ts';
import { runAlternating, metric, type Contestant } from './lib/alternate.ts';
import { parseBenchArgs } from './lib/args.ts';
import { readFloat64File } from './lib/float64File.ts';
import { measureProcess } from './lib/processStats.ts';
import { ensureReferenceModel } from './lib/referenceModel.ts';
import { fmtRatio, fmtSeconds, printTable } from './lib/report.ts';
import { PYTHON, pythonHas } from './lib/spawnJson.ts';
import { median } from './lib/stats.ts';
import { ensureTrainData } from './lib/trainData.ts';

const args = parseBenchArgs(process.argv.slice(2), 3);
const dataSize = Number(args.flags.get('data-size') ?? 1_000_000);
const rows = Number(args.flags.get('rows') ?? 2000);
const threadCounts = String(args.flags.get('threads') ?? '1,2').split(',').map(Number);
if (!Number.isInteger(dataSize) || dataSize < 1000) throw new Error('--data-size must be an integer >= 1000');
if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows must be a positive integer');
if (threadCounts.some((t) => !Number.isInteger(t) || t < 1)) throw new Error('--threads must list positive integers, e.g. 1,2');

console.log(`preparing the matrices (${dataSize} rows before the 75/25 split; cached in bench/.cache) ...`);
const files = await ensureTrainData(dataSize);
if (rows > files.nTest) throw new Error(`--rows must be at most the test set's ${files.nTest} rows`);
console.log('the reference model (500 rounds, depth 10; trained once and cached) ...');
const model = ensureReferenceModel(files);
const haveXgboost = pythonHas('xgboost', 'numpy');
if (!haveXgboost) console.log('XGBoost side skipped: /usr/bin/python3 with xgboost not found (apt-get install python3-xgboost).');
console.log(`TreeSHAP of ${rows} x ${files.nCols} (${files.source} data), ${args.runs} alternating runs per thread count`);

const scratch = mkdtempSync(join(tmpdir(), 'bench-explain-'));
const outOf = (name: string) => join(scratch, `${name.replace(/[^a-z0-9]+/gi, '_')}.f64`);
const run = async (command: string, argv: string[]) => {
  const s = await measureProcess(command, argv);
  const out = JSON.parse(s.stdout.trim().split('\n').pop()!) as { seconds: number; loadSeconds: number };
  return { seconds: out.seconds, loadSeconds: out.loadSeconds };
};
const ours = (threads: number): Contestant => {
  const name = `ours, ${threads} thread${threads > 1 ? 's' : ''}`;
  return { name, run: () => run(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench/lib/explainOurs.ts'), model, files.xTest, String(files.nCols), String(rows), String(threads), outOf(name)]) };
};
const xgboost = (threads: number): Contestant => {
  const name = `XGBoost 1.7, ${threads} thread${threads > 1 ? 's' : ''}`;
  return {
    name,
    run: () =>
      run(PYTHON, [
        join(repoRoot, 'bench/reference/explain_xgboost.py'),
        '--model', model, '--x-test', files.xTest, '--cols', String(files.nCols), '--rows', String(rows), '--threads', String(threads), '--out', outOf(name),
      ]),
  };
};

try {
  const table: string[][] = [];
  for (const threads of threadCounts) {
    // XGBoost last: the ratios are against it.
    const contestants = [ours(threads), ...(haveXgboost ? [xgboost(threads)] : [])];
    const samples = await runAlternating(contestants, args.runs, console.log);
    const med = (c: Contestant, key: string) => median(metric(samples.get(c.name) ?? [], key));
    const peer = haveXgboost ? med(contestants[contestants.length - 1], 'seconds') : NaN;
    let diff = NaN;
    if (haveXgboost) {
      const a = readFloat64File(outOf(contestants[0].name));
      const b = readFloat64File(outOf(contestants[1].name));
      diff = a.length === b.length ? a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0) : Infinity;
    }
    for (const c of contestants) {
      const s = med(c, 'seconds');
      table.push([String(threads), c.name, fmtSeconds(s), String(Math.round(rows / s)), fmtRatio(peer / s), fmtSeconds(med(c, 'loadSeconds')), c === contestants[0] ? diff.toExponential(1) : '']);
    }
  }
  printTable(['threads', 'contestant', 'TreeSHAP', 'rows/s', 'speed vs XGBoost', 'model load', 'max |ours - XGBoost|'], table);
  console.log('speed vs XGBoost = XGBoost seconds / contestant seconds at the same thread count (median of runs); above 1.0 means faster.');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
