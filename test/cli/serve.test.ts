// `sealed serve` end to end: it loads a model and a preprocessor from files, answers on a free
// loopback port, and stops cleanly when cancelled; wrong option combinations are usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { valueAt } from '../../src/data/index.ts';
import { train } from '../../src/gbdt/index.ts';
import { createColumnTransformer } from '../../src/ml/index.ts';
import { FEATURE_COLUMNS, generateSyntheticCreditRisk, LABEL_COLUMN, LOAN_DEFAULT_PREPROCESSOR } from '../../src/pipelines/loan-default/index.ts';
import { serveCommand } from '../../src/cli/commands/serve.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { Capture, runCli } from './helpers.ts';

test('serve answers on the port it prints and stops when cancelled', async () => {
  const cwd = tempDir();
  const table = generateSyntheticCreditRisk({ rows: 500, seed: 2 });
  const features = table.select([...FEATURE_COLUMNS]);
  const { fitted, matrix } = createColumnTransformer(LOAN_DEFAULT_PREPROCESSOR).fitTransform(features);
  const y = Float64Array.from({ length: table.numRows }, (_, i) => Number(valueAt(table.column(LABEL_COLUMN), i)));
  writeFileSync(join(cwd, 'model.json'), train(matrix, y, { max_depth: 3, num_boost_round: 5, nthread: 1 }).toXgboostJson());
  writeFileSync(join(cwd, 'pre.json'), JSON.stringify(fitted.toJSON()));
  const stderr = new Capture();
  const stop = new AbortController();
  const io = { cwd, stdout: new Capture(), stderr, env: {}, cores: 1 } as unknown as Parameters<typeof serveCommand>[1];
  const running = serveCommand({ model: 'model.json', preprocessor: 'pre.json', port: 0 }, io, stop.signal);
  let address: string | undefined;
  for (let i = 0; i < 200 && !address; i++) {
    address = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr.text)?.[1];
    if (!address) await new Promise((r) => setTimeout(r, 25));
  }
  assert.ok(address, stderr.text);
  assert.deepEqual(await (await fetch(`${address}/healthz`)).json(), { status: 'ok' });
  const record = Object.fromEntries(FEATURE_COLUMNS.map((f) => [f, valueAt(features.column(f), 0)]));
  const scored = (await (await fetch(`${address}/v1/score`, { method: 'POST', body: JSON.stringify(record), headers: { 'content-type': 'application/json' } })).json()) as { probability: number };
  assert.ok(scored.probability > 0 && scored.probability < 1);
  stop.abort();
  assert.equal(await running, 0);
  assert.match(stderr.text, /scoring service stopped\n$/);
});

test('serve needs --run-dir or both --model and --preprocessor', async () => {
  for (const argv of [['serve'], ['serve', '--model', 'm.json'], ['serve', '--run-dir', 'r', '--model', 'm.json', '--preprocessor', 'p.json']]) {
    const r = await runCli(argv, { cwd: tempDir() });
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.stderr, 'sealed: serve needs either --run-dir DIR or both --model and --preprocessor\n');
  }
});
