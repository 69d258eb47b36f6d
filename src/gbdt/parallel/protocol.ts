// What the main thread and the training workers share: the control words and the start-up
// data. A command is published by bumping `seq` with the gate open for it; a worker takes
// part only if it joins through the gate (gate.ts) before the main thread closes it, so the
// main thread never waits for a worker that has not started on the command.
import type { MessagePort } from 'node:worker_threads';
import type { SplitSpace } from '../grow/hist/evaluateSplits.ts';
import type { SlotLayout } from '../grow/hist/histogram.ts';
import type { GainParams } from '../grow/hist/splitGain.ts';
import type { RecordShape } from '../grow/hist/rowPartitioner.ts';
import type { Region } from '../grow/hist/bufferSource.ts';

/**
 * seq: the last command's number; command: its kind; failed: set by a failing worker;
 * messages: port messages posted before the command; ready: workers started; gate: see gate.ts;
 * nextTask / completed: tasks of the command claimed / done; hot: 1 while the main thread
 * uses the workers (they poll longer before sleeping).
 */
// Words written often by different threads sit on their own 64-byte cache lines (16 words
// apart), so a thread polling one does not slow down the threads updating another.
export const CTL = { seq: 0, command: 1, failed: 2, messages: 3, ready: 4, hot: 5, gate: 16, nextTask: 32, completed: 48 } as const;
export const CTL_LENGTH = 64;

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
