// GrowExecutor over worker threads. The main thread is share 0 and T - 1 workers take the
// other shares; all read and write the same SharedArrayBuffers (packed bins, row lanes,
// histograms). A step is: write task records into the shared job buffer, bump the command
// sequence number (Atomics.notify wakes the workers), do share 0, wait until every worker
// has decremented the pending count. The main thread blocks in Atomics.wait, so training
// stays a synchronous call, and nothing is copied between threads.
import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { PipelineError } from '../../core/index.ts';
import type { BuildTask, EvaluateTask, GrowExecutor, GrowState, LeafTask, PartitionTask } from '../grow/hist/growExecutor.ts';
import type { Objective } from '../objective/index.ts';
import type { TrainParams } from '../trainParams.ts';
import { copyTo, SerialExecutor } from '../grow/hist/growExecutor.ts';
import { wasmGradients } from '../objective/wasmGradients.ts';
import { allColumns, rootBlockCount, shareColumns } from '../grow/hist/histogram.ts';
import { regionOf } from '../grow/hist/bufferSource.ts';
import { awaitChange } from './awaitChange.mjs';
import { BUILD_FIELDS, chunkOf, Command, LEAF_FIELDS, makeBarrier, MARK_FIELDS, markRecord, runShare, SCATTER_FIELDS, scatterRecord, SPLIT_ENTRIES, SPLIT_FIELDS, SPLIT_FIRST, SPLIT_MID, type KernelContext } from './growKernels.ts';
import { ENTRY_FIELDS, readEntry, writeEntry } from '../grow/hist/expandEntry.ts';
import type { SplitSpace } from '../grow/hist/evaluateSplits.ts';
import { CTL, CTL_LENGTH, type WorkerInit, type WorkerMessage } from './protocol.ts';

/** nthread as XGBoost reads it: 0 or negative means every core. */
export function resolveThreads(nthread: number): number {
  return nthread > 0 ? nthread : availableParallelism();
}

const START_TIMEOUT_MS = 60_000;

export function createWorkerExecutor(
  state: GrowState,
  threads: number,
  params: Pick<TrainParams, 'numClass' | 'scalePosWeight'>,
  memory?: WebAssembly.Memory,
): { executor: GrowExecutor; onNewHistogramChunk: (chunk: Float64Array) => void } {
  const pm = state.pm;
  const part = state.part;
  const T = threads;
  const slotLayout = { nCols: pm.nCols, colSlotOffset: pm.colSlotOffset, totalSlots: pm.totalSlots, bytesPerBin: pm.bytesPerBin };
  const columns = shareColumns(slotLayout, threads);
  const ctl = new Int32Array(new SharedArrayBuffer(CTL_LENGTH * 4));
  const ports: MessagePort[] = [];
  let posted = 0;
  let job = new Int32Array(new SharedArrayBuffer(4096 * 4));
  let luts = new Uint8Array(new SharedArrayBuffer(4096));
  let entries = new Float64Array(new SharedArrayBuffer(256 * ENTRY_FIELDS * 8));
  // What split evaluation reads, without the packed matrix's rows (structured-cloned once).
  const { pm: spm, cuts, nBins } = state.space;
  const space: SplitSpace = {
    pm: { nFeatures: spm.nFeatures, featureCol: spm.featureCol, featureMember: spm.featureMember, featureDefaultBin: spm.featureDefaultBin, colSlotOffset: spm.colSlotOffset },
    cuts: { ptrs: cuts.ptrs, values: cuts.values, minValues: cuts.minValues },
    nBins,
  };
  const init: Omit<WorkerInit, 'port' | 'share'> = {
    ctl: ctl.buffer as SharedArrayBuffer,
    threads,
    memory: memory ?? null,
    lanes: part.lanes.map((l) => regionOf(l.words)),
    indexLanes: part.indexLanes.map(regionOf),
    goLeft: regionOf(part.goLeft),
    shape: part.shape,
    layout: slotLayout,
    job: job.buffer as SharedArrayBuffer,
    luts: luts.buffer as SharedArrayBuffer,
    entries: entries.buffer as SharedArrayBuffer,
    space,
    gain: state.gain,
  };
  const workers: Worker[] = [];
  for (let share = 1; share < threads; share++) {
    const { port1, port2 } = new MessageChannel();
    const data: WorkerInit = { ...init, port: port2, share };
    const w = new Worker(new URL('./growWorker.mjs', import.meta.url), { workerData: data, transferList: [port2], execArgv: [] });
    w.unref();
    workers.push(w);
    ports.push(port1);
  }
  const send = (m: WorkerMessage) => {
    for (const p of ports) p.postMessage(m);
    posted++;
  };
  const ctx: KernelContext = {
    threads,
    lanes: part.lanes,
    indexLanes: part.indexLanes,
    goLeft: part.goLeft,
    luts: () => luts,
    shape: part.shape,
    layout: slotLayout,
    columns,
    allColumns: allColumns(slotLayout),
    temp: part.tempLane(),
    kernels: part.kernels,
    barrier: makeBarrier(ctl, threads, CTL.barrierCount, CTL.barrierGeneration, CTL.failed),
    claim: () => Atomics.add(ctl, CTL.nextTask, 1),
    arrays: () => arrays,
    objective: () => sentObjective,
    histLength: pm.totalSlots * 2,
    histChunk: (id) => {
      const r = state.hists.ref(id);
      return { chunk: state.hists.chunks[r.chunk], base: r.base };
    },
    entries: () => entries,
    space,
    gain: state.gain,
    evaluate: state.evaluate,
    gradientKernel: state.memory && wasmGradients(state.memory),
  };

  const ensureJob = (ints: number) => {
    if (job.length >= ints) return;
    job = new Int32Array(new SharedArrayBuffer(Math.max(ints, job.length * 2) * 4));
    send({ type: 'job', buffer: job.buffer as SharedArrayBuffer });
  };
  const ensureLuts = (bytes: number) => {
    if (luts.length >= bytes) return;
    luts = new Uint8Array(new SharedArrayBuffer(Math.max(bytes, luts.length * 2)));
    send({ type: 'luts', buffer: luts.buffer as SharedArrayBuffer });
  };
  const ensureEntries = (doubles: number) => {
    if (entries.length >= doubles) return;
    entries = new Float64Array(new SharedArrayBuffer(Math.max(doubles, entries.length * 2) * 8));
    send({ type: 'entries', buffer: entries.buffer as SharedArrayBuffer });
  };

  let started = false;
  const awaitWorkers = () => {
    // A worker that cannot start (e.g. its module fails to load) must not hang training.
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const ready = Atomics.load(ctl, CTL.ready);
      if (ready === threads - 1) break;
      if (Date.now() > deadline) {
        throw new PipelineError('gbdt.workerFailed', { reason: `only ${ready} of ${threads - 1} worker threads started within ${START_TIMEOUT_MS / 1000} s` });
      }
      Atomics.wait(ctl, CTL.ready, ready, 100);
    }
    started = true;
  };

  const dispatch = (command: Command, nTasks: number): void => {
    if (!started) awaitWorkers();
    job[0] = nTasks;
    Atomics.store(ctl, CTL.nextTask, 0);
    Atomics.store(ctl, CTL.pending, threads - 1);
    Atomics.store(ctl, CTL.command, command);
    Atomics.store(ctl, CTL.messages, posted);
    Atomics.add(ctl, CTL.seq, 1);
    Atomics.notify(ctl, CTL.seq);
    runShare(ctx, command, job, nTasks, 0);
    for (let p = Atomics.load(ctl, CTL.pending); p !== 0; p = Atomics.load(ctl, CTL.pending)) awaitChange(ctl, CTL.pending, p);
    if (Atomics.load(ctl, CTL.failed) !== 0) {
      let workerError: string | undefined;
      for (const port of ports) {
        const m = receiveMessageOnPort(port)?.message as { error?: string } | undefined;
        workerError ??= m?.error;
      }
      throw new PipelineError('gbdt.workerFailed', { reason: workerError ?? 'see stderr' });
    }
  };

  /** Build records after a count at job[at] (the count itself is job[at]). */
  const writeBuilds = (tasks: readonly BuildTask[], at: number) => {
    job[at] = tasks.length;
    tasks.forEach((t, k) => {
      const o = at + 1 + k * BUILD_FIELDS;
      job[o] = part.laneIndex(t.nid);
      job[o + 1] = part.begin(t.nid);
      job[o + 2] = part.end(t.nid);
      job[o + 3] = t.hist;
      job[o + 4] = t.subtractFrom;
      job[o + 5] = part.recordLaneIndex(t.nid);
    });
  };

  // Float32 arrays the workers hold too, by id (and the id of each, by identity).
  const arrays = new Map<number, Float32Array>();
  const arrayIds = new Map<Float32Array, number>();
  let sentObjective: Objective | undefined;
  const idOf = (a: Float32Array | undefined): number | undefined => (a === undefined ? -1 : arrayIds.get(a));

  /**
   * Each node's split, build and children's evaluation by one share (levels with enough nodes
   * to balance). Children with a feature subset (colsample) are evaluated here afterwards.
   */
  const splitNodes = (tasks: readonly PartitionTask[], order: Int32Array, lutLen: number) => {
    ensureJob(1 + tasks.length * SPLIT_FIELDS);
    const fused = tasks.every((t) => t.children[0].features === undefined && t.children[1].features === undefined);
    if (fused) ensureEntries(tasks.length * 2 * ENTRY_FIELDS);
    // Task records in claiming order; k stays the task's own index (LUT, entries).
    const recordOf = new Int32Array(tasks.length);
    order.forEach((k, j) => (recordOf[k] = 1 + j * SPLIT_FIELDS));
    tasks.forEach((t, k) => {
      const o = recordOf[k];
      const b = t.build;
      job[o] = part.laneIndex(t.nid);
      job[o + 1] = part.recordLaneIndex(t.nid);
      job[o + 2] = part.begin(t.nid);
      job[o + 3] = part.end(t.nid);
      job[o + 4] = t.col;
      job[o + 5] = k * lutLen;
      job[o + 6] = part.childLane(t.nid);
      job[o + 7] = b.hist;
      job[o + 8] = b.subtractFrom;
      job[o + 9] = b.nid === t.left ? 1 : 0;
      job[o + SPLIT_ENTRIES] = fused ? 2 * k * ENTRY_FIELDS : -1;
      if (fused) t.children.forEach((c, i) => writeEntry(entries, (2 * k + i) * ENTRY_FIELDS, c.entry));
    });
    dispatch(Command.SplitNodes, tasks.length);
    tasks.forEach((t, k) => {
      const o = recordOf[k];
      const [first, second] = job[o + SPLIT_FIRST] === 1 ? [t.left, t.right] : [t.right, t.left];
      part.setChildren(t.nid, first, second, job[o + SPLIT_MID]);
      if (fused) t.children.forEach((c, i) => readEntry(entries, (2 * k + i) * ENTRY_FIELDS, c.entry));
      else serial.evaluate(t.children);
    });
  };

  /** Every node's rows in T chunks: count, scatter, then histograms by column shares. */
  const splitInChunks = (tasks: readonly PartitionTask[], lutLen: number) => {
    const builds = tasks.map((t) => t.build);
    const mrec = markRecord(T);
    const srec = scatterRecord(T);
    ensureJob(2 + tasks.length * Math.max(mrec, srec) + builds.length * BUILD_FIELDS);
    tasks.forEach((t, k) => {
      const o = 1 + k * mrec;
      job[o] = part.laneIndex(t.nid);
      job[o + 1] = part.begin(t.nid);
      job[o + 2] = part.end(t.nid);
      job[o + 3] = t.col;
      job[o + 4] = k * lutLen;
      job[o + 5] = part.recordLaneIndex(t.nid);
    });
    dispatch(Command.Mark, tasks.length);
    const counts = tasks.map((_, k) => Array.from(job.subarray(1 + k * mrec + MARK_FIELDS, 1 + k * mrec + MARK_FIELDS + T)));
    tasks.forEach((t, k) => {
      const o = 1 + k * srec;
      const b = part.begin(t.nid);
      const e = part.end(t.nid);
      const nLeft = counts[k].reduce((a, c) => a + c, 0);
      job[o] = part.laneIndex(t.nid);
      job[o + 1] = part.childLane(t.nid);
      job[o + 2] = b;
      job[o + 3] = e;
      let left = b;
      let right = b + nLeft;
      for (let s = 0; s < T; s++) {
        const [cb, ce] = chunkOf(b, e, s, T);
        job[o + SCATTER_FIELDS + 2 * s] = left;
        job[o + SCATTER_FIELDS + 2 * s + 1] = right;
        left += counts[k][s];
        right += ce - cb - counts[k][s];
      }
      // The children's ranges are known from the counts; the builds below read them.
      part.setChildren(t.nid, t.left, t.right, b + nLeft);
    });
    writeBuilds(builds, 1 + tasks.length * srec);
    dispatch(Command.ScatterBuild, tasks.length);
    // Few nodes (that is why they were split in chunks): evaluated here.
    for (const t of tasks) serial.evaluate(t.children);
  };

  const serial = new SerialExecutor(state);
  const executor: GrowExecutor = {
    shared(a: Float32Array) {
      if (arrayIds.has(a)) return a;
      // From the training buffers' source: in the kernels' memory when WebAssembly runs.
      const copy = copyTo(state.source, a);
      const id = arrays.size;
      arrays.set(id, copy);
      arrayIds.set(copy, id);
      send({ type: 'array', id, region: regionOf(copy) });
      return copy;
    },
    gradients(objective: Objective, margins: Float32Array, labels: Float32Array, weights: Float32Array | undefined, gpair: Float32Array) {
      const ids = [idOf(margins), idOf(labels), idOf(weights), idOf(gpair)];
      if (ids.some((id) => id === undefined)) {
        objective.gradients(margins, labels, weights, gpair);
        return;
      }
      if (sentObjective !== objective) {
        send({ type: 'objective', name: objective.name, numClass: params.numClass, scalePosWeight: params.scalePosWeight });
        sentObjective = objective;
      }
      ensureJob(6);
      job.set([labels.length, ids[0]!, ids[1]!, ids[2]!, ids[3]!], 1);
      dispatch(Command.Gradients, 0);
    },
    startTree(gpair: Float32Array, rootHist: number) {
      const id = idOf(gpair);
      // Not shared with the workers: load the gradient pairs here, the workers build.
      if (id === undefined) part.reset(gpair);
      else part.reset(new Float32Array(0), false);
      const blocks = rootBlockCount(part.nRows);
      const scratch = Array.from({ length: blocks - 1 }, () => state.hists.acquire());
      ensureJob(5 + scratch.length);
      job.set([part.nRows, id ?? -1, rootHist, blocks, ...scratch], 1);
      dispatch(Command.StartTree, 0);
      for (const h of scratch) state.hists.release(h);
    },
    addLeafValues(leaves: readonly LeafTask[], margins: Float32Array, stride: number, offset: number) {
      const id = idOf(margins);
      if (id === undefined) {
        serial.addLeafValues(leaves, margins, stride, offset);
        return;
      }
      ensureJob(5 + LEAF_FIELDS * leaves.length);
      job.set([leaves.length, id, stride, offset], 1);
      const bits = new Int32Array(1);
      const asFloat = new Float32Array(bits.buffer);
      const floatBits = (v: number) => {
        asFloat[0] = v;
        return bits[0];
      };
      const splits = leaves.filter((l) => l.split);
      const lutLen = splits[0]?.split!.lut.length ?? 0;
      ensureLuts(splits.length * lutLen);
      let nLuts = 0;
      leaves.forEach(({ nid, value, split }, k) => {
        const at = split ? nLuts++ * lutLen : 0;
        if (split) luts.set(split.lut, at);
        const where = [part.laneIndex(nid), part.recordLaneIndex(nid), part.begin(nid), part.end(nid)];
        job.set([...where, floatBits(value), split?.col ?? -1, at, floatBits(split?.rightValue ?? 0)], 5 + LEAF_FIELDS * k);
      });
      dispatch(Command.LeafValues, 0);
    },
    partitionAndBuild(tasks: readonly PartitionTask[]) {
      if (tasks.length === 0) return;
      const lutLen = tasks[0].lut.length;
      ensureLuts(tasks.length * lutLen);
      tasks.forEach((t, k) => luts.set(t.lut, k * lutLen));
      const order = nodeOrder(tasks.map((t) => part.size(t.nid)), T);
      if (order) splitNodes(tasks, order, lutLen);
      else splitInChunks(tasks, lutLen);
    },
    evaluate(tasks: readonly EvaluateTask[]) {
      serial.evaluate(tasks);
    },
    dispose() {
      for (const w of workers) void w.terminate();
      for (const p of ports) p.close();
    },
  };
  return {
    executor,
    onNewHistogramChunk: (chunk) => {
      send({ type: 'histChunk', region: regionOf(chunk) });
    },
  };
}

/**
 * A level goes node by node when it has at least this many nodes per share and the busiest
 * share would get at most NODE_MODE_SLACK times an even split of the rows, were the nodes dealt
 * largest first to the least loaded share (measured on the loan data: node by node is 10-20%
 * faster per level from 8 nodes per share — no waiting between counting, moving and building —
 * and, with the one-pass split, ~2% faster overall from 2 per share than from 4; 1 per share
 * measured the same as 2). The shares then claim the nodes in that order, each taking the next
 * when it is done, which balances better than fixed owners: a node's time is not just its rows.
 */
const NODES_PER_SHARE = 2;
const NODE_MODE_SLACK = 1.15;

/**
 * The nodes, largest first, when the level goes node by node; undefined when a level of few
 * large nodes is better split into row chunks.
 */
export function nodeOrder(sizes: readonly number[], threads: number): Int32Array | undefined {
  if (sizes.length < NODES_PER_SHARE * threads) return undefined;
  const order = Int32Array.from(sizes.keys()).sort((a, b) => sizes[b] - sizes[a] || a - b);
  const load = new Float64Array(threads);
  let total = 0;
  for (const k of order) {
    let least = 0;
    for (let s = 1; s < threads; s++) if (load[s] < load[least]) least = s;
    load[least] += sizes[k];
    total += sizes[k];
  }
  return Math.max(...load) <= (NODE_MODE_SLACK * total) / threads ? order : undefined;
}
