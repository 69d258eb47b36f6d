// `npm run bench:serve` — load test of the scoring service, bounded and on loopback only: starts
// `sealed serve`'s server in this process on 127.0.0.1 (any free port) with a model trained
// like the reference (500 rounds, depth 10) on synthetic applicants, then
//   1. single-record requests one after another: latency p50 / p99 (the target: p99 < 2 ms);
//   2. --concurrency clients sending single records: throughput;
//   3. batches of 100 records: records per second.
//
//   npm run bench:serve -- [--requests 2000] [--concurrency 8]
import { valueAt } from '../src/data/index.ts';
import { compileModel, train } from '../src/gbdt/index.ts';
import { createColumnTransformer } from '../src/ml/index.ts';
import { FEATURE_COLUMNS, generateSyntheticCreditRisk, LABEL_COLUMN, LOAN_DEFAULT_PREPROCESSOR } from '../src/pipelines/loan-default/index.ts';
import { LoanScorer } from '../src/serve/loanScorer.ts';
import { createScoringServer } from '../src/serve/scoringServer.ts';
import { parseBenchArgs } from './lib/args.ts';
import { printTable } from './lib/report.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../test/helpers/sharedData.ts';
import { benchCacheDir } from './lib/paths.ts';
import { measureProcess } from './lib/processStats.ts';

const args = parseBenchArgs(process.argv.slice(2), 1);
const requests = Number(args.flags.get('requests') ?? 2000);
const concurrency = Number(args.flags.get('concurrency') ?? 8);
if (!Number.isInteger(requests) || requests < 10 || requests > 100_000) throw new Error('--requests must be an integer in [10, 100000]');
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new Error('--concurrency must be an integer in [1, 64]');

console.log('training the model (20,000 synthetic applicants, 500 rounds, depth 10) ...');
const table = generateSyntheticCreditRisk({ rows: 20_000, seed: 1 });
const features = table.select([...FEATURE_COLUMNS]);
const { fitted, matrix } = createColumnTransformer(LOAN_DEFAULT_PREPROCESSOR).fitTransform(features);
const labels = Float64Array.from({ length: table.numRows }, (_, i) => Number(valueAt(table.column(LABEL_COLUMN), i)));
const booster = train(matrix, labels, { objective: 'binary:logistic', max_depth: 10, min_child_weight: 6, eta: 0.02, num_boost_round: 500 });
const scorer = new LoanScorer(fitted, compileModel(booster.model), booster.model);
const app = createScoringServer(scorer);
const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/v1/score`;
const bodies = Array.from({ length: 200 }, (_, i) => JSON.stringify(Object.fromEntries(FEATURE_COLUMNS.map((f) => [f, valueAt(features.column(f), i)]))));
const batch = `[${bodies.slice(0, 100).join(',')}]`;

// The client runs in its own process, so its work and pauses do not land in the server's
// event loop (as with a real caller).
writeFileSync(join(benchCacheDir(), 'serve_bodies.json'), JSON.stringify({ bodies, batch }));
const client = await measureProcess(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench/lib/serveClient.ts'), url, join(benchCacheDir(), 'serve_bodies.json'), String(requests), String(concurrency)]);
const m = JSON.parse(client.stdout.trim().split('\n').pop()!) as { p50: number; p99: number; requestsPerSecond: number; recordsPerSecond: number };
await app.close();
scorer.dispose();
printTable(
  ['measure', 'value'],
  [
    ['single record, sequential: p50 latency', `${m.p50.toFixed(3)} ms`],
    ['single record, sequential: p99 latency', `${m.p99.toFixed(3)} ms`],
    [`single records, ${concurrency} concurrent clients`, `${Math.round(m.requestsPerSecond)} requests/s`],
    ['batches of 100 records', `${Math.round(m.recordsPerSecond)} records/s`],
  ],
);
console.log(`${requests} requests per measure over loopback; the client (node:http, keep-alive) is a separate process.`);
