// CSV formatted on two threads (parallelFormat.ts) is byte for byte the one-thread CSV, for
// tables (numbers, missing values, categories that need quoting) and matrices, whatever the
// block size, and small inputs stay on the calling thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { categoricalColumn, csvByteChunks, formatStats, matrixCsvChunks, matrixCsvChunksParallel, numericColumn, Table, tableCsvChunks } from '../../../src/data/index.ts';

async function bytes(chunks: AsyncIterable<Uint8Array> | Iterable<string | Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(Buffer.from(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c)));
  return Buffer.concat(parts);
}

function sample(n: number): Table {
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    v[i] = i % 17 === 0 ? NaN : (i * 0.1) / 3 - 7;
    w[i] = i % 5 === 0 ? -0 : 1e-9 * i + i;
    codes[i] = i % 11 === 0 ? -1 : i % 4;
  }
  return new Table([numericColumn('a', v), categoricalColumn('b "q"', codes, ['x', 'y,z', 'say "hi"', 'two\nlines']), numericColumn('c', w)]);
}

test('a table formatted on two threads is the one-thread CSV, header or not, any block size', async () => {
  for (const n of [1, 7, 8, 9, 100, 1001]) {
    const t = sample(n);
    for (const header of [true, false]) {
      const one = await bytes(csvByteChunks(t, { header }));
      for (const blockRows of [1, 2, 7, 64]) {
        assert.deepEqual(await bytes(tableCsvChunks(t, { header }, { minCells: 0, blockRows })), one, `n ${n}, header ${header}, blocks of ${blockRows}`);
      }
    }
  }
});

test('a matrix formatted on two threads is the one-thread CSV', async () => {
  for (const [nRows, nCols] of [[1, 1], [5, 3], [333, 26]]) {
    const data = Float64Array.from({ length: nRows * nCols }, (_, i) => (i % 13 === 0 ? NaN : i % 7 === 0 ? 1 : Math.sin(i) * 10 ** (i % 9)));
    const one = await bytes(matrixCsvChunks(data, nRows, nCols));
    for (const blockRows of [1, 4, 100]) assert.deepEqual(await bytes(matrixCsvChunksParallel(data, nRows, nCols, { minCells: 0, blockRows })), one);
  }
});

test('blocks whose text grows or shrinks from block to block are the one-thread CSV', async () => {
  // Block lengths that change along the file: any buffer a thread reuses from an earlier block
  // is sometimes too small and sometimes larger than needed.
  for (const grow of [true, false]) {
    const nRows = 400;
    const nCols = 5;
    const data = Float64Array.from({ length: nRows * nCols }, (_, i) => {
      const row = grow ? Math.floor(i / nCols) : nRows - 1 - Math.floor(i / nCols);
      return row < 50 ? row : Math.PI * 10 ** (row % 12) + row / 7;
    });
    const one = await bytes(matrixCsvChunks(data, nRows, nCols));
    for (const blockRows of [3, 10, 50]) assert.deepEqual(await bytes(matrixCsvChunksParallel(data, nRows, nCols, { minCells: 0, blockRows })), one, `grow ${grow}, blocks of ${blockRows}`);
  }
});

test('the worker did format blocks, and never failed', () => {
  assert.ok(formatStats.workerBlocks > 100, String(formatStats.workerBlocks));
  assert.equal(formatStats.fallbackBlocks, 0);
});

test('empty inputs and bad shapes', async () => {
  const empty = new Table([numericColumn('a', [])]);
  assert.equal((await bytes(tableCsvChunks(empty, {}, { minCells: 0 }))).toString(), 'a\n');
  assert.equal((await bytes(matrixCsvChunksParallel(new Float64Array(0), 0, 3, { minCells: 0 }))).length, 0);
  assert.throws(() => matrixCsvChunksParallel(new Float64Array(5), 2, 3), /5/);
});

// Found in review: the idle timer stopped worker 1; a write starting before worker 1's 'exit'
// event started worker 2, and worker 1's late exit failed worker 2's blocks too, whose replies
// were then dropped with worker 2 still ref'd: `sealed run` never exited. Run in a child process,
// which must exit on its own.
test('a stopped worker exiting late fails none of the next worker\'s blocks, and the process still exits', async () => {
  const { spawnSync } = await import('node:child_process');
  const url = new URL('../../../src/data/csv/parallelFormat.ts', import.meta.url).href;
  const script = `
    const { formatStats, matrixCsvChunksParallel, retireIdleWorker } = await import(${JSON.stringify(url)});
    const data = Float64Array.from({ length: 2000 }, (_, i) => i / 7);
    const write = async () => { let n = 0; for await (const c of matrixCsvChunksParallel(data, 1000, 2, { minCells: 0, blockRows: 100 })) n += c.length; return n; };
    const first = await write();
    retireIdleWorker(); // worker 1 is terminating; its 'exit' comes later
    const second = await write(); // starts worker 2 at once
    console.log(JSON.stringify({ first, second, ...formatStats }));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.signal, null, `the process did not exit on its own: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { first: number; second: number; workerBlocks: number; fallbackBlocks: number };
  assert.equal(out.first, out.second);
  assert.equal(out.fallbackBlocks, 0, 'no block fell back: no worker failed');
  assert.ok(out.workerBlocks > 0);
});

// Found in review: a block's buffer is rows x the longest row; one 140 KB category in a
// 32,581-row table asked for 4.5 GB and failed with a RangeError. Blocks are capped by bytes.
test('one very long category does not make a block ask for gigabytes', async () => {
  const n = 32581;
  const codes = new Int32Array(n);
  codes[n - 1] = 1;
  const long = 'x'.repeat(140_000);
  const t = new Table([numericColumn('age', Float64Array.from({ length: n }, (_, i) => 20 + (i % 50))), categoricalColumn('intent', codes, ['EDUCATION', long])]);
  const ours = await bytes(tableCsvChunks(t, {}, { minCells: 0 }));
  let expected = 'age,intent\n';
  for (let i = 0; i < n; i++) expected += `${20 + (i % 50)},${i === n - 1 ? long : 'EDUCATION'}\n`;
  assert.equal(ours.toString('utf8'), expected);
  assert.ok(ours.subarray(ours.length - long.length - 1).toString().startsWith(long));
});
