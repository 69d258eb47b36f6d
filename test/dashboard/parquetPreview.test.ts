// Parquet artifacts in the dashboard: the table preview pages by row index (same CsvPage shape
// as CSV, missing values empty), `?as=csv` downloads the file as CSV, and a corrupt Parquet file
// is a 422 naming it, never a crash; a Parquet run's metrics view equals its CSV twin's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CsvPage, RunDetail } from '../../src/dashboard/api/contract.ts';
import { categoricalFromStrings, numericColumn, parseCsv, Table } from '../../src/data/index.ts';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { openParquet, writeParquetTable } from '../../src/data/parquet/index.ts';
import { parquetCsvStream, ParquetFileCache } from '../../src/dashboard/server/parquetPage.ts';
import { sealed, writeRawCsv } from '../pipelines/loan-default/helpers.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { get, loggedIn, testServer } from './helpers.ts';

const ROWS = 1234;
const table = new Table([
  numericColumn('id', Float64Array.from({ length: ROWS }, (_, i) => i)),
  categoricalFromStrings('grade', Array.from({ length: ROWS }, (_, i) => (i % 10 === 0 ? null : `g${i % 4}`))),
  numericColumn('rate', Float64Array.from({ length: ROWS }, (_, i) => (i % 7 === 0 ? NaN : i / 8))),
]);

async function parquetRun(runsDir: string, id: string, write: (path: string) => Promise<void>): Promise<void> {
  const runDir = join(runsDir, id);
  mkdirSync(join(runDir, 'load-data'), { recursive: true });
  const path = join(runDir, 'load-data', 'data.parquet');
  await write(path);
  writeFileSync(
    join(runDir, 'run.json'),
    JSON.stringify({
      id,
      pipeline: 'loan-default',
      parameters: { artifact_format: 'parquet' },
      state: 'succeeded',
      createdAt: '2026-11-29T08:00:00.000Z',
      tasks: { 'load-data': { state: 'succeeded', component: 'load-data', outputs: { data: { path: 'load-data/data.parquet', sha256: 'x', size: statSync(path).size, type: 'system.Dataset' } } } },
    }),
  );
}

test('a Parquet artifact: parquet view, preview pages by row, ?as=csv gives the CSV', async () => {
  const { app, runsDir } = await testServer();
  const client = await loggedIn(app);
  await parquetRun(runsDir, 'pq-run', (p) => writeParquetTable(table, p, { rowGroupRows: 500 }));
  const detail = (await get(app, client, '/api/runs/pq-run')).json<RunDetail>();
  const info = detail.tasks.find((t) => t.name === 'load-data')?.outputs.find((o) => o.name === 'data');
  assert.equal(info?.view, 'parquet');

  const url = '/api/runs/pq-run/artifacts/load-data/data';
  const first = (await get(app, client, `${url}/preview`)).json<CsvPage>();
  assert.deepEqual(first.columns, ['id', 'grade', 'rate']);
  assert.equal(first.totalRows, ROWS);
  assert.equal(first.rows.length, 100);
  assert.deepEqual(first.rows[0], ['0', '', '']);
  assert.deepEqual(first.rows[1], ['1', 'g1', '0.125']);
  // A page across a row-group boundary, then the last page.
  const across = (await get(app, client, `${url}/preview?cursor=498&limit=4`)).json<CsvPage>();
  assert.deepEqual(across.rows.map((r) => r[0]), ['498', '499', '500', '501']);
  assert.equal(across.nextCursor, 502);
  const last = (await get(app, client, `${url}/preview?cursor=1230&limit=100`)).json<CsvPage>();
  assert.equal(last.rows.length, 4);
  assert.equal(last.nextCursor, undefined);
  assert.equal((await get(app, client, `${url}/preview?cursor=99999`)).statusCode, 400);

  const csv = await get(app, client, `${url}?as=csv`);
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /^text\/csv/);
  assert.match(String(csv.headers['content-disposition']), /filename="data\.csv"/);
  const back = parseCsv(csv.body);
  assert.deepEqual(back.columnNames, ['id', 'grade', 'rate']);
  assert.equal(back.numRows, ROWS);
  for (let i = 0; i < ROWS; i++) {
    assert.equal(back.numeric('id').values[i], i);
    assert.ok(Object.is(back.numeric('rate').values[i], table.numeric('rate').values[i]) || (Number.isNaN(back.numeric('rate').values[i]) && i % 7 === 0));
  }
  // The stored file, as it is.
  const raw = await get(app, client, url);
  assert.equal(raw.rawPayload.subarray(0, 4).toString('latin1'), 'PAR1');
  assert.equal((await get(app, client, `${url}?as=xlsx`)).statusCode, 400);
});

test('a corrupt Parquet artifact: preview and ?as=csv answer 422 naming the file', async () => {
  const { app, runsDir } = await testServer();
  const client = await loggedIn(app);
  await parquetRun(runsDir, 'bad-run', async (p) => writeFileSync(p, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 7), Buffer.from('PAR1')])));
  for (const path of ['/preview', '?as=csv']) {
    const res = await get(app, client, `/api/runs/bad-run/artifacts/load-data/data${path}`);
    assert.equal(res.statusCode, 422, path);
    assert.match(res.json<{ error: string }>().error, /data\.parquet.*(corrupt|Parquet)/);
  }
});

test('the metrics view of a Parquet run: the same AUC, ROC, report and confusion buckets as the CSV run', async () => {
  const { app, runsDir } = await testServer();
  const client = await loggedIn(app);
  const cwd = tempDir();
  const raw = writeRawCsv(cwd, 'applicants.csv', 400, 3);
  for (const format of ['csv', 'parquet']) {
    const made = await sealed(['run', '--data-url', raw, '--run-dir', join(runsDir, format), '--threads', '1', '--artifact-format', format], cwd);
    assert.equal(made.code, 0, made.stderr);
  }
  const csv = await get(app, client, '/api/runs/csv/metrics');
  const pq = await get(app, client, '/api/runs/parquet/metrics');
  assert.equal(pq.statusCode, 200, pq.body);
  assert.deepEqual(pq.json(), csv.json());
  const preview = (await get(app, client, '/api/runs/parquet/artifacts/batch-inference/prediction_data/preview?limit=5')).json<CsvPage>();
  const csvPreview = (await get(app, client, '/api/runs/csv/artifacts/batch-inference/prediction_data/preview?limit=5')).json<CsvPage>();
  assert.deepEqual(preview.rows, csvPreview.rows, 'the Parquet preview shows what the CSV holds');
  assert.equal(preview.totalRows, csvPreview.totalRows);
});

test('attack: Parquet decompression bomb through ?as=csv and the preview: a 422 naming the file, the server still up', async () => {
  const { app, runsDir } = await testServer();
  const client = await loggedIn(app);
  // 2M rows x 17 constant columns from ~8 KB (RLE pages): 34M cells, past the dashboard's 32M.
  const data = new Float64Array(2_000_000).fill(1.5);
  const columnData = Array.from({ length: 17 }, (_, j) => ({ name: `c${j}`, data, type: 'DOUBLE' as const }));
  await parquetRun(runsDir, 'bomb-run', async (p) => writeFileSync(p, new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: data.length, statistics: false }))));
  const url = '/api/runs/bomb-run/artifacts/load-data/data';
  const csv = await get(app, client, `${url}?as=csv`);
  assert.equal(csv.statusCode, 422);
  assert.match(csv.json<{ error: string }>().error, /data\.parquet.*2000000 rows x 17 columns is more than/);
  // A page decodes only its rows.
  const page = await get(app, client, `${url}/preview?cursor=5&limit=2`);
  assert.equal(page.statusCode, 200);
  assert.equal(page.json<CsvPage>().totalRows, 2_000_000);
});

test('attack: ?as=csv streams a group at a time and stops at its output limit; opened files are cached per version', async () => {
  const dir = tempDir('sealed-pq-stream-');
  const path = join(dir, 'groups.parquet');
  await writeParquetTable(table, path, { rowGroupRows: 100 });
  const pf = await openParquet(path);
  const pieces: Buffer[] = [];
  for await (const b of parquetCsvStream(pf, () => new Error('too large'))) pieces.push(b);
  assert.ok(pieces.length >= 13, 'one piece or more per row group');
  assert.equal(parseCsv(Buffer.concat(pieces).toString('utf8')).numRows, ROWS);
  await assert.rejects(async () => {
    for await (const b of parquetCsvStream(pf, (limit) => new Error(`more than ${limit} bytes`), 1000)) void b;
  }, /more than 1000 bytes/);
  // The cache: one open per version, a new version reopens, a failed open is not kept.
  const cache = new ParquetFileCache(10 * 1024 ** 2);
  let opens = 0;
  const open = async () => {
    opens++;
    return pf;
  };
  const v1 = { mtimeMs: 1, size: 2 };
  assert.equal(await cache.get('k', v1, open), pf);
  assert.equal(await cache.get('k', v1, open), pf);
  assert.equal(opens, 1);
  await cache.get('k', { mtimeMs: 2, size: 2 }, open);
  assert.equal(opens, 2);
  await assert.rejects(cache.get('bad', v1, () => Promise.reject(new Error('corrupt'))));
  assert.equal(await cache.get('bad', v1, open), pf);
  // A file larger than the budget is served, not kept.
  const small = new ParquetFileCache(10);
  await small.get('k', v1, open);
  await small.get('k', v1, open);
  assert.equal(opens, 5);
});
