// `npm run bench:startup` — start-up and fixed costs of the `sealed` command (issue 17: `--version`
// and `component --help` under 0.25 s). Each command is a fresh process, measured from outside
// (wall time, and CPU time, which other processes on the machine disturb less); the commands
// take turns, so drift in load hits all alike. `node -e 0` is the floor no command can go under.
// With --baseline DIR (another checkout, built with `node scripts/buildApp.mjs`), each command also
// runs from there, alternating with ours, and the ratio ours/baseline is printed.
// With --run, whole runs too: `sealed run` on the real CSV (2 threads) and on the embedded default
// data (what `npm start` runs), split into the tasks' own time (run.json's durations) and the rest
// (start-up, catalog, compiling, manifests, gaps between tasks, exit): the fixed costs.
//
//   npm run bench:startup -- [--runs 11] [--baseline /tmp/old] [--run [--run-runs 3]]
// Run `node scripts/buildApp.mjs` first: a stale build falls back to tsx and measures that instead.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realDataPath, repoRoot } from '../test/helpers/sharedData.ts';
import { runAlternating, metric, type Contestant } from './lib/alternate.ts';
import { parseBenchArgs } from './lib/args.ts';
import { fmtRatio, fmtSeconds, printTable } from './lib/report.ts';
import { median } from './lib/stats.ts';

const TARGET_SECONDS = 0.25;
const args = parseBenchArgs(process.argv.slice(2), 11);
const baseline = args.flags.get('baseline');
if (baseline === true) throw new Error('--baseline needs a folder (a built checkout)');

const scratch = mkdtempSync(join(tmpdir(), 'sealed-startup-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
let runDirs = 0;
const COMMANDS: { label: string; argv: string[] | (() => string[]); target?: number; exitCode?: number }[] = [
  { label: 'node -e 0 (floor)', argv: ['-e', '0'] },
  { label: 'sealed --version', argv: ['bin/sealed', '--version'], target: TARGET_SECONDS },
  { label: 'sealed component --help', argv: ['bin/sealed', 'component', '--help'], target: TARGET_SECONDS },
  { label: 'sealed component train-model --help', argv: ['bin/sealed', 'component', 'train-model', '--help'] },
  { label: 'sealed --help', argv: ['bin/sealed', '--help'] },
  // Everything of a run but the tasks' work: start-up, catalog, compiling, run folder and
  // manifests, the first task's set-up, the failure report (its data file does not exist).
  {
    label: 'sealed run, fixed costs only (missing data)',
    argv: () => ['bin/sealed', 'run', '--data-url', join(scratch, 'missing.csv'), '--threads', '2', '--run-dir', join(scratch, `fixed-${runDirs++}`)],
    exitCode: 1,
  },
];

/** Wall and CPU seconds of one `node argv` in `cwd`; CPU from GNU time when installed. */
function timeOnce(cwd: string, argv: readonly string[], exitCode = 0): { wall: number; cpu: number } {
  const gnuTime = existsSync('/usr/bin/time');
  const started = performance.now();
  const r = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '__CPU__ %U %S', process.execPath, ...argv], { cwd, encoding: 'utf8', env: { ...process.env, SEALED_TRACE_ENTRY: '1' } })
    : spawnSync(process.execPath, argv, { cwd, encoding: 'utf8', env: { ...process.env, SEALED_TRACE_ENTRY: '1' } });
  const wall = (performance.now() - started) / 1000;
  if (r.status !== exitCode) throw new Error(`node ${argv.join(' ')} in ${cwd} exited with ${r.status}: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
  if (r.stderr.includes('src (tsx)')) throw new Error(`${cwd}: the build is stale, so this would time tsx; run node scripts/buildApp.mjs there first`);
  const m = /__CPU__ ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : NaN };
}

const trees = [{ name: 'ours', dir: repoRoot }, ...(typeof baseline === 'string' ? [{ name: 'baseline', dir: baseline }] : [])];
console.log(`start-up: ${args.runs} alternating runs of each command${trees.length > 1 ? `, ours (${repoRoot}) and baseline (${trees[1].dir})` : ''}`);
const contestants: Contestant[] = COMMANDS.flatMap((c) =>
  trees.map((t) => ({ name: `${t.name}\t${c.label}`, run: () => timeOnce(t.dir, typeof c.argv === 'function' ? c.argv() : c.argv, c.exitCode) })),
);
const samples = await runAlternating(contestants, args.runs);

const rows = COMMANDS.map((c) => {
  const of = (tree: string, key: string) => median(metric(samples.get(`${tree}\t${c.label}`) ?? [], key));
  const wall = of('ours', 'wall');
  const row = [c.label, fmtSeconds(wall), fmtSeconds(of('ours', 'cpu')), c.target === undefined ? '' : `${wall <= c.target ? 'ok' : 'OVER'} (< ${c.target} s)`];
  if (trees.length > 1) {
    row.push(fmtSeconds(of('baseline', 'wall')), fmtSeconds(of('baseline', 'cpu')), fmtRatio(wall / of('baseline', 'wall')), fmtRatio(of('ours', 'cpu') / of('baseline', 'cpu')));
  }
  return row;
});
const versus = trees.length > 1 ? ['baseline wall', 'baseline cpu', 'wall ratio', 'cpu ratio'] : [];
printTable(['command (median)', 'wall', 'cpu', 'target', ...versus], rows);
console.log('(on a busy machine wall times wander; cpu, user + system of the process, much less)');
console.log(`(commands run from ${join(repoRoot, 'bin/sealed')} on the compiled build in dist/app)`);

if (args.flags.has('run')) {
  const runRuns = Number(args.flags.get('run-runs') ?? 3);
  if (!Number.isInteger(runRuns) || runRuns < 1) throw new Error('--run-runs must be a positive integer');
  const csv = realDataPath();
  const RUNS: { label: string; argv: string[] }[] = [
    ...(csv ? [{ label: 'sealed run --data-url <real CSV> --threads 2', argv: ['--data-url', csv, '--threads', '2'] }] : []),
    { label: 'sealed run (embedded data, npm start)', argv: [] },
  ];
  if (!csv) console.log('real CSV not found (../shared/data or SEALED_REAL_DATA): only the embedded-data run');
  /** One whole run: wall, the tasks' own time, and what comes before the first task. */
  const timeRun = (dir: string, argv: readonly string[]): Record<string, number> => {
    const runDir = mkdtempSync(join(scratch, 'run-'));
    const started = Date.now();
    const r = spawnSync(process.execPath, ['bin/sealed', 'run', '--run-dir', runDir, ...argv], { cwd: dir, encoding: 'utf8' });
    const wall = (Date.now() - started) / 1000;
    if (r.status !== 0) throw new Error(`sealed run in ${dir} exited with ${r.status}: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    const manifest = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { tasks: Record<string, { startedAt: string; durationMs: number }> };
    rmSync(runDir, { recursive: true, force: true });
    const tasks = Object.values(manifest.tasks);
    const own = tasks.reduce((sum, t) => sum + t.durationMs, 0) / 1000;
    const firstTask = (Math.min(...tasks.map((t) => Date.parse(t.startedAt))) - started) / 1000;
    return { wall, tasks: own, fixed: wall - own, beforeFirstTask: firstTask };
  };
  console.log(`\nwhole runs: ${runRuns} alternating runs each`);
  const runSamples = await runAlternating(
    RUNS.flatMap((c) => trees.map((t) => ({ name: `${t.name}\t${c.label}`, run: () => timeRun(t.dir, c.argv) }))),
    runRuns,
  );
  const runRows = RUNS.flatMap((c) =>
    trees.map((t) => {
      const of = (key: string) => median(metric(runSamples.get(`${t.name}\t${c.label}`) ?? [], key));
      return [`${c.label}${trees.length > 1 ? ` [${t.name}]` : ''}`, fmtSeconds(of('wall')), fmtSeconds(of('tasks')), fmtSeconds(of('fixed')), fmtSeconds(of('beforeFirstTask'))];
    }),
  );
  printTable(['run (median)', 'wall', 'tasks', 'fixed = wall - tasks', 'before 1st task'], runRows);
}
