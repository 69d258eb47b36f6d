// CSV preview by byte cursor on a generated 250,000-row file (quoted commas, escaped quotes,
// line breaks inside quotes, CRLF and blank lines): pages chain by nextCursor, a cursor deep in
// the file reads only its own page's bytes (counted through the ByteSource), the row count is
// one pass and cached per file version, and bad cursors or limits are 400s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, copyFileSync, mkdirSync, openSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { CsvPage } from '../../src/dashboard/api/contract.ts';
import { fileByteSource, type ByteSource } from '../../src/dashboard/server/byteSource.ts';
import { readCsvHeader, readCsvPage } from '../../src/dashboard/server/csvPage.ts';
import { countCsvRows } from '../../src/dashboard/server/csvRowCount.ts';
import { FileCache } from '../../src/dashboard/server/fileCache.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { get, loggedIn, testServer } from './helpers.ts';

const ROWS = 250_000;

/** The fields row `i` is written with, and how they read back. */
function rowFields(i: number): string[] {
  if (i % 1000 === 7) return [String(i), `multi\nline ${i}`, 'say "hi"'];
  if (i % 97 === 3) return [String(i), `name ${i}`, `comma, inside ${i}`];
  return [String(i), `name ${i}`, `${i * 0.5}`];
}

function rowText(i: number): string {
  const [id, name, note] = rowFields(i);
  const quote = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  // Every 5000th row ends in CRLF; a blank line follows row 100.
  return `${id},${quote(name)},${quote(note)}${i % 5000 === 0 ? '\r\n' : '\n'}${i === 100 ? '\n' : ''}`;
}

/** Writes the file; returns its path and the cursor of every 10,000th row. */
function writeBigCsv(dir: string): { path: string; cursors: Map<number, number>; header: number } {
  const path = join(dir, 'big.csv');
  const fd = openSync(path, 'w');
  const header = 'id,name,note\n';
  writeSync(fd, header);
  const cursors = new Map<number, number>();
  let offset = 0;
  let chunk = '';
  for (let i = 0; i < ROWS; i++) {
    if (i % 10_000 === 0) cursors.set(i, offset);
    const text = rowText(i);
    chunk += text;
    offset += Buffer.byteLength(text);
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
  return { path, cursors, header: header.length };
}

const dir = tempDir();
const big = writeBigCsv(dir);

/** A ByteSource that counts the bytes it hands out. */
async function countingSource(path: string): Promise<{ source: ByteSource; read: () => number; close: () => Promise<void> }> {
  const handle = await open(path, 'r');
  const inner = fileByteSource(handle, (await handle.stat()).size);
  let bytes = 0;
  const source: ByteSource = {
    size: inner.size,
    read: async (buffer, position) => {
      const n = await inner.read(buffer, position);
      bytes += n;
      return n;
    },
  };
  return { source, read: () => bytes, close: () => handle.close() };
}

test('pages chain by nextCursor from the first row; quoted commas, quotes and line breaks read back whole', async () => {
  const { source, close } = await countingSource(big.path);
  try {
    const header = await readCsvHeader(source);
    assert.deepEqual(header, { columns: ['id', 'name', 'note'], dataStart: big.header });
    let cursor = 0;
    let next = 0;
    for (let page = 0; page < 5; page++) {
      const result = await readCsvPage(source, header, cursor, 500);
      assert.equal(result.cursor, cursor);
      assert.equal(result.rows.length, 500);
      result.rows.forEach((row, k) => assert.deepEqual(row, rowFields(next + k), `row ${next + k}`));
      next += 500;
      assert.ok(result.nextCursor !== undefined && result.nextCursor > cursor);
      cursor = result.nextCursor;
    }
  } finally {
    await close();
  }
});

test('a cursor deep in the file reads only the bytes of its page, not the file', async () => {
  const { source, read, close } = await countingSource(big.path);
  try {
    const header = await readCsvHeader(source);
    const before = read();
    assert.ok(before <= 64 * 1024, `header read ${before} bytes`);
    const page = await readCsvPage(source, header, big.cursors.get(200_000)!, 100);
    const spent = read() - before;
    assert.equal(page.rows.length, 100);
    assert.deepEqual(page.rows[0], rowFields(200_000));
    assert.deepEqual(page.rows[99], rowFields(200_099));
    assert.ok(spent <= 64 * 1024 + 1, `page read ${spent} bytes of ${source.size}`);
    assert.ok(source.size > 5_000_000, 'the file is large enough for that to matter');

    const last = await readCsvPage(source, header, big.cursors.get(240_000)!, 500);
    assert.deepEqual(last.rows[0], rowFields(240_000));
    let cursor = last.nextCursor;
    let rows = last.rows.length;
    while (cursor !== undefined) {
      const p = await readCsvPage(source, header, cursor, 500);
      rows += p.rows.length;
      cursor = p.nextCursor;
      if (cursor === undefined) assert.deepEqual(p.rows.at(-1), rowFields(ROWS - 1));
    }
    assert.equal(rows, 10_000, 'the last pages end at the last row, with no nextCursor');
  } finally {
    await close();
  }
});

test('the row count is one pass over the file: 250,000 rows, though it has more lines', async () => {
  const { source, read, close } = await countingSource(big.path);
  try {
    assert.equal(await countCsvRows(source, big.header), ROWS);
    assert.equal(read(), source.size - big.header);
  } finally {
    await close();
  }
  const cache = new FileCache<number>();
  let computed = 0;
  const count = async (): Promise<number> => ++computed;
  const stamp = statSync(big.path);
  await cache.get(big.path, stamp, count);
  await cache.get(big.path, stamp, count);
  assert.equal(computed, 1, 'cached for the same file version');
  await cache.get(big.path, { mtimeMs: stamp.mtimeMs + 1000, size: stamp.size }, count);
  assert.equal(computed, 2, 'counted again once the file changed');
});

test('a cursor inside a row or past the end is refused', async () => {
  const { source, close } = await countingSource(big.path);
  try {
    const header = await readCsvHeader(source);
    await assert.rejects(readCsvPage(source, header, big.cursors.get(10_000)! + 2, 10), { message: 'cursor ' + (big.cursors.get(10_000)! + 2) + ' is not the start of a row; use 0 or the nextCursor of an earlier page' });
    await assert.rejects(readCsvPage(source, header, source.size, 10), /is not the start of a row/);
    const end = await readCsvPage(source, header, source.size - big.header, 10);
    assert.deepEqual(end.rows, []);
    assert.equal(end.nextCursor, undefined);
  } finally {
    await close();
  }
});

test('through the API: preview pages with totalRows, limits capped at 500, bad query values 400', async () => {
  const { app, runsDir } = await testServer();
  const client = await loggedIn(app);
  const runDir = join(runsDir, 'big-run');
  mkdirSync(join(runDir, 'load-data'), { recursive: true });
  copyFileSync(big.path, join(runDir, 'load-data', 'data.csv'));
  const size = statSync(join(runDir, 'load-data', 'data.csv')).size;
  writeFileSync(
    join(runDir, 'run.json'),
    JSON.stringify({
      id: 'big-run',
      pipeline: 'loan-default',
      parameters: {},
      state: 'succeeded',
      createdAt: '2026-11-29T08:00:00.000Z',
      tasks: { 'load-data': { state: 'succeeded', component: 'load-data', outputs: { data: { path: 'load-data/data.csv', sha256: 'x', size, type: 'system.Dataset' } } } },
    }),
  );
  const url = '/api/runs/big-run/artifacts/load-data/data/preview';
  const first = await get(app, client, url);
  assert.equal(first.statusCode, 200);
  const page = first.json<CsvPage>();
  assert.deepEqual(page.columns, ['id', 'name', 'note']);
  assert.equal(page.rows.length, 100, 'default page size');
  assert.equal(page.totalRows, ROWS);
  assert.equal(page.cursor, 0);
  const deep = (await get(app, client, `${url}?cursor=${big.cursors.get(120_000)}&limit=3`)).json<CsvPage>();
  assert.deepEqual(deep.rows, [rowFields(120_000), rowFields(120_001), rowFields(120_002)]);
  assert.equal(deep.totalRows, ROWS);
  const following = (await get(app, client, `${url}?cursor=${deep.nextCursor}&limit=1`)).json<CsvPage>();
  assert.deepEqual(following.rows, [rowFields(120_003)]);
  assert.equal((await get(app, client, `${url}?limit=100000`)).json<CsvPage>().rows.length, 500);
  for (const query of ['cursor=-1', 'cursor=abc', 'cursor=1.5', 'limit=0', 'limit=', `cursor=${big.cursors.get(10_000)! + 1}`, `cursor=${size * 2}`]) {
    const res = await get(app, client, `${url}?${query}`);
    assert.equal(res.statusCode, 400, query);
    assert.ok(typeof res.json().error === 'string');
  }
  // The file changed (same size, new mtime): counted again.
  utimesSync(join(runDir, 'load-data', 'data.csv'), new Date(), new Date(Date.now() + 5000));
  assert.equal((await get(app, client, url)).json<CsvPage>().totalRows, ROWS);
});
