// bench:predict --whole-process: batch scoring as a user runs it, CSV in, CSV out, each side a
// fresh process timed from outside (start-up, reading, model load, scoring, writing):
//   ours     node bin/sealed gbdt predict --model M.json --data X.csv --out pred.csv --threads N
//   XGBoost  bench/reference/predict_xgboost_csv.py (pandas read_csv, Booster.predict, to_csv)
// alternating; prints median wall, peak RSS and the ratio ours / XGBoost. The two prediction
// files are checked to agree (to XGBoost's float32 precision) once, so a fast wrong answer
// cannot pass.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../test/helpers/sharedData.ts';
import { metric, runAlternating, type Contestant } from './alternate.ts';
import { measureProcess } from './processStats.ts';
import { fmtMiB, fmtRatio, fmtSeconds, printTable } from './report.ts';
import { PYTHON } from './spawnJson.ts';
import { median } from './stats.ts';

export interface WholeProcessOptions {
  model: string;
  csv: string;
  nRows: number;
  threadCounts: readonly number[];
  runs: number;
  haveXgboost: boolean;
}

export async function benchWholeProcess(o: WholeProcessOptions): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'sealed-bench-predict-'));
  try {
    const rows: string[][] = [];
    for (const threads of o.threadCounts) {
      const ourOut = join(work, `ours-${threads}.csv`);
      const peerOut = join(work, `xgboost-${threads}.csv`);
      const ours: Contestant = {
        name: `sealed gbdt predict, ${threads} thread${threads > 1 ? 's' : ''}`,
        run: async () => {
          const s = await measureProcess(process.execPath, [join(repoRoot, 'bin/sealed'), 'gbdt', 'predict', '--model', o.model, '--data', o.csv, '--out', ourOut, '--threads', String(threads)]);
          return { seconds: s.seconds, peakRss: s.peakRssBytes };
        },
      };
      const peer: Contestant = {
        name: `XGBoost 1.7 (pandas CSV), ${threads} thread${threads > 1 ? 's' : ''}`,
        run: async () => {
          const s = await measureProcess(PYTHON, [join(repoRoot, 'bench/reference/predict_xgboost_csv.py'), '--model', o.model, '--data', o.csv, '--out', peerOut, '--threads', String(threads)]);
          const { times } = JSON.parse(s.stdout.trim().split('\n').pop()!) as { times: Record<string, number> };
          return { seconds: s.seconds, peakRss: s.peakRssBytes, ...Object.fromEntries(Object.entries(times).map(([k, v]) => [`py:${k}`, v])) };
        },
      };
      const contestants = o.haveXgboost ? [ours, peer] : [ours];
      const samples = await runAlternating(contestants, o.runs, console.log);
      const med = (c: Contestant, key: string) => median(metric(samples.get(c.name) ?? [], key));
      if (o.haveXgboost) checkAgreement(ourOut, peerOut, o.nRows);
      const peerSeconds = o.haveXgboost ? med(peer, 'seconds') : NaN;
      const peerRss = o.haveXgboost ? med(peer, 'peakRss') : NaN;
      for (const c of contestants) {
        const s = med(c, 'seconds');
        rows.push([c.name, fmtSeconds(s), String(Math.round(o.nRows / s)), fmtMiB(med(c, 'peakRss')), fmtRatio(s / peerSeconds), fmtRatio(med(c, 'peakRss') / peerRss)]);
      }
    }
    printTable(['whole process, CSV in + CSV out', 'wall', 'rows/s', 'peak RSS', 'time vs XGBoost', 'RSS vs XGBoost'], rows);
    console.log('time vs XGBoost = contestant wall / XGBoost wall at the same thread count (median of runs); below 1.0 means faster.');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Both files have one prediction per line, equal to float32 precision (XGBoost scores in float32). */
function checkAgreement(oursPath: string, peerPath: string, nRows: number): void {
  const parse = (p: string) => readFileSync(p, 'latin1').trimEnd().split('\n').map(Number);
  const a = parse(oursPath);
  const b = parse(peerPath);
  if (a.length !== nRows || b.length !== nRows) throw new Error(`prediction files have ${a.length} and ${b.length} lines, expected ${nRows}`);
  let worst = 0;
  for (let i = 0; i < nRows; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  if (!(worst <= 1e-6)) throw new Error(`ours and XGBoost's predictions differ by up to ${worst}`);
  console.log(`predictions agree with XGBoost's (largest difference ${worst.toExponential(2)})`);
}
