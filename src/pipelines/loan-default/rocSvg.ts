// The ROC plot's SVG without vega: vega-lite + vega draw this one chart as the same markup
// every time (title, axes, grid, legend and the chance line are fixed; the AUC text is always
// "AUC = d.dddd", so the legend's estimated width never changes), and only the curve's path and
// the AUC text vary. Loading vega-lite and rendering took ~0.5 s of plot-roc-curve; this takes
// a few milliseconds. The template below is vega's own output (vega 6.4, vega-lite 6.4.3,
// renderer 'none', no canvas package: text widths estimated) with those two parts cut out, and
// the path is formatted as vega's line mark formats it (d3-shape, 3 decimals after the scale's
// interpolation), so the SVG is byte-identical: test/pipelines/loan-default/rocSvg.test.ts
// renders curves both ways and compares. Curves this cannot reproduce exactly (a first point
// other than (0, 0), whose aria label vega formats, or values outside [0, 1]) return undefined
// and are drawn by vega.

/** Where the AUC text goes. */
const AUC = Symbol('auc');
type Piece = string | typeof AUC;

const HEAD: readonly Piece[] = [
  "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" class=\"marks\" width=\"480\" height=\"502\" viewBox=\"0 0 480 502\">",
  "<rect width=\"480\" height=\"502\" fill=\"white\"/>",
  "<g fill=\"none\" stroke-miterlimit=\"4\" transform=\"translate(51,45)\">",
  "<g class=\"mark-group role-frame root\" role=\"graphics-object\" aria-roledescription=\"group mark container\">",
  "<g transform=\"translate(0,0)\">",
  "<path class=\"background\" aria-hidden=\"true\" d=\"M0.5,0.5h420v420h-420Z\" stroke=\"#cccccc\"/>",
  "<g>",
  "<g class=\"mark-group role-axis\" aria-hidden=\"true\">",
  "<g transform=\"translate(0.5,420.5)\">",
  "<path class=\"background\" aria-hidden=\"true\" d=\"M0,0h0v0h0Z\" pointer-events=\"none\"/>",
  "<g>",
  "<g class=\"mark-rule role-axis-grid\" pointer-events=\"none\">",
  "<line transform=\"translate(0,-420)\" x2=\"0\" y2=\"420\" stroke=\"#ddd\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(84,-420)\" x2=\"0\" y2=\"420\" stroke=\"#ddd\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(168,-420)\" x2=\"0\" y2=\"420\" stroke=\"#ddd\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(252,-420)\" x2=\"0\" y2=\"420\" stroke=\"#ddd\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(336,-420)\" x2=\"0\" y2=\"420\" stroke=\"#ddd\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(420,-420)\" x2=\"0\" y2=\"420\" stroke=\"#ddd\" stroke-width=\"1\" opacity=\"1\"/>",
  "</g>",
  "</g>",
  "<path class=\"foreground\" aria-hidden=\"true\" d=\"\" pointer-events=\"none\" display=\"none\"/>",
  "</g>",
  "</g>",
  "<g class=\"mark-group role-axis\" aria-hidden=\"true\">",
  "<g transform=\"translate(0.5,0.5)\">",
  "<path class=\"background\" aria-hidden=\"true\" d=\"M0,0h0v0h0Z\" pointer-events=\"none\"/>",
  "<g>",
  "<g class=\"mark-rule role-axis-grid\" pointer-events=\"none\">",
  "<line transform=\"translate(0,420)\" x2=\"420\" y2=\"0\" stroke=\"#ddd\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(0,336)\" x2=\"420\" y2=\"0\" stroke=\"#ddd\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(0,252)\" x2=\"420\" y2=\"0\" stroke=\"#ddd\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(0,168)\" x2=\"420\" y2=\"0\" stroke=\"#ddd\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(0,84)\" x2=\"420\" y2=\"0\" stroke=\"#ddd\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(0,0)\" x2=\"420\" y2=\"0\" stroke=\"#ddd\" stroke-width=\"1\" opacity=\"1\"/>",
  "</g>",
  "</g>",
  "<path class=\"foreground\" aria-hidden=\"true\" d=\"\" pointer-events=\"none\" display=\"none\"/>",
  "</g>",
  "</g>",
  "<g class=\"mark-group role-axis\" role=\"graphics-symbol\" aria-roledescription=\"axis\" aria-label=\"X-axis titled 'False positive rate' for a linear scale with values from 0.0 to 1.0\">",
  "<g transform=\"translate(0.5,420.5)\">",
  "<path class=\"background\" aria-hidden=\"true\" d=\"M0,0h0v0h0Z\" pointer-events=\"none\"/>",
  "<g>",
  "<g class=\"mark-rule role-axis-tick\" pointer-events=\"none\">",
  "<line transform=\"translate(0,0)\" x2=\"0\" y2=\"5\" stroke=\"#888\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(84,0)\" x2=\"0\" y2=\"5\" stroke=\"#888\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(168,0)\" x2=\"0\" y2=\"5\" stroke=\"#888\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(252,0)\" x2=\"0\" y2=\"5\" stroke=\"#888\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(336,0)\" x2=\"0\" y2=\"5\" stroke=\"#888\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(420,0)\" x2=\"0\" y2=\"5\" stroke=\"#888\" stroke-width=\"1\" opacity=\"1\"/>",
  "</g>",
  "<g class=\"mark-text role-axis-label\" pointer-events=\"none\">",
  "<text text-anchor=\"start\" transform=\"translate(0,15)\" font-family=\"sans-serif\" font-size=\"10px\" fill=\"#000\" opacity=\"1\">0.0</text>",
  "<text text-anchor=\"middle\" transform=\"translate(84,15)\" font-family=\"sans-serif\" font-size=\"10px\" fill=\"#000\" opacity=\"1\">0.2</text>",
  "<text text-anchor=\"middle\" transform=\"translate(168,15)\" font-family=\"sans-serif\" font-size=\"10px\" fill=\"#000\" opacity=\"1\">0.4</text>",
  "<text text-anchor=\"middle\" transform=\"translate(252,15)\" font-family=\"sans-serif\" font-size=\"10px\" fill=\"#000\" opacity=\"1\">0.6</text>",
  "<text text-anchor=\"middle\" transform=\"translate(336,15)\" font-family=\"sans-serif\" font-size=\"10px\" fill=\"#000\" opacity=\"1\">0.8</text>",
  "<text text-anchor=\"end\" transform=\"translate(420,15)\" font-family=\"sans-serif\" font-size=\"10px\" fill=\"#000\" opacity=\"1\">1.0</text>",
  "</g>",
  "<g class=\"mark-rule role-axis-domain\" pointer-events=\"none\">",
  "<line transform=\"translate(0,0)\" x2=\"420\" y2=\"0\" stroke=\"#888\" stroke-width=\"1\" opacity=\"1\"/>",
  "</g>",
  "<g class=\"mark-text role-axis-title\" pointer-events=\"none\">",
  "<text text-anchor=\"middle\" transform=\"translate(210,30)\" font-family=\"sans-serif\" font-size=\"11px\" font-weight=\"bold\" fill=\"#000\" opacity=\"1\">False positive rate</text>",
  "</g>",
  "</g>",
  "<path class=\"foreground\" aria-hidden=\"true\" d=\"\" pointer-events=\"none\" display=\"none\"/>",
  "</g>",
  "</g>",
  "<g class=\"mark-group role-axis\" role=\"graphics-symbol\" aria-roledescription=\"axis\" aria-label=\"Y-axis titled 'True positive rate' for a linear scale with values from 0.0 to 1.0\">",
  "<g transform=\"translate(0.5,0.5)\">",
  "<path class=\"background\" aria-hidden=\"true\" d=\"M0,0h0v0h0Z\" pointer-events=\"none\"/>",
  "<g>",
  "<g class=\"mark-rule role-axis-tick\" pointer-events=\"none\">",
  "<line transform=\"translate(0,420)\" x2=\"-5\" y2=\"0\" stroke=\"#888\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(0,336)\" x2=\"-5\" y2=\"0\" stroke=\"#888\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(0,252)\" x2=\"-5\" y2=\"0\" stroke=\"#888\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(0,168)\" x2=\"-5\" y2=\"0\" stroke=\"#888\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(0,84)\" x2=\"-5\" y2=\"0\" stroke=\"#888\" stroke-width=\"1\" opacity=\"1\"/>",
  "<line transform=\"translate(0,0)\" x2=\"-5\" y2=\"0\" stroke=\"#888\" stroke-width=\"1\" opacity=\"1\"/>",
  "</g>",
  "<g class=\"mark-text role-axis-label\" pointer-events=\"none\">",
  "<text text-anchor=\"end\" transform=\"translate(-7,423)\" font-family=\"sans-serif\" font-size=\"10px\" fill=\"#000\" opacity=\"1\">0.0</text>",
  "<text text-anchor=\"end\" transform=\"translate(-7,339)\" font-family=\"sans-serif\" font-size=\"10px\" fill=\"#000\" opacity=\"1\">0.2</text>",
  "<text text-anchor=\"end\" transform=\"translate(-7,255)\" font-family=\"sans-serif\" font-size=\"10px\" fill=\"#000\" opacity=\"1\">0.4</text>",
  "<text text-anchor=\"end\" transform=\"translate(-7,171)\" font-family=\"sans-serif\" font-size=\"10px\" fill=\"#000\" opacity=\"1\">0.6</text>",
  "<text text-anchor=\"end\" transform=\"translate(-7,86.99999999999999)\" font-family=\"sans-serif\" font-size=\"10px\" fill=\"#000\" opacity=\"1\">0.8</text>",
  "<text text-anchor=\"end\" transform=\"translate(-7,3)\" font-family=\"sans-serif\" font-size=\"10px\" fill=\"#000\" opacity=\"1\">1.0</text>",
  "</g>",
  "<g class=\"mark-rule role-axis-domain\" pointer-events=\"none\">",
  "<line transform=\"translate(0,420)\" x2=\"0\" y2=\"-420\" stroke=\"#888\" stroke-width=\"1\" opacity=\"1\"/>",
  "</g>",
  "<g class=\"mark-text role-axis-title\" pointer-events=\"none\">",
  "<text text-anchor=\"middle\" transform=\"translate(-35,210) rotate(-90) translate(0,-2)\" font-family=\"sans-serif\" font-size=\"11px\" font-weight=\"bold\" fill=\"#000\" opacity=\"1\">True positive rate</text>",
  "</g>",
  "</g>",
  "<path class=\"foreground\" aria-hidden=\"true\" d=\"\" pointer-events=\"none\" display=\"none\"/>",
  "</g>",
  "</g>",
  "<g class=\"mark-group role-scope layer_0_pathgroup\" role=\"graphics-object\" aria-roledescription=\"group mark container\">",
  "<g transform=\"translate(0,0)\">",
  "<path class=\"background\" aria-hidden=\"true\" d=\"M0,0h420v420h-420Z\"/>",
  "<g>",
  "<g class=\"mark-line role-mark layer_0_marks\" role=\"graphics-object\" aria-roledescription=\"line mark container\">",
  "<path aria-label=\"fpr: 0.0; tpr: 0.0; series: Chance\" role=\"graphics-symbol\" aria-roledescription=\"line mark\" d=\"M0,420L420,0\" stroke=\"#888888\" stroke-width=\"1.5\" stroke-dasharray=\"6,4\"/>",
  "</g>",
  "</g>",
  "<path class=\"foreground\" aria-hidden=\"true\" d=\"\" display=\"none\"/>",
  "</g>",
  "</g>",
  "<g class=\"mark-group role-scope layer_1_pathgroup\" role=\"graphics-object\" aria-roledescription=\"group mark container\">",
  "<g transform=\"translate(0,0)\">",
  "<path class=\"background\" aria-hidden=\"true\" d=\"M0,0h420v420h-420Z\"/>",
  "<g>",
  "<g class=\"mark-line role-mark layer_1_marks\" role=\"graphics-object\" aria-roledescription=\"line mark container\">",
  "<path aria-label=\"fpr: 0; tpr: 0; series: ROC curve (",
  AUC,
  "); i: 0\" role=\"graphics-symbol\" aria-roledescription=\"line mark\" ",
];
const TAIL: readonly Piece[] = [
  " stroke=\"#1f77b4\" stroke-width=\"2\"/>",
  "</g>",
  "</g>",
  "<path class=\"foreground\" aria-hidden=\"true\" d=\"\" display=\"none\"/>",
  "</g>",
  "</g>",
  "<g class=\"mark-group role-legend\" role=\"graphics-symbol\" aria-roledescription=\"legend\" aria-label=\"Symbol legend for stroke color with 2 values: ROC curve (",
  AUC,
  "), Chance\">",
  "<g transform=\"translate(156,376)\">",
  "<path class=\"background\" aria-hidden=\"true\" d=\"M0,0h246v26h-246Z\" pointer-events=\"none\"/>",
  "<g>",
  "<g class=\"mark-group role-legend-entry\">",
  "<g transform=\"translate(0,0)\">",
  "<path class=\"background\" aria-hidden=\"true\" d=\"M0,0h0v0h0Z\" pointer-events=\"none\"/>",
  "<g>",
  "<g class=\"mark-group role-scope\" role=\"graphics-object\" aria-roledescription=\"group mark container\">",
  "<g transform=\"translate(0,0)\">",
  "<path class=\"background\" aria-hidden=\"true\" d=\"M0,0h246v12h-246Z\" pointer-events=\"none\" opacity=\"1\"/>",
  "<g>",
  "<g class=\"mark-symbol role-legend-symbol\" pointer-events=\"none\">",
  "<path transform=\"translate(6,6)\" d=\"M-5,0L5,0\" stroke=\"#1f77b4\" stroke-width=\"1.5\" opacity=\"1\"/>",
  "</g>",
  "<g class=\"mark-text role-legend-label\" pointer-events=\"none\">",
  "<text text-anchor=\"start\" transform=\"translate(16,10)\" font-family=\"sans-serif\" font-size=\"12px\" fill=\"#000\" opacity=\"1\">ROC curve (",
  AUC,
  ")</text>",
  "</g>",
  "</g>",
  "<path class=\"foreground\" aria-hidden=\"true\" d=\"\" pointer-events=\"none\" display=\"none\"/>",
  "</g>",
  "<g transform=\"translate(0,14)\">",
  "<path class=\"background\" aria-hidden=\"true\" d=\"M0,0h246v12h-246Z\" pointer-events=\"none\" opacity=\"1\"/>",
  "<g>",
  "<g class=\"mark-symbol role-legend-symbol\" pointer-events=\"none\">",
  "<path transform=\"translate(6,6)\" d=\"M-5,0L5,0\" stroke=\"#888888\" stroke-width=\"1.5\" opacity=\"1\"/>",
  "</g>",
  "<g class=\"mark-text role-legend-label\" pointer-events=\"none\">",
  "<text text-anchor=\"start\" transform=\"translate(16,10)\" font-family=\"sans-serif\" font-size=\"12px\" fill=\"#000\" opacity=\"1\">Chance</text>",
  "</g>",
  "</g>",
  "<path class=\"foreground\" aria-hidden=\"true\" d=\"\" pointer-events=\"none\" display=\"none\"/>",
  "</g>",
  "</g>",
  "</g>",
  "<path class=\"foreground\" aria-hidden=\"true\" d=\"\" pointer-events=\"none\" display=\"none\"/>",
  "</g>",
  "</g>",
  "</g>",
  "<path class=\"foreground\" aria-hidden=\"true\" d=\"\" pointer-events=\"none\" display=\"none\"/>",
  "</g>",
  "</g>",
  "<g class=\"mark-group role-title\">",
  "<g transform=\"translate(-46,-40)\">",
  "<path class=\"background\" aria-hidden=\"true\" d=\"M0,0h0v0h0Z\" pointer-events=\"none\"/>",
  "<g>",
  "<g class=\"mark-text role-title-text\" role=\"graphics-symbol\" aria-roledescription=\"title\" aria-label=\"Title text 'Receiver operating characteristic'\" pointer-events=\"none\">",
  "<text text-anchor=\"start\" transform=\"translate(0,12)\" font-family=\"sans-serif\" font-size=\"15px\" font-weight=\"bold\" fill=\"#000\" opacity=\"1\">Receiver operating characteristic</text>",
  "</g>",
  "<g class=\"mark-text role-title-subtitle\" role=\"graphics-symbol\" aria-roledescription=\"subtitle\" aria-label=\"Subtitle text '",
  AUC,
  "'\" pointer-events=\"none\">",
  "<text text-anchor=\"start\" transform=\"translate(0,28)\" font-family=\"sans-serif\" font-size=\"13px\" fill=\"#000\" opacity=\"1\">",
  AUC,
  "</text>",
  "</g>",
  "</g>",
  "<path class=\"foreground\" aria-hidden=\"true\" d=\"\" pointer-events=\"none\" display=\"none\"/>",
  "</g>",
  "</g>",
  "</g>",
  "<path class=\"foreground\" aria-hidden=\"true\" d=\"\" display=\"none\"/>",
  "</g>",
  "</g>",
  "</g>",
  "</svg>",
];


/** Plot size in pixels (rocPlot.ts SIZE): the scales map [0, 1] onto [0, 420]. */
const SIZE = 420;

/** d3-path's rounding of coordinates (3 decimals) and JS number formatting. */
function coord(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

/**
 * The SVG vega draws for rocSpec(points, aucText), or undefined when the curve is one whose
 * markup this template cannot reproduce exactly (then draw it with vega).
 */
export function rocSvg(points: readonly { fpr: number; tpr: number }[], aucText: string): string | undefined {
  // A curve that does not end at (1, 1) changes vega's layout (the frame shrinks a pixel: found in
  // review); roc_curve's curves always start at (0, 0) and end there.
  const last = points[points.length - 1];
  if (points.length < 2 || points[0].fpr !== 0 || points[0].tpr !== 0 || last?.fpr !== 1 || last.tpr !== 1) return undefined;
  if (!/^AUC = [01]\.\d{4}$/.test(aucText)) return undefined;
  const d: string[] = [];
  for (let i = 0; i < points.length; i++) {
    const { fpr, tpr } = points[i];
    if (!(fpr >= 0 && fpr <= 1 && tpr >= 0 && tpr <= 1)) return undefined;
    // d3-interpolate's a * (1 - t) + b * t for the ranges [0, 420] (x) and [420, 0] (y).
    const x = 0 * (1 - fpr) + SIZE * fpr;
    const y = SIZE * (1 - tpr) + 0 * tpr;
    d.push(`${i === 0 ? 'M' : 'L'}${coord(x)},${coord(y)}`);
  }
  const fill = (pieces: readonly Piece[]) => pieces.map((p) => (p === AUC ? aucText : p)).join('');
  return `${fill(HEAD)}d="${d.join('')}"${fill(TAIL)}`;
}
