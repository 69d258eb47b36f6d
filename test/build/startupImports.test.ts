// What the built `sealed` loads for its quick answers (issue 17: `--version` and `component --help`
// under 0.25 s): registering commands must not import what they do, help must not import the
// components, and a plain run must not load the sealing and cloud code. Checked by module, not by
// time (bench:startup prints the times): a test that times would fail on a busy machine.
// dist/app is a bundle (scripts/buildApp.mjs): a loaded output file is mapped back to the source
// modules it holds (dist/app/metafile.json), so the checks name src/ modules, lazy chunks included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/sharedData.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';

const TRACE = join(repoRoot, 'test/build/helpers/importTrace.mjs');

/** Output file of dist/app (relative to it) -> the source modules (src/...) whose code it holds. */
function bundleInputs(): Record<string, string[]> {
  return (JSON.parse(readFileSync(join(repoRoot, 'dist/app/metafile.json'), 'utf8')) as { outputs: Record<string, string[]> }).outputs;
}

/**
 * What `node bin/sealed ...args` loads, relative to the repository: the source modules of the
 * bundle files it imported (src/...ts) and the package files (node_modules/...), and its output.
 */
function importsOf(args: string[], cwd = repoRoot): { modules: string[]; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', TRACE, join(repoRoot, 'bin/sealed'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, SEALED_TRACE_ENTRY: '1' },
  });
  const lines = r.stderr.split('\n');
  assert.ok(lines.includes('sealed: running dist/app (built)'), `not the build (run node scripts/buildApp.mjs): ${r.stderr.slice(-300)}`);
  const prefix = `file://${repoRoot}/`;
  const files = lines.filter((l) => l.startsWith('IMPORT ')).map((l) => l.slice('IMPORT '.length).replace(prefix, ''));
  const inputs = bundleInputs();
  const modules = files.flatMap((f) => {
    if (!f.startsWith('dist/app/')) return [f];
    const held = inputs[f.slice('dist/app/'.length)];
    assert.ok(held, `${f} is not in dist/app/metafile.json`);
    return held;
  });
  return { modules, stdout: r.stdout, stderr: lines.filter((l) => !l.startsWith('IMPORT ') && !l.startsWith('sealed: running')).join('\n') };
}

/** Modules matching any pattern. */
const loaded = (modules: string[], patterns: RegExp[]): string[] => modules.filter((m) => patterns.some((p) => p.test(m)));

const ENGINES = [/^src\/(pipelines|pipeline|gbdt|ml|data|serve|dashboard)\//, /^src\/seal\/(?!enclave\/(manifestVars|attestationPolicy)\.ts$)/];
const HEAVY_PACKAGES = /^node_modules\/(zod|ajv|yaml|undici|jose|vega|vega-lite|@aws-sdk|@azure|fastify)\//;

test('sealed --version and sealed --help load the command line only: no engine, pipeline, sealing or heavy package', () => {
  for (const args of [['--version'], ['--help']]) {
    const { modules, stdout } = importsOf(args);
    assert.ok(stdout.length > 0, args.join(' '));
    assert.deepEqual(loaded(modules, [...ENGINES, HEAVY_PACKAGES]), [], args.join(' '));
  }
});

test('sealed component --help and <component> --help come from the build without loading any component', () => {
  for (const args of [['component', '--help'], ['component', 'train-model', '--help'], ['component', 'load-data', '-h']]) {
    const { modules, stdout } = importsOf(args);
    assert.match(stdout, /^(usage: sealed component|sealed component (train-model|load-data) — )/, args.join(' '));
    assert.deepEqual(loaded(modules, [...ENGINES, HEAVY_PACKAGES]), [], args.join(' '));
  }
});

test('a plain sealed run does not load the sealing keys, the signed-manifest code or the cloud clients', () => {
  const cwd = tempDir();
  // A missing data file: the run starts (catalog, compiler, runner, first task) and fails at once.
  const { modules, stderr } = importsOf(['run', '--data-url', join(cwd, 'missing.csv'), '--run-dir', 'r', '--threads', '1'], cwd);
  assert.match(stderr, /file not found/);
  assert.ok(modules.some((m) => m.startsWith('src/pipeline/local/')), 'the runner ran');
  assert.deepEqual(loaded(modules, [/^src\/seal\/(azure|attest|localKeys|keyFiles)/, /^node_modules\/(undici|jose|@aws-sdk|@azure)\//]), []);
  // The Parquet code is imported on first Parquet use (datasetFiles.ts loadParquet): a CSV run never loads it;
  // zod is loaded when a schema is first needed (core/lazyZod.ts), and a plain run needs none.
  assert.deepEqual(loaded(modules, [/^src\/data\/parquet\//, /^node_modules\/(hyparquet|hyparquet-writer|zod)\//]), []);
});
