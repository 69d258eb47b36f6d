import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../../src/core/errors.ts';
import {
  categoricalFromStrings, formatCsv, numericColumn, parseCsv, readCsvFile, Table, valueAt, writeCsv,
} from '../../../src/data/index.ts';
import { tempDir } from '../tmpFiles.ts';

function sample(): Table {
  return new Table([
    numericColumn('x', [1, -2.5, NaN, 0.1 + 0.2, 1e21, 5e-324]),
    categoricalFromStrings('s', ['plain', 'a,b', 'say "hi"', 'two\nlines', null, 'cr\rhere']),
  ]);
}

test('formatCsv: header, LF endings, shortest round-trip numbers, empty for missing, quoting only when needed', () => {
  assert.equal(
    formatCsv(sample()),
    'x,s\n1,plain\n-2.5,"a,b"\n,"say ""hi"""\n0.30000000000000004,"two\nlines"\n1e+21,\n5e-324,"cr\rhere"\n',
  );
  assert.equal(formatCsv(sample().slice(0, 2), { header: false }), '1,plain\n-2.5,"a,b"\n');
  assert.equal(formatCsv(new Table([numericColumn('a,b', [1])])), '"a,b"\n1\n');
});

test('per-column formatters; unknown formatter column is a usage error', () => {
  const t = sample().slice(0, 3);
  const out = formatCsv(t, { formatters: { x: (v) => (typeof v === 'number' && v === v ? v.toFixed(2) : 'NA'), s: (v, row) => `${row}:${v ?? '-'},` } });
  assert.equal(out, 'x,s\n1.00,"0:plain,"\n-2.50,"1:a,b,"\nNA,"2:say ""hi"","\n');
  assert.throws(() => formatCsv(t, { formatters: { nope: String } }), (e: unknown) => e instanceof UsageError && e.code === 'data.csv.unknownColumn');
});

test('write -> read round trip is exact, in several chunks', async () => {
  const dir = tempDir();
  const n = 5000;
  let seed = 3;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const t = new Table([
    numericColumn('v', Float64Array.from({ length: n }, (_, i) => (i % 17 === 0 ? NaN : (rnd() - 0.5) * 10 ** ((i % 40) - 20)))),
    categoricalFromStrings('c', Array.from({ length: n }, (_, i) => (i % 13 === 0 ? null : ['x', 'y,z', '"q"', 'm\r\nn'][i % 4]))),
    numericColumn('k', Float64Array.from({ length: n }, (_, i) => i)),
  ]);
  const path = join(dir, 'out', 'round.csv');
  await writeCsv(t, path, { rowsPerChunk: 333 });
  const back = await readCsvFile(path, { chunkBytes: 4096 });
  assert.equal(back.numRows, n);
  for (const name of ['v', 'k']) assert.deepEqual(back.numeric(name).values, t.numeric(name).values);
  for (let i = 0; i < n; i++) assert.equal(valueAt(back.column('c'), i), valueAt(t.column('c'), i));
});

test('headerless single column (the y_train shape)', () => {
  const t = new Table([numericColumn('loan_status', [0, 1, 1])]);
  const text = formatCsv(t, { header: false });
  assert.equal(text, '0\n1\n1\n');
  assert.deepEqual(Array.from(parseCsv(text, { header: false, columnNames: ['y'] }).numeric('y').values), [0, 1, 1]);
});

test('atomic: a failing write leaves the previous file intact and no temporary file', async () => {
  const dir = tempDir();
  const path = join(dir, 'keep.csv');
  writeFileSync(path, 'old\n');
  const t = new Table([numericColumn('x', Float64Array.from({ length: 100 }, (_, i) => i))]);
  await assert.rejects(
    writeCsv(t, path, {
      rowsPerChunk: 10,
      formatters: {
        x: (v) => {
          if (v === 55) throw new Error('boom');
          return String(v);
        },
      },
    }),
    /boom/,
  );
  assert.equal(readFileSync(path, 'utf8'), 'old\n');
  assert.deepEqual(readdirSync(dir), ['keep.csv']);
  await writeCsv(t.slice(0, 2), path);
  assert.equal(readFileSync(path, 'utf8'), 'x\n0\n1\n');
  assert.deepEqual(readdirSync(dir), ['keep.csv']);
});
