// The service's scoring thread, seen from the event loop: one worker thread (scoringWorker.ts)
// that answers explain requests and large batches, so TreeSHAP and big matrices never stall
// the event loop (GET /healthz stays fast). It is not a pool of its own: parallelism inside a
// job comes from the existing ones (ContributionsPool for TreeSHAP, the compiled model's
// ScorePool for large batches). Jobs wait in the worker's message queue; at most `maxQueue`
// may be pending, the next one is refused with QueueFullError (the server answers 503 +
// Retry-After). A thread that dies fails its pending jobs and is started again on the next job.
import { Worker } from 'node:worker_threads';
import type { ScorerSource } from './loanScorer.ts';
import type { ScoreAnswer } from './scoreAnswer.ts';

export interface ScoringThreadInit {
  readonly source: ScorerSource;
  /** Threads one job may use (this one plus the pools' helpers). */
  readonly threads: number;
  readonly allowUnknownCategories: boolean;
}

export interface ScoringThreadJob {
  readonly id: number;
  readonly body: Uint8Array;
  readonly explain: boolean;
}

export type ScoringThreadReply = { readonly id: number; readonly answer: ScoreAnswer } | { readonly id: number; readonly failure: string } | { readonly ready: true };

export class QueueFullError extends Error {}

interface Pending {
  readonly resolve: (answer: ScoreAnswer) => void;
  readonly reject: (e: Error) => void;
}

export class ScoringThread {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly init: ScoringThreadInit,
    readonly maxQueue: number,
  ) {}

  /** Jobs sent and not answered yet. */
  get queued(): number {
    return this.pending.size;
  }

  /** Starts the thread (loading the sources takes ~0.5 s) and resolves once it can take jobs. */
  start(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the scoring thread is closed'));
    if (this.worker && this.ready) return this.ready;
    const w = new Worker(new URL('./scoringWorker.mjs', import.meta.url), { workerData: this.init, execArgv: [] });
    w.unref();
    this.worker = w;
    this.ready = new Promise<void>((resolve, reject) => {
      w.on('message', (msg: ScoringThreadReply) => {
        if ('ready' in msg) return resolve();
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (this.pending.size === 0) w.unref();
        if ('answer' in msg) p.resolve(msg.answer);
        else p.reject(new Error(`scoring thread: ${msg.failure}`));
      });
      const fail = (e: Error) => {
        reject(e);
        if (this.worker === w) {
          this.worker = undefined;
          this.ready = undefined;
        }
        const pending = [...this.pending.values()];
        this.pending.clear();
        for (const p of pending) p.reject(e);
      };
      w.on('error', fail);
      w.on('exit', (code) => fail(new Error(`the scoring thread exited (code ${code})`)));
    });
    // Callers that only start the thread must not see an unhandled rejection.
    this.ready.catch(() => {});
    return this.ready;
  }

  /** Answers one request body on the thread; QueueFullError when maxQueue jobs are pending. */
  run(body: Uint8Array, explain: boolean): Promise<ScoreAnswer> {
    if (this.closed) return Promise.reject(new Error('the scoring thread is closed'));
    if (this.pending.size >= this.maxQueue) return Promise.reject(new QueueFullError());
    void this.start();
    const w = this.worker!;
    const id = this.nextId++;
    // A copy of its own: the request's buffer may be a slice of a shared pool, and this one is
    // transferred (moved, not copied again) to the thread.
    const copy = new Uint8Array(body);
    return new Promise<ScoreAnswer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.ref();
      w.postMessage({ id, body: copy, explain } satisfies ScoringThreadJob, [copy.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
