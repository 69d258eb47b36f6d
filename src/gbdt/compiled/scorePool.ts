// Scoring on several threads: worker threads instantiate the scoring loop on the forest's
// shared WebAssembly memory, and every thread — the main one included — claims chunks of a
// converted batch until none is left (scoreShare.mjs). Rows are independent, so the margins
// do not depend on who scored what; a worker still starting simply claims fewer chunks (or
// none: the main thread then scores everything). Workers are unref'd: an idle pool does not
// keep the process alive.
import { Worker } from 'node:worker_threads';
import { PipelineError } from '../../core/index.ts';
import { awaitChange } from '../parallel/awaitChange.mjs';
import { KernelMemory } from '../wasm/kernelMemory.ts';
import { BLOCK_ROWS, claimAndScore, firstClaim, SCORE_CTL, SCORE_CTL_LENGTH } from './scoreShare.mjs';
import { forestModule, instantiateForestLoop, type BlockExports, type WasmForest } from './wasmForest.ts';
import type { ScoreWorkerInit } from './scoreProtocol.ts';

export class ScorePool {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(SCORE_CTL_LENGTH * 4));
  private readonly workers: Worker[] = [];
  private readonly loop: BlockExports;
  private readonly nidsAt: number;

  constructor(
    private readonly forest: WasmForest,
    readonly threads: number,
  ) {
    this.loop = instantiateForestLoop(forest.mem.memory);
    this.nidsAt = new KernelMemory(forest.mem.memory).alloc(BLOCK_ROWS * 4).byteOffset;
    for (let share = 1; share < threads; share++) {
      const init: ScoreWorkerInit = { memory: forest.mem.memory, module: forestModule(), layout: forest.layout, ctl: this.ctl.buffer as SharedArrayBuffer };
      const w = new Worker(new URL('./scoreWorker.mjs', import.meta.url), { workerData: init, execArgv: [] });
      w.unref();
      w.on('error', () => {
        Atomics.store(this.ctl, SCORE_CTL.failed, 1);
        Atomics.notify(this.ctl, SCORE_CTL.done);
      });
      this.workers.push(w);
    }
  }

  /** Scores n converted rows with the trees of chunks [c0, c1) (WasmForest.predictMargins) on every thread. */
  readonly score = (rowsAt: number, marginsAt: number, n: number, c0: number, c1: number): void => {
    this.join(this.publish(rowsAt, marginsAt, n, c0, c1), n);
  };

  /**
   * Hands a job to the workers and returns at once (its generation, for join): they score it
   * while this thread does something else (reads the next batch); the buffers must stay as they
   * are until join returns, and no other job may be published before.
   */
  publish(rowsAt: number, marginsAt: number, n: number, c0: number, c1: number): number {
    const ctl = this.ctl;
    // The previous job is done (every chunk scored), so no thread reads these any more.
    const seq = Atomics.load(ctl, SCORE_CTL.seq) + 1;
    Atomics.store(ctl, SCORE_CTL.rowsAt, rowsAt);
    Atomics.store(ctl, SCORE_CTL.marginsAt, marginsAt);
    Atomics.store(ctl, SCORE_CTL.rows, n);
    Atomics.store(ctl, SCORE_CTL.chunkFrom, c0);
    Atomics.store(ctl, SCORE_CTL.chunkTo, c1);
    Atomics.store(ctl, SCORE_CTL.done, 0);
    Atomics.store(ctl, SCORE_CTL.next, firstClaim(seq));
    Atomics.store(ctl, SCORE_CTL.seq, seq);
    Atomics.notify(ctl, SCORE_CTL.seq);
    return seq;
  }

  /** This thread claims what is left of job `seq` (n rows), then waits until every row is scored. */
  join(seq: number, n: number): void {
    const ctl = this.ctl;
    claimAndScore(ctl, this.loop, this.forest.layout, this.nidsAt, seq);
    for (let d = Atomics.load(ctl, SCORE_CTL.done); d !== n; d = Atomics.load(ctl, SCORE_CTL.done)) {
      this.checkFailed();
      awaitChange(ctl, SCORE_CTL.done, d, () => this.checkFailed());
    }
  }

  dispose(): void {
    for (const w of this.workers) void w.terminate();
  }

  private checkFailed(): void {
    if (Atomics.load(this.ctl, SCORE_CTL.failed) !== 0) throw new PipelineError('gbdt.workerFailed', { reason: 'a scoring thread failed' });
  }
}
