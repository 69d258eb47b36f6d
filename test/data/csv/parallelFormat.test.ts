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
