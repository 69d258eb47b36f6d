// Our Parquet files opened by an independent reader, DuckDB (@duckdb/node-api): every value of a
// table (strings, numbers, nulls) and of a dense matrix (NaN, -0, extremes) is what we wrote, and
// our reader gives back the same table/matrix. Also the real credit-risk CSV, value for value.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { categoricalFromStrings, numericColumn, readCsvFile, Table, valueAt } from '../../../src/data/index.ts';
import { readParquetMatrix, readParquetMatrixBatches, readParquetTable, writeParquetMatrix, writeParquetTable } from '../../../src/data/parquet/index.ts';
import { realDataPath, skipWithoutRealData } from '../../helpers/sharedData.ts';
import { tempDir } from '../tmpFiles.ts';

async function duckRows(path: string): Promise<{ names: string[]; types: string[]; rows: unknown[][] }> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet('${path.replace(/'/g, "''")}')`);
    return { names: reader.columnNames(), types: reader.columnTypes().map((t) => t.toString()), rows: reader.getRows() as unknown[][] };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** What DuckDB should show for our value: null for a missing one. */
const expected = (v: number | string | null): number | string | null => (typeof v === 'number' && Number.isNaN(v) ? null : v);

function sameValue(got: unknown, want: number | string | null, where: string): void {
  if (typeof want === 'number' && typeof got === 'number') assert.ok(Object.is(got, want) || (got === 0 && want === 0), `${where}: ${got} != ${want}`);
  else assert.equal(got, want, where);
}

function mixedTable(n: number): Table {
  const grades = ['A', 'B', 'C', 'D', 'É-ünïcode', 'with,comma', 'with "quote"'];
  const income = new Float64Array(n);
  const rate = new Float64Array(n);
  const label = new Float64Array(n);
  const strs: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    income[i] = i % 17 === 0 ? NaN : 1000 + i * 37.25;
    rate[i] = i % 11 === 0 ? NaN : Math.sin(i) * 1e-3 + (i % 5 === 0 ? 1e300 : 0);
    label[i] = i % 3 === 0 ? 1 : 0;
    strs.push(i % 13 === 0 ? null : grades[i % grades.length]);
  }
  return new Table([numericColumn('income', income), categoricalFromStrings('grade', strs), numericColumn('rate', rate), numericColumn('label', label)]);
}

test('duckdb reads every value of a table we wrote (strings, numbers, nulls, several row groups)', async () => {
  const path = join(tempDir(), 'table.parquet');
  const table = mixedTable(5000);
  await writeParquetTable(table, path, { rowGroupRows: 1024 });
  const duck = await duckRows(path);
  assert.deepEqual(duck.names, table.columnNames);
  assert.deepEqual(duck.types, ['DOUBLE', 'VARCHAR', 'DOUBLE', 'DOUBLE']);
  assert.equal(duck.rows.length, table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    table.columns.forEach((c, j) => sameValue(duck.rows[i][j], expected(valueAt(c, i)), `row ${i} ${c.name}`));
  }
  // And our reader gives the same table back.
  const back = await readParquetTable(path);
  assert.deepEqual(back.columnNames, table.columnNames);
  for (const c of table.columns) {
    for (let i = 0; i < table.numRows; i++) sameValue(valueAt(back.column(c.name), i), valueAt(c, i) as never, `${c.name}[${i}]`);
  }
});

test('duckdb reads every value of a dense matrix we wrote (NaN kept, -0, extremes)', async () => {
  const path = join(tempDir(), 'matrix.parquet');
  const nRows = 3000;
  const nCols = 26;
  const data = new Float64Array(nRows * nCols);
  const specials = [0, -0, 1, -1, Number.MAX_VALUE, Number.MIN_VALUE, -Number.MAX_VALUE, 0.1, 1 / 3, 2 ** 53, NaN, 1e-308];
  for (let k = 0; k < data.length; k++) data[k] = k % 7 === 0 ? specials[(k / 7) % specials.length] : Math.cos(k) * 1234.5678;
  await writeParquetMatrix({ data, nRows, nCols }, path, { rowGroupRows: 1000 });
  const duck = await duckRows(path);
  assert.deepEqual(duck.names, Array.from({ length: nCols }, (_, j) => `f${j}`));
  assert.ok(duck.types.every((t) => t === 'DOUBLE'));
  assert.equal(duck.rows.length, nRows);
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nCols; j++) {
      const want = data[i * nCols + j];
      const got = duck.rows[i][j] as number;
      assert.ok(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)), `(${i}, ${j}): ${got} != ${want}`);
    }
  }
  const back = await readParquetMatrix(path);
  assert.equal(back.nRows, nRows);
  assert.equal(back.nCols, nCols);
  for (let k = 0; k < data.length; k++) assert.ok(Object.is(back.data[k], data[k]), `element ${k}`);
  let rows = 0;
  for await (const b of readParquetMatrixBatches(path)) {
    for (let k = 0; k < b.data.length; k++) assert.ok(Object.is(b.data[k], data[rows * nCols + k]));
    rows += b.nRows;
  }
  assert.equal(rows, nRows);
});

test('an empty table and matrix are valid Parquet files', async () => {
  const dir = tempDir();
  await writeParquetTable(new Table([numericColumn('x', new Float64Array(0)), categoricalFromStrings('s', [])]), join(dir, 't.parquet'));
  await writeParquetMatrix({ data: new Float64Array(0), nRows: 0, nCols: 3 }, join(dir, 'm.parquet'));
  assert.equal((await duckRows(join(dir, 't.parquet'))).rows.length, 0);
  assert.equal((await readParquetTable(join(dir, 't.parquet'))).numRows, 0);
  const m = await readParquetMatrix(join(dir, 'm.parquet'));
  assert.deepEqual([m.nRows, m.nCols], [0, 3]);
});

test('the real credit-risk data: duckdb reads every value the CSV holds', { skip: skipWithoutRealData() }, async () => {
  const table = await readCsvFile(realDataPath() as string);
  const path = join(tempDir(), 'credit.parquet');
  await writeParquetTable(table, path);
  const duck = await duckRows(path);
  assert.deepEqual(duck.names, table.columnNames);
  assert.equal(duck.rows.length, table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    table.columns.forEach((c, j) => sameValue(duck.rows[i][j], expected(valueAt(c, i)), `row ${i} ${c.name}`));
  }
});
