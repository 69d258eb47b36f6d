// How much memory training and scoring may use, and what the parameters and data will need.
// Sizes that users choose (rounds, classes, depth, leaves, bins, rows) are refused with the
// limit in the message when what they need is certain to exceed the budget, instead of
// running until V8 dies of heap exhaustion or a typed array cannot be allocated:
//
//   1. parseTrainParams, before any data is read: every round adds num_class trees (one for
//      other objectives) of at least a root node each, so the model alone needs at least
//      rounds x groups x TREE_BYTES;
//   2. training, once the matrix is known: the per-row arrays (margins, gradient pairs,
//      labels, weights, eval margins), the binned matrix and the first block of histograms
//      are allocated for certain; with (1) they must fit;
//   3. during training, the trees actually grown are counted: when the model outgrows the
//      budget training stops with an error naming the round, instead of the process dying.
//
// (1) and (2) count only what will certainly be allocated, so nothing XGBoost accepts and
// this process can hold is refused up front; (3) bounds what only the data decides (how many
// nodes trees really grow).
//
// The budget is V8's heap limit (node --max-old-space-size, default a share of the machine's
// memory), or SEALED_GBDT_MEMORY_LIMIT (bytes, or a number with K, M, G or T, binary units).
// Trees are JS objects on the V8 heap, so raising the variable past the heap limit also needs
// a larger --max-old-space-size.
import { getHeapStatistics } from 'node:v8';
import { excerpt, UsageError } from '../core/index.ts';

/** Heap bytes of a tree with just a root: a RegTree and its 9 typed arrays of 16 (measured, Node 20). */
export const TREE_BYTES = 2500;
/** Bytes per node slot of a RegTree (9 arrays: 4 Int32 + 4 Float32 + 1 Uint8). */
export const NODE_BYTES = 33;
/** Histograms are allocated in blocks of this many (grow/hist/histogram.ts HISTS_PER_CHUNK). */
const HISTS_PER_BLOCK = 32;
/** Longest typed array V8 allocates on 64-bit (Node 20: 2^32 elements). */
export const MAX_TYPED_ARRAY_LENGTH = 2 ** 32;

export const MEMORY_LIMIT_ENV = 'SEALED_GBDT_MEMORY_LIMIT';

/** The training/scoring memory budget in bytes (see the header). */
export function memoryLimit(env: Record<string, string | undefined> = process.env): number {
  const text = env[MEMORY_LIMIT_ENV];
  if (text === undefined || text === '') return getHeapStatistics().heap_size_limit;
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(text.trim());
  const unit = m ? { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'] : 0;
  const bytes = m ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!(bytes >= 2 ** 20 && Number.isSafeInteger(bytes))) {
    throw new UsageError('gbdt.badMemoryLimit', { variable: MEMORY_LIMIT_ENV, value: excerpt(text) });
  }
  return bytes;
}

/** 1.5 GiB, 300 MiB: for messages. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  if (i === 0) return `${Math.round(v)} bytes`;
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** Refuses `needed` bytes above the budget; `what` says what needs them and which sizes drive it. */
export function checkMemory(what: string, needed: number, limit = memoryLimit()): void {
  if (needed > limit || !Number.isFinite(needed)) {
    throw new UsageError('gbdt.memoryLimit', { what, needed: formatBytes(needed), limit: formatBytes(limit), variable: MEMORY_LIMIT_ENV });
  }
}

/** Refuses a typed array of more elements than V8 can allocate. */
export function checkArrayLength(what: string, length: number): void {
  if (length > MAX_TYPED_ARRAY_LENGTH) {
    throw new UsageError('gbdt.memoryLimit', {
      what: `${what} (${length.toExponential(2)} values; at most ${MAX_TYPED_ARRAY_LENGTH} fit in one array)`,
      needed: formatBytes(length * 4),
      limit: formatBytes(MAX_TYPED_ARRAY_LENGTH * 4),
      variable: MEMORY_LIMIT_ENV,
    });
  }
}

/** The least memory a model of `rounds` x `groups` trees takes (every tree has a root). */
export function minimumModelBytes(rounds: number, groups: number): number {
  return rounds * groups * TREE_BYTES;
}

/** Heap bytes of a grown tree of `capacity` node slots. */
export function treeBytes(capacity: number): number {
  return TREE_BYTES + Math.max(0, capacity - 16) * NODE_BYTES;
}

export interface TrainingShape {
  readonly rows: number;
  readonly cols: number;
  readonly groups: number;
  readonly rounds: number;
  readonly maxBin: number;
  readonly weighted: boolean;
  /** Rows of every eval set together. */
  readonly evalRows: number;
}

/**
 * What training certainly allocates for this data and these parameters (booster.ts and the
 * grower): per row, float32 margins and (grad, hess) pairs per output group, a float32 label
 * and weight, a copy of one group's pairs for multi-class; one byte per binned value (two when
 * a feature has more than 255 bins); the first block of 32 histograms of (grad, hess) float64
 * per bin slot (each feature has at most min(max_bin, rows) bins and a missing slot); the eval
 * sets' margins; and at least a root per tree of the model.
 */
export function trainingBytes(s: TrainingShape): number {
  const perRow = s.groups * (4 + 8) + 4 + (s.weighted ? 4 : 0) + (s.groups > 1 ? 8 : 0);
  const binsPerFeature = Math.min(s.maxBin, Math.max(1, s.rows)) + 1;
  const binned = s.rows * s.cols * (binsPerFeature > 256 ? 2 : 1);
  const histograms = HISTS_PER_BLOCK * s.cols * binsPerFeature * 16;
  const evalMargins = s.evalRows * s.groups * 4;
  return s.rows * perRow + binned + histograms + evalMargins + minimumModelBytes(s.rounds, s.groups);
}
