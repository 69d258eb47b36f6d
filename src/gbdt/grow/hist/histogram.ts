// Per-node gradient histograms: for every feature slot (bins plus one missing slot, see
// BinnedMatrix) the sums of gradient and hessian, interleaved as [g0, h0, g1, h1, ...] in a
// Float64Array. Only the smaller child of a split is built from its rows; the sibling is the
// parent minus it, computed in the parent's buffer, so each tree level needs one buffer per node.
import type { BinnedMatrix } from '../../data/binnedMatrix.ts';
import type { RowPartitioner } from './rowPartitioner.ts';

export type Histogram = Float64Array;

/** Adds node `nid`'s rows into `hist` (which the caller has zeroed). */
export function buildHistogram(hist: Histogram, bm: BinnedMatrix, part: RowPartitioner, nid: number): void {
  const { bins, gpair } = part.lane(nid);
  const stride = part.stride;
  const begin = part.begin(nid);
  const end = part.end(nid);
  if (bins instanceof Uint8Array) buildU8(hist, bins, stride, bm.slotOffsets, bm.nCols, gpair, begin, end);
  else buildU16(hist, bins, stride, bm.slotOffsets, bm.nCols, gpair, begin, end);
}

// Two copies of the same loop so that each stays monomorphic in its bin array type.
function buildU8(
  hist: Float64Array,
  bins: Uint8Array,
  stride: number,
  slotOffsets: Uint32Array,
  nCols: number,
  gpair: Float32Array,
  begin: number,
  end: number,
): void {
  for (let i = begin; i < end; i++) {
    const g = gpair[2 * i];
    const h = gpair[2 * i + 1];
    const base = i * stride;
    for (let f = 0; f < nCols; f++) {
      const s = (slotOffsets[f] + bins[base + f]) << 1;
      hist[s] += g;
      hist[s + 1] += h;
    }
  }
}

function buildU16(
  hist: Float64Array,
  bins: Uint16Array,
  stride: number,
  slotOffsets: Uint32Array,
  nCols: number,
  gpair: Float32Array,
  begin: number,
  end: number,
): void {
  for (let i = begin; i < end; i++) {
    const g = gpair[2 * i];
    const h = gpair[2 * i + 1];
    const base = i * stride;
    for (let f = 0; f < nCols; f++) {
      const s = (slotOffsets[f] + bins[base + f]) << 1;
      hist[s] += g;
      hist[s + 1] += h;
    }
  }
}

/** parent -= child, in place: the parent's buffer becomes the sibling's histogram. */
export function subtractInto(parent: Histogram, child: Histogram): void {
  for (let i = 0; i < parent.length; i++) parent[i] -= child[i];
}

/** Reuses zeroed histogram buffers across nodes and trees. */
export class HistogramPool {
  private readonly free: Histogram[] = [];
  constructor(private readonly length: number) {}

  acquire(): Histogram {
    const h = this.free.pop();
    if (h) {
      h.fill(0);
      return h;
    }
    return new Float64Array(this.length);
  }

  release(h: Histogram): void {
    this.free.push(h);
  }
}

