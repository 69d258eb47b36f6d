// TreeSHAP on several threads, for batch jobs: rows are independent, so a batch is cut into
// one contiguous range per thread; the calling thread takes the first range while workers
// take the others. Workers start once per pool (they load the TypeScript sources, ~0.3 s) and
// get the model's tables, not the model.
import { Worker } from 'node:worker_threads';
import { ModelError, PipelineError } from '../../core/index.ts';
import { checkShape, type DenseMatrix } from '../denseMatrix.ts';
import type { GbdtModel } from '../model.ts';
import type { ContributionsRequest } from './contributionsWorker.ts';
import { contributionsOf, shapTables, type ShapTables } from './treeShap.ts';

/** Below this many rows per thread, threads cost more than they save. */
const MIN_ROWS_PER_THREAD = 64;

export class ContributionsPool {
  private readonly tables: ShapTables;
  private readonly workers: Worker[] = [];
  private nextId = 0;

  constructor(model: GbdtModel, threads: number) {
    this.tables = shapTables(model);
    for (let i = 1; i < threads; i++) {
      const w = new Worker(new URL('./contributionsWorker.mjs', import.meta.url), { workerData: this.tables, execArgv: [] });
      w.unref();
      this.workers.push(w);
    }
  }

  /** Same values as predictContributions(model, m). */
  async contributions(m: DenseMatrix): Promise<Float64Array> {
    checkShape(m);
    const { numFeature, bias } = this.tables;
    if (m.nCols < numFeature) throw new ModelError('gbdt.featureCount', { expected: numFeature, got: m.nCols });
    const width = bias.length * (numFeature + 1);
    const parts = Math.max(1, Math.min(this.workers.length + 1, Math.floor(m.nRows / MIN_ROWS_PER_THREAD)));
    const per = Math.ceil(m.nRows / parts);
    const pending = this.workers.slice(0, parts - 1).map((w, i) => {
      const from = (i + 1) * per;
      const to = Math.min(m.nRows, from + per);
      return this.request(w, m.data.slice(from * m.nCols, to * m.nCols), m.nCols, Math.max(0, to - from));
    });
    const first = contributionsOf(this.tables, m.data, m.nCols, Math.min(per, m.nRows));
    const out = new Float64Array(m.nRows * width);
    out.set(first, 0);
    const rest = await Promise.all(pending);
    rest.forEach((part, i) => out.set(part, (i + 1) * per * width));
    return out;
  }

  dispose(): void {
    for (const w of this.workers) void w.terminate();
  }

  private request(w: Worker, data: Float64Array, nCols: number, nRows: number): Promise<Float64Array> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onMessage = (msg: { id: number; out: Float64Array }) => {
        if (msg.id !== id) return;
        done();
        resolve(msg.out);
      };
      const onError = (e: Error) => {
        done();
        reject(new PipelineError('gbdt.workerFailed', { reason: `a TreeSHAP thread failed: ${e.message}` }));
      };
      const done = () => {
        w.off('message', onMessage);
        w.off('error', onError);
        w.unref();
      };
      w.on('message', onMessage);
      w.on('error', onError);
      // A pending request keeps the process alive until its answer.
      w.ref();
      const req: ContributionsRequest = { id, data, nCols, nRows };
      w.postMessage(req, [data.buffer as ArrayBuffer]);
    });
  }
}
