// ROC curves in SVG: axes with ticks, the chance diagonal, one or more curves, and on hover the
// nearest point (over all curves) highlighted with its threshold, FPR and TPR.
import { useMemo, useRef, useState, type PointerEvent } from 'react';
import type { RocPoint } from '../../../api/contract.ts';
import { nearestPoint, thinCurve } from '../lib/roc.ts';

export interface RocSeries {
  id: string;
  label: string;
  color: string;
  points: RocPoint[];
}

interface RocChartProps {
  series: RocSeries[];
  /** A point to mark, e.g. the operating point of the threshold slider. */
  marker?: { fpr: number; tpr: number; label: string };
  /** Fill the area under a single curve. */
  fillArea?: boolean;
  testId: string;
  readoutTestId: string;
  title: string;
}

const W = 440;
const H = 420;
const M = { left: 56, right: 16, top: 14, bottom: 48 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;
const TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1];

const sx = (fpr: number) => M.left + fpr * PW;
const sy = (tpr: number) => M.top + (1 - tpr) * PH;

function formatThreshold(t: number): string {
  if (!Number.isFinite(t)) return '∞';
  return t.toFixed(4);
}

export function RocChart({ series, marker, fillArea, testId, readoutTestId, title }: RocChartProps) {
  const svg = useRef<SVGSVGElement>(null);
  const [hover, setHover] = useState<{ s: number; i: number }>();
  const paths = useMemo(
    () =>
      series.map((s) => {
        const pts = thinCurve(s.points, 0.5 / Math.max(PW, PH));
        const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.fpr).toFixed(1)},${sy(p.tpr).toFixed(1)}`).join('');
        const area = pts.length > 0 ? `${d}L${sx(pts[pts.length - 1].fpr).toFixed(1)},${sy(0)}L${sx(pts[0].fpr).toFixed(1)},${sy(0)}Z` : '';
        return { d, area };
      }),
    [series],
  );

  const onMove = (e: PointerEvent<SVGSVGElement>) => {
    const el = svg.current;
    const ctm = el?.getScreenCTM();
    if (!el || !ctm) return;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
    const fpr = (p.x - M.left) / PW;
    const tpr = 1 - (p.y - M.top) / PH;
    let best: { s: number; i: number; d: number } | undefined;
    series.forEach((s, si) => {
      const i = nearestPoint(s.points, fpr, tpr, PW, PH);
      if (i < 0) return;
      const d = ((s.points[i].fpr - fpr) * PW) ** 2 + ((s.points[i].tpr - tpr) * PH) ** 2;
      if (!best || d < best.d) best = { s: si, i, d };
    });
    setHover(best ? { s: best.s, i: best.i } : undefined);
  };

  const h = hover && series[hover.s]?.points[hover.i] ? { series: series[hover.s], point: series[hover.s].points[hover.i] } : undefined;

  return (
    <figure className="roc">
      <svg
        ref={svg}
        className="roc__svg"
        data-testid={testId}
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={title}
        onPointerMove={onMove}
        onPointerLeave={() => setHover(undefined)}
      >
        <rect className="roc__plot" x={M.left} y={M.top} width={PW} height={PH} />
        {TICKS.map((t) => (
          <g key={t} className="roc__tick">
            <line className="roc__grid" x1={sx(t)} x2={sx(t)} y1={M.top} y2={M.top + PH} />
            <line className="roc__grid" x1={M.left} x2={M.left + PW} y1={sy(t)} y2={sy(t)} />
            <line className="roc__tickmark" x1={sx(t)} x2={sx(t)} y1={M.top + PH} y2={M.top + PH + 5} />
            <line className="roc__tickmark" x1={M.left - 5} x2={M.left} y1={sy(t)} y2={sy(t)} />
            <text className="roc__ticklabel" x={sx(t)} y={M.top + PH + 18} textAnchor="middle">
              {t.toFixed(1)}
            </text>
            <text className="roc__ticklabel" x={M.left - 9} y={sy(t) + 4} textAnchor="end">
              {t.toFixed(1)}
            </text>
          </g>
        ))}
        <line className="roc__axis" x1={M.left} x2={M.left + PW} y1={M.top + PH} y2={M.top + PH} />
        <line className="roc__axis" x1={M.left} x2={M.left} y1={M.top} y2={M.top + PH} />
        <text className="roc__axislabel" x={M.left + PW / 2} y={H - 8} textAnchor="middle">
          False positive rate
        </text>
        <text className="roc__axislabel" transform={`translate(15 ${M.top + PH / 2}) rotate(-90)`} textAnchor="middle">
          True positive rate
        </text>
        <line className="roc__diagonal" x1={sx(0)} y1={sy(0)} x2={sx(1)} y2={sy(1)} />
        {fillArea && series.length === 1 && paths[0].area && <path className="roc__area" d={paths[0].area} fill={series[0].color} />}
        {series.map((s, i) => (
          <path key={s.id} className="roc__curve" d={paths[i].d} stroke={s.color} data-series={s.id} />
        ))}
        {marker && (
          <g className="roc__marker">
            <circle cx={sx(marker.fpr)} cy={sy(marker.tpr)} r={6} />
            <text x={sx(marker.fpr) + 9} y={sy(marker.tpr) + 16}>
              {marker.label}
            </text>
          </g>
        )}
        {h && (
          <g className="roc__hover" pointerEvents="none">
            <line x1={sx(h.point.fpr)} x2={sx(h.point.fpr)} y1={M.top} y2={M.top + PH} />
            <line x1={M.left} x2={M.left + PW} y1={sy(h.point.tpr)} y2={sy(h.point.tpr)} />
            <circle cx={sx(h.point.fpr)} cy={sy(h.point.tpr)} r={5} fill={h.series.color} />
          </g>
        )}
        {/* Catches the pointer everywhere in the plot, above the curves. */}
        <rect className="roc__hit" x={0} y={0} width={W} height={H} />
      </svg>
      <figcaption className="roc__readout" data-testid={readoutTestId} aria-live="polite">
        {h ? (
          <>
            {series.length > 1 && (
              <span className="roc__readout-series">
                <span className="swatch" style={{ backgroundColor: h.series.color }} />
                {h.series.label}
              </span>
            )}
            <span>
              threshold <b>{formatThreshold(h.point.threshold)}</b>
            </span>
            <span>
              FPR <b>{h.point.fpr.toFixed(4)}</b>
            </span>
            <span>
              TPR <b>{h.point.tpr.toFixed(4)}</b>
            </span>
          </>
        ) : (
          <span className="muted">Point at the curve to read its values.</span>
        )}
      </figcaption>
    </figure>
  );
}
