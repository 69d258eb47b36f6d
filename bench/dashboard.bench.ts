// `npm run bench:dashboard` — how the dashboard's API answers on a large runs folder: 200 runs
// of the loan-default pipeline (copies of one real run) of which one has a 250,000-row
// prediction_data.csv. Each request goes through the whole server (session check, routing,
// files) by fastify's inject; prints the median and slowest of --runs requests per route, the
// first (cold) request separately. No peer: Kubeflow's UI cannot run here.
//
//   npm run bench:dashboard -- [--runs 20]
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.ts';
import { loanDefaultCatalog } from '../src/cli/pipelineCatalog.ts';
import { formatCsv } from '../src/data/index.ts';
import { createDashboardServer, hashPassword, PASSWORD_FILE, writePasswordFile } from '../src/dashboard/server/index.ts';
import { generateSyntheticCreditRisk } from '../src/pipelines/loan-default/index.ts';
import { parseBenchArgs } from './lib/args.ts';
import { printTable } from './lib/report.ts';
import { median } from './lib/stats.ts';
import { Writable } from 'node:stream';

const args = parseBenchArgs(process.argv.slice(2), 20);
const RUNS = 200;
const BIG_ROWS = 250_000;
const root = mkdtempSync(join(tmpdir(), 'bench-dashboard-'));
const quiet = new Writable({ write: (_c, _e, done) => done() });
try {
  console.log(`making ${RUNS} runs (one real loan-default run, copied) and a ${BIG_ROWS.toLocaleString('en')}-row prediction_data.csv ...`);
  writeFileSync(join(root, 'raw.csv'), formatCsv(generateSyntheticCreditRisk({ rows: 2000, seed: 1 })));
  const template = join(root, 'runs', 'run-000');
  const code = await main(['run', '--data-url', join(root, 'raw.csv'), '--run-dir', template, '--threads', '1'], { catalog: loanDefaultCatalog, cwd: root, stdout: quiet, stderr: quiet, env: {}, cores: 1 });
  if (code !== 0) throw new Error('the template run failed');
  for (let i = 1; i < RUNS; i++) {
    const id = `run-${String(i).padStart(3, '0')}`;
    cpSync(template, join(root, 'runs', id), { recursive: true });
    const manifestPath = join(root, 'runs', id, 'run.json');
    writeFileSync(manifestPath, readFileSync(manifestPath, 'utf8').replace(/"id": ?"[^"]*"/, `"id":"${id}"`));
  }
  const big = join(root, 'runs', 'run-199');
  const lines = ['ground_truth,probability_score'];
  for (let i = 0; i < BIG_ROWS; i++) lines.push(`${i % 5 === 0 ? 1 : 0},${((i * 7919) % 10007) / 10007}`);
  writeFileSync(join(big, 'batch-inference', 'prediction_data.csv'), lines.join('\n') + '\n');

  const stateDir = join(root, 'state');
  await writePasswordFile(join(stateDir, PASSWORD_FILE), { user: 'admin', hash: await hashPassword('bench password 123', 4) });
  const app = await createDashboardServer({ runsDir: join(root, 'runs'), stateDir, pipeline: await loanDefaultCatalog(), staticDir: join(root, 'no-app') });
  const loginRes = await app.inject({ method: 'POST', url: '/api/login', payload: { username: 'admin', password: 'bench password 123' } });
  const cookie = String(loginRes.headers['set-cookie']).split(';')[0];

  const time = async (url: string): Promise<number> => {
    const t = performance.now();
    const res = await app.inject({ method: 'GET', url, headers: { cookie } });
    const ms = performance.now() - t;
    if (res.statusCode !== 200) throw new Error(`${url}: HTTP ${res.statusCode} ${res.body.slice(0, 200)}`);
    return ms;
  };
  const page = (cursor: number) => `/api/runs/run-199/artifacts/batch-inference/prediction_data/preview?cursor=${cursor}&limit=100`;
  const routes: [string, () => string | Promise<string>][] = [
    [`runs list (${RUNS} runs)`, () => '/api/runs'],
    ['run detail', () => '/api/runs/run-199'],
    ['metrics (ROC, report, confusion buckets of 250,000 rows)', () => '/api/runs/run-199/metrics'],
    ['CSV page 1 of the 250,000-row file', () => page(0)],
  ];
  // A deep page: its cursor comes from following pages, as the app does, here by byte offset of row 200,000.
  const deepCursor = Buffer.byteLength(lines.slice(0, 200_001).join('\n') + '\n') - Buffer.byteLength(lines[0] + '\n');
  routes.push(['CSV page at row 200,000', () => page(deepCursor)]);
  const table: string[][] = [];
  for (const [name, url] of routes) {
    const cold = await time(await url());
    const warm: number[] = [];
    for (let i = 0; i < args.runs; i++) warm.push(await time(await url()));
    table.push([name, `${cold.toFixed(1)} ms`, `${median(warm).toFixed(2)} ms`, `${Math.max(...warm).toFixed(2)} ms`]);
  }
  printTable(['request', 'first (cold)', `median of ${args.runs}`, 'slowest'], table);
  await app.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
