// Float sums in numpy's exact order. scikit-learn's results (variances inside the Yeo-Johnson
// likelihood, StandardScaler means, np.trapz areas) depend on the summation order at the last
// bit, and Brent's comparisons can amplify one bit into a different lambda. numpy's
// `add.reduce` over a contiguous float64 axis feeds the data to its inner loop in buffers of
// 8192 elements, sums each buffer pairwise (8 accumulators below 128 elements, halving above)
// and adds the buffer sums left to right starting from 0.

const BUFFER = 8192;
const BLOCK = 128;

function pairwise(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = -0.0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= BLOCK) {
    let r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3];
    let r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7];
    let i = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) {
      const p = start + i;
      r0 += a[p]; r1 += a[p + 1]; r2 += a[p + 2]; r3 += a[p + 3];
      r4 += a[p + 4]; r5 += a[p + 5]; r6 += a[p + 6]; r7 += a[p + 7];
    }
    let res = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(a, start, n2) + pairwise(a, start + n2, n - n2);
}

/** `np.sum(a[start:start+length])` for a contiguous float64 array, bit for bit. */
export function numpySum(a: ArrayLike<number>, start = 0, length = a.length - start): number {
  let res = 0.0;
  for (let off = 0; off < length; off += BUFFER) res += pairwise(a, start + off, Math.min(BUFFER, length - off));
  return res;
}

function pairwiseSquaredDeviations(a: ArrayLike<number>, mean: number, start: number, n: number): number {
  if (n < 8) {
    let res = -0.0;
    for (let i = 0; i < n; i++) {
      const d = a[start + i] - mean;
      res += d * d;
    }
    return res;
  }
  if (n <= BLOCK) {
    let d = a[start] - mean;
    let r0 = d * d;
    d = a[start + 1] - mean;
    let r1 = d * d;
    d = a[start + 2] - mean;
    let r2 = d * d;
    d = a[start + 3] - mean;
    let r3 = d * d;
    d = a[start + 4] - mean;
    let r4 = d * d;
    d = a[start + 5] - mean;
    let r5 = d * d;
    d = a[start + 6] - mean;
    let r6 = d * d;
    d = a[start + 7] - mean;
    let r7 = d * d;
    let i = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) {
      const p = start + i;
      d = a[p] - mean; r0 += d * d;
      d = a[p + 1] - mean; r1 += d * d;
      d = a[p + 2] - mean; r2 += d * d;
      d = a[p + 3] - mean; r3 += d * d;
      d = a[p + 4] - mean; r4 += d * d;
      d = a[p + 5] - mean; r5 += d * d;
      d = a[p + 6] - mean; r6 += d * d;
      d = a[p + 7] - mean; r7 += d * d;
    }
    let res = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) {
      d = a[start + i] - mean;
      res += d * d;
    }
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSquaredDeviations(a, mean, start, n2) + pairwiseSquaredDeviations(a, mean, start + n2, n - n2);
}

/**
 * `np.sum((a - mean) ** 2)` bit for bit: the same sum as numpySum over an array holding each
 * (a[i] - mean)^2, without writing that array (one pass fewer in the Yeo-Johnson likelihood).
 */
export function numpySumSquaredDeviations(a: ArrayLike<number>, mean: number): number {
  const length = a.length;
  let res = 0.0;
  for (let off = 0; off < length; off += BUFFER) res += pairwiseSquaredDeviations(a, mean, off, Math.min(BUFFER, length - off));
  return res;
}

// The same two sums over the values table[index[i]] (i in order), without writing that array:
// a column of few distinct values is transformed once per distinct value and these read the
// per-row result through its index (yeoJohnson.ts). Same additions in the same order, so the
// same bits as numpySum / numpySumSquaredDeviations of the gathered array.

function pairwiseGather(table: Float64Array, index: Int32Array, start: number, n: number): number {
  if (n < 8) {
    let res = -0.0;
    for (let i = 0; i < n; i++) res += table[index[start + i]];
    return res;
  }
  if (n <= BLOCK) {
    let r0 = table[index[start]], r1 = table[index[start + 1]], r2 = table[index[start + 2]], r3 = table[index[start + 3]];
    let r4 = table[index[start + 4]], r5 = table[index[start + 5]], r6 = table[index[start + 6]], r7 = table[index[start + 7]];
    let i = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) {
      const p = start + i;
      r0 += table[index[p]]; r1 += table[index[p + 1]]; r2 += table[index[p + 2]]; r3 += table[index[p + 3]];
      r4 += table[index[p + 4]]; r5 += table[index[p + 5]]; r6 += table[index[p + 6]]; r7 += table[index[p + 7]];
    }
    let res = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += table[index[start + i]];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseGather(table, index, start, n2) + pairwiseGather(table, index, start + n2, n - n2);
}

/** numpySum of the array whose i-th value is table[index[i]], bit for bit. */
export function numpySumGather(table: Float64Array, index: Int32Array): number {
  const length = index.length;
  let res = 0.0;
  for (let off = 0; off < length; off += BUFFER) res += pairwiseGather(table, index, off, Math.min(BUFFER, length - off));
  return res;
}

function pairwiseSquaredDeviationsGather(table: Float64Array, index: Int32Array, mean: number, start: number, n: number): number {
  if (n < 8) {
    let res = -0.0;
    for (let i = 0; i < n; i++) {
      const d = table[index[start + i]] - mean;
      res += d * d;
    }
    return res;
  }
  if (n <= BLOCK) {
    let d = table[index[start]] - mean;
    let r0 = d * d;
    d = table[index[start + 1]] - mean;
    let r1 = d * d;
    d = table[index[start + 2]] - mean;
    let r2 = d * d;
    d = table[index[start + 3]] - mean;
    let r3 = d * d;
    d = table[index[start + 4]] - mean;
    let r4 = d * d;
    d = table[index[start + 5]] - mean;
    let r5 = d * d;
    d = table[index[start + 6]] - mean;
    let r6 = d * d;
    d = table[index[start + 7]] - mean;
    let r7 = d * d;
    let i = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) {
      const p = start + i;
      d = table[index[p]] - mean; r0 += d * d;
      d = table[index[p + 1]] - mean; r1 += d * d;
      d = table[index[p + 2]] - mean; r2 += d * d;
      d = table[index[p + 3]] - mean; r3 += d * d;
      d = table[index[p + 4]] - mean; r4 += d * d;
      d = table[index[p + 5]] - mean; r5 += d * d;
      d = table[index[p + 6]] - mean; r6 += d * d;
      d = table[index[p + 7]] - mean; r7 += d * d;
    }
    let res = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) {
      d = table[index[start + i]] - mean;
      res += d * d;
    }
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSquaredDeviationsGather(table, index, mean, start, n2) + pairwiseSquaredDeviationsGather(table, index, mean, start + n2, n - n2);
}

/** numpySumSquaredDeviations of the array whose i-th value is table[index[i]], bit for bit. */
export function numpySumSquaredDeviationsGather(table: Float64Array, index: Int32Array, mean: number): number {
  const length = index.length;
  let res = 0.0;
  for (let off = 0; off < length; off += BUFFER) res += pairwiseSquaredDeviationsGather(table, index, mean, off, Math.min(BUFFER, length - off));
  return res;
}
