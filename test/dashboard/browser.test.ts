// The dashboard end to end in a real browser (Debian's chromium through playwright-core): the
// real `sealed ui` process over HTTPS with its self-signed certificate, on a runs folder made
// by real pipeline runs. Log in, open a finished run (graph, ROC, confusion matrix, CSV
// paging), compare two runs, start a run and watch it finish, log out; and the failure paths:
// a wrong password, an expired session, a state-changing request without the CSRF token.
// Screenshots of the main pages go to test-results/dashboard/ (look at them after a change).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawnUi } from './uiProcess.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../helpers/sharedData.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { sealed, writeRawCsv } from '../pipelines/loan-default/helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'correct horse battery staple 42';
const shots = join(repoRoot, 'test-results', 'dashboard');
mkdirSync(shots, { recursive: true });

const work = tempDir('sealed-ui-e2e-');
const runsDir = join(work, 'runs');
const raw = writeRawCsv(work, 'raw.csv', 300);
let server: ChildProcess;
let base = '';
let browser: Browser;

async function startUi(extra: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  writeFileSync(join(work, 'password.txt'), PASSWORD + '\n', { mode: 0o600 });
  const { child, url } = spawnUi(['--runs', runsDir, '--state-dir', join(work, 'state'), '--port', '0', '--password-file', join(work, 'password.txt'), '--data-root', work, ...extra]);
  return { child, url: await url };
}

before(async () => {
  for (const [dir, size] of [['run-a', 0], ['run-b', 600]] as const) {
    const r = await sealed(['run', '--data-url', raw, '--data-size', String(size), '--threads', '1', '--run-dir', join(runsDir, dir)], work);
    assert.equal(r.code, 0, r.stderr);
  }
  ({ child: server, url: base } = await startUi());
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

async function newPage(): Promise<Page> {
  // The certificate is the dashboard's own self-signed one.
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1400, height: 900 } });
  return context.newPage();
}

async function login(page: Page, password = PASSWORD): Promise<void> {
  await page.goto(base + '/');
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

test('log in, open a finished run: graph, ROC with threshold readout, confusion matrix, report, CSV paging', async () => {
  assert.match(base, /^https:\/\//);
  const page = await newPage();
  await login(page);
  await page.getByTestId('runs-table').waitFor();
  assert.equal(await page.locator('[data-testid^="run-row-"]').count(), 2);
  await page.screenshot({ path: join(shots, 'runs.png'), fullPage: true });

  await page.getByTestId('run-row-run-b').click();
  await page.getByTestId('graph').waitFor();
  const nodes = page.locator('[data-testid^="graph-node-"]');
  assert.equal(await nodes.count(), 7);
  for (const state of await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))) assert.equal(state, 'succeeded');
  assert.equal(await page.getByTestId('run-state').textContent(), 'succeeded');

  const roc = page.getByTestId('roc-curve');
  await roc.waitFor();
  await roc.scrollIntoViewIfNeeded();
  const box = (await roc.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  assert.match((await page.getByTestId('roc-hover-readout').textContent()) ?? '', /threshold/i);
  const before = await page.getByTestId('confusion-matrix').textContent();
  await page.getByTestId('threshold-slider').fill('0.9');
  assert.notEqual(await page.getByTestId('confusion-matrix').textContent(), before);
  assert.ok((await page.getByTestId('report-table').locator('tr').count()) >= 3);
  await page.screenshot({ path: join(shots, 'run-detail.png'), fullPage: true });

  await page.getByTestId('graph-node-batch-inference').click();
  await page.getByText('prediction_data').first().click();
  await page.getByTestId('csv-preview').waitFor();
  const first = await page.getByTestId('csv-range').textContent();
  await page.getByTestId('csv-next').click();
  await page.getByTestId('csv-range').filter({ hasNotText: first ?? '' }).waitFor();
  assert.match((await page.getByTestId('csv-range').textContent()) ?? '', /of \d+/);
  await page.getByTestId('task-log').waitFor();
  await page.screenshot({ path: join(shots, 'task.png'), fullPage: true });
  await page.context().close();
});

test('compare two runs: ROC curves overlaid, metric deltas, parameter diff', async () => {
  const page = await newPage();
  await login(page);
  await page.getByTestId('run-select-run-a').check();
  await page.getByTestId('run-select-run-b').check();
  await page.getByTestId('compare-button').click();
  await page.getByTestId('compare-roc').waitFor();
  assert.ok((await page.getByTestId('compare-roc').locator('path, polyline').count()) >= 2);
  await page.getByTestId('compare-metrics').waitFor();
  assert.match((await page.getByTestId('param-diff').textContent()) ?? '', /data_size/);
  await page.screenshot({ path: join(shots, 'compare.png'), fullPage: true });
  await page.context().close();
});

test('start a run from the UI with parameters and see it finish; then log out', async () => {
  const page = await newPage();
  await login(page);
  await page.getByTestId('new-run-button').click();
  await page.getByTestId('new-run-form').waitFor();
  await page.getByTestId('param-input-data_url').fill(raw);
  await page.getByTestId('param-input-threads').fill('1');
  await page.screenshot({ path: join(shots, 'new-run.png'), fullPage: true });
  await page.getByTestId('new-run-submit').click();
  await page.getByTestId('graph').waitFor();
  await page.getByTestId('run-state').filter({ hasText: /^succeeded$/ }).waitFor({ timeout: 120_000 });
  assert.equal(await page.locator('[data-testid^="graph-node-"][data-state="succeeded"]').count(), 7);
  await page.getByTestId('logout').click();
  await page.getByTestId('login-password').waitFor();
  // The old session is gone server-side: the API refuses it.
  const status = await page.evaluate(async () => (await fetch('/api/runs')).status);
  assert.equal(status, 401);
  await page.context().close();
});

test('a wrong password is refused with a message; a POST without the CSRF token is rejected', async () => {
  const page = await newPage();
  await login(page, 'not the password');
  await page.getByTestId('login-error').waitFor();
  await page.screenshot({ path: join(shots, 'login-failed.png') });
  await login(page);
  await page.getByTestId('runs-table').waitFor();
  const status = await page.evaluate(async () => (await fetch('/api/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"parameters":{}}' })).status);
  assert.equal(status, 403);
  await page.context().close();
});

test('an expired session sends the user back to the login page', async () => {
  const short = await startUi(['--idle-timeout', '2']);
  try {
    const page = await newPage();
    await page.goto(short.url + '/');
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('runs-table').waitFor();
    await new Promise((r) => setTimeout(r, 3000));
    // The next request the app makes finds the session expired.
    await page.getByTestId('run-row-run-a').click();
    await page.getByTestId('login-password').waitFor();
    assert.match(await page.content(), /session expired/i);
    await page.context().close();
  } finally {
    short.child.kill('SIGTERM');
  }
});
