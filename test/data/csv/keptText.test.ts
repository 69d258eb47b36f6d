import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  categoricalColumn, categoricalFromStrings, csvByteChunks, csvRowsFromKeptText, keepingCsvText, numericColumn, tableCsvChunks, Table,
} from '../../../src/data/index.ts';

const NO_MIN = { minRows: 0 };

/** Chunks may be views of one reused buffer: each is copied before the next is asked for. */
function concat(chunks: Iterable<Uint8Array>): Buffer {
  const parts: Buffer[] = [];
  for (const c of chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

async function drain(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(Buffer.from(c)); // copied: chunks may be views of reused buffers
  return Buffer.concat(parts);
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/** Numbers of every spelling (integers, decimals, 17 digits, exponents, -0, NaN), categories with missing values. */
function table(n: number, seed = 7): Table {
  const rnd = lcg(seed);
  const kinds = ['RENT', 'OWN', 'MORTGAGE', 'OTHER'];
  return new Table([
    numericColumn('age', Float64Array.from({ length: n }, (_, i) => 20 + (i % 50))),
    numericColumn('income', Float64Array.from({ length: n }, () => 1e4 + rnd() * 1e5)),
    categoricalFromStrings('home', Array.from({ length: n }, (_, i) => (i % 13 === 0 ? null : kinds[Math.floor(rnd() * 4)]))),
    numericColumn('rate', Float64Array.from({ length: n }, (_, i) => (i % 11 === 0 ? NaN : i % 17 === 0 ? -0 : (rnd() - 0.5) * 10 ** ((i % 30) - 15)))),
    numericColumn('label', Float64Array.from({ length: n }, (_, i) => i % 2)),
    numericColumn('pct', Float64Array.from({ length: n }, () => Math.round(rnd() * 100) / 1000)),
    numericColumn('source_row', Float64Array.from({ length: n }, (_, i) => Math.floor(i / 3))),
  ]);
}

function permutation(n: number, seed = 3): Int32Array {
  const rnd = lcg(seed);
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

const FEATURES = ['age', 'income', 'home', 'rate', 'pct'];

test('copied rows are byte for byte the formatted rows of the selected, taken table', async () => {
  const t = table(3000);
  const written = await drain(keepingCsvText(t, tableCsvChunks(t), NO_MIN));
  assert.deepEqual(written, concat(csvByteChunks(t)), 'the text passes through unchanged');
  for (const [names, rows] of [
    [FEATURES, permutation(3000)],
    [FEATURES, permutation(3000).subarray(0, 700)],
    [['income'], Int32Array.of(5, 5, 0, 2999)],
    [['age', 'source_row'], Int32Array.of(1, 2, 3)],
    [t.columnNames, permutation(3000, 9)],
    [['label'], Int32Array.of(0, 1)],
  ] as const) {
    const copied = csvRowsFromKeptText(t, names, rows);
    assert.ok(copied, `kept for ${names.join(',')}`);
    assert.equal(concat(copied).toString(), concat(csvByteChunks(t.select(names).take(rows))).toString(), names.join(','));
  }
  assert.equal(concat(csvRowsFromKeptText(t, FEATURES, new Int32Array(0)) ?? []).toString(), 'age,income,home,rate,pct\n', 'no rows: the header');
});

test('only for a table with the same values: another numbering of the same texts is fine, other values are not', async () => {
  const t = table(500);
  await drain(keepingCsvText(t, csvByteChunks(t), NO_MIN));
  const home = t.categorical('home');
  // Same texts, other codes (as the memo's conform renumbers an augmented column).
  const reversed = [...home.dictionary].reverse();
  const renumbered = Int32Array.from(home.codes, (c) => (c < 0 ? c : home.dictionary.length - 1 - c));
  const same = new Table(t.columns.map((c) => (c.name === 'home' ? categoricalColumn('home', renumbered, reversed) : c)));
  const rows = permutation(500);
  assert.equal(concat(csvRowsFromKeptText(same, FEATURES, rows) ?? []).toString(), concat(csvByteChunks(t.select(FEATURES).take(rows))).toString());
  // A copy with -0 made 0 (both are written "0") is the same values.
  const rate = Float64Array.from(t.numeric('rate').values, (x) => (x === 0 ? 0 : x));
  assert.ok(csvRowsFromKeptText(new Table(t.columns.map((c) => (c.name === 'rate' ? numericColumn('rate', rate) : c))), FEATURES, rows));
  // One value changed, one text changed, a column renamed: not kept.
  const changed = rate.slice();
  changed[10] += 1;
  assert.equal(csvRowsFromKeptText(new Table(t.columns.map((c) => (c.name === 'rate' ? numericColumn('rate', changed) : c))), FEATURES, rows), undefined);
  const otherText = [...home.dictionary];
  otherText[0] = 'ELSE';
  assert.equal(csvRowsFromKeptText(new Table(t.columns.map((c) => (c.name === 'home' ? categoricalColumn('home', home.codes, otherText) : c))), FEATURES, rows), undefined);
  assert.equal(csvRowsFromKeptText(new Table(t.columns.map((c) => (c.name === 'pct' ? numericColumn('pct2', (c as { values: Float64Array }).values) : c))), FEATURES, rows), undefined);
  // A table that was never written, names out of order, unknown names, rows out of range.
  assert.equal(csvRowsFromKeptText(table(500), FEATURES, rows), undefined);
  assert.equal(csvRowsFromKeptText(t, ['income', 'age'], rows), undefined);
  assert.equal(csvRowsFromKeptText(t, ['nope'], rows), undefined);
  assert.equal(csvRowsFromKeptText(t, FEATURES, Int32Array.of(0, 500)), undefined);
  assert.equal(csvRowsFromKeptText(t, FEATURES, Int32Array.of(-1)), undefined);
});

test('attack: quoted fields (commas, quotes, line breaks inside a category) are never copied', async () => {
  const t = new Table([
    numericColumn('x', [1, 2, 3]),
    categoricalFromStrings('s', ['a,b', 'say "hi"', 'two\nlines']),
    numericColumn('y', [4, 5, 6]),
  ]);
  await drain(keepingCsvText(t, csvByteChunks(t), NO_MIN));
  assert.equal(csvRowsFromKeptText(t, ['x', 'y'], Int32Array.of(2, 1, 0)), undefined);
  // A quoted column name is refused the same way.
  const named = new Table([numericColumn('a,b', [1, 2]), numericColumn('c', [3, 4])]);
  await drain(keepingCsvText(named, csvByteChunks(named), NO_MIN));
  assert.equal(csvRowsFromKeptText(named, ['c'], Int32Array.of(1)), undefined);
});

test('limits: too large, too few rows, an unfinished write or text that is not the table are not kept', async () => {
  const t = table(400);
  await drain(keepingCsvText(t, csvByteChunks(t), { minRows: 0, maxBytes: 1000 }));
  assert.equal(csvRowsFromKeptText(t, FEATURES, Int32Array.of(0)), undefined, 'over maxBytes');
  const small = table(50);
  await drain(keepingCsvText(small, csvByteChunks(small)));
  assert.equal(csvRowsFromKeptText(small, FEATURES, Int32Array.of(0)), undefined, 'below KEEP_MIN_ROWS');
  const stopped = table(400, 11);
  const it = keepingCsvText(stopped, csvByteChunks(stopped, { rowsPerChunk: 100 }), NO_MIN);
  await it.next();
  await it.return(undefined);
  assert.equal(csvRowsFromKeptText(stopped, FEATURES, Int32Array.of(0)), undefined, 'consumer stopped early');
  const wrong = table(400, 12);
  await drain(keepingCsvText(wrong, csvByteChunks(table(401, 12)), NO_MIN));
  assert.equal(csvRowsFromKeptText(wrong, FEATURES, Int32Array.of(0)), undefined, 'one line too many');
  const headless = table(400, 13);
  await drain(keepingCsvText(headless, csvByteChunks(headless, { header: false }), NO_MIN));
  assert.equal(csvRowsFromKeptText(headless, FEATURES, Int32Array.of(0)), undefined, 'no header line');
});

test('many chunks and a long text: line starts across chunk boundaries', async () => {
  const t = table(40000, 5); // more rows than one copied block (32768)
  await drain(keepingCsvText(t, csvByteChunks(t, { rowsPerChunk: 333 }), NO_MIN));
  const rows = permutation(40000, 8);
  const copied = csvRowsFromKeptText(t, FEATURES, rows);
  assert.ok(copied);
  assert.ok(concat(copied).equals(concat(csvByteChunks(t.select(FEATURES).take(rows)))));
});

test('attack: a large table written as one chunk does not make the kept text reserve the maximum size', async () => {
  // Before any line was counted the whole chunk was taken for one line's length, so the estimate
  // (x rows) was capped at KEEP_MAX_BYTES: 256 MiB held for a text of a few hundred kB.
  const t = table(5000);
  const whole = concat(csvByteChunks(t));
  const before = process.memoryUsage().arrayBuffers;
  await drain(keepingCsvText(t, [whole], NO_MIN));
  const grown = process.memoryUsage().arrayBuffers - before;
  assert.ok(csvRowsFromKeptText(t, FEATURES, permutation(5000)) !== undefined, 'the text was kept');
  assert.ok(grown < 16 * 1024 ** 2, `kept text holds ${(grown / 1024 ** 2).toFixed(1)} MiB for a ${(whole.length / 1024).toFixed(0)} kB text`);
});

test('rows copied in source order across windows and partitions equal the formatted rows; a row taken twice is copied in order', async () => {
  const t = table(40000, 11); // more than one partition (16384 destination rows) of the staged copy
  await drain(keepingCsvText(t, tableCsvChunks(t), NO_MIN));
  const all = permutation(40000, 12);
  for (const [names, rows, windowRows] of [
    [FEATURES, all, 7000],
    [FEATURES, all.subarray(0, 25000), 997],
    [t.columnNames, all, 33000],
    [['home', 'label'], all.subarray(100, 30100), 4096],
    [['source_row'], all, undefined],
    [FEATURES, Int32Array.from({ length: 30000 }, (_, i) => (i * 7) % 20000), undefined], // duplicates: the destination-order copy
  ] as const) {
    const copied = csvRowsFromKeptText(t, names, rows, { windowRows });
    assert.ok(copied, `kept for ${names.join(',')}`);
    assert.ok(concat(copied).equals(concat(csvByteChunks(t.select(names).take(rows)))), `${names.join(',')} window ${windowRows}`);
  }
});
