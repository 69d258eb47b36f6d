// Per-node gradient histograms: for every slot of every stored column (see
// data/packedMatrix.ts) the sums of gradient and hessian, interleaved [g0, h0, g1, h1, ...],
// in float64 like XGBoost's CPU histograms. Only the smaller child of a split is built from
// its rows; the sibling is the parent minus it, computed in the parent's buffer.
//
// The kernels take plain typed arrays and a column range, so a worker thread can build its
// share of the columns of the same histogram: every slot is summed over the node's rows in
// row order by exactly one thread, whatever the thread count — the sums, and so the trees,
// do not depend on it.

import type { BufferSource } from './bufferSource.ts';
import { RECORD_HEADER, type Lane, type RecordShape } from './rowPartitioner.ts';

/** Where a histogram's columns live: the packed matrix's slot layout. */
export interface SlotLayout {
  readonly nCols: number;
  readonly colSlotOffset: Uint32Array;
  readonly totalSlots: number;
  readonly bytesPerBin: 1 | 2;
}

/**
 * hist[base + 2 * slot (+1)] = sums over the records [begin, end) of `lane` (or over the
 * records at positions idx[begin..end)) for the slots of the columns listed in `cols`
 * (ascending); those slots are zeroed first.
 */
export function buildHistogramColumns(
  hist: Float64Array,
  base: number,
  lane: Lane,
  shape: RecordShape,
  layout: SlotLayout,
  cols: Int32Array,
  begin: number,
  end: number,
  idx: Uint32Array | null = null,
): void {
  const off = layout.colSlotOffset;
  zeroColumns(hist, base, layout, cols);
  const kernel = layout.bytesPerBin === 1 ? byteKernel(shape, layout, cols, idx !== null) : undefined;
  if (kernel) kernel(hist, base, lane.words, lane.f32, begin, end, idx);
  else buildGeneric(hist, base, lane, shape, off, cols, begin, end, idx);
}

/** Zeroes the slots of the columns in `cols` (ascending): one fill per run of adjacent columns. */
export function zeroColumns(hist: Float64Array, base: number, layout: SlotLayout, cols: Int32Array): void {
  const off = layout.colSlotOffset;
  for (let k = 0; k < cols.length; ) {
    let j = k + 1;
    while (j < cols.length && cols[j] === cols[j - 1] + 1) j++;
    hist.fill(0, base + 2 * off[cols[k]], base + 2 * slotEnd(layout, cols[j - 1]));
    k = j;
  }
}

/** One past column c's last slot. */
export function slotEnd(layout: SlotLayout, c: number): number {
  return c + 1 < layout.nCols ? layout.colSlotOffset[c + 1] : layout.totalSlots;
}

/** Every column, for single-threaded builds. */
export function allColumns(layout: SlotLayout): Int32Array {
  return Int32Array.from({ length: layout.nCols }, (_, c) => c);
}

/**
 * Columns per thread for building histograms: every slot is summed by one thread. A
 * histogram costs a pass over its rows per column plus zeroing, subtracting and scanning its
 * slots, so the columns are cut into contiguous ranges of about equal (slots + a row pass
 * counted as SLOTS_PER_COLUMN slots). Contiguous, because neighbouring columns written by
 * different threads share cache lines at every boundary (interleaving them halved speed).
 */
export function shareColumns(layout: SlotLayout, threads: number): Int32Array[] {
  const SLOTS_PER_COLUMN = 256;
  const cost = (c: number) => slotEnd(layout, c) - layout.colSlotOffset[c] + SLOTS_PER_COLUMN;
  let total = 0;
  for (let c = 0; c < layout.nCols; c++) total += cost(c);
  const lists: number[][] = Array.from({ length: threads }, () => []);
  let acc = 0;
  for (let c = 0; c < layout.nCols; c++) {
    // The share whose slice of the total load this column's midpoint falls in.
    const t = Math.min(threads - 1, Math.floor(((acc + cost(c) / 2) * threads) / total));
    lists[t].push(c);
    acc += cost(c);
  }
  return lists.map((l) => Int32Array.from(l));
}

function buildGeneric(
  hist: Float64Array,
  base: number,
  lane: Lane,
  shape: RecordShape,
  off: Uint32Array,
  cols: Int32Array,
  begin: number,
  end: number,
  idx: Uint32Array | null,
): void {
  const { f32, bins } = lane;
  const R = shape.words;
  const stride = shape.binStride;
  const binBase = shape.binBase;
  const nc = cols.length;
  for (let i = begin; i < end; i++) {
    const p = idx ? idx[i] : i;
    const g = f32[p * R];
    const h = f32[p * R + 1];
    const row = p * stride + binBase;
    for (let k = 0; k < nc; k++) {
      const c = cols[k];
      const s = base + ((off[c] + bins[row + c]) << 1);
      hist[s] += g;
      hist[s + 1] += h;
    }
  }
}

type Kernel = (hist: Float64Array, base: number, words: Uint32Array, f32: Float32Array, begin: number, end: number, idx: Uint32Array | null) => void;

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
const kernels = new Map<string, Kernel>();

/**
 * The histogram loop specialised for one slot layout, one-byte bins: slot offsets become
 * constants and each record's bin words are read once and split into bytes, instead of a
 * loop over columns that loads an offset and a byte per column. Generated from integers only
 * (offsets, counts), so there is nothing to inject; twice as fast as the generic loop in V8.
 */
function byteKernel(shape: RecordShape, layout: SlotLayout, cols: Int32Array, indexed: boolean): Kernel | undefined {
  if (!LITTLE_ENDIAN || cols.length > 64) return undefined;
  const key = `${indexed ? 'i' : 'r'}|${shape.words}|${Array.from(cols, (c) => `${c}:${layout.colSlotOffset[c]}`).join(',')}`;
  let k = kernels.get(key);
  if (k) return k;
  const lines: string[] = [];
  const loaded = new Set<number>();
  for (const c of cols) {
    const w = c >> 2;
    if (!loaded.has(w)) {
      lines.push(`const w${w} = words[a + ${RECORD_HEADER + w}];`);
      loaded.add(w);
    }
    const shift = 8 * (c & 3);
    const byte = shift === 24 ? `(w${w} >>> 24)` : shift === 0 ? `(w${w} & 255)` : `((w${w} >>> ${shift}) & 255)`;
    lines.push(`s = base + ((${layout.colSlotOffset[c]} + ${byte}) << 1); hist[s] += g; hist[s + 1] += h;`);
  }
  const body =
    `for (let i = begin; i < end; i++) {\n` +
    `  const a = ${indexed ? 'idx[i]' : 'i'} * ${shape.words};\n  const g = f32[a];\n  const h = f32[a + 1];\n  let s;\n  ` +
    lines.join('\n  ') +
    `\n}`;
  k = new Function('hist', 'base', 'words', 'f32', 'begin', 'end', 'idx', body) as Kernel;
  kernels.set(key, k);
  return k;
}

/**
 * The root histogram is summed in fixed blocks of this many rows (each in row order, then the
 * blocks in order), so threads can take blocks and the sums do not depend on how many there
 * are. Data of at most one block is summed row by row, as XGBoost does.
 */
export const ROOT_BLOCK_ROWS = 1 << 16;

export function rootBlockCount(nRows: number): number {
  return Math.max(1, Math.ceil(nRows / ROOT_BLOCK_ROWS));
}

/** total += part over doubles [from, to) of both. */
export function addHistogram(slab: Float64Array, totalBase: number, partSlab: Float64Array, partBase: number, from: number, to: number): void {
  for (let i = from; i < to; i++) slab[totalBase + i] += partSlab[partBase + i];
}

/** parent -= child over doubles [from, to) of both (the parent becomes the sibling). */
export function subtractHistogram(slab: Float64Array, parentBase: number, childSlab: Float64Array, childBase: number, from: number, to: number): void {
  for (let i = from; i < to; i++) slab[parentBase + i] -= childSlab[childBase + i];
}

/** A histogram's place: which slab chunk and the offset of its first double. */
export interface HistRef {
  readonly chunk: number;
  readonly base: number;
}

const HISTS_PER_CHUNK = 32;

/**
 * Histogram buffers in chunks that are allocated on demand and never moved, so a chunk handed
 * to worker threads stays valid; ids are reused after release.
 */
export class HistogramStore {
  readonly length: number;
  readonly chunks: Float64Array[] = [];
  private readonly free: number[] = [];
  private count = 0;
  /** Told about every chunk allocated (worker threads must be handed it). */
  onNewChunk: ((chunk: Float64Array) => void) | undefined;

  constructor(
    totalSlots: number,
    private readonly source: BufferSource,
  ) {
    this.length = totalSlots * 2;
  }

  acquire(): number {
    const id = this.free.pop();
    if (id !== undefined) return id;
    if (this.count === this.chunks.length * HISTS_PER_CHUNK) {
      const doubles = this.length * HISTS_PER_CHUNK;
      const r = this.source.alloc(doubles * 8);
      const chunk = new Float64Array(r.buffer, r.byteOffset, doubles);
      this.chunks.push(chunk);
      this.onNewChunk?.(chunk);
    }
    return this.count++;
  }

  release(id: number): void {
    this.free.push(id);
  }

  ref(id: number): HistRef {
    return { chunk: Math.floor(id / HISTS_PER_CHUNK), base: (id % HISTS_PER_CHUNK) * this.length };
  }

  /** The histogram as its own array (a view into its chunk). */
  view(id: number): Float64Array {
    const r = this.ref(id);
    return this.chunks[r.chunk].subarray(r.base, r.base + this.length);
  }
}
