// Issue 17 (time outside the tasks): what `sealed run` no longer pays for at start-up and per state
// change, checked by behaviour, not by time (a timed test would fail on a busy machine).
//   - ajv (IR validation) and yaml (KFP files) load on first use, not with the pipeline package;
//   - a put of bytes (run.json, after every task state change) reports the digest of the bytes
//     written, identical to reading the file back;
//   - the ROC PNG drawn from DejaVu Sans's two faces is the PNG every system font gives;
//   - resvg's native build required directly (no process.report probe) draws what the package draws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../src/core/index.ts';
import { LocalArtifactStore } from '../../src/pipeline/index.ts';
import { fontSource, loadRenderAsync, renderRocPlot } from '../../src/pipelines/loan-default/rocPlot.ts';
import { repoRoot } from '../helpers/sharedData.ts';
import { tempDir } from './helpers/tempDir.ts';

test('defining and compiling a pipeline loads neither ajv nor yaml; writing its YAML file does', () => {
  const script = `
    import { createRequire } from 'node:module';
    const { compilePipeline, toPipelineYaml } = await import('./src/pipeline/index.ts');
    const { defaultCatalog } = await import('./src/cli/pipelineCatalog.ts');
    const { pipeline } = await defaultCatalog();
    const spec = compilePipeline(pipeline);
    const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((p) => /node_modules\\/(ajv|yaml)\\//.test(p)).length > 0;
    const before = loaded();
    const text = toPipelineYaml({ spec });
    console.log(JSON.stringify({ before, after: loaded(), yaml: text.startsWith('# Kubeflow Pipelines v2') }));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop()!), { before: false, after: true, yaml: true });
});

test('a put of bytes reports the sha256 and size of what is on disk, for strings (UTF-8) and byte arrays', async () => {
  const root = tempDir();
  const store = new LocalArtifactStore(root);
  const text = '{"name":"caf\u00e9 \u{1F600}"}\n';
  for (const [key, bytes] of [['run.json', text], ['t/bytes.bin', new Uint8Array([0, 255, 10, 13])], ['t/empty', '']] as const) {
    const put = await store.put(key, { bytes });
    const onDisk = readFileSync(join(root, key));
    assert.deepEqual(put, { key, sha256: sha256(onDisk), size: onDisk.length, kind: 'file' }, key);
    assert.deepEqual(put, await store.stat(key), key);
  }
  // Replacing a file (run.json is rewritten) reports the new content.
  const again = await store.put('run.json', { bytes: 'x' });
  assert.equal(again.sha256, sha256('x'));
  assert.equal(again.size, 1);
});

test('a put of bytes still refuses keys that escape the run folder, before writing', async () => {
  const root = tempDir();
  const store = new LocalArtifactStore(root);
  for (const key of ['../escape.json', '/etc/passwd', 'a/../../b']) {
    await assert.rejects(store.put(key, { bytes: 'x' }), /store|key/i, key);
  }
});

test('the ROC PNG from the DejaVu Sans faces alone is byte-identical to the one every system font gives', async (t) => {
  const source = fontSource('DejaVu Sans');
  if (source.loadSystemFonts) {
    t.skip('DejaVu Sans is not installed where the fast path looks');
    return;
  }
  assert.equal(source.fontFiles?.length, 2);
  const n = 400;
  const fpr = Array.from({ length: n + 1 }, (_, i) => i / n);
  const tpr = fpr.map((x, i) => (i === n ? 1 : Math.min(1, Math.sqrt(x) * 1.05)));
  const plot = await renderRocPlot({ fpr, tpr, auc: 0.9466 });
  const { Resvg } = await import('@resvg/resvg-js');
  const font = { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' };
  const system = new Resvg(plot.svg, { fitTo: { mode: 'zoom', value: 2 }, background: 'white', font, logLevel: 'off' }).render().asPng();
  assert.ok(Buffer.from(plot.png).equals(system), 'same PNG bytes');
});

test('another font family loads the system fonts (no fast path)', () => {
  assert.deepEqual(fontSource('Liberation Sans'), { loadSystemFonts: true });
  assert.deepEqual(fontSource(''), { loadSystemFonts: true });
});

test('resvg loaded without its libc probe draws the same PNG as the package, without asking for a process report', async () => {
  const script = `
    const { loadRenderAsync } = await import('./src/pipelines/loan-default/rocPlot.ts');
    let reports = 0;
    const original = process.report.getReport.bind(process.report);
    process.report.getReport = (...a) => { reports++; return original(...a); };
    const fast = await loadRenderAsync();
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect x="5" y="5" width="20" height="10" fill="#1f77b4"/></svg>';
    const png = (await fast(svg, { fitTo: { mode: 'zoom', value: 2 }, background: 'white', font: { loadSystemFonts: false } })).asPng();
    console.log(JSON.stringify({ reports, png: Buffer.from(png).toString('base64') }));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const { reports, png } = JSON.parse(r.stdout.trim().split('\n').pop()!) as { reports: number; png: string };
  const glibcX64 = process.platform === 'linux' && process.arch === 'x64' && !existsSync('/lib/ld-musl-x86_64.so.1');
  if (glibcX64) assert.equal(reports, 0, 'no process report on glibc x64');
  const { renderAsync } = await import('@resvg/resvg-js');
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect x="5" y="5" width="20" height="10" fill="#1f77b4"/></svg>';
  const expected = (await renderAsync(svg, { fitTo: { mode: 'zoom', value: 2 }, background: 'white', font: { loadSystemFonts: false } })).asPng();
  assert.equal(png, Buffer.from(expected).toString('base64'));
  // Loaded once per process.
  assert.equal(await loadRenderAsync(), await loadRenderAsync());
});
