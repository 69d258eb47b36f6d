// The container image, tested without a Docker engine (none runs here): the Dockerfile's
// shape (Node 20 slim, `npm ci --omit=dev`, numeric non-root user, only runtime files), every
// file it copies exists, and the executor runs from exactly those files after a clean
// `npm ci --omit=dev` — the KFP command, a launcher-shaped ExecutorInput, the executor output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { compilePipeline, DEFAULT_EXECUTOR_COMMAND } from '../../src/pipeline/index.ts';
import { loanDefaultPipeline } from '../../src/pipelines/loan-default/index.ts';
import { repoRoot } from '../helpers/sharedData.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';

const run = promisify(execFile);
const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const instructions = dockerfile.split('\n').filter((l) => /^[A-Z]+ /.test(l));
/** Sources of COPY lines that copy from the build context (not from another stage). */
const copied = instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from=')).flatMap((l) => l.split(/\s+/).slice(1, -1));

test('the Dockerfile: Node 20 slim, production dependencies only, numeric non-root user, runtime files only', () => {
  const froms = instructions.filter((l) => l.startsWith('FROM '));
  assert.ok(froms.length >= 1 && froms.every((l) => /^FROM node:20-[a-z]+-slim\b/.test(l)), froms.join('; '));
  assert.ok(instructions.some((l) => /^RUN npm ci --omit=dev\b/.test(l)));
  const user = instructions.filter((l) => l.startsWith('USER ')).at(-1);
  assert.match(user ?? '', /^USER [1-9][0-9]*:[1-9][0-9]*$/);
  assert.deepEqual([...new Set(copied)].sort(), ['.npmrc', 'bin', 'package-lock.json', 'package.json', 'scripts/buildApp.mjs', 'src']);
  // The sources are compiled in the image (issue 17: no transpiling when a task starts).
  assert.ok(instructions.some((l) => /^RUN node scripts\/buildApp\.mjs$/.test(l)));
  for (const path of copied) assert.ok(existsSync(join(repoRoot, path)), `${path} is copied but missing`);
  // The compiled command runs the executor the image holds.
  assert.deepEqual(DEFAULT_EXECUTOR_COMMAND, ['node', '/app/bin/sealed-executor']);
  assert.ok(existsSync(join(repoRoot, 'bin', 'sealed-executor')));
  const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8');
  assert.match(ignore, /^\*$/m, '.dockerignore starts from nothing');
  for (const path of new Set(copied)) assert.match(ignore, new RegExp(`^!${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/?$`, 'm'), `.dockerignore lets ${path} into the build context`);
});

test('the executor runs a task from a clean `npm ci --omit=dev` of the files the image copies', { timeout: 300_000 }, async () => {
  const app = tempDir();
  for (const path of new Set(copied)) {
    mkdirSync(dirname(join(app, path)), { recursive: true });
    cpSync(join(repoRoot, path), join(app, path), { recursive: true });
  }
  await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app, env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
  // The Dockerfile's build step, with production dependencies only (esbuild comes with tsx).
  await run(process.execPath, ['scripts/buildApp.mjs'], { cwd: app });
  for (const dev of ['typescript', 'eslint', 'onnxruntime-node']) assert.ok(!existsSync(join(app, 'node_modules', dev)), `dev dependency ${dev} was installed`);

  const work = tempDir();
  const outputFile = join(work, 'tmp', 'kfp_outputs', 'output_metadata.json');
  const executorInput = {
    inputs: { parameterValues: { data_url: '', data_size: 0, seed: 0 } },
    outputs: {
      artifacts: {
        credit_risk_dataset: { artifacts: [{ name: 'credit_risk_dataset', type: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' }, uri: join(work, 'load-data', 'credit_risk_dataset') }] },
      },
      outputFile,
    },
  };
  const container = compilePipeline(loanDefaultPipeline).deploymentSpec.executors['exec-load-data'].container!;
  const argv = [...container.command.slice(1), ...container.args!].map((a) => (a === '{{$}}' ? JSON.stringify(executorInput) : a.replace(/^\/app\//, `${app}/`)));
  const { stdout, stderr } = await run(process.execPath, argv, { cwd: work, env: { PATH: process.env.PATH ?? '', SEALED_TRACE_ENTRY: '1' } });
  assert.match(stderr, /^sealed: running dist\/app \(built\)$/m, 'the task runs the compiled build, not tsx');
  const output = JSON.parse(readFileSync(outputFile, 'utf8')) as { artifacts: Record<string, { artifacts: { metadata: Record<string, unknown> }[] }> };
  assert.deepEqual(JSON.parse(stdout.trim().split('\n').at(-1)!), output);
  assert.ok(Number(output.artifacts.credit_risk_dataset.artifacts[0].metadata.rows) > 0);
  const csv = readFileSync(join(work, 'load-data', 'credit_risk_dataset'), 'utf8');
  assert.match(csv, /^person_age,person_income,/);
});
