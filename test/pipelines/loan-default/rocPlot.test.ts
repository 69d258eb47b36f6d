import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prefetchedRocCurve, prefetchRocPlot, renderRocPlot, renderRocPlotShared, thinIndices } from '../../../src/pipelines/loan-default/rocPlot.ts';
import { UsageError } from '../../../src/core/errors.ts';

/** A plausible staircase ROC curve with n steps. */
function staircase(n: number): { fpr: number[]; tpr: number[]; thresholds: number[] } {
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Infinity];
  for (let i = 1; i <= n; i++) {
    const x = i / n;
    fpr.push(x);
    tpr.push(Math.min(1, Math.sqrt(x) * 1.05));
    thresholds.push(1 - x);
  }
  tpr[n] = 1;
  return { fpr, tpr, thresholds };
}

function curvePath(svg: string): string {
  const m = /<path[^>]*aria-roledescription="line mark"[^>]*d="([^"]*)"[^>]*stroke="#1f77b4"/.exec(svg);
  assert.ok(m, 'curve path present');
  return m[1];
}

test('renders SVG, PNG and a self-contained HTML page', async () => {
  const plot = await renderRocPlot({ ...staircase(300), auc: 0.946612 });
  assert.match(plot.svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.ok(plot.svg.trimEnd().endsWith('</svg>'));
  for (const text of ['AUC = 0.9466', 'False positive rate', 'True positive rate', 'Chance']) assert.ok(plot.svg.includes(text), text);
  assert.equal(curvePath(plot.svg).split('L').length, 301);

  const png = plot.png;
  assert.deepEqual(Array.from(png.subarray(0, 8)), [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const [w, h] = [dv.getUint32(16), dv.getUint32(20)];
  assert.ok(w >= 800 && w <= 1200 && h >= 800 && h <= 1200, `${w}x${h}`);
  assert.ok(png.length > 10_000, 'PNG has content');

  assert.ok(plot.html.startsWith('<!doctype html>'));
  assert.ok(plot.html.includes(plot.svg));
  assert.ok(plot.html.includes('download="roc_curve.png"'));
  assert.ok(plot.html.includes(`data:image/png;base64,${Buffer.from(png).toString('base64')}`));
  assert.doesNotMatch(plot.html, /<script|<link|(src|href)="https?:/i);
});

test('thins long curves for drawing and keeps the endpoints', async () => {
  const idx = thinIndices(100_000, 2000);
  assert.equal(idx.length, 2000);
  assert.equal(idx[0], 0);
  assert.equal(idx[1999], 99_999);
  for (let i = 1; i < idx.length; i++) assert.ok(idx[i] > idx[i - 1]);
  assert.deepEqual(thinIndices(5, 2000), [0, 1, 2, 3, 4]);

  const plot = await renderRocPlot({ ...staircase(10_000), auc: 0.75 }, { maxPoints: 500 });
  const d = curvePath(plot.svg);
  assert.equal(d.split('L').length, 500);
  assert.ok(d.startsWith('M0,420'), d.slice(0, 20)); // (0, 0) at the bottom-left
  assert.ok(/L420,0$/.test(d), d.slice(-20)); // (1, 1) at the top-right
});

test('rejects inconsistent curves', async () => {
  await assert.rejects(renderRocPlot({ fpr: [0, 1], tpr: [0], auc: 0.5 }), UsageError);
  await assert.rejects(renderRocPlot({ fpr: [0], tpr: [0], auc: 0.5 }), UsageError);
  await assert.rejects(renderRocPlot({ fpr: [0, 1], tpr: [0, 1], auc: Number.NaN }), UsageError);
  await assert.rejects(renderRocPlot({ fpr: [0, 1], tpr: [0, 1], thresholds: [1], auc: 0.5 }), UsageError);
});

test('a prefetched plot is taken only for exactly its curve, and is the same page renderRocPlot draws', async () => {
  const a = { ...staircase(40), auc: 0.8125 };
  const b = { ...staircase(40), auc: 0.8125 };
  b.tpr[7] = b.tpr[7] / 2;
  const direct = await renderRocPlot(a);
  prefetchRocPlot(a);
  const shared = await renderRocPlotShared({ ...a, fpr: [...a.fpr], tpr: [...a.tpr], thresholds: [...a.thresholds] });
  assert.equal(shared.html, direct.html);
  prefetchRocPlot(a);
  const other = await renderRocPlotShared(b);
  assert.equal(other.html, (await renderRocPlot(b)).html, 'another curve is drawn afresh');
  assert.notEqual(other.html, direct.html);
  // Taken once: a later call draws afresh (same bytes).
  assert.equal((await renderRocPlotShared(a)).html, direct.html);
});

test('a prefetched curve is handed only to a reader of exactly the same values', () => {
  const groundTruth = Float64Array.from([0, 1, 1, 0]);
  const probability = Float64Array.from([0.1, 0.8, 0.6, 0.3]);
  const curve = { marker: 'curve' };
  prefetchRocPlot({ ...staircase(3), auc: 1 }, { groundTruth, probability, curve });
  assert.equal(prefetchedRocCurve(groundTruth.slice(), probability.slice()), curve);
  assert.equal(prefetchedRocCurve(groundTruth, Float64Array.from([0.1, 0.8, 0.6, 0.30000000000000004])), undefined);
  assert.equal(prefetchedRocCurve(Float64Array.from([0, 1, 0, 0]), probability), undefined);
  assert.equal(prefetchedRocCurve(groundTruth.subarray(1), probability.subarray(1)), undefined);
});
