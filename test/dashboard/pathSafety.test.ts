// Nothing outside a run folder is ever served: run ids must be folders the runs folder lists,
// task and output names must be in run.json, and every file's real path must lie inside its
// run folder. Traversal in every spelling, symlinks out of the folder and `..` in run.json
// itself are all refused; unknown names are 404s that name what was not found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { get, loggedIn, testServer, toyRun, type Client, type TestServer } from './helpers.ts';

async function withToyRun(): Promise<TestServer & { client: Client }> {
  const server = await testServer();
  await toyRun(server.runsDir, 'toy');
  return { ...server, client: await loggedIn(server.app) };
}

/** Rewrites one output record of the toy run's run.json. */
function patchOutput(runsDir: string, task: string, output: string, patch: Record<string, unknown>): void {
  const path = join(runsDir, 'toy', 'run.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8'));
  Object.assign(manifest.tasks[task].outputs[output], patch);
  writeFileSync(path, JSON.stringify(manifest));
}

test('unknown run, task and output are 404 naming what is missing', async () => {
  const { app, client } = await withToyRun();
  const cases: [string, string][] = [
    ['/api/runs/nope', "no run 'nope'"],
    ['/api/runs/nope/metrics', "no run 'nope'"],
    ['/api/runs/toy/tasks/nope/log', "run 'toy' has no task 'nope'"],
    ['/api/runs/toy/artifacts/nope/numbers', "run 'toy' has no task 'nope'"],
    ['/api/runs/toy/artifacts/make-numbers/nope', "task 'make-numbers' of run 'toy' has no output 'nope'"],
    ['/api/runs/toy/artifacts/make-numbers/nope/preview', "task 'make-numbers' of run 'toy' has no output 'nope'"],
    ['/api/runs/toy/artifacts/make-numbers/nope/json', "task 'make-numbers' of run 'toy' has no output 'nope'"],
    ['/api/runs/toy/artifacts/evaluate/model', "task 'evaluate' of run 'toy' has no output 'model'"],
  ];
  for (const [url, error] of cases) {
    const res = await get(app, client, url);
    assert.equal(res.statusCode, 404, url);
    assert.deepEqual(res.json(), { error }, url);
  }
  assert.equal((await get(app, client, '/api/nothing-here')).statusCode, 404);
});

test('traversal in run ids, task and output names is refused in every spelling', async () => {
  const { app, client } = await withToyRun();
  const secret = '/etc/passwd';
  const urls = [
    '/api/runs/..',
    '/api/runs/%2e%2e',
    '/api/runs/%2E%2E/tasks/x/log',
    '/api/runs/..%2F..%2Fetc',
    '/api/runs/%2Fetc%2Fpasswd',
    '/api/runs/%2Fetc/artifacts/x/passwd',
    '/api/runs/toy%2F..%2F..',
    '/api/runs/toy/tasks/..%2F..%2F..%2Fetc/log',
    '/api/runs/toy/tasks/%2e%2e/log',
    '/api/runs/toy/artifacts/..%2F..%2Fetc/passwd',
    '/api/runs/toy/artifacts/make-numbers/..%2F..%2Frun.json',
    '/api/runs/toy/artifacts/make-numbers/%2e%2e%2f%2e%2e%2fetc%2fpasswd/preview',
    '/api/runs/toy/artifacts/__proto__/numbers',
    '/api/runs/toy/artifacts/make-numbers/__proto__',
    '/api/runs/toy/tasks/constructor/log',
    '/api/runs/toy/../../etc/passwd',
    '/api/runs/toy/artifacts/make-numbers/numbers/..%2F..%2F..%2Frun.json',
  ];
  for (const url of urls) {
    const res = await get(app, client, url);
    assert.ok(res.statusCode === 404 || res.statusCode === 400, `${url}: ${res.statusCode}`);
    assert.doesNotMatch(res.body, /root:/, url);
  }
  assert.ok(readFileSync(secret, 'utf8').includes('root:'), 'the probe file exists, so a leak would show');
});

test('a symlinked run folder, even one that holds a valid run, is not a run', async () => {
  const { app, client, runsDir } = await withToyRun();
  const outside = tempDir();
  await toyRun(outside, 'elsewhere');
  symlinkSync(join(outside, 'elsewhere'), join(runsDir, 'linked'));
  symlinkSync('/etc', join(runsDir, 'etc'));
  const { runs } = (await get(app, client, '/api/runs')).json<{ runs: { id: string }[] }>();
  assert.deepEqual(
    runs.map((r) => r.id),
    ['toy'],
  );
  for (const url of ['/api/runs/linked', '/api/runs/linked/artifacts/make-numbers/numbers', '/api/runs/etc', '/api/runs/etc/tasks/x/log']) {
    assert.equal((await get(app, client, url)).statusCode, 404, url);
  }
});

test('a file path in run.json that leaves the run folder, or a symlink to /etc/passwd, is refused', async () => {
  const { app, client, runsDir } = await withToyRun();
  await toyRun(runsDir, 'neighbour');
  const refused = (file: string): { error: string } => ({ error: `file '${file}' of run 'toy' is outside the run folder; refused` });
  const routes = ['', '/preview'];
  for (const path of ['../../../../../../etc/passwd', '/etc/passwd', '../neighbour/make-numbers/numbers.csv', '../../../../../../etc/passwd.csv']) {
    patchOutput(runsDir, 'make-numbers', 'numbers', { path });
    // The preview takes only .csv outputs (others are 400 before any file is looked at).
    for (const suffix of path.endsWith('.csv') ? routes : ['']) {
      const res = await get(app, client, `/api/runs/toy/artifacts/make-numbers/numbers${suffix}`);
      assert.equal(res.statusCode, 404, `${path}${suffix}`);
      assert.deepEqual(res.json(), refused(path));
    }
  }
  // A symlink inside the run folder pointing out of it.
  symlinkSync('/etc/passwd', join(runsDir, 'toy', 'make-numbers', 'passwd.csv'));
  patchOutput(runsDir, 'make-numbers', 'numbers', { path: 'make-numbers/passwd.csv' });
  for (const suffix of routes) {
    const res = await get(app, client, `/api/runs/toy/artifacts/make-numbers/numbers${suffix}`);
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), refused('make-numbers/passwd.csv'));
  }
  // A symlinked folder on the way.
  symlinkSync('/etc', join(runsDir, 'toy', 'etc'));
  patchOutput(runsDir, 'fit-model', 'model', { path: 'etc/passwd.json' });
  assert.equal((await get(app, client, '/api/runs/toy/artifacts/fit-model/model/json')).statusCode, 404);
  // The log path comes from run.json too.
  const manifestPath = join(runsDir, 'toy', 'run.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.tasks['make-numbers'].log = '../../../../etc/passwd';
  writeFileSync(manifestPath, JSON.stringify(manifest));
  const log = await get(app, client, '/api/runs/toy/tasks/make-numbers/log');
  assert.equal(log.statusCode, 404);
  assert.doesNotMatch(log.body, /root:/);
});

test('a run.json that is a symlink is not read; a folder as an output is not a file', async () => {
  const { app, client, runsDir } = await withToyRun();
  const outside = tempDir();
  await toyRun(outside, 'real');
  mkdirSync(join(runsDir, 'fake'));
  symlinkSync(join(outside, 'real', 'run.json'), join(runsDir, 'fake', 'run.json'));
  assert.equal((await get(app, client, '/api/runs/fake')).statusCode, 404);
  patchOutput(runsDir, 'make-numbers', 'numbers', { path: 'make-numbers' });
  const folder = await get(app, client, '/api/runs/toy/artifacts/make-numbers/numbers');
  assert.equal(folder.statusCode, 404);
  assert.deepEqual(folder.json(), { error: "'make-numbers' of run 'toy' is a folder, not a regular file; refused" });
});
