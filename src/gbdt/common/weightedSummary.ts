// A weighted quantile summary as XGBoost's WQSummary keeps it: for each retained value,
// the minimum and maximum rank it can have (rmin, rmax) and its own weight (wmin).
// Ranks are float32 in XGBoost (`WQuantileSketch<float, float>`), so arithmetic here is
// rounded to float32 the same way.
const f32 = Math.fround;

export interface WeightedSummary {
  readonly values: Float32Array;
  readonly rmin: Float32Array;
  readonly rmax: Float32Array;
  readonly wmin: Float32Array;
  readonly size: number;
}

/**
 * Exact summary of sorted values with unit weights: one entry per distinct value
 * (WQSummary::MakeSummary over the whole column).
 */
export function exactSummary(sorted: Float32Array, n: number): WeightedSummary {
  const values = new Float32Array(n);
  const rmin = new Float32Array(n);
  const rmax = new Float32Array(n);
  const wmin = new Float32Array(n);
  const size = fillExact(sorted, n, values, rmin, rmax, wmin);
  return { values, rmin, rmax, wmin, size };
}

/**
 * exactSummary's entries; returns how many. A function apart from the allocations: V8 compiles
 * the loop as it runs, and code after it with no type feedback yet made it throw that away.
 */
function fillExact(sorted: Float32Array, n: number, values: Float32Array, rmin: Float32Array, rmax: Float32Array, wmin: Float32Array): number {
  let size = 0;
  let wsum = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    const w = j - i;
    values[size] = sorted[i];
    rmin[size] = wsum;
    rmax[size] = wsum + w;
    wmin[size] = w;
    size++;
    wsum += w;
    i = j;
  }
  return size;
}

/**
 * Exact summary of `n` (value, weight) pairs with positive weights, in any order: one entry per
 * distinct value carrying its total weight, ranks accumulated in float32 as XGBoost's
 * WQSummary::Queue::MakeSummary does (same-value weights are summed in row order here;
 * XGBoost sums them in its sort's order, which can differ in the last bit for fractional weights).
 */
export function weightedExactSummary(values: Float32Array, weights: Float32Array, n: number): WeightedSummary {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b] || a - b);
  const out = {
    values: new Float32Array(n),
    rmin: new Float32Array(n),
    rmax: new Float32Array(n),
    wmin: new Float32Array(n),
    size: 0,
  };
  let wsum = 0;
  for (let i = 0; i < n; ) {
    const v = values[order[i]];
    let w = weights[order[i]];
    let j = i + 1;
    for (; j < n && values[order[j]] === v; j++) w = f32(w + weights[order[j]]);
    out.values[out.size] = v;
    out.rmin[out.size] = wsum;
    out.rmax[out.size] = f32(wsum + w);
    out.wmin[out.size] = w;
    out.size++;
    wsum = f32(wsum + w);
    i = j;
  }
  return out;
}

/** WQSummary::SetPrune: keep at most `maxSize` entries spread evenly over the rank range. */
export function pruneSummary(src: WeightedSummary, maxSize: number): WeightedSummary {
  if (src.size <= maxSize) return src;
  const out = {
    values: new Float32Array(maxSize),
    rmin: new Float32Array(maxSize),
    rmax: new Float32Array(maxSize),
    wmin: new Float32Array(maxSize),
    size: 0,
  };
  const push = (i: number): void => {
    out.values[out.size] = src.values[i];
    out.rmin[out.size] = src.rmin[i];
    out.rmax[out.size] = src.rmax[i];
    out.wmin[out.size] = src.wmin[i];
    out.size++;
  };
  const last = src.size - 1;
  const begin = src.rmax[0];
  const range = f32(src.rmin[last] - src.rmax[0]);
  const n = maxSize - 1;
  push(0);
  let i = 1;
  let lastIdx = 0;
  for (let k = 1; k < n; k++) {
    const dx2 = f32(2 * f32(f32(f32(k * range) / n) + begin));
    while (i < last && dx2 >= f32(src.rmax[i + 1] + src.rmin[i + 1])) i++;
    if (i === last) break;
    const rminNext = f32(src.rmin[i] + src.wmin[i]);
    const rmaxPrev = f32(src.rmax[i + 1] - src.wmin[i + 1]);
    if (dx2 < f32(rminNext + rmaxPrev)) {
      if (i !== lastIdx) {
        push(i);
        lastIdx = i;
      }
    } else if (i + 1 !== lastIdx) {
      push(i + 1);
      lastIdx = i + 1;
    }
  }
  if (lastIdx !== last) push(last);
  return out;
}
