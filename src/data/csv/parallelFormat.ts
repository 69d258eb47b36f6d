// CSV formatting on two threads: blocks of rows alternate between this thread and one worker,
// and are written in row order, so the file is byte for byte the one-thread file (both format
// with the same functions; a block's bytes do not depend on its neighbours). Number formatting
// is most of a large write's time (a 750k x 26 matrix: ~1.3 s), and the pipeline's steps run
// one at a time, so the second core would otherwise be idle. The worker formats the next block
// while this thread formats and writes its own, one block ahead at most (bounded memory).
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

export type FormatRequest =
  | { id: number; kind: 'matrix'; data: Float64Array; nCols: number }
  | { id: number; kind: 'table'; columns: ({ kind: 'numeric'; values: Float64Array } | { kind: 'categorical'; codes: Int32Array; dictionary: readonly string[] })[] };

export type FormatReply = { id: number; buffer: ArrayBuffer; offset: number; length: number } | { id: number; error: string };

/** Values (rows x columns) from which formatting is split across two threads. */
export const PARALLEL_MIN_CELLS = 2_000_000;
/** Rows per block. */
const BLOCK_ROWS = 32768;
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
  return blocks(nRows, parallel.blockRows ?? BLOCK_ROWS, (s, e, first) => rows.format(s, e, first), useWorker ? request : undefined);
}

/** The CSV bytes of a row-major matrix as matrixCsvChunks gives them (no header), on two threads when it pays. */
export function matrixCsvChunksParallel(data: Float64Array, nRows: number, nCols: number, parallel: ParallelOptions = {}): AsyncIterable<Uint8Array> {
  checkShape(data, nRows, nCols); // before anything is written
  const rows = matrixRowFormatter(data, nCols);
  const format = (s: number, e: number): Uint8Array => rows(s, e);
  const request = (s: number, e: number): FormatRequest => ({ id: 0, kind: 'matrix', data: data.slice(s * nCols, e * nCols), nCols });
  if (nRows === 0) return once(null);
  return blocks(nRows, parallel.blockRows ?? BLOCK_ROWS, format, worthIt(nRows * nCols, parallel) ? request : undefined);
}

function worthIt(cells: number, parallel: ParallelOptions): boolean {
  return cells >= (parallel.minCells ?? PARALLEL_MIN_CELLS) && availableParallelism() >= 2;
}

async function* once(header: Uint8Array | null): AsyncGenerator<Uint8Array> {
  if (header) yield header;
}

/** Blocks in row order: even ones formatted here, odd ones by the worker (one requested ahead). */
async function* blocks(
  nRows: number,
  blockRows: number,
  formatHere: (start: number, end: number, first: boolean) => Uint8Array,
  toWorker: ((start: number, end: number) => FormatRequest) | undefined,
): AsyncGenerator<Uint8Array> {
  const size = Math.max(1, Math.floor(blockRows));
  let ahead: Promise<Uint8Array | null> | undefined;
  for (let k = 0, start = 0; start < nRows; k++, start += size) {
    const end = Math.min(nRows, start + size);
    if (toWorker === undefined) {
      yield formatHere(start, end, k === 0);
      continue;
    }
    if (k % 2 === 1) {
      const done = ahead === undefined ? null : await ahead;
      if (done === null) formatStats.fallbackBlocks++;
      else formatStats.workerBlocks++;
      yield done ?? formatHere(start, end, false);
      continue;
    }
    const next = end;
    ahead = next < nRows ? formatOnWorker(toWorker(next, Math.min(nRows, next + size))).catch(() => null) : undefined;
    yield formatHere(start, end, k === 0);
  }
}

/** Blocks formatted by the worker, and by this thread after the worker failed (tests, benchmarks). */
export const formatStats = { workerBlocks: 0, fallbackBlocks: 0 };

let worker: Worker | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let nextId = 1;
/** How long the worker waits for the next block before it is stopped (the steps' writes come in bursts). */
const IDLE_MS = 1000;
const waiting = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();

function formatOnWorker(request: FormatRequest): Promise<Uint8Array> {
  const w = (worker ??= startWorker());
  clearTimeout(idleTimer);
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.ref(); // held only while a block is being formatted
    const buffers = request.kind === 'matrix' ? [request.data.buffer] : request.columns.map((c) => (c.kind === 'numeric' ? c.values.buffer : c.codes.buffer));
    w.postMessage({ ...request, id }, buffers as ArrayBuffer[]);
  });
}

function startWorker(): Worker {
  const w = new Worker(new URL('./formatWorker.mjs', import.meta.url), { execArgv: [] });
  w.unref();
  const failAll = (e: Error) => {
    if (worker === w) worker = undefined;
    for (const [, p] of waiting) p.reject(e);
    waiting.clear();
  };
  w.on('message', (r: FormatReply) => {
    const p = waiting.get(r.id);
    if (p === undefined) return;
    waiting.delete(r.id);
    if (waiting.size === 0) {
      w.unref();
      idleTimer = setTimeout(() => {
        if (worker === w && waiting.size === 0) {
          worker = undefined;
          void w.terminate();
        }
      }, IDLE_MS);
      idleTimer.unref();
    }
    if ('error' in r) p.reject(new Error(r.error));
    else p.resolve(new Uint8Array(r.buffer, r.offset, r.length));
  });
  w.on('error', failAll);
  w.on('exit', (code) => failAll(new Error(`CSV format worker exited with code ${code}`))); // after terminate: nothing waits
  return w;
}
