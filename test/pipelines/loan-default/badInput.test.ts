// Bad input: each case gets one clear line naming what and where, a non-zero exit, and no
// half-written artifact; a failing step leaves the earlier steps' results intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listTree, tempDir } from '../../pipeline/helpers/tempDir.ts';
import { RAW_HEADER, sealed, writeRawCsv } from './helpers.ts';
import { runCli } from '../../cli/helpers.ts';
import { loanDefaultCatalog } from '../../../src/cli/pipelineCatalog.ts';

/** Runs load-data on `url` and returns the one-line error; asserts nothing was written. */
async function loadFails(cwd: string, url: string, code = 1, env: Record<string, string> = {}): Promise<string> {
  const r = await runCli(['component', 'load-data', `--data_url=${url}`, '--credit_risk_dataset=out/data.csv'], { catalog: loanDefaultCatalog, cwd, env });
  assert.equal(r.code, code, r.stderr);
  // Task log lines may come first; the error itself is exactly one line, the last.
  const errors = r.stderr.trim().split('\n').filter((l) => l.startsWith('sealed: '));
  assert.equal(errors.length, 1, r.stderr);
  assert.ok(r.stderr.trim().endsWith(errors[0]), r.stderr);
  assert.equal(existsSync(join(cwd, 'out', 'data.csv')), false);
  return errors[0];
}

function rawCsv(cwd: string, name: string, text: string): string {
  const p = join(cwd, name);
  writeFileSync(p, text);
  return p;
}

const ROW = '22,59000,RENT,123,PERSONAL,D,35000,16.02,1,0.59,Y,3';

test('missing file, directory and empty file', async () => {
  const cwd = tempDir();
  assert.equal(await loadFails(cwd, join(cwd, 'nope.csv')), `sealed: file not found: ${join(cwd, 'nope.csv')}`);
  assert.match(await loadFails(cwd, cwd), /not a regular file/);
  assert.match(await loadFails(cwd, rawCsv(cwd, 'empty.csv', '')), /empty/);
});

test('unreachable host and HTTP 404', async () => {
  const cwd = tempDir();
  // These servers are on loopback, which the default data-source policy refuses (test/security/dataSource.test.ts);
  // `sealed component` takes its policy from SEALED_DATA_POLICY.
  const env = { SEALED_DATA_POLICY: JSON.stringify({ localPaths: 'any', allowPrivateNetworks: true }) };
  const server: Server = createServer((req, res) => {
    res.statusCode = 404;
    res.end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    assert.match(await loadFails(cwd, `http://127.0.0.1:${port}/credit.csv`, 1, env), /404/);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  // Port 1 on loopback: nothing listens there.
  assert.match(await loadFails(cwd, 'http://127.0.0.1:1/credit.csv', 1, env), /^sealed: .*(refused|ECONNREFUSED)/i);
  assert.match(await loadFails(cwd, 'ftp://example.invalid/x.csv', 2), /ftp/);
});

test('missing or misspelled column names the column', async () => {
  const cwd = tempDir();
  const misspelled = RAW_HEADER.replace('loan_status', 'loan_stauts');
  const msg = await loadFails(cwd, rawCsv(cwd, 'typo.csv', `${misspelled}\n${ROW}\n`));
  assert.match(msg, /typo\.csv/);
  assert.match(msg, /loan_stauts/);
  assert.match(msg, /loan_status/);
  const dropped = RAW_HEADER.split(',').filter((c) => c !== 'loan_grade').join(',');
  const row = ROW.split(',').filter((_, i) => i !== 5).join(',');
  assert.match(await loadFails(cwd, rawCsv(cwd, 'missing.csv', `${dropped}\n${row}\n`)), /loan_grade/);
});

test('non-numeric text in a numeric column names file, line, column and field', async () => {
  const cwd = tempDir();
  const bad = ROW.replace('59000', '59k');
  const path = rawCsv(cwd, 'text.csv', `${RAW_HEADER}\n${ROW}\n${bad}\n`);
  const msg = await loadFails(cwd, path);
  assert.match(msg, /text\.csv/);
  assert.match(msg, /line 3/);
  assert.match(msg, /column 2/);
  assert.match(msg, /person_income/);
  assert.match(msg, /59k/);
});

test('a label that is not 0/1 names file, line and field', async () => {
  const cwd = tempDir();
  const bad = ROW.replace(',16.02,1,', ',16.02,2,');
  const msg = await loadFails(cwd, rawCsv(cwd, 'label.csv', `${RAW_HEADER}\n${ROW}\n${bad}\n`));
  assert.match(msg, /label\.csv/);
  assert.match(msg, /line 3/);
  assert.match(msg, /loan_status/);
});

test('negative data_size, test_size outside (0, 1), unknown component and option are usage errors (exit 2)', async () => {
  const cwd = tempDir();
  const data = writeRawCsv(cwd, 'raw.csv', 50);
  const cases: [string[], RegExp][] = [
    [['run', '--data-size', '-5', '--run-dir', 'r'], /data.size/],
    [['component', 'load-data', '--data_size=-1', '--credit_risk_dataset=o.csv'], /data_size.*>= 0/],
    [['component', 'create-train-test-set', `--data=${data}`, '--test_size=1.5', '--x_train_data=a', '--y_train_data=b', '--x_test_data=c', '--y_test_data=d'], /test_size.*< 1/],
    [['component', 'create-train-test-set', `--data=${data}`, '--test_size=0', '--x_train_data=a', '--y_train_data=b', '--x_test_data=c', '--y_test_data=d'], /test_size.*> 0/],
    [['run', '--split', 'sideways', '--run-dir', 'r'], /split/],
    [['component', 'train-the-model'], /unknown component 'train-the-model' \(components: batch-inference, compile-model, create-train-test-set, load-data, plot-roc-curve, preprocess-features, train-model\)/],
    [['component', 'train-model', '--x_train=a', '--y_train=b', '--model=m', '--rounds=5'], /unknown option --rounds/],
    [['run', '--fast'], /unknown option '--fast'/],
  ];
  for (const [argv, pattern] of cases) {
    const r = await sealed(argv, cwd);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, pattern);
  }
  assert.deepEqual(listTree(cwd), ['raw.csv']);
});

test('a failing step marks the run failed, exits 1 and keeps the earlier results intact', async () => {
  const cwd = tempDir();
  // Only one class in the labels: training works, but the AUC in batch-inference is undefined.
  const rows = readFileSync(writeRawCsv(cwd, 'raw.csv', 300), 'utf8').trim().split('\n');
  const labelAt = RAW_HEADER.split(',').indexOf('loan_status');
  const allZero = rows.map((l, i) => (i === 0 ? l : l.split(',').map((v, j) => (j === labelAt ? '0' : v)).join(',')));
  writeFileSync(join(cwd, 'one-class.csv'), allZero.join('\n') + '\n');
  const r = await sealed(['run', '--data-url', join(cwd, 'one-class.csv'), '--run-dir', 'run', '--json'], cwd);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').pop(), "sealed: run failed (run): task 'batch-inference' failed: Only one class present in y_true. ROC AUC score is not defined in that case.");
  const manifest = JSON.parse(readFileSync(join(cwd, 'run', 'run.json'), 'utf8'));
  assert.equal(manifest.state, 'failed');
  assert.equal(JSON.parse(r.stdout.trim().split('\n').pop()!).state, 'failed');
  const states = Object.fromEntries(Object.entries(manifest.tasks).map(([k, v]) => [k, (v as { state: string }).state]));
  assert.deepEqual(states, {
    'load-data': 'succeeded',
    'create-train-test-set': 'succeeded',
    'preprocess-features': 'succeeded',
    'train-model': 'succeeded',
    'compile-model': 'succeeded',
    'batch-inference': 'failed',
    'plot-roc-curve': 'skipped',
  });
  for (const [task, t] of Object.entries(manifest.tasks) as [string, { state: string; outputs?: Record<string, { path: string }> }][]) {
    if (t.state !== 'succeeded') continue;
    for (const out of Object.values(t.outputs ?? {})) assert.ok(existsSync(join(cwd, 'run', out.path)), `${task}: ${out.path}`);
  }
  const files = listTree(join(cwd, 'run'));
  assert.ok(!files.some((f) => f.startsWith('batch-inference/') && f !== 'batch-inference/' && f !== 'batch-inference/log.txt'), files.join(' '));
  assert.ok(!files.some((f) => f.includes('.tmp') || f.includes('staging')), files.join(' '));
});

test('credentials in a data URL never reach the output, the logs or run.json', async () => {
  const cwd = tempDir();
  const r = await sealed(['run', '--data-url', 'https://alice:hunter2@127.0.0.1:1/credit.csv?sig=s3cr3t&v=1', '--run-dir', 'run'], cwd);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /https:\/\/\*\*\*@127\.0\.0\.1:1\/credit\.csv\?sig=\*\*\*&v=\*\*\*/);
  const everything = [r.stdout, r.stderr, ...listTree(join(cwd, 'run')).filter((f) => !f.endsWith('/')).map((f) => readFileSync(join(cwd, 'run', f), 'utf8'))].join('\n');
  assert.doesNotMatch(everything, /hunter2|s3cr3t|alice/);
  assert.equal(JSON.parse(readFileSync(join(cwd, 'run', 'run.json'), 'utf8')).parameters.data_url, 'https://***@127.0.0.1:1/credit.csv?sig=***&v=***');
});
