// The scoring loop's driver, shared by the main thread and the scoring workers (scorePool.ts).
// Plain JavaScript (types in scoreShare.d.mts) so that a worker starts without the TypeScript
// loader: it is up in ~0.06 s instead of ~0.3 s, which is a fifth of a 250,000-row batch.

/** Rows per call of the WebAssembly loop: enough independent steps to overlap, few enough for L1. */
export const BLOCK_ROWS = 256;
/** Rows a thread claims at a time: threads that start late (or run slower) just claim fewer. */
export const CHUNK_ROWS = 4096;

/** Control words: job generation, its rows, buffers and tree chunks, the claim counter, rows done, failure. */
export const SCORE_CTL = { seq: 0, rowsAt: 1, marginsAt: 2, rows: 3, next: 4, done: 5, failed: 6, chunkFrom: 7, chunkTo: 8 };
export const SCORE_CTL_LENGTH = 9;

const GEN_BITS = 16;
const GEN_MASK = (1 << (31 - GEN_BITS)) - 1;

/**
 * Scores rows [from, to) of the float32 input at rowsAt with the trees of chunks [c0, c1) into
 * the margins at marginsAt (which hold the base margin); nidsAt: this thread's BLOCK_ROWS * 4
 * bytes. Chunk by chunk, every row block passing through a chunk of trees while its nodes are
 * in cache (block by block through the whole forest read all 8 MB of a 500-tree model from L3
 * per block); each row still adds its trees' values in model order.
 */
export function scoreRows(loop, layout, rowsAt, marginsAt, nidsAt, from, to, c0, c1) {
  const chunks = layout.chunks;
  const stride = layout.stride;
  for (let k = c0; k < c1; k++) {
    for (let r0 = from; r0 < to; r0 += BLOCK_ROWS) {
      const b = Math.min(BLOCK_ROWS, to - r0);
      loop.block(layout.treesAt + 8 * chunks[k], chunks[k + 1] - chunks[k], rowsAt + r0 * stride, b, stride, nidsAt, marginsAt + r0 * 4);
    }
  }
}

/** The claim word of a new job: its generation, nothing claimed. */
export function firstClaim(seq) {
  return (seq & GEN_MASK) << GEN_BITS;
}

/**
 * Claims chunks of the job published as generation `seq` and scores them until none is left;
 * a claim made for another generation fails, so a thread that read a job late cannot take a
 * chunk of the next one. Adds the rows it scored to ctl[done].
 */
export function claimAndScore(ctl, loop, layout, nidsAt, seq) {
  const gen = seq & GEN_MASK;
  const n = Atomics.load(ctl, SCORE_CTL.rows);
  const rowsAt = Atomics.load(ctl, SCORE_CTL.rowsAt);
  const marginsAt = Atomics.load(ctl, SCORE_CTL.marginsAt);
  const c0 = Atomics.load(ctl, SCORE_CTL.chunkFrom);
  const c1 = Atomics.load(ctl, SCORE_CTL.chunkTo);
  for (;;) {
    const cur = Atomics.load(ctl, SCORE_CTL.next);
    if (cur >>> GEN_BITS !== gen) return;
    const k = cur & ((1 << GEN_BITS) - 1);
    const from = k * CHUNK_ROWS;
    if (from >= n) return;
    if (Atomics.compareExchange(ctl, SCORE_CTL.next, cur, cur + 1) !== cur) continue;
    const to = Math.min(n, from + CHUNK_ROWS);
    scoreRows(loop, layout, rowsAt, marginsAt, nidsAt, from, to, c0, c1);
    Atomics.add(ctl, SCORE_CTL.done, to - from);
    Atomics.notify(ctl, SCORE_CTL.done);
  }
}
