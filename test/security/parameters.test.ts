// Resource exhaustion and oversized echoes through parameters and options (issue 15, item 3 and
// the numeric options of item 6): every user-chosen size is refused quickly, with the limit in
// a one-line message, before it can exhaust memory; errors quote at most a bounded, escaped
// excerpt of what they were given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loanDefaultCatalog } from '../../src/cli/pipelineCatalog.ts';
import { parseTrainParams, train, type DenseMatrix } from '../../src/gbdt/index.ts';
import { validateParameters } from '../../src/pipeline/index.ts';
import { loadData } from '../../src/pipelines/loan-default/components/loadData.ts';
import { isSealedError } from '../../src/core/index.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { runCli, type CliResult } from '../cli/helpers.ts';

const MEMORY_ENV = 'SEALED_GBDT_MEMORY_LIMIT';

/** `f` with the training memory budget set to `limit` (the engine reads process.env). */
async function withMemoryLimit<T>(limit: string, f: () => T | Promise<T>): Promise<T> {
  const before = process.env[MEMORY_ENV];
  process.env[MEMORY_ENV] = limit;
  try {
    return await f();
  } finally {
    if (before === undefined) delete process.env[MEMORY_ENV];
    else process.env[MEMORY_ENV] = before;
  }
}

/** Runs the CLI in `cwd`, asserting it answered within `ms`. */
async function quickly(argv: string[], cwd: string, ms = 1000): Promise<CliResult> {
  const started = performance.now();
  const r = await runCli(argv, { cwd });
  const took = performance.now() - started;
  assert.ok(took < ms, `${argv.join(' ')} took ${took.toFixed(0)} ms`);
  return r;
}

/** One line on stderr, exit `code`, nothing on stdout. */
function oneLine(r: CliResult, code: number, pattern: RegExp): string {
  assert.equal(r.code, code, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^sealed: [^\n]*\n$/, `not one line: ${r.stderr.slice(0, 300)}`);
  assert.match(r.stderr, pattern);
  return r.stderr;
}

function trainDir(params: unknown): string {
  const cwd = tempDir('sealed-params-');
  writeFileSync(join(cwd, 'X.csv'), '1,2\n3,4\n5,6\n7,8\n');
  writeFileSync(join(cwd, 'y.csv'), '0\n1\n0\n1\n');
  writeFileSync(join(cwd, 'p.json'), typeof params === 'string' ? params : JSON.stringify(params));
  return cwd;
}

const TRAIN = ['gbdt', 'train', '--data', 'X.csv', '--label', 'y.csv', '--out', 'm.json', '--params', 'p.json'];

function matrix(rows: number, cols: number, seed = 1): DenseMatrix {
  let s = seed >>> 0;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32;
  }
  return { data, nRows: rows, nCols: cols };
}

test('memory exhaustion: num_boost_round 1e9 is refused before any data is read, naming the memory limit', async () => {
  // No X.csv at all: the refusal comes from the parameters alone.
  const cwd = tempDir('sealed-params-');
  writeFileSync(join(cwd, 'p.json'), '{"num_boost_round": 1e9}');
  const r = await quickly(TRAIN, cwd);
  oneLine(r, 2, /num_boost_round 1000000000 \(1,000,000,000 trees\) needs at least [\d.]+ TiB, more than the memory limit of [\d.]+ [KMGT]iB \(SEALED_GBDT_MEMORY_LIMIT/);
  // As in XGBoost, a large num_boost_round with early stopping is fine: only the early-stopping
  // rounds are certain, and what really grows is counted during training.
  assert.equal(parseTrainParams({ num_boost_round: 1e9, early_stopping_rounds: 20 }).numBoostRound, 1e9);
});

test('memory exhaustion: num_class 1e8 (multi:softprob) is refused with the limit, not a typed-array RangeError', async () => {
  const r = await quickly(TRAIN, trainDir({ objective: 'multi:softprob', num_class: 1e8 }));
  oneLine(r, 2, /num_boost_round 10 x num_class 100000000 \(1,000,000,000 trees\) needs at least .* more than the memory limit/);
  // With no rounds the per-row arrays (margins and gradients of 1e8 classes) are what cannot fit.
  const r0 = await quickly(TRAIN, trainDir({ objective: 'multi:softprob', num_class: 1e8, num_boost_round: 0 }));
  oneLine(r0, 2, /training 4 rows x 2 features with num_boost_round 0, num_class 100000000, max_bin 256 needs at least [\d.]+ GiB, more than the memory limit/);
});

test('oversized trees and histograms: max_depth 1e6, max_leaves 2^31, max_bin 2^31 and nthread 1e5 are refused with their bounds', async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ max_depth: 1e6 }, /training parameter 'max_depth' must be an integer in \[0, 1024\], got 1000000$/m],
    [{ grow_policy: 'lossguide', max_leaves: 2 ** 31 }, /training parameter 'max_leaves' must be an integer in \[0, 1073741824\], got 2147483648$/m],
    [{ max_bin: 2 ** 31 }, /training parameter 'max_bin' must be an integer in \[2, 65535\], got 2147483648$/m],
    [{ nthread: 100_000 }, /training parameter 'nthread' must be an integer in \[-1, 1024\], got 100000$/m],
  ];
  for (const [params, pattern] of cases) {
    const r = await quickly(TRAIN, trainDir(params));
    oneLine(r, 2, pattern);
    assert.match(r.stderr, /^sealed: p\.json: /);
  }
  // XGBoost's own accepted values still train (src/tree/param.h: max_depth 30 with max_leaves 0 is allowed).
  const ok = await runCli(TRAIN, { cwd: trainDir({ max_depth: 30, max_bin: 65535, num_boost_round: 3 }) });
  assert.equal(ok.code, 0, ok.stderr);
});

test('memory exhaustion: per-row arrays of rows x classes beyond the budget are refused once the matrix is known', async () => {
  await withMemoryLimit('64M', () => {
    const m = matrix(100, 3);
    const labels = Array.from({ length: 100 }, (_, i) => i % 3);
    const started = performance.now();
    assert.throws(
      () => train(m, labels, { objective: 'multi:softprob', num_class: 200_000, num_boost_round: 0 }),
      (e: unknown) => isSealedError(e) && e.exitCode === 2 && /training 100 rows x 3 features .* num_class 200000.* more than the memory limit of 64\.0 MiB/.test(e.message),
    );
    assert.ok(performance.now() - started < 1000);
  });
});

test('runaway model: trees that outgrow the memory budget stop training with the round named, not a heap death', async () => {
  await withMemoryLimit('2M', () => {
    const m = matrix(3000, 5, 7);
    // Noisy labels so every tree grows to full depth.
    const labels = Array.from({ length: 3000 }, (_, i) => (m.data[i * 5] + m.data[i * 5 + 1] * 0.3 > 0.6 ? 1 : 0));
    const params = { max_depth: 8, min_child_weight: 0, num_boost_round: 500, nthread: 1 };
    // Fits up front (certain allocations are small)...
    parseTrainParams(params);
    let rounds = 0;
    assert.throws(
      () => train(m, labels, params, { onRound: (r) => (rounds = r) }),
      (e: unknown) => isSealedError(e) && e.exitCode === 2 && /^the model after round \d+ \([\d,]+ trees, of num_boost_round 500\) needs at least .* more than the memory limit of 2\.00 MiB/.test(e.message),
    );
    // ...and stopped well before the 500 rounds.
    assert.ok(rounds > 0 && rounds < 500, `stopped after ${rounds} rounds`);
  });
});

test('oversized output: gbdt predict --contribs larger than the memory budget is refused before scoring', async () => {
  const cwd = trainDir({ objective: 'multi:softprob', num_class: 3, num_boost_round: 2 });
  const rows = Array.from({ length: 3000 }, (_, i) => `${i % 7},${i % 5}`).join('\n') + '\n';
  writeFileSync(join(cwd, 'y.csv'), '0\n1\n2\n1\n');
  assert.equal((await runCli(TRAIN, { cwd })).code, 0);
  writeFileSync(join(cwd, 'big.csv'), rows);
  // 3000 rows x 3 classes x 3 contributions x 8 bytes = 216 KB: fine by default, refused under 1 MiB... at 1M rows.
  await withMemoryLimit('1M', async () => {
    const many = Array.from({ length: 60_000 }, (_, i) => `${i % 7},${i % 5}`).join('\n') + '\n';
    writeFileSync(join(cwd, 'many.csv'), many);
    const r = await runCli(['gbdt', 'predict', '--model', 'm.json', '--data', 'many.csv', '--out', 'c.csv', '--contribs'], { cwd });
    oneLine(r, 2, /contributions of 60000 rows x 9 values needs at least [\d.]+ MiB, more than the memory limit of 1\.00 MiB/);
    const ok = await runCli(['gbdt', 'predict', '--model', 'm.json', '--data', 'big.csv', '--out', 'c.csv', '--contribs'], { cwd });
    assert.equal(ok.code, 0, ok.stderr);
  });
});

test('memory exhaustion: data_size 1e12 (and just above the 10 million row bound) is refused before any task runs', async () => {
  const cwd = tempDir('sealed-params-');
  const started = performance.now();
  const run = await runCli(['run', '--data-size', '1000000000000', '--run-dir', 'r'], { cwd, catalog: loanDefaultCatalog });
  oneLine(run, 2, /data_size.*10000000/);
  const component = await runCli(['component', 'load-data', '--data_size=1000000000000', '--credit_risk_dataset=d.csv'], { cwd, catalog: loanDefaultCatalog });
  oneLine(component, 2, /data_size.*10000000/);
  assert.ok(performance.now() - started < 2000);
  assert.throws(() => validateParameters('load-data', loadData.parameters, { data_size: 10_000_001 }), /must be <= 10000000/);
  assert.deepEqual(validateParameters('load-data', loadData.parameters, { data_size: 10_000_000 }).data_size, 10_000_000);
});

test('bad option values: --port 99999, --threads 0, --seed -1 and friends are one-line usage errors naming the range (exit 2)', async () => {
  const cwd = tempDir('sealed-params-');
  const cases: [string[], string][] = [
    [['serve', '--port', '99999'], "option --port must be an integer from 0 to 65535, got '99999'"],
    [['ui', '--port', '-1'], "option --port must be an integer from 0 to 65535, got '-1'"],
    [['run', '--threads', '0'], "option --threads must be an integer from 1 to 1024, got '0'"],
    [['run', '--threads', '100000'], "option --threads must be an integer from 1 to 1024, got '100000'"],
    [['gbdt', 'predict', '--model', 'm', '--data', 'd', '--out', 'o', '--threads', '5000'], "option --threads must be an integer from 1 to 1024, got '5000'"],
    [['run', '--seed', '-1'], "option --seed must be an integer from 0 to 4294967295, got '-1'"],
    [['run', '--seed', '4294967296'], "option --seed must be an integer from 0 to 4294967295, got '4294967296'"],
    [['ui', '--idle-timeout', '3000000'], "option --idle-timeout must be an integer from 1 to 2147483, got '3000000'"],
    [['runs', 'watch', 'r', '--host', 'http://127.0.0.1:9', '--poll-interval', '1e9'], "option --poll-interval must be a number of seconds > 0 and <= 2147483, got '1e9'"],
    [['runs', 'list', '--host', 'http://127.0.0.1:9', '--limit', '99999999999'], "option --limit must be an integer from 1 to 2147483647, got '99999999999'"],
  ];
  for (const [argv, message] of cases) {
    const r = await quickly(argv, cwd);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr, `sealed: ${message}\n`);
  }
});

test('oversized echo: a 1 MB option value comes back as a bounded excerpt on one line', async () => {
  const cwd = tempDir('sealed-params-');
  const huge = '9'.repeat(1024 * 1024);
  for (const argv of [
    ['serve', '--port', huge],
    ['run', '--seed', `x${huge}`],
    ['runs', 'watch', 'r', '--host', 'http://127.0.0.1:9', '--poll-interval', huge],
  ]) {
    const r = await quickly(argv, cwd);
    oneLine(r, 2, /got '9{80}…'|got 'x9{79}…'/);
    assert.ok(r.stderr.length < 300, `${r.stderr.length} characters`);
  }
});

test('terminal injection: control characters in an option value are escaped in the error', async () => {
  const cwd = tempDir('sealed-params-');
  const r = await quickly(['serve', '--port', '80\x1b[2J\x1b]0;pwned\x07\r\nsealed: all good'], cwd);
  const line = oneLine(r, 2, /option --port must be an integer from 0 to 65535/);
  // eslint-disable-next-line no-control-regex
  assert.ok(!/[\x00-\x09\x0b-\x1f\x7f]/.test(line), JSON.stringify(line));
  assert.match(line, /got '80\\x1b\[2J\\x1b\]0;pwned\\x07\\x0d\\x0asealed: all good'/);
});

test('oversized echo: a 512 KB parameter name or value in params.json is quoted as a bounded, escaped excerpt', async () => {
  const name = `evil_${'a'.repeat(512 * 1024)}`;
  const r1 = await quickly(TRAIN, trainDir({ [name]: 1 }));
  oneLine(r1, 2, /unknown training parameter 'evil_a{75}…'/);
  assert.ok(r1.stderr.length < 300, `${r1.stderr.length} characters`);
  const r2 = await quickly(TRAIN, trainDir({ grow_policy: `\x1b[31m${'x'.repeat(512 * 1024)}` }));
  oneLine(r2, 2, /training parameter 'grow_policy' must be one of depthwise, lossguide, got "\\u001b\[31mx+…/);
  assert.ok(r2.stderr.length < 300, `${r2.stderr.length} characters`);
  assert.ok(!r2.stderr.includes('\x1b'));
  // A params file is a few hundred bytes; megabytes are refused without being parsed.
  const r3 = await quickly(TRAIN, trainDir(`{"eta": 0.1, "pad": "${'x'.repeat(2 * 1024 * 1024)}"}`));
  oneLine(r3, 2, /p\.json: training parameters file is \d+ bytes, more than the 1048576 bytes a parameters file may have/);
});

test('oversized echo: a non-finite label written in 1 MB is quoted as a bounded excerpt', async () => {
  const cwd = trainDir({ num_boost_round: 1 });
  // A number (to the CSV reader) that overflows to Infinity.
  writeFileSync(join(cwd, 'y.csv'), `0\n1\n1e${'9'.repeat(1024 * 1024)}\n1\n`);
  const r = await quickly(TRAIN, cwd, 3000);
  oneLine(r, 1, /y\.csv, line 3: label '1e9{78}…' must be a finite number/);
  assert.ok(r.stderr.length < 300, `${r.stderr.length} characters`);
});

// Each training thread is a V8 instance of its own: threads=512 from the dashboard took 9 GB past a
// 2 GiB heap cap in review. train-model never starts more threads than the machine has cores.
test('thread exhaustion: train-model asked for 1024 threads uses at most the cores there are', async () => {
  const { availableParallelism } = await import('node:os');
  const cwd = tempDir();
  const rows = 200;
  const x = Array.from({ length: rows }, (_, i) => Array.from({ length: 26 }, (_, j) => ((i * 7 + j * 13) % 17) / 17).join(',')).join('\n') + '\n';
  writeFileSync(join(cwd, 'x.csv'), x);
  writeFileSync(join(cwd, 'y.csv'), Array.from({ length: rows }, (_, i) => String(i % 3 === 0 ? 1 : 0)).join('\n') + '\n');
  const r = await runCli(['component', 'train-model', '--x_train=x.csv', '--y_train=y.csv', '--num_boost_round=3', '--nthread=1024', '--model=m.json'], { cwd, catalog: loanDefaultCatalog });
  assert.equal(r.code, 0, r.stderr);
  const cores = availableParallelism();
  assert.match(r.stderr, new RegExp(`nthread 1024 is more than the ${cores} cores here: using ${cores}`));
  assert.match(r.stderr, new RegExp(`nthread ${cores}\\b`));
});
