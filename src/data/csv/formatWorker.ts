// A CSV formatting worker (parallelFormat.ts): receives a block of rows (a matrix's values or
// a table's column slices with their dictionaries), answers with its CSV bytes, formatted by
// the same functions as on the main thread, so the bytes are the same.
import { parentPort } from 'node:worker_threads';
import { categoricalColumn, numericColumn, type Column } from '../column.ts';
import { Table } from '../table.ts';
import type { FormatReply, FormatRequest } from './parallelFormat.ts';
import { csvRowFormatter } from './writeCsv.ts';
import { matrixRowFormatter } from './writeMatrixCsv.ts';

const port = parentPort;
if (port === null) throw new Error('formatWorker.ts runs as a worker thread only');
// One formatting buffer for every block (grown when a block needs more), not one per block:
// the worker's memory stays one block's worth.
let scratch = Buffer.allocUnsafeSlow(0);
const keep = (view: Uint8Array): void => {
  if (view.buffer.byteLength > scratch.length) scratch = Buffer.from(view.buffer as ArrayBuffer, 0, view.buffer.byteLength);
};
port.on('message', (m: FormatRequest) => {
  let reply: FormatReply;
  let bytes: Uint8Array | undefined;
  try {
    if (m.kind === 'matrix') {
      bytes = matrixRowFormatter(m.data, m.nCols, scratch)(0, m.data.length / m.nCols);
    } else {
      const columns: Column[] = m.columns.map((c, j) => (c.kind === 'numeric' ? numericColumn(`c${j}`, c.values) : categoricalColumn(`c${j}`, c.codes, c.dictionary)));
      const table = new Table(columns);
      bytes = csvRowFormatter(table, { header: false }, scratch).format(0, table.numRows, false);
    }
    // A copy into the spare buffer the main thread sent back, or into a new one an eighth larger
    // than needed (so it fits the next blocks when it comes back as a spare): the formatting
    // buffer is sized for the longest possible rows (about three times the bytes), and the main
    // thread should not be handed (and garbage-collect) that.
    const length = bytes?.length ?? 0;
    const out = m.spare !== undefined && m.spare.byteLength >= length ? new Uint8Array(m.spare, 0, length) : new Uint8Array(new ArrayBuffer(length + (length >>> 3)), 0, length);
    if (bytes) {
      out.set(bytes);
      keep(bytes);
    }
    reply = { id: m.id, buffer: out.buffer as ArrayBuffer, offset: 0, length: out.length };
  } catch (e) {
    reply = { id: m.id, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply, 'buffer' in reply ? [reply.buffer] : []);
});
