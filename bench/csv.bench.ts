// CSV read benchmark: our readCsvFile against pandas.read_csv, side by side and alternating,
// on the real credit-risk CSV and on a generated 1M-row file with the same schema.
// Both readers run in their own child process and time only the read itself, in-process
// (after imports); each child also reports its peak RSS.
//   npm run bench:csv [-- --runs 5] [-- --rows 1000000]
import { fileURLToPath } from 'node:url';
import { readCsvFile } from '../src/data/index.ts';
import { metric, runAlternating, type Contestant, type Sample } from './lib/alternate.ts';
import { parseBenchArgs } from './lib/args.ts';
import { peakRssBytes } from './lib/memory.ts';
import { realDataPath } from './lib/paths.ts';
import { fmtMiB, fmtRatio, fmtSeconds, printTable } from './lib/report.ts';
import { pythonHas, runNodeJson, runPythonJson } from './lib/spawnJson.ts';
import { median } from './lib/stats.ts';

const PANDAS_READ = `
import sys, time, json, resource
import pandas as pd
t = time.perf_counter()
df = pd.read_csv(sys.argv[1])
s = time.perf_counter() - t
print(json.dumps({"seconds": s, "rows": len(df), "peakRss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
`;

async function childRead(path: string): Promise<void> {
  const t = performance.now();
  const table = await readCsvFile(path);
  const seconds = (performance.now() - t) / 1000;
  console.log(JSON.stringify({ seconds, rows: table.numRows, peakRss: peakRssBytes() }));
}

async function main(): Promise<void> {
  const args = parseBenchArgs();
  const child = args.flags.get('child-read');
  if (typeof child === 'string') return childRead(child);

  const rows = Number(args.flags.get('rows') ?? 1_000_000);
  const self = fileURLToPath(import.meta.url);
  const havePandas = pythonHas('pandas');
  if (!havePandas) console.log('pandas not available for /usr/bin/python3: peer skipped');

  const inputs: { label: string; path: string }[] = [];
  const real = realDataPath();
  if (real) inputs.push({ label: 'real CSV (32,581 rows)', path: real });
  else console.log('real dataset ../shared/data/credit_risk_dataset.csv not present: skipped');
  console.log(`preparing ${rows.toLocaleString('en-US')}-row CSV in bench/.cache ...`);
  // Imported here, not at the top: the child processes that do the timed reads must load only
  // the CSV reader, or their peak RSS would include the whole pipeline.
  const { ensureCreditCsv } = await import('./lib/creditData.ts');
  const big = await ensureCreditCsv(rows);
  inputs.push({ label: `${rows.toLocaleString('en-US')} rows (${big.source}, augmented)`, path: big.path });

  const table: string[][] = [];
  for (const input of inputs) {
    console.log(`\n${input.label}: ${args.runs} alternating runs`);
    const contestants: Contestant[] = [{ name: 'ours', run: () => runNodeJson<Sample>(self, ['--child-read', input.path]) }];
    if (havePandas) contestants.push({ name: 'pandas', run: () => runPythonJson<Sample>(PANDAS_READ, [input.path]) });
    const samples = await runAlternating(contestants, args.runs, console.log);
    const ours = samples.get('ours') ?? [];
    const peer = samples.get('pandas') ?? [];
    const rowsOurs = metric(ours, 'rows')[0];
    const rowsPeer = metric(peer, 'rows')[0];
    if (peer.length > 0 && rowsOurs !== rowsPeer) throw new Error(`row counts differ: ours ${rowsOurs}, pandas ${rowsPeer}`);
    const tOurs = median(metric(ours, 'seconds'));
    const tPeer = median(metric(peer, 'seconds'));
    table.push([
      input.label,
      fmtSeconds(tOurs),
      fmtSeconds(tPeer),
      fmtRatio(tOurs / tPeer),
      fmtMiB(median(metric(ours, 'peakRss'))),
      fmtMiB(median(metric(peer, 'peakRss'))),
    ]);
  }
  console.log(`\nCSV read, median of ${args.runs} (in-process read time; peak RSS of the whole child process)`);
  printTable(['input', 'ours', 'pandas', 'ours/pandas', 'RSS ours', 'RSS pandas'], table);
}

await main();
