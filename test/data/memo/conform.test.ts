// conform.ts decides whether a remembered value is exactly what the CSV reader would return for
// its written bytes. Differential: for tables and matrices made to hit every edge (-0, NaN
// payloads, infinities, NA tokens and '' as categories, lone surrogates, quotes and line breaks
// in categories, names needing quotes, one-column files with missing values, schema
// violations, closed categories, dictionaries not in first-seen order), the conformed value is
// either refused or deep-equal (byte for byte) to the parse of what the writer wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { categoricalColumn, csvByteChunks, matrixCsvChunks, numericColumn, parseCsv, Table, tableToMatrix, type Schema } from '../../../src/data/index.ts';
import { conformMatrix, conformTable, type ConformOptions } from '../../../src/data/memo/index.ts';

function bytesOf(chunks: Iterable<string | Uint8Array>): Buffer {
  return Buffer.concat([...chunks].map((c) => Buffer.from(typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c))));
}

/** The parse of the written bytes, or the error it throws. */
function parsed(t: Table, options: ConformOptions): Table | Error {
  try {
    return parseCsv(bytesOf(csvByteChunks(t, { header: options.header })), {
      header: options.header,
      schema: options.schema,
      ...(options.columnNames ? { columnNames: options.columnNames } : {}),
    });
  } catch (e) {
    return e as Error;
  }
}

function check(t: Table, options: ConformOptions, expectAccepted: boolean | undefined, what: string): void {
  const c = conformTable({ kind: 'table', table: t, header: options.header }, options);
  const p = parsed(t, options);
  if (c !== undefined) {
    assert.ok(!(p instanceof Error), `${what}: accepted, but the parse fails: ${String(p)}`);
    assert.deepStrictEqual(c, p, what);
  }
  if (expectAccepted !== undefined) assert.equal(c !== undefined, expectAccepted, what);
}

const oddNaN = (() => {
  const b = new Float64Array(1);
  new Uint32Array(b.buffer).set([1, 0xfff80000]);
  return b[0];
})();

const numbers = (name: string, v: number[]) => numericColumn(name, Float64Array.from(v));
const cats = (name: string, codes: number[], dict: string[]) => categoricalColumn(name, Int32Array.from(codes), dict);
const open: Schema = { columns: [{ name: 'n', type: 'number' }, { name: 'c', type: 'category' }] };

test('numbers: -0 and NaN payloads made canonical in a copy; infinities refused', () => {
  const v = [1.25, -0, oddNaN, 0, 1e-7, 123456789.123, -2.5e300];
  const src = numbers('n', v);
  const t = new Table([src, cats('c', [0, 0, 0, 0, 0, 0, 0], ['a'])]);
  check(t, { header: true, schema: open }, true, '-0 and an odd NaN');
  assert.ok(Object.is(src.values[1], -0), "the writer's array is left as it was");
  check(new Table([numbers('n', [1, Infinity]), cats('c', [0, 0], ['a'])]), { header: true, schema: open }, false, 'Infinity');
  check(new Table([numbers('n', [1, -Infinity]), cats('c', [0, 0], ['a'])]), { header: true, schema: open }, false, '-Infinity');
});

test('categories: first-seen order, unused entries dropped; NA tokens, empty text, lone surrogates refused', () => {
  check(new Table([numbers('n', [1, 2, 3, 4]), cats('c', [2, -1, 0, 2], ['x', 'unused', 'y'])]), { header: true, schema: open }, true, 'reordered dictionary');
  for (const bad of ['NA', 'null', 'NaN', '', '\ud800x', '#N/A']) {
    check(new Table([numbers('n', [1, 2]), cats('c', [0, 1], ['ok', bad])]), { header: true, schema: open }, false, JSON.stringify(bad));
  }
  for (const fine of ['a,b', 'say "hi"', 'two\nlines', 'cr\rlf', ' padded ', '12.5', 'é', '😀']) {
    check(new Table([numbers('n', [1, 2]), cats('c', [1, 0], ['ok', fine])]), { header: true, schema: open }, true, JSON.stringify(fine));
  }
});

test('a dictionary holding a text twice: one code per text, as parsing gives (found in review)', () => {
  check(new Table([numbers('n', [1, 2, 3]), cats('c', [0, 1, 0], ['A', 'A'])]), { header: true, schema: open }, true, 'duplicate A');
  check(new Table([numbers('n', [1, 2, 3, 4]), cats('c', [2, 0, 1, 2], ['x', 'y', 'x'])]), { header: true, schema: open }, true, 'duplicate x after y');
});

test('names that need quoting or would be trimmed or lose a BOM are refused; schema columns in any order', () => {
  for (const name of ['a,b', '"q"', ' n', '\ufeffn', 'x\ny']) {
    const schema: Schema = { columns: [{ name, type: 'number' }, { name: 'c', type: 'category' }] };
    check(new Table([numbers(name, [1]), cats('c', [0], ['a'])]), { header: true, schema }, false, JSON.stringify(name));
  }
  check(new Table([cats('c', [0, 0], ['a']), numbers('n', [1, 2])]), { header: true, schema: open }, true, 'columns in another order than the schema');
  check(new Table([numbers('n', [1]), cats('c', [0], ['a']), numbers('extra', [1])]), { header: true, schema: open }, false, 'a column the schema lacks');
  check(new Table([numbers('n', [1])]), { header: true, schema: open }, false, 'a column missing');
});

test('schema checks: nullable, integer, binary, closed categories, kinds', () => {
  const strict: Schema = {
    columns: [
      { name: 'i', type: 'integer', nullable: false },
      { name: 'y', type: 'binary', nullable: false },
      { name: 'g', type: 'category', categories: ['B', 'A'], nullable: false },
    ],
  };
  const mk = (i: number[], y: number[], codes: number[], dict: string[]) => new Table([numbers('i', i), numbers('y', y), cats('g', codes, dict)]);
  check(mk([1, 2], [0, 1], [0, 1], ['A', 'B']), { header: true, schema: strict }, true, 'closed categories in the schema order');
  check(mk([1, 2.5], [0, 1], [0, 1], ['A', 'B']), { header: true, schema: strict }, false, 'not an integer');
  check(mk([1, NaN], [0, 1], [0, 1], ['A', 'B']), { header: true, schema: strict }, false, 'missing in a non-nullable column');
  check(mk([1, 2], [0, 2], [0, 1], ['A', 'B']), { header: true, schema: strict }, false, 'label 2');
  check(mk([1, 2], [0, -0], [0, 1], ['A', 'B']), { header: true, schema: strict }, true, 'label -0');
  check(mk([1, 2], [0, 1], [0, 1], ['A', 'C']), { header: true, schema: strict }, false, 'a category outside the closed set');
  check(mk([1, 2], [0, 1], [0, -1], ['A', 'B']), { header: true, schema: strict }, false, 'missing category, not nullable');
  const numericAsCategory: Schema = { columns: [{ name: 'n', type: 'category' }, { name: 'c', type: 'category' }] };
  check(new Table([numbers('n', [1]), cats('c', [0], ['a'])]), { header: true, schema: numericAsCategory }, false, 'numeric column read as category');
});

test('headerless one-column files: a missing value is an empty line the reader skips -> refused', () => {
  const labels: Schema = { columns: [{ name: 'y', type: 'number' }] };
  const options: ConformOptions = { header: false, schema: labels, columnNames: ['y'] };
  check(new Table([numbers('whatever', [0, 1, 1])]), options, true, 'labels');
  check(new Table([numbers('y', [0, NaN, 1])]), options, false, 'a missing label');
  const noHeader = { kind: 'table', table: new Table([numbers('y', [0, 1])]), header: false } as const;
  assert.equal(conformTable(noHeader, { header: true, schema: labels }), undefined, 'header expected, none written');
});

test('matrices: canonical numbers, refused when a one-column matrix has NaN or a value is infinite', () => {
  const cases: [Float64Array, number, number, boolean][] = [
    [Float64Array.from([1, -0, NaN, 0.1, 3, oddNaN]), 2, 3, true],
    [Float64Array.from([1, Infinity]), 1, 2, false],
    [Float64Array.from([1, NaN]), 2, 1, false],
    [new Float64Array(0), 0, 3, false],
  ];
  for (const [data, nRows, nCols, ok] of cases) {
    const c = conformMatrix({ kind: 'matrix', matrix: { data, nRows, nCols } });
    assert.equal(c !== undefined, ok, String([...data]));
    if (c === undefined) continue;
    const names = Array.from({ length: nCols }, (_, j) => `f${j}`);
    const t = parseCsv(bytesOf(matrixCsvChunks(data, nRows, nCols)), { header: false, columnNames: names });
    assert.deepStrictEqual(c, { data: tableToMatrix(t), nRows: t.numRows, nCols });
  }
});

test('random tables: conformed or refused, never different from the parse', () => {
  let seed = 42;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const texts = ['a', 'b', 'NA', '', 'x y', '"', '1', '-0', 'Infinity', '\ud83d'];
  const specials = [0, -0, NaN, oddNaN, Infinity, 1 / 3, 1e21, 5e-324, -1.5, 2 ** 53];
  for (let k = 0; k < 300; k++) {
    const n = 1 + Math.floor(rnd() * 6);
    const dict = texts.filter(() => rnd() < 0.5);
    const codes = Array.from({ length: n }, () => (dict.length === 0 || rnd() < 0.2 ? -1 : Math.floor(rnd() * dict.length)));
    const v = Array.from({ length: n }, () => (rnd() < 0.3 ? specials[Math.floor(rnd() * specials.length)] : (rnd() - 0.5) * 10 ** Math.floor(rnd() * 10)));
    check(new Table([numbers('n', v), cats('c', codes, dict)]), { header: true, schema: open }, undefined, `case ${k}`);
  }
});
