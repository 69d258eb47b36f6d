// The built JavaScript (scripts/buildApp.mjs, run by `npm ci`'s prepare) that bin/sealed and
// bin/sealed-executor start from (issue 17: no transpiling at run time). Fails when dist/app is
// stale relative to src/ (rebuild with `npm run build:app`), and checks that the built command
// runs without tsx: its modules, worker shims included, never import it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/sharedData.ts';

test('dist/app is what src/ compiles to now (npm run build:app after editing sources)', async () => {
  const { staleFiles } = (await import(join(repoRoot, 'scripts/buildApp.mjs'))) as { staleFiles: () => Promise<string[]> };
  assert.deepEqual(await staleFiles(), []);
});

test('no built module or worker shim imports tsx or a .ts file', () => {
  const base = join(repoRoot, 'dist/app/src');
  const files = readdirSync(base, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && /\.m?js$/.test(e.name));
  assert.ok(files.length > 300, `${files.length} built modules`);
  for (const e of files) {
    const text = readFileSync(join(e.parentPath, e.name), 'utf8');
    assert.doesNotMatch(text, /\b(?:from|import)\s*\(?\s*["']tsx/, e.name);
    assert.doesNotMatch(text, /\b(?:from|import)\s*\(?\s*["']\.{1,2}\/[^"'\n]*\.ts["']/, e.name);
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
