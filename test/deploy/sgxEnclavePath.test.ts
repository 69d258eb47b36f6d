// The enclave image's start path, run for real without SGX: the app precompiled as Dockerfile.sgx does
// (deploy/sgx/precompile.mjs), the loan-default pipeline compiled with `--enclave gramine` and run by the KFP backend
// emulation (HEAD: upload, driver, pod spec, launcher), each task's command deploy/sgx/run-enclave handing its
// arguments to a stand-in for gramine-sgx that starts exactly the process the rendered manifest describes
// (helpers/fakeGramineSgx.ts: loader.argv, loader.env only). The artifacts equal a local run's byte for byte, and
// inside the "enclave" no child process is ever started (Gramine cannot run one: the shared doc's known problems;
// tsx would start esbuild's binary, which is why the image is precompiled). What this cannot test: SGX itself,
// Gramine's loader, DCAP quotes, EPC paging (deploy/sgx/README.md lists them).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { RunManifest } from '../../src/pipeline/index.ts';
import { checkManifestVars, renderManifestTemplate } from '../../src/seal/enclave/index.ts';
import { repoRoot } from '../helpers/sharedData.ts';
import { runPipeline, uploadPipeline } from '../pipeline/helpers/kfpLauncher/index.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { sealed, writeRawCsv } from '../pipelines/loan-default/helpers.ts';

const run = promisify(execFile);
const cwd = tempDir();
const app = join(cwd, 'app');
const spyLog = join(cwd, 'spy.log');
const raw = writeRawCsv(cwd, 'raw.csv', 300);
const PARAMS = ['--data-size', '600', '--seed', '4', '--threads', '2'];
let manifest: RunManifest;

before(async () => {
  // The image's /app: what Dockerfile copies (bin, src, package.json) plus deploy/sgx, then precompiled in place.
  for (const path of ['bin', 'src', 'package.json', 'deploy']) cpSync(join(repoRoot, path), join(app, path), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(app, 'node_modules'));
  const { stdout } = await run(process.execPath, [join(app, 'deploy', 'sgx', 'precompile.mjs'), app]);
  assert.match(stdout, /^precompiled \d+ files/);
  // The manifest as gramine-manifest renders it (no sealing: the executor's seal wiring is not this test's subject).
  const vars = checkManifestVars({ arch_libdir: '/lib/x86_64-linux-gnu', isvprodid: '1', isvsvn: '1', enclave_size: '8G', seal_provider: 'none', keyvault_key_id: '', maa_endpoint: '' });
  mkdirSync(join(app, 'sgx'));
  const template = readFileSync(join(repoRoot, 'deploy', 'sgx', 'sealed-executor.manifest.template'), 'utf8');
  writeFileSync(join(app, 'sgx', 'sealed-executor.manifest'), renderManifestTemplate(template, vars, { libos: '/usr/lib/x86_64-linux-gnu/gramine/libsysdb.so', runtimedir: '/usr/lib/x86_64-linux-gnu/gramine/runtime/glibc' }));
  // gramine-sgx on PATH: the stand-in, started through tsx like any of our scripts (outside the "enclave").
  const bin = join(cwd, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'gramine-sgx'), `#!/bin/sh\nexec "${process.execPath}" --import "${join(repoRoot, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs')}" "${join(import.meta.dirname, 'helpers', 'fakeGramineSgx.ts')}" "$@"\n`);
  chmodSync(join(bin, 'gramine-sgx'), 0o755);
  // The emulated launcher starts each task's command with this process's environment.
  Object.assign(process.env, { PATH: `${bin}:${process.env.PATH ?? ''}`, SEALED_APP_DIR: app, SEALED_ENCLAVE_IO: join(cwd, 'enclave-io'), SEALED_TEST_SPY_LOG: spyLog });

  const local = await sealed(['run', '--data-url', raw, ...PARAMS, '--run-dir', 'local'], cwd);
  assert.equal(local.code, 0, local.stderr);
  manifest = JSON.parse(readFileSync(join(cwd, 'local', 'run.json'), 'utf8')) as RunManifest;
});

test('precompiled: a .js beside every .ts the executor loads, worker shims without tsx', () => {
  for (const f of ['src/cli/executorMain.js', 'src/gbdt/parallel/growWorker.js', 'src/pipeline/executor/executeComponent.js']) assert.ok(existsSync(join(app, f)), f);
  const shim = readFileSync(join(app, 'src', 'gbdt', 'parallel', 'growWorker.mjs'), 'utf8');
  assert.doesNotMatch(shim, /from ['"]tsx|register\(/);
  assert.match(shim, /import\('\.\/growWorker\.js'\)/);
  assert.doesNotMatch(readFileSync(join(app, 'src', 'cli', 'executorMain.js'), 'utf8'), /from ["'][^"']*\.ts["']/);
});

test('KFP HEAD, every task through run-enclave and the manifest\'s process: the local run\'s artifacts, no child process', { timeout: 600_000 }, async (t) => {
  const c = await sealed(['compile', '--output', 'enclave.yaml', '--image', 'registry.example/sealed-pipelines-sgx:0.1.0', '--kfp-version', '2.17', '--enclave', 'gramine', '--epc', '2Gi'], cwd);
  assert.equal(c.code, 0, c.stderr);
  const uploaded = uploadPipeline(readFileSync(join(cwd, 'enclave.yaml'), 'utf8'), 'HEAD');
  const kfp = await runPipeline(uploaded, { root: join(cwd, 'kfp'), appDir: app, parameters: { data_url: raw, data_size: 600, seed: 4, threads: 2 } });
  let compared = 0;
  for (const [task, record] of Object.entries(manifest.tasks)) {
    const launched = kfp.tasks.get(task)!;
    assert.equal(launched.pod!.userCommand[0], '/app/deploy/sgx/run-enclave', task);
    for (const [key, out] of Object.entries(record.outputs ?? {})) {
      assert.ok(readFileSync(launched.outputs[key].hostPath!).equals(readFileSync(join(cwd, 'local', out.path))), `${task}/${key} differs`);
      compared++;
    }
  }
  assert.equal(compared, 15);
  const log = readFileSync(spyLog, 'utf8').trim().split('\n');
  assert.deepEqual(log.filter((l) => l.startsWith('CHILD_PROCESS')), [], 'no child process inside the enclave');
  const peaks = log.filter((l) => l.startsWith('VmPeak')).map((l) => Number(l.split(' ')[1]));
  assert.equal(peaks.length, 7, 'one enclave process per task');
  t.diagnostic(`peak virtual memory per task (MiB): ${peaks.map((kb) => Math.round(kb / 1024)).join(', ')}`);
});

test('control: the spy does see a child process, through require and through import', async () => {
  const log = join(cwd, 'control.log');
  const spy = pathToFileURL(join(import.meta.dirname, 'helpers', 'enclaveSpy.mjs')).href;
  const script = "import { spawnSync } from 'node:child_process'; import { createRequire } from 'node:module'; for (const f of [spawnSync, createRequire(import.meta.url)('node:child_process').execFileSync]) { try { f('true'); } catch {} }";
  await run(process.execPath, ['--import', spy, '--input-type=module', '-e', script], { env: { SEALED_TEST_SPY_LOG: log } });
  assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n').filter((l) => l.startsWith('CHILD')), ['CHILD_PROCESS spawnSync true', 'CHILD_PROCESS execFileSync true']);
});

test('run-enclave: the task\'s arguments reach the enclave entry exactly, through the argv file', async () => {
  const io = join(cwd, 'argv-check');
  const odd = ['--component', 'load-data', '--executor-input', '{"a":"x y\nz \' \\" $HOME `id`"}'];
  await assert.rejects(
    run(join(app, 'deploy', 'sgx', 'run-enclave'), odd, { env: { ...process.env, SEALED_ENCLAVE_IO: io } }),
    (e: { stderr?: string }) => /invalid executor input/.test(e.stderr ?? ''),
  );
  assert.deepEqual(readFileSync(join(io, 'argv'), 'utf8').split('\0'), [...odd, '']);
});

test('the enclave entry refuses a missing or cut-short argv file with one line, exit 2', async () => {
  const entry = join(app, 'deploy', 'sgx', 'sealed-executor.mjs');
  const file = join(cwd, 'cut');
  writeFileSync(file, '--component\0load-data');
  for (const [path, reason] of [[join(cwd, 'missing'), /cannot read the task's arguments/], [file, /cut short/]] as const) {
    await assert.rejects(run(process.execPath, [entry], { env: { SEALED_ENCLAVE_ARGV_FILE: path } }), (e: { code?: number; stderr?: string }) => e.code === 2 && reason.test(e.stderr ?? '') && e.stderr!.trim().split('\n').length === 1);
  }
});
