import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvFile, tableToMatrix, writeMatrixCsv } from '../../../src/data/index.ts';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';

test('writes a matrix as headerless CSV: shortest round-trip numbers, NaN as empty, small ints from the table', async () => {
  const dir = tempDir();
  const path = join(dir, 'm.csv');
  const values = [0, 1, -0, 1023, 1024, -1, 0.1, 1e-7, -2.2250738585072014e-308, 1.7976931348623157e308, NaN, 5e-324];
  await writeMatrixCsv(Float64Array.from(values), 4, 3, path, { rowsPerChunk: 3 });
  assert.equal(readFileSync(path, 'utf8'), '0,1,0\n1023,1024,-1\n0.1,1e-7,-2.2250738585072014e-308\n1.7976931348623157e+308,,5e-324\n');
  const back = await readCsvFile(path, { header: false, columnNames: ['a', 'b', 'c'] });
  assert.deepEqual(Array.from(tableToMatrix(back)), values.map((v) => (Object.is(v, -0) ? 0 : v)));
});

test('writes an optional header and refuses a wrong shape without touching the file', async () => {
  const dir = tempDir();
  const path = join(dir, 'm.csv');
  await writeMatrixCsv(Float64Array.of(1, 2), 1, 2, path, { header: ['x', 'y,z'] });
  assert.equal(readFileSync(path, 'utf8'), 'x,"y,z"\n1,2\n');
  writeFileSync(path, 'old');
  await assert.rejects(writeMatrixCsv(Float64Array.of(1, 2, 3), 2, 2, path), /3/);
  assert.equal(readFileSync(path, 'utf8'), 'old');
  assert.deepEqual(readdirSync(dir), ['m.csv']);
});

test('writeMatrixCsv attack: every cell the longest text a number can have still fits the chunk buffer', async () => {
  const dir = tempDir();
  const path = join(dir, 'long.csv');
  const longest = -0.0000034624479581233426; // 25 characters, one more than the longest exponent form
  assert.equal(String(longest).length, 25);
  const nRows = 5;
  const nCols = 7;
  await writeMatrixCsv(new Float64Array(nRows * nCols).fill(longest), nRows, nCols, path, { rowsPerChunk: 2 });
  const line = Array.from({ length: nCols }, () => String(longest)).join(',');
  assert.equal(readFileSync(path, 'utf8'), `${line}\n`.repeat(nRows));
});
