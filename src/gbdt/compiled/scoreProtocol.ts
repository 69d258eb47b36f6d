// What a scoring worker (scoreWorker.mjs) is started with; the control words are in scoreShare.mjs.
import type { ForestLayout } from './wasmForest.ts';

export interface ScoreWorkerInit {
  readonly memory: WebAssembly.Memory;
  /** The scoring loop compiled by the main thread (shared compiled code). */
  readonly module: WebAssembly.Module;
  readonly layout: ForestLayout;
  readonly ctl: SharedArrayBuffer;
}
