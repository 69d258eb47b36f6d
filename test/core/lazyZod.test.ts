// core/lazyZod: zod loaded on first use is the very module `import 'zod'` gives (one zod in the
// process: schemas built either way compose, errors are one class), and lazily() builds once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lazily, zod } from '../../src/core/lazyZod.ts';
import { repoRoot } from '../helpers/sharedData.ts';

// In the build as Node runs it (tsx compiles test files to CommonJS and its require hook would
// give a second copy, which this code never mixes: each module builds its schemas from zod()).
test('zod() in the build is the same module instance as a static import of zod, loaded once', () => {
  const script = `
    const { zod } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, 'dist/app/src/core/lazyZod.js')).href)});
    const z = zod();
    const imported = await import(${JSON.stringify(pathToFileURL(join(repoRoot, 'node_modules/zod/index.js')).href)});
    const inner = z.z.string().min(1);
    console.log(JSON.stringify([z === zod(), z.z === imported.z, z.ZodError === imported.ZodError, imported.z.object({ a: inner }).safeParse({ a: '' }).success]));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [true, true, true, false]);
  assert.doesNotMatch(r.stderr, /ExperimentalWarning/);
});

test('zod() gives a working zod here too', () => {
  const { z } = zod();
  assert.equal(z.object({ a: z.string().min(1) }).safeParse({ a: '' }).success, false);
});

test('lazily() builds its value on the first call only (a build that throws is tried again)', () => {
  let builds = 0;
  const get = lazily(() => ++builds);
  assert.equal(builds, 0);
  assert.equal(get(), 1);
  assert.equal(get(), 1);
  let fail = true;
  const flaky = lazily(() => {
    if (fail) throw new Error('not yet');
    return 'ok';
  });
  assert.throws(flaky, /not yet/);
  fail = false;
  assert.equal(flaky(), 'ok');
});
