import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, IoError, UsageError } from '../../../src/core/errors.ts';
import { parseCsv, readCsvBatches, readCsvFile, valueAt, type Table } from '../../../src/data/index.ts';
import { tempDir } from '../tmpFiles.ts';

function rowsOf(t: Table): (number | string | null)[][] {
  return Array.from({ length: t.numRows }, (_, i) => t.columns.map((c) => valueAt(c, i)));
}

function throwsData(fn: () => unknown, code: string, pattern?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected DataError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (pattern) assert.match(e.message, pattern);
    assert.ok(!e.message.includes('\n'), 'message is one line');
    return true;
  });
}

test('numbers, categories, missing values and inference', () => {
  const t = parseCsv('a,b,c\n1,x,2.5\n,y,\n-3,,1e-5\n');
  assert.deepEqual(t.columnNames, ['a', 'b', 'c']);
  assert.equal(t.column('a').kind, 'numeric');
  assert.equal(t.column('b').kind, 'categorical');
  assert.deepEqual(rowsOf(t), [[1, 'x', 2.5], [NaN, 'y', NaN], [-3, null, 1e-5]]);
  assert.deepEqual(t.categorical('b').codes, Int32Array.from([0, 1, -1]));
});

test('pandas missing tokens are missing in numeric and categorical columns; infinities parse', () => {
  const t = parseCsv('n,s\nNA,NA\nNaN,"NaN"\nnull,ok\ninf,n/a\n-Infinity,\n');
  assert.deepEqual(Array.from(t.numeric('n').values), [NaN, NaN, NaN, Infinity, -Infinity]);
  assert.deepEqual(Array.from(t.categorical('s').codes), [-1, -1, 0, -1, -1]);
  assert.deepEqual(t.categorical('s').dictionary, ['ok']);
});

test('custom naValues, including a numeric-looking one', () => {
  const t = parseCsv('n,s\n-999,x\n5,NA\n', { naValues: ['-999'] });
  assert.deepEqual(Array.from(t.numeric('n').values), [NaN, 5]);
  assert.deepEqual(t.categorical('s').dictionary, ['x', 'NA']);
});

test('quoted fields: commas, "" escapes, embedded LF/CRLF, quoted numbers, text after the closing quote', () => {
  const t = parseCsv('id,text\r\n"1","a,b"\r\n2,"say ""hi"""\r\n3,"two\r\nlines"\r\n4,"x"y\r\n5,a"b\r\n6,""\r\n');
  assert.deepEqual(rowsOf(t), [[1, 'a,b'], [2, 'say "hi"'], [3, 'two\r\nlines'], [4, 'xy'], [5, 'a"b'], [6, null]]);
});

test('LF, CRLF and CR line endings, with or without a final newline, and a BOM', () => {
  const want = [[1, 'x'], [2, 'y']];
  for (const eol of ['\n', '\r\n', '\r']) {
    for (const last of [eol, '']) {
      for (const bom of ['', '\ufeff']) {
        const t = parseCsv(`${bom}a,b${eol}1,x${eol}2,y${last}`);
        assert.deepEqual(t.columnNames, ['a', 'b'], JSON.stringify({ eol, last, bom }));
        assert.deepEqual(rowsOf(t), want, JSON.stringify({ eol, last, bom }));
      }
    }
  }
});

test('blank lines are skipped and do not shift reported line numbers', () => {
  const t = parseCsv('a,b\n\n1,2\r\n\r\n3,4\n\n');
  assert.deepEqual(rowsOf(t), [[1, 2], [3, 4]]);
  throwsData(() => parseCsv('a,b\n\n1,2\n\n3\n', { fileName: 'f.csv' }), 'data.csv.fieldCount', /^f\.csv, line 5: row has 1 fields, expected 2$/);
});

test('bytes input and utf-8 categories', () => {
  const t = parseCsv(Buffer.from('name\nÜnïcödé\n日本\n', 'utf8'));
  assert.deepEqual(t.categorical('name').dictionary, ['Ünïcödé', '日本']);
});

test('header-only file gives an empty table', () => {
  const t = parseCsv('a,b\r\n');
  assert.equal(t.numRows, 0);
  assert.deepEqual(t.columnNames, ['a', 'b']);
});

test('headerless files need names; columnNames or schema supply them', () => {
  assert.throws(() => parseCsv('1,2\n', { header: false }), (e: unknown) => e instanceof UsageError && e.code === 'data.csv.namesRequired');
  const t = parseCsv('1,x\n2,y\n', { header: false, columnNames: ['n', 's'] });
  assert.deepEqual(rowsOf(t), [[1, 'x'], [2, 'y']]);
  const s = parseCsv('1,x\n', { header: false, schema: { columns: [{ name: 'n', type: 'number' }, { name: 's', type: 'category' }] } });
  assert.deepEqual(s.columnNames, ['n', 's']);
});

test('schema fixes column types: digits in a category column stay text', () => {
  const t = parseCsv('code,v\n01,1\n2,2\n', { schema: { columns: [{ name: 'code', type: 'category' }, { name: 'v', type: 'number' }] } });
  assert.deepEqual(t.categorical('code').dictionary, ['01', '2']);
  const c = parseCsv('g\nB\nA\n', { schema: { columns: [{ name: 'g', type: 'category', categories: ['A', 'B', 'C'] }] } });
  assert.deepEqual(c.categorical('g').dictionary, ['A', 'B', 'C']);
  assert.deepEqual(Array.from(c.categorical('g').codes), [1, 0]);
});

test('errors: empty input', () => {
  throwsData(() => parseCsv('', { fileName: 'e.csv' }), 'data.csv.empty', /^e\.csv: CSV file is empty$/);
  throwsData(() => parseCsv('\ufeff\r\n\n'), 'data.csv.empty');
});

test('errors: misspelled, missing, unexpected and duplicate header names', () => {
  const expectedColumns = ['loan_status', 'loan_amnt'];
  throwsData(() => parseCsv('loan_stauts,loan_amnt\n1,2\n', { expectedColumns, fileName: 'x.csv' }), 'data.csv.unexpectedColumn',
    /^x\.csv, line 1, column 1: unexpected column 'loan_stauts' in header; did you mean 'loan_status'\?$/);
  throwsData(() => parseCsv('loan_amnt\n2\n', { expectedColumns }), 'data.csv.missingColumn', /missing column 'loan_status'/);
  throwsData(() => parseCsv('loan_status,loan_amnt,zzz\n1,2,3\n', { expectedColumns }), 'data.csv.unexpectedColumn', /'zzz' in header$/);
  const t = parseCsv('loan_status,loan_amnt,zzz\n1,2,3\n', { expectedColumns, allowExtraColumns: true });
  assert.deepEqual(t.columnNames, ['loan_status', 'loan_amnt', 'zzz']);
  throwsData(() => parseCsv('a,b,a\n1,2,3\n'), 'data.csv.duplicateColumn', /column 3: duplicate column 'a'/);
});

test('errors: wrong number of fields names file and line (counting lines inside quotes)', () => {
  throwsData(() => parseCsv('a,b\n1,2\n3,4,5\n', { fileName: 'f.csv' }), 'data.csv.fieldCount', /^f\.csv, line 3: row has 3 fields, expected 2$/);
  throwsData(() => parseCsv('a,b\n1,"x\ny"\n3\n', { fileName: 'f.csv' }), 'data.csv.fieldCount', /^f\.csv, line 4: row has 1 fields/);
});

test('errors: non-numeric text in a numeric column names file, line, column and field, text truncated', () => {
  const schema = { columns: [{ name: 'a', type: 'number' as const }, { name: 'b', type: 'number' as const }] };
  throwsData(() => parseCsv('a,b\r\n1,2\r\n3,abc\r\n', { schema, fileName: 'n.csv' }), 'data.csv.notANumber',
    /^n\.csv, line 3, column 2, field 'b': expected a number, found 'abc'$/);
  const long = 'x'.repeat(100);
  assert.throws(() => parseCsv(`a,b\n1,${long}\n`, { schema }), (e: unknown) => e instanceof DataError && e.message.includes(`'${'x'.repeat(40)}...'`) && !e.message.includes('x'.repeat(41)));
});

test('errors: unterminated quote', () => {
  throwsData(() => parseCsv('a,b\n1,"open\n2,3\n', { fileName: 'q.csv' }), 'data.csv.unterminatedQuote', /^q\.csv, line 2: quoted field is not closed/);
  throwsData(() => parseCsv('"a,b\n1,2\n'), 'data.csv.unterminatedQuote');
});

test('readCsvFile equals parseCsv for every chunk size (records split across chunks)', async () => {
  const dir = tempDir();
  const lines = ['num,text,other'];
  for (let i = 0; i < 300; i++) {
    const text = i % 5 === 0 ? `"multi\r\nline ""${i}"""` : i % 3 === 0 ? `"a,${i}"` : `t${i % 7}`;
    lines.push(`${(i * 1.37).toFixed(i % 4)},${text},${i % 11 === 0 ? '' : i * 31}`);
  }
  const content = `\ufeff${lines.join('\r\n')}\r`;
  const path = join(dir, 'chunks.csv');
  writeFileSync(path, content);
  const want = rowsOf(parseCsv(content));
  assert.equal(want.length, 300);
  for (const chunkBytes of [1, 2, 3, 7, 64, 1000, 1 << 20]) {
    assert.deepEqual(rowsOf(await readCsvFile(path, { chunkBytes })), want, `chunkBytes ${chunkBytes}`);
  }
});

test('readCsvFile error locations use the path; io errors for missing files and directories', async () => {
  const dir = tempDir();
  const path = join(dir, 'bad.csv');
  writeFileSync(path, 'a,b\n1,2\n3\n');
  await assert.rejects(readCsvFile(path, { chunkBytes: 4 }), (e: unknown) => e instanceof DataError && e.message === `${path}, line 3: row has 1 fields, expected 2`);
  await assert.rejects(readCsvFile(join(dir, 'nope.csv')), (e: unknown) => e instanceof IoError && e.code === 'io.notFound');
  mkdirSync(join(dir, 'sub'));
  await assert.rejects(readCsvFile(join(dir, 'sub')), (e: unknown) => e instanceof IoError && e.code === 'io.notAFile');
  writeFileSync(join(dir, 'empty.csv'), '');
  await assert.rejects(readCsvFile(join(dir, 'empty.csv')), (e: unknown) => e instanceof DataError && e.code === 'data.csv.empty');
});

test('inference restarts when a later value is not numeric (file reader)', async () => {
  const dir = tempDir();
  const path = join(dir, 'late.csv');
  const lines = ['a,b'];
  for (let i = 0; i < 500; i++) lines.push(`${i},${i === 480 ? 'oops' : i}`);
  writeFileSync(path, lines.join('\n'));
  const t = await readCsvFile(path, { chunkBytes: 256 });
  assert.equal(t.column('a').kind, 'numeric');
  assert.equal(t.column('b').kind, 'categorical');
  assert.equal(valueAt(t.column('b'), 480), 'oops');
  assert.equal(valueAt(t.column('b'), 7), '7');
});

test('readCsvBatches: batches concatenate to the whole file, codes are stable, types lock after the first batch', async () => {
  const dir = tempDir();
  const path = join(dir, 'batches.csv');
  const lines = ['x,c'];
  for (let i = 0; i < 1000; i++) lines.push(`${i / 4},${['p', 'q', 'r'][i % 3]}${i >= 600 ? 'z' : ''}`);
  writeFileSync(path, lines.join('\n') + '\n');
  const whole = await readCsvFile(path);
  const batches: Table[] = [];
  for await (const b of readCsvBatches(path, { chunkBytes: 500 }, 128)) batches.push(b);
  assert.deepEqual(batches.map((b) => b.numRows), [128, 128, 128, 128, 128, 128, 128, 104]);
  assert.deepEqual(batches.flatMap(rowsOf), rowsOf(whole));
  const last = batches[batches.length - 1].categorical('c');
  assert.deepEqual(last.dictionary.slice(0, 3), ['p', 'q', 'r']);

  writeFileSync(path, `n\n${Array.from({ length: 300 }, (_, i) => (i === 250 ? 'text' : String(i))).join('\n')}\n`);
  const it = readCsvBatches(path, {}, 100);
  await assert.rejects(async () => {
    for await (const b of it) void b;
  }, (e: unknown) => e instanceof DataError && e.code === 'data.csv.notANumber' && /line 252/.test(e.message));
});
