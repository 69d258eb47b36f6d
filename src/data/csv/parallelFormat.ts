// CSV formatting on two threads: blocks of rows are shared between this thread and one worker,
// and are written in row order, so the file is byte for byte the one-thread file (both format
// with the same functions; a block's bytes do not depend on its neighbours). Number formatting
// is most of a large write's time (a 750k x 26 matrix: ~1.3 s), and the pipeline's steps run
// one at a time, so the second core would otherwise be idle. The worker formats up to two blocks
// ahead while this thread formats, hashes and writes (bounded memory; see `blocks`).
//
// One worker for the process, started on first use, unref'd (it never keeps the process alive)
// and stopped after IDLE_MS without work (its memory is not held through a long training
// step). If it fails, its blocks are formatted here: a write never fails for the worker's sake.
// Small inputs (under PARALLEL_MIN_CELLS values) stay on this thread: a block hand-off costs a
// copy of the block's values, and starting the worker ~30 ms.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Table } from '../table.ts';
import { csvRowFormatter, type CsvWriteOptions } from './writeCsv.ts';
import { checkShape, matrixRowFormatter } from './writeMatrixCsv.ts';
import { MAX_NUMBER_BYTES } from './formatNumber.ts';

export type FormatRequest = (
  | { id: number; kind: 'matrix'; data: Float64Array; nCols: number }
  | { id: number; kind: 'table'; columns: ({ kind: 'numeric'; values: Float64Array } | { kind: 'categorical'; codes: Int32Array; dictionary: readonly string[] })[] }
) & {
  /** A buffer of an earlier reply, written already: the worker answers in it when the bytes fit (no new allocation per block). */
  spare?: ArrayBuffer;
};

export type FormatReply = { id: number; buffer: ArrayBuffer; offset: number; length: number } | { id: number; error: string };

/** Values (rows x columns) from which formatting is split across two threads. */
export const PARALLEL_MIN_CELLS = 2_000_000;
/** Rows per block, at most. */
const BLOCK_ROWS = 32768;
/**
 * Bytes a block's buffer may be sized for: a buffer is rows x the longest row, so one very long
 * category (or thousands of one-hot columns) would otherwise ask for gigabytes (found in review:
 * one 140 KB category in 32,768 rows asked for 4.5 GB and failed with a RangeError).
 */
const BLOCK_BYTES = 64 * 1024 * 1024;

/** Rows per block: the requested count, fewer when rows are wide (never 0). */
export function rowsPerBlock(requested: number | undefined, rowBound: number): number {
  return Math.max(1, Math.min(Math.floor(requested ?? BLOCK_ROWS), Math.floor(BLOCK_BYTES / Math.max(1, rowBound))));
}
/** Dictionary entries, all columns together, up to which a table's blocks go to the worker (they travel with every block). */
const MAX_DICTIONARY_ENTRIES = 4096;

export interface ParallelOptions {
  /** Fewest values for the worker to be used (default PARALLEL_MIN_CELLS; tests use 0). */
  minCells?: number;
  /** Rows per block (default 32768). */
  blockRows?: number;
}

/** The CSV bytes of `table` as csvByteChunks gives them, formatted on two threads when it pays. */
export function tableCsvChunks(table: Table, options: CsvWriteOptions = {}, parallel: ParallelOptions = {}): AsyncIterable<Uint8Array> {
  const rows = csvRowFormatter(table, options); // checks the options before anything is written
  const nRows = table.numRows;
  const dictionaries = table.columns.reduce((s, c) => s + (c.kind === 'categorical' ? c.dictionary.length : 0), 0);
  const useWorker = options.formatters === undefined && dictionaries <= MAX_DICTIONARY_ENTRIES && worthIt(nRows * table.numCols, parallel);
  const request = (start: number, end: number): FormatRequest => ({
    id: 0,
    kind: 'table',
    columns: table.columns.map((c) => (c.kind === 'numeric' ? { kind: 'numeric', values: c.values.slice(start, end) } : { kind: 'categorical', codes: c.codes.slice(start, end), dictionary: c.dictionary })),
  });
  if (nRows === 0 || table.numCols === 0) return once(rows.header);
  return blocks(nRows, rowsPerBlock(parallel.blockRows, rows.rowBound), (s, e, first) => rows.format(s, e, first), useWorker ? request : undefined);
}

/** The CSV bytes of a row-major matrix as matrixCsvChunks gives them (no header), on two threads when it pays. */
export function matrixCsvChunksParallel(data: Float64Array, nRows: number, nCols: number, parallel: ParallelOptions = {}): AsyncIterable<Uint8Array> {
  checkShape(data, nRows, nCols); // before anything is written
  const rows = matrixRowFormatter(data, nCols);
  const format = (s: number, e: number): Uint8Array => rows(s, e);
  const request = (s: number, e: number): FormatRequest => ({ id: 0, kind: 'matrix', data: data.slice(s * nCols, e * nCols), nCols });
  if (nRows === 0) return once(null);
  const rowBound = nCols * (MAX_NUMBER_BYTES + 1) + 1; // as matrixRowFormatter sizes its buffer
  return blocks(nRows, rowsPerBlock(parallel.blockRows, rowBound), format, worthIt(nRows * nCols, parallel) ? request : undefined);
}

function worthIt(cells: number, parallel: ParallelOptions): boolean {
  return cells >= (parallel.minCells ?? PARALLEL_MIN_CELLS) && availableParallelism() >= 2;
}

async function* once(header: Uint8Array | null): AsyncGenerator<Uint8Array> {
  if (header) yield header;
}

/**
 * Blocks in row order. The worker is kept WORKER_AHEAD blocks ahead of the one being yielded;
 * when this thread would wait for a worker block, it formats the first block nobody has taken
 * yet instead and yields it in its turn (one such block held at a time: its bytes live in the
 * formatter's reused buffer). This thread also hashes and writes every block (data/memo,
 * writeChunks), so a fixed even/odd split left the worker idle for part of each write; now each
 * thread's share follows its speed. Which thread formats a block does not change its bytes.
 */
async function* blocks(
  nRows: number,
  blockRows: number,
  formatHere: (start: number, end: number, first: boolean) => Uint8Array,
  toWorker: ((start: number, end: number) => FormatRequest) | undefined,
): AsyncGenerator<Uint8Array> {
  const size = Math.max(1, Math.floor(blockRows));
  const nBlocks = Math.ceil(nRows / size);
  const rowsOf = (b: number): [number, number] => [b * size, Math.min(nRows, (b + 1) * size)];
  if (toWorker === undefined) {
    for (let k = 0; k < nBlocks; k++) yield formatHere(...rowsOf(k), k === 0);
    return;
  }
  // Blocks handed to the worker and not yet yielded (at most WORKER_AHEAD); `done` once settled.
  const handed = new Map<number, { result: Promise<Uint8Array | null>; done: boolean }>();
  let held: { block: number; bytes: Uint8Array } | undefined;
  let frontier = 1; // the first block nobody has taken; block 0 (with the header) is formatted here
  for (let k = 0; k < nBlocks; k++) {
    while (handed.size < WORKER_AHEAD && frontier < nBlocks) {
      const b = frontier++;
      const entry = { result: formatOnWorker(toWorker(...rowsOf(b))).catch(() => null), done: false };
      void entry.result.then(() => (entry.done = true));
      handed.set(b, entry);
    }
    if (held !== undefined && held.block === k) {
      yield held.bytes;
      held = undefined;
      continue;
    }
    const entry = handed.get(k);
    if (entry === undefined) {
      yield formatHere(...rowsOf(k), k === 0);
      continue;
    }
    if (!entry.done && held === undefined && frontier < nBlocks) {
      const b = frontier++;
      held = { block: b, bytes: formatHere(...rowsOf(b), false) };
    }
    const done = await entry.result;
    handed.delete(k);
    if (done === null) formatStats.fallbackBlocks++;
    else formatStats.workerBlocks++;
    // A fallback formats into the same buffer as a held block: copy the held bytes out first.
    if (done === null && held !== undefined) held = { block: held.block, bytes: Uint8Array.from(held.bytes) };
    yield done ?? formatHere(...rowsOf(k), false);
    // Asked for the next block: the consumer is done with this one's bytes (writeChunks' contract).
    if (done !== null && spares.length < WORKER_AHEAD) spares.push(done.buffer as ArrayBuffer);
  }
}

/**
 * Reply buffers already written, sent back with the next requests for the worker to answer in:
 * without them every worker block is a fresh allocation of several MB, and a write's garbage
 * raised the process's peak RSS by about 100 MB at 1M rows.
 */
const spares: ArrayBuffer[] = [];

/** Blocks the worker may hold at once (each a copy of its values plus its text: ~25 MB for 32768 x 26). */
const WORKER_AHEAD = 2;

/** Blocks formatted by the worker, and by this thread after the worker failed (tests, benchmarks). */
export const formatStats = { workerBlocks: 0, fallbackBlocks: 0 };

/** A started worker and the blocks it owes: a late exit of a stopped worker must not fail (or orphan) the next one's blocks (found in review). */
interface FormatWorker {
  readonly w: Worker;
  readonly waiting: Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>;
}

let current: FormatWorker | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let nextId = 1;
/** How long the worker waits for the next block before it is stopped (the steps' writes come in bursts). */
const IDLE_MS = 1000;

function formatOnWorker(request: FormatRequest): Promise<Uint8Array> {
  const fw = (current ??= startWorker());
  clearTimeout(idleTimer);
  const id = nextId++;
  return new Promise((resolve, reject) => {
    fw.waiting.set(id, { resolve, reject });
    fw.w.ref(); // held only while a block is being formatted
    const buffers = request.kind === 'matrix' ? [request.data.buffer] : request.columns.map((c) => (c.kind === 'numeric' ? c.values.buffer : c.codes.buffer));
    const spare = spares.pop();
    if (spare !== undefined) buffers.push(spare);
    fw.w.postMessage({ ...request, id, spare }, buffers as ArrayBuffer[]);
  });
}

function startWorker(): FormatWorker {
  const w = new Worker(new URL('./formatWorker.mjs', import.meta.url), { execArgv: [] });
  w.unref();
  const fw: FormatWorker = { w, waiting: new Map() };
  // Only this worker's blocks: they are formatted on the main thread instead.
  const failAll = (e: Error) => {
    if (current === fw) current = undefined;
    for (const [, p] of fw.waiting) p.reject(e);
    fw.waiting.clear();
    w.unref();
  };
  w.on('message', (r: FormatReply) => {
    const p = fw.waiting.get(r.id);
    if (p === undefined) return;
    fw.waiting.delete(r.id);
    if (fw.waiting.size === 0) {
      w.unref();
      if (current === fw) {
        idleTimer = setTimeout(retireIdleWorker, IDLE_MS);
        idleTimer.unref();
      }
    }
    if ('error' in r) p.reject(new Error(r.error));
    else p.resolve(new Uint8Array(r.buffer, r.offset, r.length));
  });
  w.on('error', failAll);
  w.on('exit', (code) => failAll(new Error(`CSV format worker exited with code ${code}`))); // after terminate: nothing waits
  return fw;
}

/** What the idle timer does: stops the worker if it owes no block (the next write starts another). Exported for tests. */
export function retireIdleWorker(): void {
  const fw = current;
  if (fw === undefined || fw.waiting.size > 0) return;
  current = undefined;
  void fw.w.terminate();
}
