// The built JavaScript (scripts/buildApp.mjs, run by `npm ci`'s prepare) that bin/sealed and
// bin/sealed-executor start from (issue 17: no transpiling at run time). Fails when dist/app is
// stale relative to src/ (rebuild with `npm run build:app`), and checks that the built command
// runs without tsx (its modules, workers included, never import it), that stack traces can name the
// sources, and that a failed build changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../helpers/sharedData.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';

test('dist/app is what src/ compiles to now (npm run build:app after editing sources)', async () => {
  const { staleFiles } = (await import(join(repoRoot, 'scripts/buildApp.mjs'))) as { staleFiles: () => Promise<string[]> };
  assert.deepEqual(await staleFiles(), []);
});

test('no built module or worker imports tsx or a .ts file; the commands and workers are entry files', () => {
  const base = join(repoRoot, 'dist/app');
  const files = readdirSync(base, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && /\.m?js$/.test(e.name));
  const names = new Set(files.map((e) => relative(base, join(e.parentPath, e.name))));
  // What is imported or started by path: bin/sealed, bin/sealed-executor, the dashboard's run child, workers.
  for (const entry of ['src/cli/main.js', 'src/cli/executorMain.js', 'src/dashboard/server/runChild.js', 'src/gbdt/parallel/growWorker.mjs', 'src/gbdt/compiled/scoreWorker.mjs']) {
    assert.ok(names.has(entry), entry);
  }
  for (const e of files) {
    const text = readFileSync(join(e.parentPath, e.name), 'utf8');
    assert.doesNotMatch(text, /\b(?:from|import)\s*\(?\s*["']tsx/, e.name);
    assert.doesNotMatch(text, /\b(?:from|import)\s*\(?\s*["']\.{1,2}\/[^"'\n]*\.ts["']/, e.name);
    assert.ok(existsSync(join(e.parentPath, `${e.name}.map`)), `${e.name} has a source map`);
  }
});

// The bundle hoists a file's package imports above its inlined code: a module that must run before
// a package (dashboard/server/reflectMetadata.ts before @peculiar/x509) needs a file of its own.
test('every built entry module loads: nothing runs before what its sources import first', () => {
  const script = `
    import { readdirSync } from 'node:fs';
    const base = ${JSON.stringify(join(repoRoot, 'dist/app/src'))};
    // Not runChild.js: it is a program (it waits for the dashboard's job).
    const files = readdirSync(base, { recursive: true }).filter((f) => f.endsWith('.js') && !f.endsWith('runChild.js'));
    for (const f of files) await import('file://' + base + '/' + f);
    console.log(files.length);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(Number(r.stdout) > 20, r.stdout);
});

test('with --debug, a stack trace of the built command names the TypeScript sources (through the source maps)', () => {
  const cwd = tempDir();
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin/sealed'), '--debug', 'run', '--data-url', join(cwd, 'missing.csv'), '--run-dir', 'r'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, SEALED_TRACE_ENTRY: '1' },
  });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /sealed: running dist\/app \(built\)/);
  assert.match(r.stderr, /\n\s+at .*\/src\/cli\/commands\/run\.ts:\d+:\d+\)/);
});

/** A copy of the sources (and package.json) with this repository's packages: a root to build. */
function sourceCopy(): string {
  const root = tempDir();
  cpSync(join(repoRoot, 'src'), join(root, 'src'), { recursive: true, filter: (f) => !f.endsWith('/node_modules') });
  cpSync(join(repoRoot, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  return root;
}

test('a build that fails leaves the last build in place and no half-written tree', async () => {
  const { buildApp } = (await import(join(repoRoot, 'scripts/buildApp.mjs'))) as { buildApp: (root: string) => Promise<number> };
  const root = sourceCopy();
  mkdirSync(join(root, 'dist/app'), { recursive: true });
  writeFileSync(join(root, 'dist/app/build.json'), 'the last build\n');
  const breaks: [string, string, RegExp][] = [
    ['src/cli/main.ts', 'export const = ;\n', /Build failed|Expected/],
    // A worker entry that does more than register tsx and import its module is not bundled blindly.
    ['src/gbdt/parallel/growWorker.mjs', "import 'tsx';\nawait import('./growWorker.ts');\n", /not a worker entry shim/],
    // A module finding a file next to it that the build does not make.
    ['src/core/stray.ts', "export const stray = new URL('./stray.mjs', import.meta.url);\n", /stray/],
  ];
  for (const [file, text, why] of breaks) {
    const path = join(root, file);
    const before = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    writeFileSync(path, text);
    await assert.rejects(buildApp(root), why, file);
    assert.equal(readFileSync(join(root, 'dist/app/build.json'), 'utf8'), 'the last build\n', file);
    assert.deepEqual(readdirSync(join(root, 'dist')), ['app'], file);
    if (before === undefined) rmSync(path);
    else writeFileSync(path, before);
  }
});

test('bin/sealed runs from the build when it is fresh, and from the sources when told to', () => {
  const env = { ...process.env, SEALED_TRACE_ENTRY: '1' };
  const built = spawnSync(process.execPath, [join(repoRoot, 'bin/sealed'), '--version'], { encoding: 'utf8', env });
  assert.equal(built.status, 0, built.stderr);
  assert.match(built.stdout, /^\d+\.\d+\.\d+\n$/);
  assert.equal(built.stderr, 'sealed: running dist/app (built)\n');
  const source = spawnSync(process.execPath, [join(repoRoot, 'bin/sealed'), '--version'], { encoding: 'utf8', env: { ...env, SEALED_FROM_SOURCE: '1' } });
  assert.equal(source.status, 0, source.stderr);
  assert.equal(source.stdout, built.stdout);
  assert.equal(source.stderr, 'sealed: running src (tsx)\n');
});
