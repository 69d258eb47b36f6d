// The sealed badge in a real browser (Debian's chromium through playwright-core, as
// test/dashboard/browser.test.ts): the real `sealed ui` process on a runs folder with a sealed and
// a plain run. Started without --keys it lists the sealed run as locked, says on the run page how
// to open it, and offers no viewer for its artifacts; started with --keys it shows the run as
// sealed and pages its CSV. Screenshots go to test-results/dashboard/ (sealed-*.png).
import { spawnUi } from '../dashboard/uiProcess.ts';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { initKeyFolder } from '../../src/seal/index.ts';
import { repoRoot } from '../helpers/sharedData.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { sealed, writeRawCsv } from '../pipelines/loan-default/helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'correct horse battery staple 42';
const shots = join(repoRoot, 'test-results', 'dashboard');
mkdirSync(shots, { recursive: true });

const work = tempDir('sealed-ui-badge-');
const runsDir = join(work, 'runs');
const keysDir = join(work, 'keys');
const servers: ChildProcess[] = [];
let browser: Browser;

/** `sealed ui` on the runs folder (its own state folder per start); resolves with its URL. */
async function startUi(name: string, extra: string[] = []): Promise<string> {
  writeFileSync(join(work, 'password.txt'), PASSWORD + '\n', { mode: 0o600 });
  const { child, url } = spawnUi(['--runs', runsDir, '--state-dir', join(work, `state-${name}`), '--port', '0', '--password-file', join(work, 'password.txt'), ...extra]);
  servers.push(child);
  return url;
}

before(async () => {
  await initKeyFolder(keysDir);
  const raw = writeRawCsv(work, 'raw.csv', 300);
  for (const [dir, seal] of [['plain-run', []], ['sealed-run', ['--seal', '--keys', keysDir]]] as const) {
    const r = await sealed(['run', ...seal, '--data-url', raw, '--threads', '1', '--run-dir', join(runsDir, dir)], work);
    assert.equal(r.code, 0, r.stderr);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});

after(async () => {
  await browser?.close();
  for (const s of servers) s.kill('SIGTERM');
});

async function loggedInPage(base: string): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(base + '/');
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('runs-table').waitFor();
  return page;
}

test('without --keys: the sealed run is listed as locked with how to open it; its page says so and offers no viewer', async () => {
  const page = await loggedInPage(await startUi('no-keys'));
  const badge = page.getByTestId('run-sealed-sealed-run');
  assert.equal(await badge.textContent(), 'sealed — start the dashboard with --keys to open');
  assert.equal(await badge.getAttribute('data-locked'), 'true');
  assert.equal(await page.getByTestId('run-sealed-plain-run').count(), 0, 'a plain run has no badge');
  await page.screenshot({ path: join(shots, 'sealed-runs-locked.png'), fullPage: true });

  await page.getByTestId('run-row-sealed-run').click();
  await page.getByTestId('run-locked').waitFor();
  assert.match((await page.getByTestId('run-locked').textContent()) ?? '', /sealed: its artifacts are encrypted\. Start the dashboard with --keys DIR/);
  // AUC from run.json and the ROC points of its metadata still show; the rest is said to be sealed.
  await page.getByTestId('metrics-sealed').waitFor();
  assert.match((await page.getByTestId('metric-auc').textContent()) ?? '', /^0\.\d+/);
  assert.equal(await page.getByTestId('confusion-matrix').count(), 0);
  await page.getByTestId('graph-node-create-train-test-set').click();
  const output = page.getByTestId('output-x_test_data');
  await output.waitFor();
  assert.equal(await output.getByRole('button', { name: /View/ }).count(), 0, 'no viewer for a locked artifact');
  assert.equal(await output.getByRole('link', { name: 'Download x_test_data sealed' }).count(), 1);
  await page.screenshot({ path: join(shots, 'sealed-run-locked.png'), fullPage: true });
  await page.context().close();
});

test('with --keys: the run shows as sealed and its CSV artifacts page as usual', async () => {
  const page = await loggedInPage(await startUi('keys', ['--keys', keysDir]));
  const badge = page.getByTestId('run-sealed-sealed-run');
  assert.equal(await badge.textContent(), 'sealed');
  assert.equal(await badge.getAttribute('data-locked'), 'false');
  await page.getByTestId('run-row-sealed-run').click();
  await page.getByTestId('confusion-matrix').waitFor();
  assert.equal(await page.getByTestId('run-locked').count(), 0);
  await page.getByTestId('graph-node-create-train-test-set').click();
  await page.getByTestId('output-x_test_data').getByRole('button', { name: /View/ }).click();
  await page.getByTestId('csv-preview').waitFor();
  await page.getByTestId('csv-range').filter({ hasText: /rows 1–\d+ of \d+/ }).waitFor();
  assert.match((await page.getByTestId('csv-preview').textContent()) ?? '', /person_age/);
  await page.screenshot({ path: join(shots, 'sealed-run-open.png'), fullPage: true });
  await page.context().close();
});
