// A training worker: waits until the main thread publishes a command, joins it through the
// gate (gate.ts) if it is still open, claims and does tasks of it (growKernels.ts) on the
// shared buffers, and leaves. Buffers allocated later (bigger job buffers, new histogram
// chunks) arrive as port messages, which are drained after joining, up to the count the main
// thread published with the command.
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { allColumns, shareColumns } from '../grow/hist/histogram.ts';
import { makeLane, TempLane } from '../grow/hist/rowPartitioner.ts';
import { heapSource } from '../grow/hist/bufferSource.ts';
import { jsKernels } from '../grow/hist/rowKernels.ts';
import { wasmKernels } from '../grow/hist/wasmKernels.ts';
import { splitEvaluator } from '../grow/hist/wasmEvaluate.ts';
import { wasmGradients } from '../objective/wasmGradients.ts';
import { KernelMemory } from '../wasm/kernelMemory.ts';
import { createObjective, type Objective } from '../objective/index.ts';
import { awaitChange, POLL_MS } from './awaitChange.mjs';
import { runTasks, type Command, type KernelContext } from './growKernels.ts';
import { leave, tryJoin } from './gate.ts';
import { CTL, type WorkerInit, type WorkerMessage } from './protocol.ts';

const init = workerData as WorkerInit;
const ctl = new Int32Array(init.ctl);
const lanes = init.lanes.map((region) => makeLane(region, init.layout.bytesPerBin));
const source = init.memory ? new KernelMemory(init.memory) : heapSource(false);
const kernels = init.memory ? wasmKernels(init.memory, init.shape, init.layout) : jsKernels(init.shape, init.layout);
let job = new Int32Array(init.job);
let luts = new Uint8Array(init.luts);
let entries = new Float64Array(init.entries);
const chunks: Float64Array[] = [];
const histLength = init.layout.totalSlots * 2;
const HISTS_PER_CHUNK_BYTES = (c: Float64Array) => c.length / histLength;
let received = 0;
const arrays = new Map<number, Float32Array>();
let objective: Objective | undefined;

const ctx: KernelContext = {
  threads: init.threads,
  lanes,
  indexLanes: init.indexLanes.map((r) => new Uint32Array(r.buffer, r.byteOffset, r.byteLength >> 2)),
  goLeft: new Uint8Array(init.goLeft.buffer, init.goLeft.byteOffset, init.goLeft.byteLength),
  kernels,
  luts: () => luts,
  shape: init.shape,
  layout: init.layout,
  columns: shareColumns(init.layout, init.threads),
  allColumns: allColumns(init.layout),
  temp: new TempLane(init.shape, init.layout.bytesPerBin, source),
  claim: () => Atomics.add(ctl, CTL.nextTask, 1),
  complete: (awaited) => {
    Atomics.add(ctl, CTL.completed, 1);
    if (awaited) Atomics.notify(ctl, CTL.completed);
  },
  awaitCompleted: (n) => {
    for (let c = Atomics.load(ctl, CTL.completed); c < n; c = Atomics.load(ctl, CTL.completed)) awaitChange(ctl, CTL.completed, c);
  },
  arrays: () => arrays,
  objective: () => objective,
  histLength,
  histChunk: (id) => {
    const per = HISTS_PER_CHUNK_BYTES(chunks[0]);
    return { chunk: chunks[Math.floor(id / per)], base: (id % per) * histLength };
  },
  entries: () => entries,
  space: init.space,
  gain: init.gain,
  evaluate: splitEvaluator(init.memory ?? undefined, init.space, init.gain),
  gradientKernel: init.memory ? wasmGradients(init.memory) : undefined,
};

function drain(upTo: number): void {
  while (received < upTo) {
    const m = receiveMessageOnPort(init.port);
    if (!m) {
      // Posted but not yet delivered: wait a moment for it.
      Atomics.wait(ctl, CTL.seq, Atomics.load(ctl, CTL.seq), 1);
      continue;
    }
    const msg = m.message as WorkerMessage;
    if (msg.type === 'job') job = new Int32Array(msg.buffer);
    else if (msg.type === 'luts') luts = new Uint8Array(msg.buffer);
    else if (msg.type === 'entries') entries = new Float64Array(msg.buffer);
    else if (msg.type === 'histChunk') chunks.push(new Float64Array(msg.region.buffer, msg.region.byteOffset, msg.region.byteLength >> 3));
    else if (msg.type === 'array') arrays.set(msg.id, new Float32Array(msg.region.buffer, msg.region.byteOffset, msg.region.byteLength >> 2));
    else objective = createObjective(msg.name, { numClass: msg.numClass, scalePosWeight: msg.scalePosWeight });
    received++;
  }
}

/**
 * Waits for a command after `seen`: polls while the main thread is using the workers (ctl.hot,
 * for at most HOT_POLL_MS: the gaps between its commands are far shorter), else for POLL_MS,
 * then sleeps until the next one is published.
 */
const HOT_POLL_MS = 20;
function awaitCommand(): void {
  let since = performance.now();
  for (let polls = 1; Atomics.load(ctl, CTL.seq) === seen; polls++) {
    if ((polls & 255) !== 0) continue;
    const now = performance.now();
    if (Atomics.load(ctl, CTL.hot) === 1 && now - since < HOT_POLL_MS) continue;
    if (now - since < POLL_MS) continue;
    Atomics.wait(ctl, CTL.seq, seen, 100);
    since = performance.now();
  }
}

let seen = 0;
Atomics.add(ctl, CTL.ready, 1);
Atomics.notify(ctl, CTL.ready);
for (;;) {
  awaitCommand();
  seen = Atomics.load(ctl, CTL.seq);
  if (!tryJoin(ctl, seen)) continue;
  try {
    drain(Atomics.load(ctl, CTL.messages));
    runTasks(ctx, Atomics.load(ctl, CTL.command) as Command, job);
  } catch (e) {
    init.port.postMessage({ error: e instanceof Error ? e.message : String(e) });
    Atomics.store(ctl, CTL.failed, 1);
  }
  leave(ctl);
}
