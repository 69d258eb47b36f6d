// Sealed runs end to end on the local store (issue 16): `sealed run --seal --keys DIR` gives the
// same results as a plain run, the run folder holds no plaintext of the input, every read checks
// the seal record, and the shared tamper table is refused by every reader (the pipeline's own
// steps, `sealed unseal`) with a one-line error naming the artifact and nothing decrypted written.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAllBytes, sha256 } from '../../src/core/index.ts';
import { loanDefaultCatalog } from '../../src/cli/pipelineCatalog.ts';
import { compilePipeline, runPipeline, silentReporter, storedArtifactSource, type OutputRecord, type RunManifest } from '../../src/pipeline/index.ts';
import { initKeyFolder, LocalKeyProvider, SealingCodec, DEFAULT_SEGMENT_SIZE } from '../../src/seal/index.ts';
import { sealed, writeRawCsv } from '../pipelines/loan-default/helpers.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { tamperCases, type RawAccess } from './tamperTable.ts';

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
  needles.push(...rows.slice(0, 300).map((r) => r.split(',').slice(6, 8).join(',')));
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
  assert.match(r.stderr, /identity and sha256 checked against run\.json/);
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
      const err = await readAllBytes(source).then(
        () => assert.fail('read succeeded'),
        (e: Error) => e,
      );
      assert.match(err.message, c.expect);
      assert.match(err.message, /credit_risk_dataset/);
      assert.doesNotMatch(err.message, /\n/);
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

test('tamper: the wrong key folder cannot open a sealed artifact', async () => {
  const u = await sealed(['unseal', `s1/${VICTIM}`, '--keys', 'other-keys', '--out', 'wrong-key.csv'], cwd);
  assert.equal(u.code, 1);
  assert.match(u.stderr, /cannot unwrap its data key .*credit_risk_dataset|credit_risk_dataset.*cannot unwrap/);
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
