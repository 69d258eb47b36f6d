// What the main thread and the training workers share: the control words (command sequence
// number, command, pending count, failure flag, messages posted, workers started, barrier,
// next task to claim)
// and the start-up data.
import type { MessagePort } from 'node:worker_threads';
import type { SplitSpace } from '../grow/hist/evaluateSplits.ts';
import type { SlotLayout } from '../grow/hist/histogram.ts';
import type { GainParams } from '../grow/hist/splitGain.ts';
import type { RecordShape } from '../grow/hist/rowPartitioner.ts';
import type { Region } from '../grow/hist/bufferSource.ts';

export const CTL = { seq: 0, command: 1, pending: 2, failed: 3, messages: 4, ready: 5, barrierCount: 6, barrierGeneration: 7, nextTask: 8 } as const;
export const CTL_LENGTH = 9;

export interface WorkerInit {
  readonly ctl: SharedArrayBuffer;
  readonly port: MessagePort;
  readonly share: number;
  readonly threads: number;
  /** The training memory when the WebAssembly kernels run (the regions below are in it), else null. */
  readonly memory: WebAssembly.Memory | null;
  readonly lanes: readonly Region[];
  readonly indexLanes: readonly Region[];
  readonly goLeft: Region;
  readonly shape: RecordShape;
  readonly layout: SlotLayout;
  readonly job: SharedArrayBuffer;
  readonly luts: SharedArrayBuffer;
  readonly entries: SharedArrayBuffer;
  readonly space: SplitSpace;
  readonly gain: GainParams;
}

/** Buffers allocated after start-up; a command's `messages` count says how many to expect. */
export type WorkerMessage =
  | { readonly type: 'job'; readonly buffer: SharedArrayBuffer }
  | { readonly type: 'luts'; readonly buffer: SharedArrayBuffer }
  | { readonly type: 'entries'; readonly buffer: SharedArrayBuffer }
  | { readonly type: 'histChunk'; readonly region: Region }
  /** A float32 array shared for row-parallel steps (margins, labels, weights, gradient pairs). */
  | { readonly type: 'array'; readonly id: number; readonly region: Region }
  | { readonly type: 'objective'; readonly name: string; readonly numClass: number; readonly scalePosWeight: number };
