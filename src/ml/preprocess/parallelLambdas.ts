// Yeo-Johnson lambda searches of several columns at once: this thread and worker threads each
// take the next column from one queue. Brent's search for one lambda is sequential (each step
// depends on the last), so the parallelism is across columns, as scikit-learn's
// PowerTransformer is not (it loops). A lambda is the same function on the same values on any
// thread, so the result does not depend on how many threads ran or which took which column.
// This thread is one of the `threads` (it would otherwise wait): on 2 cores one worker, not two
// competing with it. Small inputs stay on this thread: starting a worker costs more.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { PipelineError } from '../../core/index.ts';
import { yeoJohnsonSearch, yeoJohnsonSearchCost, type YeoJohnsonSearch } from './yeoJohnson.ts';

export interface LambdaRequest {
  index: number;
  values: Float64Array;
}

export type LambdaReply = { index: number; lambda: number; transformed: Float64Array } | { index: number; error: string };

export interface LambdaOptions {
  /** Threads to use, this one included (workers started = min(threads, columns) - 1); default every core; 1 = this thread only. */
  threads?: number;
  /** Fewest values in all columns together for workers to be worth starting. Default 200,000. */
  minValuesForWorkers?: number;
  /** Column names, for error messages. */
  names?: readonly string[];
}

const MAX_THREADS = 64;

/** yeoJohnsonLambda of each column, in order. */
export async function yeoJohnsonLambdas(columns: readonly Float64Array[], options: LambdaOptions = {}): Promise<number[]> {
  return (await yeoJohnsonSearches(columns, options)).map((s) => s.lambda);
}

/** yeoJohnsonSearch of each column (lambda and transformed column), in order. */
export async function yeoJohnsonSearches(columns: readonly Float64Array[], options: LambdaOptions = {}): Promise<YeoJohnsonSearch[]> {
  const requested = options.threads ?? availableParallelism();
  const threads = Math.max(1, Math.min(MAX_THREADS, Math.floor(requested) || 1, columns.length));
  const total = columns.reduce((s, c) => s + c.length, 0);
  if (threads <= 1 || total < (options.minValuesForWorkers ?? 200_000)) return columns.map((c) => yeoJohnsonSearch(c));

  const results = new Array<YeoJohnsonSearch | undefined>(columns.length);
  const name = (i: number) => options.names?.[i] ?? `#${i}`;
  // Costliest first, so that the last columns taken are short ones.
  const cost = columns.map((c) => yeoJohnsonSearchCost(c));
  const order = columns.map((_, i) => i).sort((a, b) => cost[b] - cost[a] || a - b);
  let next = 0;
  const workers: Worker[] = [];
  let failure: PipelineError | undefined;
  let settle: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (settle = resolve));
  let done = 0;
  const finish = (index: number, r: YeoJohnsonSearch) => {
    results[index] = r;
    if (++done === columns.length) settle();
  };
  const fail = (index: number, reason: string) => {
    failure ??= new PipelineError('preprocess.workerFailed', { column: name(index), reason });
    settle();
  };
  try {
    for (let t = 1; t < threads; t++) {
      const w = new Worker(new URL('./lambdaWorker.mjs', import.meta.url), { execArgv: [] });
      workers.push(w);
      const current = { index: -1 };
      const give = () => {
        if (next >= order.length || failure !== undefined) return;
        current.index = order[next++];
        // A copy, transferred: the caller's column stays usable, and nothing is cloned twice.
        const values = columns[current.index].slice();
        w.postMessage({ index: current.index, values } satisfies LambdaRequest, [values.buffer]);
      };
      w.on('message', (r: LambdaReply) => {
        if ('error' in r) return fail(r.index, r.error);
        current.index = -1;
        finish(r.index, { lambda: r.lambda, transformed: r.transformed });
        give();
      });
      w.on('error', (e) => fail(current.index, e.message));
      w.on('exit', (code) => {
        if (done < columns.length) fail(current.index, `worker exited with code ${code}`);
      });
      give();
    }
    // This thread takes columns too, one at a time, letting the workers' replies in between.
    while (next < order.length && failure === undefined) {
      const index = order[next++];
      finish(index, yeoJohnsonSearch(columns[index]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await allDone;
    if (failure !== undefined) throw failure;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results as YeoJohnsonSearch[];
}
