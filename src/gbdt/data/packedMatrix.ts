// The matrix the tree grower reads: bins of the binned matrix re-stored as "columns" (a
// feature, or a bundle of exclusive features, see featureBundles.ts), row-major, each row
// padded to whole 32-bit words so partitioning can move rows word by word. Column c's value
// indexes its histogram slots: slot = colSlotOffset[c] + value.
//   standalone feature f: value = bin, or nBins[f] (its last slot) when missing;
//   bundle of m features: value = k when member k is at its non-default bin, else m.
// Buffers can be SharedArrayBuffer-backed so worker threads read the same memory.
import type { BinArray, BinnedMatrix } from './binnedMatrix.ts';
import { findBundles } from './featureBundles.ts';

export interface PackedMatrix {
  readonly nRows: number;
  readonly nFeatures: number;
  /** Stored columns (features after bundling). */
  readonly nCols: number;
  readonly bytesPerBin: 1 | 2;
  readonly wordsPerRow: number;
  /** Bin elements per row (nCols rounded up to whole words). */
  readonly stride: number;
  /** Row r, column c: element r * stride + c of `words` viewed as bytes (or uint16). */
  readonly words: Uint32Array;
  readonly colSlotOffset: Uint32Array;
  readonly colSlots: Uint32Array;
  readonly totalSlots: number;
  /** Column holding feature f. */
  readonly featureCol: Int32Array;
  /** Member index of f in its bundle, or -1 when f is stored alone. */
  readonly featureMember: Int32Array;
  /** For bundled f: its default (more frequent) bin. */
  readonly featureDefaultBin: Uint8Array;
  /** Per feature: 1 if it has missing values in the training rows. */
  readonly featureHasMissing: Uint8Array;
}

export interface PackOptions {
  readonly bundle?: boolean;
  readonly shared?: boolean;
}

export function packMatrix(bm: BinnedMatrix, options: PackOptions = {}): PackedMatrix {
  const { nRows, nBins } = bm;
  const nFeatures = bm.nCols;
  const missingIn = bm.featureHasMissing;
  const bundles = options.bundle === false ? { groups: [], defaultBin: new Uint8Array(nFeatures) } : findBundles({ ...bm, missingIn });
  const featureCol = new Int32Array(nFeatures).fill(-1);
  const featureMember = new Int32Array(nFeatures).fill(-1);
  const groupOf = new Map<number, readonly number[]>();
  for (const g of bundles.groups) for (const f of g) groupOf.set(f, g);
  // Columns in order of their first feature, so an unbundled matrix keeps feature order.
  const colSlots: number[] = [];
  const colFeatures: (readonly number[])[] = [];
  for (let f = 0; f < nFeatures; f++) {
    if (featureCol[f] >= 0) continue;
    const g = groupOf.get(f);
    const c = colSlots.length;
    if (g) {
      g.forEach((member, k) => {
        featureCol[member] = c;
        featureMember[member] = k;
      });
      colSlots.push(g.length + 1);
      colFeatures.push(g);
    } else {
      featureCol[f] = c;
      colSlots.push(nBins[f] + 1);
      colFeatures.push([f]);
    }
  }
  const nCols = colSlots.length;
  const colSlotOffset = new Uint32Array(nCols);
  let total = 0;
  // Largest value stored: a bundle's "all default" value, or a feature's missing sentinel only
  // if it has missing values — 256 bins without missing values still fit a byte.
  let largest = 0;
  for (let c = 0; c < nCols; c++) {
    colSlotOffset[c] = total;
    total += colSlots[c];
    const f = colFeatures[c][0];
    const top = featureMember[f] >= 0 || missingIn[f] ? colSlots[c] - 1 : colSlots[c] - 2;
    largest = Math.max(largest, top);
  }
  const bytesPerBin = largest <= 255 ? 1 : 2;
  const wordsPerRow = Math.max(1, Math.ceil((nCols * bytesPerBin) / 4));
  const stride = (wordsPerRow * 4) / bytesPerBin;
  const byteLength = nRows * wordsPerRow * 4;
  const buffer = options.shared ? new SharedArrayBuffer(byteLength) : new ArrayBuffer(byteLength);
  const out = bytesPerBin === 1 ? new Uint8Array(buffer) : new Uint16Array(buffer);
  const src = bm.bins;
  const nf = nFeatures;
  for (let c = 0; c < nCols; c++) {
    const feats = colFeatures[c];
    if (feats.length === 1 && featureMember[feats[0]] < 0) {
      copyColumn(src, nRows, nf, feats[0], out, stride, c);
    } else {
      const m = feats.length;
      fillColumn(out, nRows, stride, c, m);
      feats.forEach((f, k) => markMember(src, nRows, nf, f, bundles.defaultBin[f], out, stride, c, k));
    }
  }
  return {
    nRows,
    nFeatures,
    nCols,
    bytesPerBin,
    wordsPerRow,
    stride,
    words: new Uint32Array(buffer),
    colSlotOffset,
    colSlots: Uint32Array.from(colSlots),
    totalSlots: total,
    featureCol,
    featureMember,
    featureDefaultBin: bundles.defaultBin,
    featureHasMissing: missingIn,
  };
}

// The per-row loops are functions of their own, compiled once and kept (inline in the
// per-column loop, V8 recompiled them column after column).

/** out[r * stride + c] = src[r * nf + f] for every row. */
function copyColumn(src: BinArray, nRows: number, nf: number, f: number, out: BinArray, stride: number, c: number): void {
  for (let r = 0, i = f, o = c; r < nRows; r++, i += nf, o += stride) out[o] = src[i];
}

/** out[r * stride + c] = value for every row. */
function fillColumn(out: BinArray, nRows: number, stride: number, c: number, value: number): void {
  for (let r = 0, o = c; r < nRows; r++, o += stride) out[o] = value;
}

/** out[r * stride + c] = k for the rows where feature f is not at its default bin `def`. */
function markMember(src: BinArray, nRows: number, nf: number, f: number, def: number, out: BinArray, stride: number, c: number, k: number): void {
  for (let r = 0, i = f, o = c; r < nRows; r++, i += nf, o += stride) if (src[i] !== def) out[o] = k;
}

/**
 * Which column values go left for a split of feature f after bin `splitBin` (missing follows
 * `defaultLeft`): lut[value] = 1 for left. Returns the column to read.
 */
export function splitLut(pm: PackedMatrix, nBinsOfF: number, f: number, splitBin: number, defaultLeft: boolean, lut: Uint8Array): number {
  const c = pm.featureCol[f];
  const k = pm.featureMember[f];
  const slots = pm.colSlots[c];
  if (k < 0) {
    // Bins 0..splitBin go left (splitBin -1: none), the rest right; then the missing slot.
    const left = Math.min(Math.max(splitBin + 1, 0), nBinsOfF);
    lut.fill(1, 0, left);
    lut.fill(0, left, nBinsOfF);
    lut[nBinsOfF] = defaultLeft ? 1 : 0;
  } else {
    const def = pm.featureDefaultBin[f];
    for (let v = 0; v < slots; v++) {
      const bin = v === k ? 1 - def : def;
      lut[v] = bin <= splitBin ? 1 : 0;
    }
  }
  return c;
}
