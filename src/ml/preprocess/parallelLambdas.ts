// Yeo-Johnson lambdas of several columns at once, one column per worker thread at a time.
// Brent's search for one lambda is sequential (each step depends on the last), so the
// parallelism is across columns, as scikit-learn's PowerTransformer is not (it loops). A lambda
// is the same function on the same values on any thread, so the result does not depend on how
// many threads ran. Small inputs stay on the calling thread: starting a worker costs more.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { PipelineError } from '../../core/index.ts';
import { yeoJohnsonLambda } from './yeoJohnson.ts';

export interface LambdaRequest {
  index: number;
  values: Float64Array;
}

export type LambdaReply = { index: number; lambda: number } | { index: number; error: string };

export interface LambdaOptions {
  /** Threads to use (workers started = min(threads, columns)); default every core; 1 = this thread only. */
  threads?: number;
  /** Fewest values in all columns together for workers to be worth starting. Default 200,000. */
  minValuesForWorkers?: number;
  /** Column names, for error messages. */
  names?: readonly string[];
}

const MAX_THREADS = 64;

/** yeoJohnsonLambda of each column, in order. */
export async function yeoJohnsonLambdas(columns: readonly Float64Array[], options: LambdaOptions = {}): Promise<number[]> {
  const requested = options.threads ?? availableParallelism();
  const threads = Math.max(1, Math.min(MAX_THREADS, Math.floor(requested) || 1, columns.length));
  const total = columns.reduce((s, c) => s + c.length, 0);
  if (threads <= 1 || total < (options.minValuesForWorkers ?? 200_000)) return columns.map((c) => yeoJohnsonLambda(c));

  const lambdas = new Array<number>(columns.length).fill(NaN);
  const name = (i: number) => options.names?.[i] ?? `#${i}`;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      let failed = false;
      const fail = (index: number, reason: string) => {
        if (failed) return;
        failed = true;
        reject(new PipelineError('preprocess.workerFailed', { column: name(index), reason }));
      };
      const give = (w: Worker, current: { index: number }) => {
        if (next >= columns.length) return;
        current.index = next++;
        // A copy, transferred: the caller's column stays usable, and nothing is cloned twice.
        const values = columns[current.index].slice();
        w.postMessage({ index: current.index, values } satisfies LambdaRequest, [values.buffer]);
      };
      for (let t = 0; t < threads; t++) {
        const w = new Worker(new URL('./lambdaWorker.mjs', import.meta.url), { execArgv: [] });
        workers.push(w);
        const current = { index: -1 };
        w.on('message', (r: LambdaReply) => {
          if ('error' in r) return fail(r.index, r.error);
          lambdas[r.index] = r.lambda;
          done++;
          if (done === columns.length) resolve();
          else give(w, current);
        });
        w.on('error', (e) => fail(current.index, e.message));
        w.on('exit', (code) => {
          if (done < columns.length) fail(current.index, `worker exited with code ${code}`);
        });
        give(w, current);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return lambdas;
}
