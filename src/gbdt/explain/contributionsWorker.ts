// A TreeSHAP thread: gets the model's tables once, then answers each request of rows with
// their contributions (transferred back, not copied).
import { parentPort, workerData } from 'node:worker_threads';
import { contributionsOf, type ShapTables } from './treeShap.ts';

export interface ContributionsRequest {
  readonly id: number;
  readonly data: Float64Array;
  readonly nCols: number;
  readonly nRows: number;
}

const tables = workerData as ShapTables;
parentPort!.on('message', (req: ContributionsRequest) => {
  const out = contributionsOf(tables, req.data, req.nCols, req.nRows);
  parentPort!.postMessage({ id: req.id, out }, [out.buffer as ArrayBuffer]);
});
