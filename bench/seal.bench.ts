// `npm run bench:seal` — what sealing costs a whole run: the loan-default pipeline as a process
// (`bin/sealed run`), sealed (`--seal --keys`: every artifact encrypted and digested on write,
// decrypted and checked on read, the run manifest signed) against the same run unsealed,
// alternating, on the real CSV augmented to 1M rows by default (the issue's target: sealed at most
// 15% slower, median of 3).
//
//   npm run bench:seal -- [--runs 3] [--data-size 1000000] [--threads 2]
//
// Prints the median wall seconds and peak RSS of each and the ratio sealed / unsealed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initKeyFolder } from '../src/seal/index.ts';
import { repoRoot } from '../test/helpers/sharedData.ts';
import { metric, runAlternating, type Contestant } from './lib/alternate.ts';
import { parseBenchArgs } from './lib/args.ts';
import { realDataPath } from './lib/paths.ts';
import { measureProcess } from './lib/processStats.ts';
import { fmtMiB, fmtRatio, fmtSeconds, printTable } from './lib/report.ts';
import { median } from './lib/stats.ts';

const args = parseBenchArgs(process.argv.slice(2), 3);
const dataSize = Number(args.flags.get('data-size') ?? 1_000_000);
const threads = Number(args.flags.get('threads') ?? 2);
const data = realDataPath();
const work = mkdtempSync(join(tmpdir(), 'sealed-bench-seal-'));
const keys = join(work, 'keys');
await initKeyFolder(keys);
let runNo = 0;

function contestant(name: string, extra: string[]): Contestant {
  return {
    name,
    run: async () => {
      const runDir = join(work, `run-${runNo++}`);
      const s = await measureProcess(process.execPath, [
        join(repoRoot, 'bin/sealed'), 'run', ...(data ? ['--data-url', data] : []), '--data-size', String(dataSize), '--threads', String(threads), '--run-dir', runDir, '--json', ...extra,
      ]);
      rmSync(runDir, { recursive: true, force: true });
      const metrics = (JSON.parse(s.stdout.trim().split('\n').pop()!) as { metrics: { AUC: number } }).metrics;
      return { seconds: s.seconds, peakRss: s.peakRssBytes, auc: metrics.AUC };
    },
  };
}

const plain = contestant('unsealed', []);
const sealedRun = contestant('sealed (--seal --keys)', ['--seal', '--keys', keys]);
console.log(`loan-default pipeline, ${data ? 'real CSV' : 'synthetic data'}${dataSize > 0 ? ` augmented to ${dataSize} rows` : ''}, ${threads} threads, ${args.runs} alternating runs each`);
try {
  const samples = await runAlternating([plain, sealedRun], args.runs, console.log);
  const med = (name: string, key: string): number => median(metric(samples.get(name) ?? [], key));
  printTable(
    ['median of runs', 'wall', 'peak RSS', 'AUC'],
    [plain, sealedRun].map((c) => [c.name, fmtSeconds(med(c.name, 'seconds')), fmtMiB(med(c.name, 'peakRss')), med(c.name, 'auc').toFixed(4)]),
  );
  const ratio = med(sealedRun.name, 'seconds') / med(plain.name, 'seconds');
  console.log(`ratio sealed/unsealed: time ${fmtRatio(ratio)} (${((ratio - 1) * 100).toFixed(1)}% overhead; target <= 15%), peak RSS ${fmtRatio(med(sealedRun.name, 'peakRss') / med(plain.name, 'peakRss'))}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
