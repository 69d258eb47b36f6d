// Compares versions of our tree engine round by round in ONE process, for engine work on a
// shared, noisy machine: separate runs of the same build vary by ±20 % here, far more than most
// changes are worth. Each version trains with trainAsync, which yields after every round, so
// the versions take turns round by round and see the same slow and fast phases of the machine.
// A round's time is the time since the previous round of any version finished.
//
//   git worktree add /tmp/before HEAD~1 && ln -s "$PWD/node_modules" /tmp/before/
//   npm run bench:duel -- /tmp/before . [--rounds 200] [--threads 2] [--data-size 1000000]
//
// Not a peer comparison (bench:train is): it prints each version's total and median round time
// over the rounds after the first five, and the ratio of each to the first version. The version
// listed later has come out 1-4% faster than an identical one listed first: run both orders and
// take the geometric mean. It cannot judge changes to how idle threads wait (one version's
// polling threads take CPU from the other's rounds): compare separate alternating runs for those.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseBenchArgs } from './lib/args.ts';
import { median } from './lib/stats.ts';
import { ensureTrainData } from './lib/trainData.ts';

interface EngineModule {
  trainAsync(
    m: { data: Float64Array; nRows: number; nCols: number },
    y: Float64Array,
    params: Record<string, unknown>,
    options: { onRound: () => void },
  ): Promise<unknown>;
}

const WARM_UP_ROUNDS = 5;

const args = parseBenchArgs(process.argv.slice(2), 1);
const number = (name: string, fallback: number) => {
  const v = args.flags.get(name);
  const n = typeof v === 'string' ? Number(v) : fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${String(v)}`);
  return n;
};
const rounds = number('rounds', 200);
const threads = number('threads', 2);
const dirs = args.positional.length > 0 ? args.positional : ['.'];
if (rounds <= WARM_UP_ROUNDS) throw new Error(`--rounds must be more than ${WARM_UP_ROUNDS}`);

const data = await ensureTrainData(number('data-size', 1_000_000));
const f64 = (p: string) => {
  const b = readFileSync(p);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const x = f64(data.xTrain);
const y = f64(data.yTrain);
const engines = await Promise.all(
  dirs.map(async (d) => (await import(pathToFileURL(resolve(d, 'src/gbdt/index.ts')).href)) as EngineModule),
);
const params = { objective: 'binary:logistic', max_depth: 10, min_child_weight: 6, eta: 0.02, max_bin: 256, num_boost_round: rounds, nthread: threads };
const times: number[][] = dirs.map(() => []);
let last = performance.now();
console.log(`${dirs.length} versions, ${data.nTrain} x ${data.nCols}, ${rounds} rounds, ${threads} thread(s), taking turns every round`);
await Promise.all(
  engines.map((engine, k) =>
    engine.trainAsync({ data: x, nRows: data.nTrain, nCols: data.nCols }, y, params, {
      onRound: () => {
        const now = performance.now();
        times[k].push(now - last);
        last = now;
      },
    }),
  ),
);
const totals = times.map((t) => t.slice(WARM_UP_ROUNDS).reduce((a, b) => a + b, 0) / 1000);
dirs.forEach((d, k) => {
  const t = times[k].slice(WARM_UP_ROUNDS);
  const ratio = (totals[k] / totals[0]).toFixed(3);
  console.log(`${d.padEnd(24)} ${totals[k].toFixed(2)} s  median ${median(t).toFixed(1)} ms/round  ratio ${ratio}`);
});
