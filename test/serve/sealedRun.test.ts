// `sealed serve --run-dir RUN --keys DIR` on a sealed run (issue 16, item 5): the model and the
// preprocessor are decrypted in memory and checked against run.json's seal records, and the
// service scores exactly as on the plain run of the same data and seed. Refusals, each one
// line before listening: a sealed run without --keys, --keys on a plain run (a plain model
// planted where a sealed one is expected), sealed files given by --model/--preprocessor, and
// the attacks: a flipped byte in the model, the model swapped in from another sealed run, run.json
// pointing the model at another artifact of the run, the wrong key folder.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { serveCommand } from '../../src/cli/commands/serve.ts';
import { LocalKeyProvider, initKeyFolder } from '../../src/seal/index.ts';
import { createScoringServer } from '../../src/serve/scoringServer.ts';
import { loadRunScorer } from '../../src/serve/runScorer.ts';
import { Capture, runCli } from '../cli/helpers.ts';
import { sealed, writeRawCsv } from '../pipelines/loan-default/helpers.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';

const work = tempDir('sealed-serve-');
const keysDir = join(work, 'keys');
const otherKeys = join(work, 'other-keys');
const plainRun = join(work, 'plain');
const sealedRun = join(work, 'sealed-a');
const otherRun = join(work, 'sealed-b');

/** Raw applicant records from the run's own test split (x_test_data of the plain run). */
let records: Record<string, string | number | null>[] = [];

before(async () => {
  await initKeyFolder(keysDir);
  await initKeyFolder(otherKeys);
  const raw = writeRawCsv(work, 'applicants.csv', 300, 5);
  for (const [dir, seal] of [[plainRun, []], [sealedRun, ['--seal', '--keys', keysDir]], [otherRun, ['--seal', '--keys', keysDir]]] as const) {
    const r = await sealed(['run', ...seal, '--data-url', raw, '--threads', '1', '--run-dir', dir], work);
    assert.equal(r.code, 0, r.stderr);
  }
  const [head, ...lines] = readFileSync(join(plainRun, 'create-train-test-set', 'x_test_data.csv'), 'utf8').trim().split('\n');
  const columns = head.split(',');
  records = lines.slice(0, 40).map((line) =>
    Object.fromEntries(line.split(',').map((v, i) => [columns[i], v === '' ? null : Number.isFinite(Number(v)) ? Number(v) : v])),
  );
});

async function scores(runDir: string, keys?: string): Promise<number[]> {
  const scorer = await loadRunScorer(runDir, keys ? { keys: await LocalKeyProvider.open(keys) } : {});
  const app = createScoringServer(scorer);
  try {
    const res = await app.inject({ method: 'POST', url: '/v1/score?explain=true', payload: records });
    assert.equal(res.statusCode, 200, res.body);
    const { results } = res.json<{ results: { probability: number; reasons: unknown[] }[] }>();
    assert.equal(results.length, records.length);
    assert.ok(results.some((r) => r.reasons.length > 0), 'reasons need the trained model: it was loaded');
    return results.map((r) => r.probability);
  } finally {
    await app.close();
    scorer.dispose();
  }
}

function copyRun(from: string, name: string): string {
  const to = join(work, name);
  cpSync(from, to, { recursive: true });
  return to;
}

/** One line `sealed: ...` matching `pattern`, exit code `code`, nothing listening. */
async function refused(argv: string[], code: number, pattern: RegExp): Promise<void> {
  // Were it to start anyway, the signal stops it (and the asserts fail) instead of hanging.
  const r = await runCli(['serve', ...argv, '--port', '0'], { cwd: work, signal: AbortSignal.timeout(15_000) });
  assert.doesNotMatch(r.stderr, /listening/);
  assert.equal(r.code, code, r.stderr);
  assert.equal(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`);
  assert.match(r.stderr, pattern);
}

test('a sealed run served with --keys scores exactly as the plain run of the same data and seed (reasons included)', async () => {
  const plain = await scores(plainRun);
  assert.deepEqual(await scores(sealedRun, keysDir), plain);
});

test('sealed serve --run-dir --keys: listens and scores over HTTP', async () => {
  const stderr = new Capture();
  const stop = new AbortController();
  const io = { cwd: work, stdout: new Capture(), stderr, env: {}, cores: 1 } as unknown as Parameters<typeof serveCommand>[1];
  const running = serveCommand({ runDir: 'sealed-a', keys: 'keys', port: 0 }, io, stop.signal);
  let url: string | undefined;
  for (let i = 0; i < 800 && !url; i++) {
    url = /listening on (http:\/\/\S+) /.exec(stderr.text)?.[1];
    if (!url) await sleep(25);
  }
  assert.ok(url, stderr.text);
  try {
    const res = await fetch(`${url}/v1/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(records[0]) });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { probability: number }).probability, (await scores(plainRun))[0]);
  } finally {
    stop.abort();
    assert.equal(await running, 0);
  }
});

test('a sealed run without --keys: one line saying it is sealed and to pass --keys', async () => {
  await refused(['--run-dir', 'sealed-a'], 2, /^sealed: run sealed-a is sealed: its model and preprocessor are encrypted; pass --keys DIR/);
});

test('downgrade: --keys on a plain run is refused, so a plain model cannot pass for a sealed one', async () => {
  await refused(['--run-dir', 'plain', '--keys', 'keys'], 2, /^sealed: run plain is not sealed, but --keys was given: refused/);
  // run.json's sealed flag and seal records stripped from a sealed run: the same refusal, not a parse error of the ciphertext.
  const stripped = copyRun(sealedRun, 'stripped');
  const manifest = JSON.parse(readFileSync(join(stripped, 'run.json'), 'utf8'));
  delete manifest.sealed;
  for (const task of Object.values(manifest.tasks) as { outputs?: Record<string, { metadata?: Record<string, unknown> }> }[]) for (const o of Object.values(task.outputs ?? {})) delete o.metadata?.sealed;
  writeFileSync(join(stripped, 'run.json'), JSON.stringify(manifest));
  await refused(['--run-dir', 'stripped', '--keys', 'keys'], 2, /^sealed: run stripped is not sealed, but --keys was given/);
  await refused(['--run-dir', 'stripped'], 2, /^sealed: run stripped is sealed: .* pass --keys DIR/);
});

test('sealed files by --model/--preprocessor are refused with the --run-dir --keys hint; --keys needs --run-dir', async () => {
  await refused(['--model', 'sealed-a/train-model/model.json', '--preprocessor', 'plain/preprocess-features/preprocessor.json'], 2, /^sealed: --model sealed-a\/train-model\/model\.json is a sealed artifact: serve it with --run-dir RUN --keys DIR/);
  await refused(['--model', 'plain/train-model/model.json', '--preprocessor', 'sealed-a/preprocess-features/preprocessor.json'], 2, /^sealed: --preprocessor .* is a sealed artifact/);
  await refused(['--model', 'plain/train-model/model.json', '--preprocessor', 'plain/preprocess-features/preprocessor.json', '--keys', 'keys'], 2, /--keys is for --run-dir/);
});

test('tampering: a flipped byte in the sealed model is refused, naming it', async () => {
  const dir = copyRun(sealedRun, 'tampered');
  const path = join(dir, 'train-model', 'model.json');
  const bytes = readFileSync(path);
  bytes[bytes.length - 100] ^= 0x01;
  writeFileSync(path, bytes);
  await refused(['--run-dir', 'tampered', '--keys', 'keys'], 1, /^sealed: artifact 'model' \(run .*, task train-model\): segment \d+ failed authentication/);
});

test('swapping: the model of another sealed run is refused, with or without its seal record', async () => {
  const fileOnly = copyRun(sealedRun, 'swapped-file');
  cpSync(join(otherRun, 'train-model', 'model.json'), join(fileOnly, 'train-model', 'model.json'));
  await refused(['--run-dir', 'swapped-file', '--keys', 'keys'], 1, /sealed for runId '.*', expected '.*' \(artifact swapped or misplaced\)/);

  const withRecord = copyRun(sealedRun, 'swapped-record');
  cpSync(join(otherRun, 'train-model', 'model.json'), join(withRecord, 'train-model', 'model.json'));
  const manifest = JSON.parse(readFileSync(join(withRecord, 'run.json'), 'utf8'));
  manifest.tasks['train-model'].outputs.model = JSON.parse(readFileSync(join(otherRun, 'run.json'), 'utf8')).tasks['train-model'].outputs.model;
  writeFileSync(join(withRecord, 'run.json'), JSON.stringify(manifest));
  // The edited run.json no longer matches what run.sig.json signed: refused before any artifact is read.
  await refused(['--run-dir', 'swapped-record', '--keys', 'keys'], 1, /cannot be trusted: run\.json was changed after the run was signed/);
});

test("run.json pointing train-model's model at the compiled model of the same run is refused", async () => {
  const dir = copyRun(sealedRun, 'pointed');
  const manifest = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  manifest.tasks['train-model'].outputs.model = manifest.tasks['compile-model'].outputs.compiled_model;
  writeFileSync(join(dir, 'run.json'), JSON.stringify(manifest));
  await refused(['--run-dir', 'pointed', '--keys', 'keys'], 1, /cannot be trusted: run\.json was changed after the run was signed/);
});

test('the wrong key folder: refused, its signing key does not vouch for the run', async () => {
  await refused(['--run-dir', 'sealed-a', '--keys', 'other-keys'], 1, /cannot be trusted: run\.sig\.json does not verify with key/);
});
