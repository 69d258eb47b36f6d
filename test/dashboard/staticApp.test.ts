// The browser app is served from the Vite build: index.html for / and every page path (the app
// routes in the browser), hashed assets cached for a year, and a clear 503 when no build exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { get, testServer } from './helpers.ts';

function fakeBuild(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/assets/app-3f2a1b.js"></script>');
  writeFileSync(join(dir, 'assets', 'app-3f2a1b.js'), 'console.log("app")');
  writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
  writeFileSync(join(dir, '.env'), 'SECRET=1');
  return dir;
}

test('/ and unknown page paths answer index.html; assets are cached for a year, index.html is revalidated', async () => {
  const { app } = await testServer({ staticDir: fakeBuild() });
  for (const url of ['/', '/runs', '/runs/20261129-080000-abcdef/tasks/train-model', '/runs/model-v1.2', '/compare/a.1,b.2']) {
    const page = await get(app, undefined, url);
    assert.equal(page.statusCode, 200, url);
    assert.match(page.headers['content-type'] as string, /^text\/html/);
    assert.equal(page.headers['cache-control'], 'no-cache');
    assert.match(page.body, /app-3f2a1b\.js/);
    assert.equal(page.headers['content-security-policy']?.toString().includes("script-src 'self'"), true);
  }
  const asset = await get(app, undefined, '/assets/app-3f2a1b.js');
  assert.equal(asset.statusCode, 200);
  assert.match(asset.headers['content-type'] as string, /javascript/);
  assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal((await get(app, undefined, '/favicon.svg')).headers['cache-control'], 'no-cache');
  const missing = await get(app, undefined, '/assets/gone-123.js');
  assert.equal(missing.statusCode, 404, 'a missing file is not answered with the app');
  assert.notEqual((await get(app, undefined, '/.env')).statusCode, 200, 'dotfiles are not served');
  const api = await get(app, undefined, '/api/nothing');
  assert.equal(api.statusCode, 404);
  assert.deepEqual(api.json(), { error: 'no API route GET /api/nothing' });
});

test('without a build, pages answer 503 naming the command that makes one', async () => {
  const staticDir = join(tempDir(), 'dist', 'dashboard');
  const { app } = await testServer({ staticDir });
  for (const url of ['/', '/runs/x']) {
    const res = await get(app, undefined, url);
    assert.equal(res.statusCode, 503);
    assert.equal(res.body, `the dashboard app is not built (no ${staticDir}/index.html): run npm run build:dashboard\n`);
    assert.equal(res.headers['x-frame-options'], 'DENY');
  }
});
