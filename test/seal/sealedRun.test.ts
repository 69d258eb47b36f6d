// Sealed runs end to end on the local store (issue 16): `sealed run --seal --keys DIR` gives the
// same results as a plain run, the run folder holds no plaintext of the input, every read checks
// the seal record, and the shared tamper table is refused by every reader (the pipeline's own
// steps, `sealed unseal`) with a one-line error naming the artifact and nothing decrypted written.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAllBytes, sha256 } from '../../src/core/index.ts';
import { loanDefaultCatalog } from '../../src/cli/pipelineCatalog.ts';
import { compilePipeline, runPipeline, silentReporter, storedArtifactSource, type OutputRecord, type RunManifest } from '../../src/pipeline/index.ts';
import { initKeyFolder, LocalKeyProvider, SealingCodec, DEFAULT_SEGMENT_SIZE, signRun } from '../../src/seal/index.ts';
import { sealed, writeRawCsv } from '../pipelines/loan-default/helpers.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { loadRunScorer } from '../../src/serve/runScorer.ts';
import { assertRefused, tamperCases, type RawAccess } from './tamperTable.ts';

// Made at top level: tempDir's cleanup must belong to the file, not to the before hook.
const cwd = tempDir();
let raw: string;
const manifestOf = (dir: string): RunManifest => JSON.parse(readFileSync(join(cwd, dir, 'run.json'), 'utf8')) as RunManifest;
const recordOf = (m: RunManifest, key: string): OutputRecord => {
  const found = Object.values(m.tasks).flatMap((t) => Object.values(t.outputs ?? {})).find((o) => o.path === key);
  assert.ok(found, `run.json lists ${key}`);
  return found;
};

before(async () => {
  raw = writeRawCsv(cwd, 'raw.csv', 3000, 7);
  await initKeyFolder(join(cwd, 'keys'));
  await initKeyFolder(join(cwd, 'other-keys'));
  for (const [dir, extra] of [['plain', []], ['s1', ['--seal', '--keys', 'keys']], ['s2', ['--seal', '--keys', 'keys']]] as const) {
    const r = await sealed(['run', '--data-url', raw, '--run-dir', dir, '--seed', '3', ...extra], cwd);
    assert.equal(r.code, 0, r.stderr);
  }
});

/** Every file below `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

test('a sealed run computes what the plain run computes: same plaintext digests, same metrics', () => {
  const plain = manifestOf('plain');
  const s1 = manifestOf('s1');
  assert.equal(s1.sealed, true);
  assert.equal(plain.sealed, undefined);
  for (const [task, t] of Object.entries(plain.tasks)) {
    for (const [key, out] of Object.entries(t.outputs ?? {})) {
      const rec = s1.tasks[task].outputs![key];
      const seal = rec.metadata!.sealed as Record<string, unknown>;
      assert.equal(seal.plaintextSha256, out.sha256, `${task}/${key}`);
      assert.deepEqual({ runId: seal.runId, task: seal.task, artifact: seal.artifact, type: seal.type }, { runId: s1.id, task, artifact: key, type: out.type });
      assert.equal(rec.sha256, seal.sha256, 'the stored file is the sealed one');
    }
  }
  const metrics = (m: RunManifest): unknown => {
    const { AUC, Accuracy } = m.tasks['batch-inference'].outputs!.metrics.metadata as Record<string, number>;
    return { AUC, Accuracy };
  };
  assert.deepEqual(metrics(s1), metrics(plain));
});

test('the sealed run folder holds no plaintext of the input CSV (grep for its rows)', () => {
  const rows = readFileSync(raw, 'utf8').trim().split('\n').slice(1);
  // Row fragments with commas cannot occur in hex digests or base64; three fields make them specific.
  const needles = rows.slice(0, 300).map((r) => r.split(',').slice(0, 3).join(','));
  // Only fragments whose fields are all present: '5500,' (an empty rate) would also match a size in run.json.
  needles.push(...rows.slice(0, 300).map((r) => r.split(',').slice(6, 8)).filter((f) => f.every((x) => x !== '')).map((f) => f.join(',')));
  const plainHits = filesUnder(join(cwd, 'plain')).filter((f) => needles.some((n) => readFileSync(f, 'latin1').includes(n)));
  assert.ok(plainHits.length > 0, 'the needles do find plaintext in a plain run (the grep works)');
  for (const f of filesUnder(join(cwd, 's1'))) {
    const text = readFileSync(f, 'latin1');
    const hit = needles.find((n) => text.includes(n));
    assert.equal(hit, undefined, `${f} contains input row text '${hit}'`);
  }
  assert.deepEqual(filesUnder(join(cwd, 's1')).filter((f) => /\.scratch-|\.tmp$|\.staging-/.test(f)), [], 'no scratch, temporary or staging files are left');
});

test('sealed unseal gives back the plain run’s bytes, checked against run.json', async () => {
  const r = await sealed(['unseal', 's1/create-train-test-set/x_test_data.csv', '--keys', 'keys', '--out', 'x_test.csv'], cwd);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /identity and sha256 checked against the signed run\.json/);
  assert.deepEqual(readFileSync(join(cwd, 'x_test.csv')), readFileSync(join(cwd, 'plain/create-train-test-set/x_test_data.csv')));
  const again = await sealed(['unseal', 's1/create-train-test-set/x_test_data.csv', '--keys', 'keys', '--out', 'x_test.csv'], cwd);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /exists: choose a new file/);
});

const localRaw = (runDir: string): RawAccess => ({
  read: async (key) => readFileSync(join(cwd, runDir, key)),
  write: async (key, bytes) => writeFileSync(join(cwd, runDir, key), bytes),
});

const VICTIM = 'load-data/credit_risk_dataset.csv';
const SIBLING = 'create-train-test-set/x_train_data.csv';

for (const c of tamperCases) {
  test(`tamper (local store): ${c.name} is refused by every reader, naming the artifact, writing nothing`, async () => {
    const runDir = 's1';
    const m = manifestOf(runDir);
    const original = readFileSync(join(cwd, runDir, VICTIM));
    try {
      await c.apply({ victim: VICTIM, sibling: SIBLING, run: localRaw(runDir), otherRun: localRaw('s2'), segmentSize: DEFAULT_SEGMENT_SIZE });
      // The pipeline's reader (what the next step does).
      const codec = new SealingCodec(await LocalKeyProvider.open(join(cwd, 'keys')), { runId: m.id });
      const source = storedArtifactSource(recordOf(m, VICTIM), codec, { path: join(cwd, runDir, VICTIM) });
      await assertRefused(source, c, /credit_risk_dataset/);
      // `sealed unseal`: exit 1, the same kind of line, no output file and no temporary one.
      const out = `plain-${sha256(c.name).slice(0, 8)}.csv`;
      const u = await sealed(['unseal', `${runDir}/${VICTIM}`, '--keys', 'keys', '--out', out], cwd);
      assert.equal(u.code, 1, u.stderr);
      assert.match(u.stderr, c.expect);
      assert.deepEqual(readdirSync(cwd).filter((f) => f.includes(out)), []);
    } finally {
      writeFileSync(join(cwd, runDir, VICTIM), original);
    }
  });
}

test('tamper: the wrong key folder opens nothing: the run signature and the data keys both refuse it', async () => {
  const u = await sealed(['unseal', `s1/${VICTIM}`, '--keys', 'other-keys', '--out', 'wrong-key.csv'], cwd);
  assert.equal(u.code, 1);
  assert.match(u.stderr, /cannot be trusted: run\.sig\.json does not verify with key/);
  // Taken out of its run folder, only the envelope is checked: the data key does not unwrap.
  copyFileSync(join(cwd, 's1', VICTIM), join(cwd, 'loose.csv.sealed'));
  const loose = await sealed(['unseal', 'loose.csv.sealed', '--keys', 'other-keys', '--out', 'wrong-key.csv'], cwd);
  assert.equal(loose.code, 1);
  assert.match(loose.stderr, /credit_risk_dataset.*cannot unwrap its data key/);
  assert.equal(existsSync(join(cwd, 'wrong-key.csv')), false);
});

test('tamper between steps: the next step refuses the altered input and the run fails with one line naming it', async () => {
  const { pipeline, registry } = await loanDefaultCatalog();
  const keys = await LocalKeyProvider.open(join(cwd, 'keys'));
  const runDir = join(cwd, 'between');
  const manifest = await runPipeline(compilePipeline(pipeline), registry, {
    runDir,
    parameters: { data_url: raw, seed: 3 },
    codecFor: (runId) => new SealingCodec(keys, { runId }),
    afterRun: async (_m, store) => {
      await signRun(store, keys.signer(), { kek: { provider: keys.name, keyId: keys.keyId }, sealed: true });
    },
    reporter: {
      ...silentReporter,
      taskFinished: (e) => {
        if (e.task !== 'create-train-test-set' || e.state !== 'succeeded') return;
        const path = join(runDir, SIBLING);
        const b = readFileSync(path);
        b[b.length - 40] ^= 1;
        writeFileSync(path, b);
      },
    },
  });
  assert.equal(manifest.state, 'failed');
  assert.match(manifest.error!, /preprocess-features.*x_train_data.*failed authentication/);
  assert.equal(manifest.tasks['train-model'].state, 'skipped');
  assert.deepEqual(readdirSync(join(runDir, 'preprocess-features')).filter((f) => !f.endsWith('log.txt')), [], 'the failed step left no output');
});

test('an edited seal record in run.json is refused (digest of another artifact, or the record removed)', async () => {
  const m = manifestOf('s1');
  const codec = new SealingCodec(await LocalKeyProvider.open(join(cwd, 'keys')), { runId: m.id });
  const rec = recordOf(m, VICTIM);
  const seal = rec.metadata!.sealed as Record<string, unknown>;
  const forged = { ...rec, metadata: { ...rec.metadata, sealed: { ...seal, plaintextSha256: '0'.repeat(64) } } };
  await assert.rejects(readAllBytes(storedArtifactSource(forged, codec, { path: join(cwd, 's1', VICTIM) })), /plaintext sha256 .* differs from the recorded 0{64}/);
  const { sealed: _gone, ...noRecord } = rec.metadata!;
  await assert.rejects(readAllBytes(storedArtifactSource({ ...rec, metadata: noRecord }, codec, { path: join(cwd, 's1', VICTIM) })), /no seal record/);
  const otherRun = new SealingCodec(await LocalKeyProvider.open(join(cwd, 'keys')), { runId: 'another-run' });
  await assert.rejects(readAllBytes(storedArtifactSource(rec, otherRun, { path: join(cwd, 's1', VICTIM) })), /sealed by run '.*', this is run 'another-run'/);
});

test('sealed run --seal without --keys, and --keys without --seal, are refused in one line', async () => {
  const a = await sealed(['run', '--seal', '--run-dir', 'x1'], cwd);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /--seal needs --keys DIR \(make one with: sealed keys init --out DIR\)/);
  const b = await sealed(['run', '--keys', 'keys', '--run-dir', 'x2'], cwd);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /--keys DIR is for sealed runs: add --seal/);
  assert.equal(existsSync(join(cwd, 'x1')) || existsSync(join(cwd, 'x2')), false);
});

test('a failed sealed run resumes sealed (and only sealed), repairs the tampered step and is signed again', async () => {
  // 'between' failed because x_train was altered after its step: resume reruns that step.
  const plainResume = await sealed(['run', '--resume', 'between'], cwd);
  assert.equal(plainResume.code, 2);
  assert.match(plainResume.stderr, /is a sealed run: resume it with --seal --keys DIR/);
  const r = await sealed(['run', '--resume', 'between', '--seal', '--keys', 'keys'], cwd);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /resuming run .* from task 'create-train-test-set'/);
  const v = await sealed(['verify', 'between', '--keys', 'keys'], cwd);
  assert.equal(v.code, 0, v.stdout);
  assert.match(v.stdout, /verified: .* plaintexts checked/);
});

/** A copy of a finished sealed run, to attack without disturbing the others. */
function copyRun(from: string, to: string): void {
  cpSync(join(cwd, from), join(cwd, to), { recursive: true });
}

test('attack: outputs swapped with their run.json records (and the model removed) are refused by --resume, which would re-sign them', async () => {
  copyRun('s1', 'swap');
  const path = join(cwd, 'swap', 'run.json');
  const m = JSON.parse(readFileSync(path, 'utf8')) as RunManifest;
  const pre = m.tasks['preprocess-features'].outputs!;
  [pre.x_train_processed, pre.x_test_processed] = [pre.x_test_processed, pre.x_train_processed];
  m.tasks['train-model'].state = 'failed';
  writeFileSync(path, JSON.stringify(m, null, 2));
  rmSync(join(cwd, 'swap', 'train-model', 'model.json'));
  const r = await sealed(['run', '--resume', 'swap', '--seal', '--keys', 'keys'], cwd);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /run swap cannot be trusted: run\.json was changed after the run was signed/);
  assert.equal(existsSync(join(cwd, 'swap', 'train-model', 'model.json')), false, 'nothing ran');
});

test('attack: an input whose seal record names another task or output is refused by the reading step (producer check)', async () => {
  const m = manifestOf('s1');
  const codec = new SealingCodec(await LocalKeyProvider.open(join(cwd, 'keys')), { runId: m.id });
  const rec = recordOf(m, 'preprocess-features/x_test_processed.csv');
  const source = storedArtifactSource(rec, codec, { path: join(cwd, 's1', rec.path), producer: { task: 'preprocess-features', artifact: 'x_train_processed' } });
  await assert.rejects(readAllBytes(source), /sealed as preprocess-features\/x_test_processed, this input must come from preprocess-features\/x_train_processed/);
});

test('attack: an older version of an artifact put back with its old record is refused by unseal and serve (signed run.json)', async () => {
  copyRun('s1', 'replay-old');
  const r = await sealed(['run', '--data-url', raw, '--run-dir', 'replay-new', '--seed', '4', '--seal', '--keys', 'keys'], cwd);
  assert.equal(r.code, 0, r.stderr);
  // Put the old model and the old run's record for it into the new run (run ids differ, so also take the id).
  copyFileSync(join(cwd, 'replay-old', 'train-model', 'model.json'), join(cwd, 'replay-new', 'train-model', 'model.json'));
  const newPath = join(cwd, 'replay-new', 'run.json');
  const fresh = JSON.parse(readFileSync(newPath, 'utf8')) as RunManifest;
  const old = manifestOf('replay-old');
  fresh.id = old.id;
  for (const t of Object.keys(fresh.tasks)) fresh.tasks[t].outputs = old.tasks[t].outputs;
  writeFileSync(newPath, JSON.stringify(fresh, null, 2));
  const u = await sealed(['unseal', 'replay-new/train-model/model.json', '--keys', 'keys', '--out', 'replayed.json'], cwd);
  assert.equal(u.code, 1);
  assert.match(u.stderr, /cannot be trusted: run\.json was changed after the run was signed/);
  assert.equal(existsSync(join(cwd, 'replayed.json')), false);
  const keys = await LocalKeyProvider.open(join(cwd, 'keys'));
  await assert.rejects(loadRunScorer(join(cwd, 'replay-new'), { keys, verifier: keys.verifier() }), /run\.json was changed after the run was signed/);
});

test('attack: a sealed run never writes a data value in clear through an error (run.json, task logs)', async () => {
  const rows = readFileSync(raw, 'utf8').split('\n');
  const cells = rows[5].split(',');
  cells[1] = 'SECRETINCOME77';
  rows[5] = cells.join(',');
  writeFileSync(join(cwd, 'bad.csv'), rows.join('\n'));
  const r = await sealed(['run', '--data-url', join(cwd, 'bad.csv'), '--run-dir', 'bad', '--seal', '--keys', 'keys'], cwd);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /expected a number, found '<sealed>'/);
  for (const f of filesUnder(join(cwd, 'bad'))) assert.doesNotMatch(readFileSync(f, 'latin1'), /SECRETINCOME77/, f);
});
