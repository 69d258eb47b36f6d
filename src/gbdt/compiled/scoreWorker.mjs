// A scoring worker (scorePool.ts): waits for a job, claims and scores chunks of its rows until
// none is left. Plain JavaScript, so it starts without the TypeScript loader.
import { workerData } from 'node:worker_threads';
import { awaitChange } from '../parallel/awaitChange.mjs';
import { BLOCK_ROWS, claimAndScore, SCORE_CTL } from './scoreShare.mjs';

const init = workerData;
const ctl = new Int32Array(init.ctl);
const loop = new WebAssembly.Instance(init.module, { k: { m: init.memory } }).exports;
// This thread's scratch: memory.grow is atomic, so any thread may take pages.
const nidsAt = init.memory.grow(Math.ceil((BLOCK_ROWS * 4) / 65536)) * 65536;
let seen = 0;
for (;;) {
  awaitChange(ctl, SCORE_CTL.seq, seen);
  seen = Atomics.load(ctl, SCORE_CTL.seq);
  try {
    claimAndScore(ctl, loop, init.layout, nidsAt, seen);
  } catch {
    Atomics.store(ctl, SCORE_CTL.failed, 1);
    Atomics.notify(ctl, SCORE_CTL.done);
  }
}
