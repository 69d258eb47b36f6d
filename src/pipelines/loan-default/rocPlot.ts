// Draws the ROC curve for the `roc_plot` artifact without a browser:
//
//   curve -> vega-lite spec -> vega spec (compile) -> SVG (headless View, renderer 'none')
//         -> PNG (resvg: DejaVu Sans, else system fonts) -> one self-contained HTML page (inline SVG + PNG link)
//
// The SVG step normally skips vega: rocSvg.ts fills vega's own markup for this chart with the
// curve (byte-identical, ~0.5 s less); curves it cannot reproduce exactly go through vega.
//
// The page loads nothing from outside (a CSP forbids it), so it displays the same in the
// Kubeflow UI, our dashboard or a file browser.
// vega, vega-lite and resvg load when a plot is drawn, not when the pipeline is defined (start-up, issue 17).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { renderAsync as RenderAsync, ResvgRenderOptions } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';
import { UsageError } from '../../core/errors.ts';
import { rocSvg } from './rocSvg.ts';

export interface RocCurve {
  fpr: ArrayLike<number>;
  tpr: ArrayLike<number>;
  thresholds?: ArrayLike<number>;
  auc: number;
}

export interface RocPlot {
  svg: string;
  png: Uint8Array;
  html: string;
}

export interface RocPlotOptions {
  /** Curves longer than this are thinned for drawing (endpoints kept). Default 2000. */
  maxPoints?: number;
  /** Font resvg uses for the PNG. Default 'DejaVu Sans', falling back to the first system font. */
  fontFamily?: string;
  /** PNG pixels per SVG pixel. Default 2. */
  pngScale?: number;
}

const SIZE = 420;
const CURVE_COLOR = '#1f77b4';
const CHANCE_COLOR = '#888888';

export async function renderRocPlot(curve: RocCurve, options: RocPlotOptions = {}): Promise<RocPlot> {
  checkCurve(curve);
  const aucText = `AUC = ${curve.auc.toFixed(4)}`;
  const points = thinIndices(curve.fpr.length, options.maxPoints ?? 2000).map((i) => ({ fpr: curve.fpr[i], tpr: curve.tpr[i] }));
  const svg = rocSvg(points, aucText) ?? (await renderSvgWithVega(rocSpec(points, aucText)));
  const png = await renderPng(svg, options.fontFamily ?? 'DejaVu Sans', options.pngScale ?? 2);
  return { svg, png, html: rocHtml(svg, png, aucText) };
}

/**
 * One drawing started ahead (prefetchRocPlot): batch-inference has the ROC curve of its
 * predictions before it writes them, so the PNG (~30 ms of resvg on libuv's thread pool at 32k
 * rows) draws while that step writes its files and plot-roc-curve reads them back (issue 17).
 * plot-roc-curve takes it only for exactly the curve it computed itself from the file it read
 * (renderRocPlotShared); the drawing depends on nothing else, so the page is byte-identical.
 */
let prefetched: { curve: RocCurve; plot: Promise<RocPlot>; source?: RocSource } | undefined;

/** What a curve was computed from (scikit-learn's roc_curve inputs) and the curve itself, of any shape. */
export interface RocSource<C = unknown> {
  readonly groundTruth: Float64Array;
  readonly probability: Float64Array;
  readonly curve: C;
}

/**
 * Starts drawing `curve` (default options) for a later renderRocPlotShared of the same curve in
 * this process. With `source`, prefetchedRocCurve hands the curve to a reader of the same inputs.
 * The arrays must not change afterwards.
 */
export function prefetchRocPlot(curve: RocCurve, source?: RocSource): void {
  const plot = renderRocPlot(curve);
  // Taken and awaited by renderRocPlotShared, or dropped: a failure here is not unhandled.
  plot.catch(() => {});
  prefetched = { curve, plot, ...(source ? { source } : {}) };
}

/**
 * The curve prefetchRocPlot was given with `source`, when `groundTruth` and `probability` hold
 * exactly the same values (the curve is a function of them only: no second sort; issue 17).
 */
export function prefetchedRocCurve<C>(groundTruth: Float64Array, probability: Float64Array): C | undefined {
  const s = prefetched?.source;
  return s !== undefined && sameValues(s.groundTruth, groundTruth) && sameValues(s.probability, probability) ? (s.curve as C) : undefined;
}

/** renderRocPlot(curve) with default options, taking the prefetched drawing when it is of exactly this curve. */
export function renderRocPlotShared(curve: RocCurve): Promise<RocPlot> {
  const p = prefetched;
  prefetched = undefined;
  return p !== undefined && sameCurve(p.curve, curve) ? p.plot : renderRocPlot(curve);
}

function sameCurve(a: RocCurve, b: RocCurve): boolean {
  return Object.is(a.auc, b.auc) && sameValues(a.fpr, b.fpr) && sameValues(a.tpr, b.tpr) && (a.thresholds === undefined ? b.thresholds === undefined : b.thresholds !== undefined && sameValues(a.thresholds, b.thresholds));
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function checkCurve(c: RocCurve): void {
  const bad = (problem: string) => new UsageError('roc.badCurve', { problem });
  if (c.fpr.length !== c.tpr.length) throw bad(`fpr has ${c.fpr.length} points, tpr ${c.tpr.length}`);
  if (c.thresholds !== undefined && c.thresholds.length !== c.fpr.length) throw bad(`thresholds has ${c.thresholds.length} points, fpr ${c.fpr.length}`);
  if (c.fpr.length < 2) throw bad('a curve needs at least 2 points');
  if (!(c.auc >= 0 && c.auc <= 1)) throw bad(`AUC ${c.auc} is not in [0, 1]`);
}

/** Evenly spaced indices of 0..n-1, at most `max` of them, always including 0 and n-1. */
export function thinIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const m = Math.max(2, max);
  return Array.from({ length: m }, (_, i) => Math.round((i * (n - 1)) / (m - 1)));
}

export function rocSpec(points: { fpr: number; tpr: number }[], aucText: string): TopLevelSpec {
  const curveName = `ROC curve (${aucText})`;
  const chanceName = 'Chance';
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: [curveName, chanceName], range: [CURVE_COLOR, CHANCE_COLOR] },
    legend: { orient: 'bottom-right', labelLimit: 300, labelFontSize: 12 },
  } as const;
  const axis = (title: string) => ({ title, tickCount: 5, grid: true, format: '.1f' });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Receiver operating characteristic', subtitle: aucText, anchor: 'start', fontSize: 15, subtitleFontSize: 13 },
    width: SIZE,
    height: SIZE,
    background: 'white',
    config: { font: 'sans-serif', view: { stroke: '#cccccc' } },
    layer: [
      {
        data: { values: [{ fpr: 0, tpr: 0, series: chanceName }, { fpr: 1, tpr: 1, series: chanceName }] },
        mark: { type: 'line', strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: {
          x: { field: 'fpr', type: 'quantitative', scale: { domain: [0, 1] }, axis: axis('False positive rate') },
          y: { field: 'tpr', type: 'quantitative', scale: { domain: [0, 1] }, axis: axis('True positive rate') },
          color,
        },
      },
      {
        data: { values: points.map((p, i) => ({ ...p, i, series: curveName })) },
        mark: { type: 'line', strokeWidth: 2, interpolate: 'linear' },
        encoding: {
          x: { field: 'fpr', type: 'quantitative' },
          y: { field: 'tpr', type: 'quantitative' },
          // Draw in data order: vertical steps share an x, so sorting by x could scramble them.
          order: { field: 'i', type: 'quantitative' },
          color,
        },
      },
    ],
  } as TopLevelSpec;
}

/** The SVG vega draws for a spec (what rocSvg.ts reproduces; tests compare the two). */
export async function renderSvgWithVega(spec: TopLevelSpec): Promise<string> {
  const [{ compile }, { parse, View }] = await Promise.all([import('vega-lite'), import('vega')]);
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

async function renderPng(svg: string, fontFamily: string, scale: number): Promise<Uint8Array> {
  const renderAsync = await loadRenderAsync();
  // On libuv's thread pool: the caller can do other work (write the ROC JSON) while it draws.
  const image = await renderAsync(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { ...fontSource(fontFamily), defaultFontFamily: fontFamily, sansSerifFamily: fontFamily },
    logLevel: 'off',
  });
  return new Uint8Array(image.asPng());
}

type RenderPng = typeof RenderAsync;
let renderAsyncLoaded: RenderPng | undefined;

/**
 * resvg's renderAsync. The package's loader asks process.report.getReport() whether the C library
 * is musl before it picks a native build, and that report takes 10-20 ms (issue 17: most of what
 * plot-roc-curve may take). On x64 Linux without musl's loader the glibc build is what it would
 * pick, so that one is required straight away (resolved from the package, called as its wrapper
 * calls it); anything unexpected falls back to the package's own loader.
 */
export async function loadRenderAsync(): Promise<RenderPng> {
  if (renderAsyncLoaded) return renderAsyncLoaded;
  if (process.platform === 'linux' && process.arch === 'x64' && !existsSync('/lib/ld-musl-x86_64.so.1')) {
    try {
      const fromPackage = createRequire(createRequire(import.meta.url).resolve('@resvg/resvg-js'));
      const binding = fromPackage('@resvg/resvg-js-linux-x64-gnu') as { renderAsync?: (svg: string | Buffer, options: string | null, signal?: AbortSignal | null) => ReturnType<RenderPng> };
      const native = binding.renderAsync;
      if (typeof native === 'function') {
        return (renderAsyncLoaded = (svg: string | Buffer, options?: ResvgRenderOptions | null, signal?: AbortSignal | null) => native(svg, options ? JSON.stringify(options) : null, signal));
      }
    } catch {
      // Not installed that way (another layout, another libc): the package decides below.
    }
  }
  return (renderAsyncLoaded = (await import('@resvg/resvg-js')).renderAsync);
}

/**
 * Where distributions install DejaVu Sans: Debian/Ubuntu, Fedora/RHEL, Alpine, Arch. The chart's
 * text (ASCII, regular and bold) draws from these two faces, which are what resvg's system-font
 * lookup picks for 'DejaVu Sans' anyway; loading just them instead of every system font takes
 * ~10 ms less (issue 17). A test checks both give the same PNG.
 */
const DEJAVU_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/dejavu-sans-fonts', '/usr/share/fonts/dejavu', '/usr/share/fonts/TTF'];
const DEJAVU_FACES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

/** The font files resvg loads for `fontFamily`: DejaVu Sans's two faces when found, else every system font. */
export function fontSource(fontFamily: string): { loadSystemFonts: boolean; fontFiles?: string[] } {
  if (fontFamily === 'DejaVu Sans') {
    for (const dir of DEJAVU_DIRS) {
      const files = DEJAVU_FACES.map((f) => `${dir}/${f}`);
      if (files.every((f) => existsSync(f))) return { loadSystemFonts: false, fontFiles: files };
    }
  }
  return { loadSystemFonts: true };
}

function rocHtml(svg: string, png: Uint8Array, aucText: string): string {
  const pngUri = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>ROC curve (${aucText})</title>
<style>
body { font-family: sans-serif; margin: 1.5rem; color: #222; }
figure { margin: 0; }
a { color: ${CURVE_COLOR}; }
</style>
</head>
<body>
<figure>
${svg}
<figcaption>${aucText} &middot; <a download="roc_curve.png" href="${pngUri}">Download roc_curve.png</a></figcaption>
</figure>
</body>
</html>
`;
}
