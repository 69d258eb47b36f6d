// The ROC plot's SVG drawn from the template (rocSvg.ts) must be byte for byte what vega draws
// for the same spec, so the page and its PNG look exactly as they did when vega drew them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rocCurve } from '../../../src/ml/index.ts';
import { renderRocPlot, renderSvgWithVega, rocSpec, thinIndices } from '../../../src/pipelines/loan-default/rocPlot.ts';
import { rocSvg } from '../../../src/pipelines/loan-default/rocSvg.ts';

/** Seeded uniform numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A ROC curve as the pipeline makes one: scores correlated with the labels, ties included. */
function pipelineCurve(n: number, seed: number, digits = 6): { points: { fpr: number; tpr: number }[]; aucText: string } {
  const r = random(seed);
  const y = Float64Array.from({ length: n }, () => (r() < 0.3 ? 1 : 0));
  const p = Float64Array.from(y, (v) => Number(Math.min(1, Math.max(0, 0.35 * v + 0.65 * r())).toFixed(digits)));
  const c = rocCurve(y, p);
  const points = thinIndices(c.fpr.length, 2000).map((i) => ({ fpr: c.fpr[i], tpr: c.tpr[i] }));
  return { points, aucText: `AUC = ${(0.5 + r() / 2).toFixed(4)}` };
}

test('the template SVG is byte-identical to vega\'s for pipeline-like curves', async () => {
  const cases = [pipelineCurve(50, 1), pipelineCurve(5000, 2, 2), pipelineCurve(40_000, 3), pipelineCurve(300, 4, 1)];
  cases.push({ points: [{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }], aucText: 'AUC = 0.5000' });
  cases.push({ points: [{ fpr: 0, tpr: 0 }, { fpr: 0, tpr: 1 }, { fpr: 1, tpr: 1 }], aucText: 'AUC = 1.0000' });
  // Coordinates at rounding edges: x = 420 * fpr lands on ...5 in the 4th decimal.
  cases.push({ points: [{ fpr: 0, tpr: 0 }, { fpr: 0.0000011904761904761906, tpr: 1 / 3 }, { fpr: 2 / 3, tpr: 0.7 }, { fpr: 1, tpr: 1 }], aucText: 'AUC = 0.0000' });
  for (const { points, aucText } of cases) {
    const ours = rocSvg(points, aucText);
    assert.ok(ours !== undefined);
    assert.equal(ours, await renderSvgWithVega(rocSpec(points, aucText)), `${points.length} points, ${aucText}`);
  }
});

test('curves the template cannot reproduce exactly are left to vega', async () => {
  assert.equal(rocSvg([{ fpr: 0.1, tpr: 0 }, { fpr: 1, tpr: 1 }], 'AUC = 0.5000'), undefined);
  assert.equal(rocSvg([{ fpr: 0, tpr: 0 }, { fpr: Number.NaN, tpr: 1 }], 'AUC = 0.5000'), undefined);
  assert.equal(rocSvg([{ fpr: 0, tpr: 0 }, { fpr: 1.5, tpr: 1 }], 'AUC = 0.5000'), undefined);
  assert.equal(rocSvg([{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }], 'AUC = 0.5'), undefined);
  // Curves that stop short of (1, 1) change vega's layout (found in review: width 479): vega draws them.
  for (const end of [{ fpr: 0, tpr: 1 }, { fpr: 0.997, tpr: 1 }, { fpr: 0.3, tpr: 0.4 }]) {
    assert.equal(rocSvg([{ fpr: 0, tpr: 0 }, end], 'AUC = 0.5000'), undefined);
  }
  // Such a curve is still drawn (by vega).
  const plot = await renderRocPlot({ fpr: [0.1, 0.5, 1], tpr: [0.2, 0.6, 1], auc: 0.5 });
  assert.ok(plot.svg.includes('aria-roledescription="line mark"'));
});
