// `npm run bench:pipeline` — the whole loan-default pipeline, ours (`bin/sealed run`) against
// the Python reference (pandas + scikit-learn + XGBoost, bench/reference/loan_default_reference.py),
// alternating, each as a whole process (start-up and file I/O included), on the real CSV.
//
//   npm run bench:pipeline -- [--runs 3] [--data-size 1000000] [--threads 2]
//
// Prints a per-step table (each task's seconds from our run's run.json next to the reference's
// stage times, medians over the runs), then median wall seconds, median peak RSS and the ratios
// ours / reference.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAlternating, metric, type Contestant, type Sample } from './lib/alternate.ts';
import { parseBenchArgs } from './lib/args.ts';
import { measureProcess } from './lib/processStats.ts';
import { realDataPath } from './lib/paths.ts';
import { repoRoot } from '../test/helpers/sharedData.ts';
import { fmtMiB, fmtRatio, fmtSeconds, printTable } from './lib/report.ts';
import { PYTHON, pythonHas } from './lib/spawnJson.ts';
import { median } from './lib/stats.ts';

const args = parseBenchArgs(process.argv.slice(2), 3);
const dataSize = Number(args.flags.get('data-size') ?? 0);
const threads = Number(args.flags.get('threads') ?? 2);
const data = realDataPath();
if (!data) {
  console.log('bench:pipeline: the real dataset ../shared/data/credit_risk_dataset.csv is absent; nothing to compare on.');
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), 'sealed-bench-pipeline-'));
let runNo = 0;

const ours: Contestant = {
  name: 'sealed (TypeScript)',
  run: async () => {
    const runDir = join(work, `run-${runNo++}`);
    const s = await measureProcess(process.execPath, [
      join(repoRoot, 'bin/sealed'), 'run', '--data-url', data, '--data-size', String(dataSize), '--threads', String(threads), '--run-dir', runDir, '--json',
    ]);
    const steps = taskSeconds(runDir);
    rmSync(runDir, { recursive: true, force: true });
    const metrics = (JSON.parse(s.stdout.trim().split('\n').pop()!) as { metrics: { AUC: number } }).metrics;
    return { seconds: s.seconds, peakRss: s.peakRssBytes, auc: metrics.AUC, ...steps };
  },
};

const reference: Contestant = {
  name: 'Python reference',
  run: async () => {
    const s = await measureProcess(PYTHON, [
      join(repoRoot, 'bench/reference/loan_default_reference.py'), '--data', data, '--data-size', String(dataSize), '--threads', String(threads),
    ]);
    const out = JSON.parse(s.stdout.trim().split('\n').pop()!) as { AUC: number; times: Record<string, number> };
    const steps = Object.fromEntries(Object.entries(out.times).map(([k, v]) => [`step:${k === 'total' ? 'tasks' : k}`, v]));
    return { seconds: s.seconds, peakRss: s.peakRssBytes, auc: out.AUC, ...steps };
  },
};

/** Each task's seconds as the run recorded them (run.json `tasks.<name>.durationMs`), keyed `step:<task>`, and their sum as `step:tasks`. */
function taskSeconds(runDir: string): Record<string, number> {
  const manifest = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { tasks: Record<string, { durationMs?: number }> };
  const out: Record<string, number> = {};
  let total = 0;
  for (const [name, task] of Object.entries(manifest.tasks)) {
    if (task.durationMs === undefined) continue;
    out[`step:${name}`] = task.durationMs / 1000;
    total += task.durationMs / 1000;
  }
  out['step:tasks'] = total;
  return out;
}

/** Our steps in pipeline order, then the reference's stages we have no task for; `tasks` (their sum) last. */
function stepNames(samples: Map<string, Sample[]>): string[] {
  const names: string[] = [];
  for (const list of samples.values()) for (const s of list) for (const k of Object.keys(s)) if (k.startsWith('step:') && k !== 'step:tasks' && !names.includes(k)) names.push(k);
  return [...names.map((k) => k.slice(5)), 'tasks'];
}

const haveReference = pythonHas('xgboost', 'sklearn', 'pandas');
if (!haveReference) console.log('Python reference skipped: /usr/bin/python3 with xgboost, sklearn and pandas not found (apt-get install python3-xgboost python3-sklearn python3-pandas).');
console.log(`loan-default pipeline, real CSV${dataSize > 0 ? ` augmented to ${dataSize} rows` : ' (32,581 rows)'}, ${threads} threads, ${args.runs} alternating runs each`);
try {
  const samples = await runAlternating(haveReference ? [ours, reference] : [ours], args.runs, console.log);
  const med = (name: string, key: string) => median(metric(samples.get(name) ?? [], key));
  // Per step: our task's seconds (run.json) next to the reference's stage (its "times"), medians.
  const stepRows = stepNames(samples).map((step) => {
    const o = med(ours.name, `step:${step}`);
    const r = haveReference ? med(reference.name, `step:${step}`) : NaN;
    return [step === 'tasks' ? 'all steps (sum)' : step, fmtSeconds(o), fmtSeconds(r), fmtRatio(o / r)];
  });
  const startOurs = med(ours.name, 'seconds') - med(ours.name, 'step:tasks');
  const startRef = haveReference ? med(reference.name, 'seconds') - med(reference.name, 'step:tasks') : NaN;
  stepRows.push(['outside the steps (start-up, exit)', fmtSeconds(startOurs), fmtSeconds(startRef), fmtRatio(startOurs / startRef)]);
  printTable(['step (median of runs)', 'ours', 'reference', 'ratio'], stepRows);
  console.log('');
  const rows: string[][] = [];
  for (const [name] of samples) rows.push([name, fmtSeconds(med(name, 'seconds')), fmtMiB(med(name, 'peakRss')), med(name, 'auc').toFixed(4)]);
  printTable(['median of runs', 'wall', 'peak RSS', 'AUC'], rows);
  if (haveReference) {
    console.log(`ratio ours/reference: time ${fmtRatio(med(ours.name, 'seconds') / med(reference.name, 'seconds'))}, peak RSS ${fmtRatio(med(ours.name, 'peakRss') / med(reference.name, 'peakRss'))}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
