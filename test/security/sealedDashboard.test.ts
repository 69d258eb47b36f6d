// The dashboard on sealed runs (issue 16, item 5), through its API (fastify inject): with the key
// folder it shows a sealed run exactly as the plain run of the same data and seed (CSV pages,
// JSON, metrics, decrypted download); without keys it lists the run as sealed and locked, answers
// artifact views with 409 saying how to open them, and still shows what run.json keeps plain.
// The attacks: the wrong key folder, a flipped byte, artifacts swapped between two sealed runs,
// a seal record removed or pointed at another artifact; each is a 422 naming the artifact, and no
// answer carries plaintext. A run started from a dashboard with keys is sealed, and its process
// gets the key folder by IPC only. The runs are real loan-default runs of 300 applicants.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { CsvPage, PipelineInfo, RunDetail, RunMetrics, RunSummary } from '../../src/dashboard/api/contract.ts';
import { compilePipeline, runPipeline } from '../../src/pipeline/index.ts';
import { LocalKeyProvider, SealingCodec, initKeyFolder, signRun } from '../../src/seal/index.ts';
import { CHILD_CATALOGS, tableCatalog } from '../dashboard/childCatalogs.ts';
import { get, loggedIn, post, testServer, type Client } from '../dashboard/helpers.ts';
import { sealed, writeRawCsv } from '../pipelines/loan-default/helpers.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';

const work = tempDir('sealed-dashboard-');
const runsDir = join(work, 'runs');
const keysDir = join(work, 'keys');
const otherKeysDir = join(work, 'other-keys');
const MAGIC = Buffer.from('SEALED');

interface Server {
  app: FastifyInstance;
  client: Client;
  errors: unknown[];
}
let withKeys: Server;
let noKeys: Server;
let wrongKeys: Server;
/** Plaintext the sealed runs hold: a data row of the test split and the CSV header; no answer to an attack may carry them. */
let secretRow = '';
const CSV_COLUMNS = 'person_age';

async function server(keys?: string, extra: Record<string, unknown> = {}): Promise<Server> {
  const s = await testServer({ runsDir, ...(keys ? { keys: { provider: await LocalKeyProvider.open(keys), dir: keys } } : {}), ...extra });
  return { app: s.app, client: await loggedIn(s.app), errors: s.errors };
}

const at = (run: string, task: string, output: string, rest = ''): string => `/api/runs/${run}/artifacts/${task}/${output}${rest}`;
const X_TEST = ['create-train-test-set', 'x_test_data'] as const;
const TABLE = ['write-table', 'table'] as const;
const TABLE_FILE = 'write-table/table.csv';
const PREDICTIONS = ['batch-inference', 'prediction_data'] as const;

/** Copies run `from` to a new run folder `to` (same run.json id: the copy is that run, moved). */
function copyRun(from: string, to: string): string {
  cpSync(join(runsDir, from), join(runsDir, to), { recursive: true });
  return join(runsDir, to);
}

function editRunJson(dir: string, edit: (m: { tasks: Record<string, { outputs: Record<string, { path: string; metadata?: Record<string, unknown> }> }> }) => void): void {
  const manifest = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  edit(manifest);
  writeFileSync(join(dir, 'run.json'), JSON.stringify(manifest));
}

function flipByte(path: string, fromEnd: number): void {
  const bytes = readFileSync(path);
  bytes[bytes.length - fromEnd] ^= 0x01;
  writeFileSync(path, bytes);
}

/** No plaintext in an answer: neither a CSV header nor a data row of the sealed runs. */
function assertNoPlaintext(res: LightMyRequestResponse, what: string): void {
  for (const text of [CSV_COLUMNS, secretRow, 'secret_value', 'applicant-0-income']) assert.ok(!res.body.includes(text), `${what}: the answer holds '${text}'`);
}

function assertRefused(res: LightMyRequestResponse, status: number, pattern: RegExp, what: string): void {
  assert.equal(res.statusCode, status, `${what}: ${res.body}`);
  assert.match(res.json<{ error: string }>().error, pattern, what);
  assertNoPlaintext(res, what);
}

before(async () => {
  await initKeyFolder(keysDir);
  await initKeyFolder(otherKeysDir);
  const raw = writeRawCsv(work, 'applicants.csv', 300, 3);
  const run = async (dir: string, seal: string[]): Promise<void> => {
    const r = await sealed(['run', ...seal, '--data-url', raw, '--threads', '1', '--run-dir', join(runsDir, dir)], work);
    assert.equal(r.code, 0, r.stderr);
  };
  await run('plain', []);
  await run('sealed-a', ['--seal', '--keys', keysDir]);
  await run('sealed-b', ['--seal', '--keys', keysDir]);
  // A table of ten 64 KiB segments: a first page that decrypts on its own while a later segment is altered.
  const { pipeline, registry } = await tableCatalog();
  const spec = compilePipeline(pipeline);
  const provider = await LocalKeyProvider.open(keysDir);
  for (const [id, seal] of [['table-plain', false], ['table-sealed', true]] as const) {
    const m = await runPipeline(spec, registry, { runDir: join(runsDir, id), runId: id, parameters: { rows: 20_000 }, ...(seal ? { codecFor: (runId: string) => new SealingCodec(provider, { runId }), afterRun: (_m, store) => signRun(store, provider.signer(), { kek: { provider: provider.name, keyId: provider.keyId }, sealed: true }).then(() => undefined) } : {}) });
    assert.equal(m.state, 'succeeded', m.error);
  }
  assert.ok(statSync(join(runsDir, 'table-sealed', TABLE_FILE)).size > 8 * 65536);
  secretRow = readFileSync(join(runsDir, 'plain', 'create-train-test-set', 'x_test_data.csv'), 'utf8').split('\n')[3];
  assert.ok(secretRow.length > 10);
  withKeys = await server(keysDir);
  noKeys = await server();
  wrongKeys = await server(otherKeysDir);
});

test('with --keys a sealed run shows what the plain run of the same data and seed shows: CSV pages byte for byte, JSON, metrics, download', async () => {
  const { app, client } = withKeys;
  for (const [task, output] of [X_TEST, PREDICTIONS, ['batch-inference', 'report']] as const) {
    for (const cursor of [0, undefined]) {
      // Page one, then the page at the first page's nextCursor.
      const first = (await get(app, client, at('plain', task, output, '/preview?limit=7'))).json<CsvPage>();
      const query = cursor === 0 ? '/preview?limit=7' : `/preview?limit=7&cursor=${first.nextCursor ?? 0}`;
      const plain = await get(app, client, at('plain', task, output, query));
      const sealedPage = await get(app, client, at('sealed-a', task, output, query));
      assert.equal(sealedPage.statusCode, 200, sealedPage.body);
      assert.equal(sealedPage.body, plain.body, `${task}/${output} ${query}`);
    }
  }
  // Pages of a ten-segment table, up to its last: cursors are byte offsets after the header, at line starts.
  const tableText = readFileSync(join(runsDir, 'table-plain', TABLE_FILE), 'utf8');
  const header = tableText.indexOf('\n') + 1;
  const lineStart = (row: number): number => tableText.split('\n').slice(0, row + 1).join('\n').length + 1 - header;
  for (const cursor of [0, lineStart(1), lineStart(9_000), lineStart(19_990)]) {
    const query = `/preview?limit=500&cursor=${cursor}`;
    const plainPage = await get(app, client, at('table-plain', ...TABLE, query));
    const sealedPage = await get(app, client, at('table-sealed', ...TABLE, query));
    assert.equal(plainPage.statusCode, 200, plainPage.body);
    assert.equal(sealedPage.body, plainPage.body, query);
    assert.equal(sealedPage.json<CsvPage>().totalRows, 20_000);
  }
  assert.deepEqual((await get(app, client, at('table-sealed', ...TABLE, `/preview?limit=2&cursor=${lineStart(19_990)}`))).json<CsvPage>().rows, [
    ['19990', 'applicant-19990-income-20990'],
    ['19991', 'applicant-19991-income-20991'],
  ]);

  const json = await get(app, client, at('sealed-a', 'plot-roc-curve', 'roc_curve', '/json'));
  assert.equal(json.statusCode, 200, json.body);
  assert.equal(json.body, (await get(app, client, at('plain', 'plot-roc-curve', 'roc_curve', '/json'))).body);

  const metrics = await get(app, client, '/api/runs/sealed-a/metrics');
  assert.equal(metrics.statusCode, 200, metrics.body);
  const plainMetrics = (await get(app, client, '/api/runs/plain/metrics')).json<RunMetrics>();
  assert.ok(plainMetrics.confusion && plainMetrics.report.length > 0);
  assert.deepEqual(metrics.json<RunMetrics>(), plainMetrics);

  // ?plain=1: the plaintext, equal to the plain run's file; without it, the envelope as stored.
  const plainFile = readFileSync(join(runsDir, 'plain', 'create-train-test-set', 'x_test_data.csv'));
  const decrypted = await get(app, client, at('sealed-a', ...X_TEST, '?plain=1'));
  assert.equal(decrypted.statusCode, 200);
  assert.ok(decrypted.rawPayload.equals(plainFile));
  assert.equal(decrypted.headers['content-length'], String(plainFile.length));
  assert.match(String(decrypted.headers['content-disposition']), /filename="x_test_data\.csv"/);
  const stored = await get(app, client, at('sealed-a', ...X_TEST));
  assert.equal(stored.statusCode, 200);
  assert.ok(stored.rawPayload.equals(readFileSync(join(runsDir, 'sealed-a', 'create-train-test-set', 'x_test_data.csv'))));
  assert.ok(stored.rawPayload.subarray(0, MAGIC.length).equals(MAGIC));
  assert.match(String(stored.headers['content-disposition']), /filename="x_test_data\.csv\.sealed"/);
  assert.equal(stored.headers['content-type'], 'application/octet-stream');

  const runs = (await get(app, client, '/api/runs')).json<{ runs: RunSummary[] }>().runs;
  const a = runs.find((r) => r.id === 'sealed-a')!;
  assert.equal(a.sealed, true);
  assert.equal(a.locked, undefined);
  assert.equal(runs.find((r) => r.id === 'plain')!.sealed, false);
  const detail = (await get(app, client, '/api/runs/sealed-a')).json<RunDetail>();
  assert.ok(detail.tasks.every((t) => t.outputs.every((o) => o.sealed === true)));
});

test('large decrypted download: checked whole first, then streamed; equal to the plain file', async () => {
  const small = await server(keysDir, { downloadBufferBytes: 1024 });
  const res = await get(small.app, small.client, at('sealed-a', ...X_TEST, '?plain=1'));
  assert.equal(res.statusCode, 200, res.body);
  assert.ok(res.rawPayload.equals(readFileSync(join(runsDir, 'plain', 'create-train-test-set', 'x_test_data.csv'))));
  const dir = copyRun('sealed-a', 'tampered-stream');
  flipByte(join(dir, 'create-train-test-set', 'x_test_data.csv'), 40);
  assertRefused(await get(small.app, small.client, at('tampered-stream', ...X_TEST, '?plain=1')), 422, /x_test_data\.csv.*segment \d+ failed authentication/, 'streamed download of a tampered artifact');
});

test('no keys: the run is listed as sealed and locked; its views are 409 saying to start with --keys; run.json metrics still show', async () => {
  const { app, client } = noKeys;
  const runs = (await get(app, client, '/api/runs')).json<{ runs: RunSummary[] }>().runs;
  const a = runs.find((r) => r.id === 'sealed-a')!;
  assert.equal(a.sealed, true);
  assert.equal(a.locked, true);
  const plainSummary = runs.find((r) => r.id === 'plain')!;
  assert.deepEqual([a.auc, a.accuracy], [plainSummary.auc, plainSummary.accuracy]);
  assert.equal((await get(app, client, '/api/runs/sealed-a')).json<RunDetail>().summary.locked, true);

  const hint = /^run 'sealed-a' is sealed: start the dashboard with --keys DIR/;
  assertRefused(await get(app, client, at('sealed-a', ...X_TEST, '/preview')), 409, hint, 'CSV preview');
  assertRefused(await get(app, client, at('sealed-a', 'plot-roc-curve', 'roc_curve', '/json')), 409, hint, 'JSON view');
  assertRefused(await get(app, client, at('sealed-a', ...X_TEST, '?plain=1')), 409, hint, 'decrypted download');
  // The stored file is ciphertext: offered as what it is.
  const stored = await get(app, client, at('sealed-a', ...X_TEST));
  assert.equal(stored.statusCode, 200);
  assert.ok(stored.rawPayload.subarray(0, MAGIC.length).equals(MAGIC));
  assertNoPlaintext(stored, 'stored download');

  const metrics = await get(app, client, '/api/runs/sealed-a/metrics');
  assert.equal(metrics.statusCode, 200, metrics.body);
  const m = metrics.json<RunMetrics>();
  const plain = (await get(withKeys.app, withKeys.client, '/api/runs/plain/metrics')).json<RunMetrics>();
  assert.deepEqual([m.auc, m.accuracy, m.roc], [plain.auc, plain.accuracy, plain.roc]);
  assert.deepEqual(m.report, []);
  assert.equal(m.confusion, undefined);
  assert.match(m.sealedNotice ?? '', hint);
  assert.equal((await get(app, client, '/api/pipeline')).json<PipelineInfo>().sealed, false);
  // A plain run is unaffected.
  assert.equal((await get(app, client, at('plain', ...X_TEST, '/preview'))).statusCode, 200);
});

test('wrong key folder: 422 naming the artifact, no plaintext', async () => {
  const { app, client } = wrongKeys;
  // The other folder's signing key does not vouch for the run: refused before any data key is tried.
  const cannot = /'create-train-test-set\/x_test_data\.csv' of run 'sealed-a'.*run\.sig\.json does not verify with key/;
  assertRefused(await get(app, client, at('sealed-a', ...X_TEST, '/preview')), 422, cannot, 'preview');
  assertRefused(await get(app, client, at('sealed-a', ...X_TEST, '?plain=1')), 422, cannot, 'download');
  assertRefused(await get(app, client, '/api/runs/sealed-a/metrics'), 422, /of run 'sealed-a'.*does not verify/, 'metrics');
});

test('tampering: a byte flipped near the end of a sealed CSV refuses even its first page, the download and the metrics', async () => {
  const dir = copyRun('sealed-a', 'tampered');
  flipByte(join(dir, 'create-train-test-set', 'x_test_data.csv'), 40);
  flipByte(join(dir, 'batch-inference', 'prediction_data.csv'), 40);
  const { app, client } = withKeys;
  const failed = (file: string, run = 'tampered'): RegExp => new RegExp(`'${file}' of run '${run}': .*segment \\d+ failed authentication`);
  assertRefused(await get(app, client, at('tampered', ...X_TEST, '/preview?limit=5')), 422, failed('create-train-test-set/x_test_data.csv'), 'first page');
  // Ten segments, the last one altered: page one decrypts fine on its own, and must still wait for the whole artifact's check.
  const table = copyRun('table-sealed', 'table-tampered');
  flipByte(join(table, TABLE_FILE), 40);
  assertRefused(await get(app, client, at('table-tampered', ...TABLE, '/preview?limit=5')), 422, failed(TABLE_FILE, 'table-tampered'), 'first page of ten segments');
  assertRefused(await get(app, client, at('tampered', ...X_TEST, '?plain=1')), 422, failed('create-train-test-set/x_test_data.csv'), 'download');
  assertRefused(await get(app, client, '/api/runs/tampered/metrics'), 422, failed('batch-inference/prediction_data.csv'), 'metrics');
  // Untouched artifacts of the same run still open.
  assert.equal((await get(app, client, at('tampered', 'create-train-test-set', 'y_test_data', '/preview'))).statusCode, 200);
});

test('tampering: the file rewritten in place after a good read is checked again (the cache is per file version)', async () => {
  const dir = copyRun('table-sealed', 'rewritten');
  const path = join(dir, TABLE_FILE);
  // A whole second, so that putting it back below restores mtime exactly.
  const when = new Date('2026-01-02T03:04:05Z');
  utimesSync(path, when, when);
  const { app, client } = withKeys;
  assert.equal((await get(app, client, at('rewritten', ...TABLE, '/preview'))).statusCode, 200);
  flipByte(path, 40);
  // Same size, mtime put back: only ctime (which utimes cannot set) tells the versions apart.
  utimesSync(path, when, when);
  assert.equal(statSync(path).mtimeMs, when.getTime());
  
  assertRefused(await get(app, client, at('rewritten', ...TABLE, '/preview')), 422, /failed authentication/, 'rewritten file');
});

test('swapping: an artifact from another sealed run is refused, with or without its seal record', async () => {
  const { app, client } = withKeys;
  const fileOnly = copyRun('sealed-a', 'swapped-file');
  cpSync(join(runsDir, 'sealed-b', 'create-train-test-set', 'x_test_data.csv'), join(fileOnly, 'create-train-test-set', 'x_test_data.csv'));
  assertRefused(await get(app, client, at('swapped-file', ...X_TEST, '/preview')), 422, /sealed for runId '.*', expected '.*' \(artifact swapped or misplaced\)/, 'file swapped');

  const withRecord = copyRun('sealed-a', 'swapped-record');
  cpSync(join(runsDir, 'sealed-b', 'create-train-test-set', 'x_test_data.csv'), join(withRecord, 'create-train-test-set', 'x_test_data.csv'));
  const other = JSON.parse(readFileSync(join(runsDir, 'sealed-b', 'run.json'), 'utf8'));
  editRunJson(withRecord, (m) => {
    m.tasks['create-train-test-set'].outputs.x_test_data = other.tasks['create-train-test-set'].outputs.x_test_data;
  });
  // run.json edited: no longer what run.sig.json signed, refused before the artifact is opened.
  assertRefused(await get(app, client, at('swapped-record', ...X_TEST, '/preview')), 422, /run\.json (was )?changed after (the run|it) was signed/, 'file and record swapped');
});

test('run.json edits: a removed seal record, or an output pointed at another artifact of the same run, are refused', async () => {
  const { app, client } = withKeys;
  const stripped = copyRun('sealed-a', 'no-record');
  editRunJson(stripped, (m) => {
    delete m.tasks['create-train-test-set'].outputs.x_test_data.metadata!.sealed;
  });
  assertRefused(await get(app, client, at('no-record', ...X_TEST, '/preview')), 422, /run\.json (was )?changed after (the run|it) was signed/, 'record removed');

  const pointed = copyRun('sealed-a', 'pointed');
  editRunJson(pointed, (m) => {
    const outputs = m.tasks['create-train-test-set'].outputs;
    outputs.x_test_data = outputs.x_train_data;
  });
  assertRefused(await get(app, client, at('pointed', ...X_TEST, '/preview')), 422, /run\.json (was )?changed after (the run|it) was signed/, 'output pointed elsewhere');
});

test('a run started from a dashboard with keys is sealed; its process gets the key folder by IPC, not by argv or the environment', async () => {
  const s = await testServer({ keys: { provider: await LocalKeyProvider.open(keysDir), dir: keysDir }, childCatalog: { module: CHILD_CATALOGS, export: 'tableCatalog' }, pipeline: await (await import('../dashboard/childCatalogs.ts')).tableCatalog() });
  const client = await loggedIn(s.app);
  assert.equal((await get(s.app, client, '/api/pipeline')).json<PipelineInfo>().sealed, true);
  const started = await post(s.app, client, '/api/runs', { parameters: { rows: 20, probe: keysDir } });
  assert.equal(started.statusCode, 202, started.body);
  const { id } = started.json<{ id: string }>();
  let detail: RunDetail | undefined;
  for (let i = 0; i < 2400; i++) {
    detail = (await get(s.app, client, `/api/runs/${id}`)).json<RunDetail>();
    if (detail.summary.state !== 'running') break;
    await sleep(50);
  }
  assert.equal(detail?.summary.state, 'succeeded', JSON.stringify(detail?.tasks[0]));
  assert.equal(detail.summary.sealed, true);
  // The run signs itself right after its last run.json write; until then its artifacts stay locked (422).
  for (let i = 0; i < 200 && !existsSync(join(s.runsDir, id, 'run.sig.json')); i++) await sleep(50);
  const manifest = JSON.parse(readFileSync(join(s.runsDir, id, 'run.json'), 'utf8'));
  assert.equal(manifest.sealed, true);
  const stored = readFileSync(join(s.runsDir, id, manifest.tasks['write-table'].outputs.table.path));
  assert.ok(stored.subarray(0, MAGIC.length).equals(MAGIC), 'the artifact on disk is sealed');
  assert.ok(!stored.includes('applicant-3-income'), 'no plaintext on disk');
  const page = await get(s.app, client, `/api/runs/${id}/artifacts/write-table/table/preview?limit=3`);
  assert.equal(page.statusCode, 200, page.body);
  assert.deepEqual(page.json<CsvPage>().rows[1], ['1', 'applicant-1-income-1001']);
  const log = (await get(s.app, client, `/api/runs/${id}/tasks/write-table/log`)).body;
  assert.match(log, /probe in argv: false, in env: false/);
});

test('nothing decrypted is written: no file under the runs folder but the plain run holds the sealed runs plaintext', () => {
  const offenders: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (path !== join(runsDir, 'plain') && path !== join(runsDir, 'table-plain')) walk(path);
      } else if (readFileSync(path).includes(secretRow) || readFileSync(path).includes('applicant-7-income')) offenders.push(path);
    }
  };
  walk(runsDir);
  assert.deepEqual(offenders, []);
  assert.deepEqual([...withKeys.errors, ...noKeys.errors, ...wrongKeys.errors], [], 'no request ended in a 500');
});
