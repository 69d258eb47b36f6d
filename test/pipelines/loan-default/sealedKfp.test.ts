// A sealed Kubeflow run, end to end, through the KFP backend emulation (test/pipeline/helpers/kfpLauncher, derived
// from kubeflow/pipelines 2.0.5 and HEAD): `sealed compile --seal-keys-secret sealed-keys`, the cluster Secret made
// from a `sealed keys init` folder and projected into every pod as the kubelet lays out a secret volume
// (secretVolume.ts, after kubernetes pkg/volume/util/atomic_writer.go), each container run in its pod's own mount
// namespace (podNamespace.ts) so it sees /minio and /var/run/sealed-keys and the driver's real artifact URIs, from
// which it reads its run id and task. Checked: only sealed envelopes reach the object store, no input row appears
// anywhere, MLMD carries each output's seal record (KFP run id, DSL task name), and unsealing gives the local plain
// run's bytes exactly. Then the attacks on the store between two tasks: a flipped byte, and an artifact from another
// run put in place; the downstream task fails with one line naming the artifact and uploads nothing.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, watch, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { executorMain } from '../../../src/cli/executorMain.ts';
import { readAllBytes } from '../../../src/core/index.ts';
import type { RunManifest } from '../../../src/pipeline/index.ts';
import { storedArtifactSource } from '../../../src/pipeline/local/storedArtifact.ts';
import { LocalKeyProvider, SEAL_MAGIC, SealingCodec, initKeyFolder, type SealRecord } from '../../../src/seal/index.ts';
import { Capture } from '../../cli/helpers.ts';
import { repoRoot } from '../../helpers/sharedData.ts';
import { KfpLauncherError, podNamespacesAvailable, runPipeline, uploadPipeline, type KfpRun, type KfpVersion, type UploadedPipeline } from '../../pipeline/helpers/kfpLauncher/index.ts';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';
import { sealed, writeRawCsv } from './helpers.ts';

const IMAGE = 'registry.example/sealed-pipelines:0.1.0';
const RELEASE: Record<KfpVersion, string> = { '2.0.5': '2.0.5', '2.3': '2.3', '2.5': '2.5', HEAD: '2.17' };
/** Every profile runs the sealed pipeline; the attacks run on the newest and the oldest (the URI layouts differ). */
const VERSIONS: KfpVersion[] = ['HEAD', '2.5', '2.3', '2.0.5'];
const ATTACKED: KfpVersion[] = ['HEAD', '2.0.5'];
const SECRET = 'sealed-keys';
const KEY_FILES = ['kek.key', 'signing.key', 'signing.pub'];

const cwd = tempDir('sealed-kfp-');
const raw = writeRawCsv(cwd, 'raw.csv', 300);
const PARAMETERS = { data_url: raw, data_size: 600, seed: 4, threads: 1 };
/** Whole input rows: none may appear in any file the emulated cluster holds. */
const ROWS = readFileSync(raw, 'utf8').trim().split('\n').slice(1, 41);
let manifest: RunManifest;
/** The Secret `kubectl create secret generic sealed-keys --from-file=keys/` makes from the key folder. */
let secretData: Record<string, Buffer>;

before(async () => {
  await initKeyFolder(join(cwd, 'keys'));
  secretData = Object.fromEntries(KEY_FILES.map((f) => [f, readFileSync(join(cwd, 'keys', f))]));
  const local = await sealed(['run', '--data-url', raw, '--data-size', '600', '--seed', '4', '--threads', '1', '--run-dir', 'local'], cwd);
  assert.equal(local.code, 0, local.stderr);
  manifest = JSON.parse(readFileSync(join(cwd, 'local', 'run.json'), 'utf8')) as RunManifest;
});

async function compileSealed(v: KfpVersion): Promise<UploadedPipeline> {
  const file = `sealed-${v}.yaml`;
  const r = await sealed(['compile', '--output', file, '--image', IMAGE, '--kfp-version', RELEASE[v], '--seal-keys-secret', SECRET], cwd);
  assert.equal(r.code, 0, r.stderr);
  return uploadPipeline(readFileSync(join(cwd, file), 'utf8'), v);
}

const run = (uploaded: UploadedPipeline, root: string, beforeTask?: (task: string, run: KfpRun) => void) =>
  runPipeline(uploaded, { root: join(cwd, root), appDir: repoRoot, parameters: PARAMETERS, secrets: { [SECRET]: secretData }, isolation: 'namespace', beforeTask });

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** The seal record MLMD holds for an output: the launcher's RecordArtifact wraps struct metadata (mlmd.ts). */
function recordOf(run: KfpRun, task: string, key: string): SealRecord {
  const property = run.mlmd.outputs.get(task)?.[key]?.customProperties.sealed as { struct?: SealRecord } | undefined;
  assert.ok(property?.struct, `${task}/${key} has no seal record in MLMD`);
  return property.struct;
}

/** Runs until `failing` and expects it to fail; returns the launcher's error text and the run so far. */
async function failingRun(uploaded: UploadedPipeline, root: string, failing: string, act: (run: KfpRun) => void): Promise<{ stderr: string; run: KfpRun }> {
  let live: KfpRun | undefined;
  const error = await run(uploaded, root, (task, r) => {
    live = r;
    if (task === failing) act(r);
  }).then(
    () => assert.fail(`${failing} should have failed`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof KfpLauncherError, String(error));
  const m = /^failed to execute component: exit status (\d+)\n([\s\S]*)$/.exec(error.message);
  assert.ok(m, error.message);
  assert.equal(m[1], '1', 'a sealed-artifact refusal exits 1');
  return { stderr: m[2], run: live! };
}

/**
 * Nothing of `task` reached the store or MLMD but its log: after a failed execution the launcher uploads and records
 * only `executor-logs` (backend/src/v2/component/launcher_v2.go@HEAD uploadOutputArtifacts, componentSucceeded false),
 * which holds the one-line error and no input row. Nothing anywhere in the emulated cluster holds a row either.
 */
function assertNothingUploaded(run: KfpRun, root: string, task: string): void {
  assert.deepEqual(Object.keys(run.mlmd.outputs.get(task) ?? {}).filter((k) => k !== 'executor-logs'), [], `${task} recorded outputs`);
  const taskFiles = filesUnder(join(cwd, root, 'minio')).filter((f) => f.includes(`/${run.runId}/${task}/`) && !f.endsWith('/executor-logs'));
  assert.deepEqual(taskFiles, [], `${task} left files in the store`);
  for (const f of filesUnder(join(cwd, root))) {
    const text = readFileSync(f, 'latin1');
    for (const row of ROWS) assert.ok(!text.includes(row), `${relative(cwd, f)} holds input row text`);
  }
}

describe('sealed KFP run', { skip: podNamespacesAvailable() ? false : 'needs root mount namespaces and overlayfs (unshare -m)' }, () => {
  for (const v of VERSIONS) {
    test(`KFP ${v}: every artifact in the store is sealed, bound to the KFP run and task, and unseals to the local plain run's bytes`, async () => {
      const uploaded = await compileSealed(v);
      const kfp = await run(uploaded, `kfp-${v}`);
      const root = join(cwd, `kfp-${v}`);
      const codec = new SealingCodec(await LocalKeyProvider.open(join(cwd, 'keys')), { runId: kfp.runId });
      let compared = 0;
      for (const [task, record] of Object.entries(manifest.tasks)) {
        const launched = kfp.tasks.get(task)!;
        for (const [key, out] of Object.entries(record.outputs ?? {})) {
          const stored = readFileSync(launched.outputs[key].hostPath!);
          assert.ok(stored.subarray(0, SEAL_MAGIC.length).equals(SEAL_MAGIC), `${task}/${key} is not a sealed envelope`);
          const seal = recordOf(kfp, task, key);
          assert.equal(seal.runId, kfp.runId, `${task}/${key} run id`);
          assert.equal(seal.task, task, `${task}/${key} task`);
          assert.equal(seal.artifact, key);
          assert.equal(seal.type, out.type);
          const plain = await readAllBytes(storedArtifactSource({ type: out.type, metadata: { sealed: { ...seal } } }, codec, { path: launched.outputs[key].hostPath!, label: `${task}/${key}` }));
          assert.ok(plain.equals(readFileSync(join(cwd, 'local', out.path))), `${task}/${key} unsealed differs from the local plain run`);
          // The rest of the metadata is the plain run's (the KFP UI still gets metrics and the ROC curve).
          const written = (launched.launch!.executorOutput.artifacts as Record<string, { artifacts: { metadata?: Record<string, unknown> }[] }>)[key].artifacts[0].metadata ?? {};
          const localMetadata = (out.metadataPath ? JSON.parse(readFileSync(join(cwd, 'local', out.metadataPath), 'utf8')) : (out.metadata ?? {})) as Record<string, unknown>;
          const { sealed: _s, trainSeconds: _a, ...kfpRest } = written;
          const { sealed: _l, trainSeconds: _b, ...localRest } = localMetadata;
          assert.deepEqual(kfpRest, localRest, `${task}/${key} metadata`);
          compared++;
        }
      }
      assert.equal(compared, 15);
      // Every stored object but the launcher's own files (output_metadata.json, executor-logs) is an envelope.
      const store = filesUnder(join(root, 'minio'));
      const artifacts = store.filter((f) => !f.endsWith('/output_metadata.json') && !f.endsWith('/executor-logs'));
      assert.equal(artifacts.length, 15, artifacts.map((f) => relative(root, f)).join('\n'));
      for (const f of artifacts) assert.ok(readFileSync(f).subarray(0, SEAL_MAGIC.length).equals(SEAL_MAGIC), `${relative(root, f)} is not sealed`);
      // No input row anywhere: the store, the pods' files (output metadata, logs, the key volume, scratch leftovers).
      for (const f of filesUnder(root)) {
        const text = readFileSync(f, 'latin1');
        for (const row of ROWS) assert.ok(!text.includes(row), `${relative(root, f)} holds input row text`);
      }
      assert.deepEqual(filesUnder(root).filter((f) => f.includes('.scratch-')), [], 'no scratch file left');
    });

    if (!ATTACKED.includes(v)) continue;

    test(`KFP ${v}: attack — a byte flipped in an upstream artifact in the store: the downstream task exits 1 with one line naming it and uploads nothing`, async () => {
      const uploaded = await compileSealed(v);
      const { stderr, run: r } = await failingRun(uploaded, `tamper-${v}`, 'create-train-test-set', (live) => {
        const path = live.tasks.get('load-data')!.outputs.credit_risk_dataset.hostPath!;
        const bytes = readFileSync(path);
        bytes[bytes.length - 40] ^= 0x01;
        writeFileSync(path, bytes);
      });
      const lines = stderr.trim().split('\n');
      assert.equal(lines.length, 1, stderr);
      assert.match(lines[0], /^sealed: .*credit_risk_dataset.*(failed authentication|altered|differs)/);
      assertNothingUploaded(r, `tamper-${v}`, 'create-train-test-set');
    });

    test(`KFP ${v}: attack — the same artifact from another KFP run put in its place is refused by run id`, async () => {
      const uploaded = await compileSealed(v);
      // Another run of the same pipeline with the same keys, stopped once load-data has stored its artifact.
      let other: KfpRun | undefined;
      const stop = new Error('stop');
      await assert.rejects(
        run(uploaded, `other-${v}`, (task, live) => {
          other = live;
          if (task !== 'load-data') throw stop;
        }),
        (e) => e === stop,
      );
      const foreign = other!.tasks.get('load-data')!.outputs.credit_risk_dataset.hostPath!;
      const { stderr, run: r } = await failingRun(uploaded, `swap-${v}`, 'create-train-test-set', (live) => {
        copyFileSync(foreign, live.tasks.get('load-data')!.outputs.credit_risk_dataset.hostPath!);
      });
      const lines = stderr.trim().split('\n');
      assert.equal(lines.length, 1, stderr);
      assert.match(lines[0], new RegExp(`^sealed: .*credit_risk_dataset.*sealed for runId '${other!.runId}', expected '${r.runId}'`));
      assertNothingUploaded(r, `swap-${v}`, 'create-train-test-set');
    });
  }
});

test('in an enclave (SEALED_ENCLAVE set) the executor keeps scratch files in its TMPDIR, not beside the outputs', async () => {
  const dir = tempDir('sealed-enclave-scratch-');
  const enclaveTmp = join(dir, 'sealed-tmp');
  const outputs = join(dir, 'outputs');
  mkdirSync(enclaveTmp);
  mkdirSync(outputs);
  const input = (uri: string) =>
    JSON.stringify({
      inputs: { parameterValues: { data_url: raw, data_size: 0, seed: 1 } },
      outputs: { artifacts: { credit_risk_dataset: { artifacts: [{ type: { schemaTitle: 'system.Dataset' }, uri }] } }, outputFile: join(dir, `${uri.length}-out.json`) },
    });
  const seen = async (env: Record<string, string>, uri: string) => {
    const created: Record<string, string[]> = { tmp: [], outputs: [] };
    const watchers = [watch(enclaveTmp, (_, name) => name && created.tmp.push(name)), watch(outputs, (_, name) => name && created.outputs.push(name))];
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = enclaveTmp;
    try {
      const stderr = new Capture();
      const code = await executorMain(['--component', 'load-data', '--executor-input', input(uri)], { env: { SEALED_DATA_POLICY: JSON.stringify({ localPaths: 'roots', dataRoots: [cwd] }), ...env }, stdout: new Capture(), stderr });
      assert.equal(code, 0, stderr.text);
      await new Promise((resolve) => setTimeout(resolve, 100)); // inotify events arrive asynchronously
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      for (const w of watchers) w.close();
    }
    return { tmp: created.tmp.some((n) => n.startsWith('.scratch-source.csv')), outputs: created.outputs.some((n) => n.startsWith('.scratch-source.csv')) };
  };
  assert.deepEqual(await seen({ SEALED_ENCLAVE: 'gramine' }, join(outputs, 'enclave.csv')), { tmp: true, outputs: false });
  assert.deepEqual(await seen({}, join(outputs, 'plain.csv')), { tmp: false, outputs: true }, 'outside an enclave scratch stays beside the outputs');
  assert.deepEqual(readdirSync(enclaveTmp), [], 'scratch removed afterwards');
});
