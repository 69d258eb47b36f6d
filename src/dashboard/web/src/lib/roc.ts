// ROC helpers: nearest point to the pointer, and thinning a long curve for drawing.
import type { RocPoint } from '../../../api/contract.ts';

/** Index of the point nearest to (fpr, tpr) in plot units (x and y scaled by sx, sy), or -1. */
export function nearestPoint(points: RocPoint[], fpr: number, tpr: number, sx = 1, sy = 1): number {
  let best = -1;
  let bestD = Infinity;
  for (let i = 0; i < points.length; i++) {
    const dx = (points[i].fpr - fpr) * sx;
    const dy = (points[i].tpr - tpr) * sy;
    const d = dx * dx + dy * dy;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/** Drops points closer than `minStep` (in data units) to the last kept one; keeps both ends. */
export function thinCurve(points: RocPoint[], minStep: number): RocPoint[] {
  if (points.length <= 2) return points;
  const out = [points[0]];
  let last = points[0];
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i];
    if (Math.abs(p.fpr - last.fpr) >= minStep || Math.abs(p.tpr - last.tpr) >= minStep) {
      out.push(p);
      last = p;
    }
  }
  out.push(points[points.length - 1]);
  return out;
}
