// A compiled model: the flat forest plus what is needed to use it on its own — input
// feature count and names, objective and base margin. It is versioned and self-describing on
// disk (`.sealedgbm`):
//
//   magic "SEALGBM\n" | u32 header length | header JSON (utf-8) | zero padding to 4 bytes |
//   treeStart i32[numTrees+1] | treeGroup i32[numTrees] | feature i32[numNodes] |
//   child i32[numNodes] | value f32[numNodes] | defaultLeft u8[numNodes]   (all little-endian)
//
// Version 2 added numGroup (header) and treeGroup (multi-class models); version 1 files
// (single-output, no treeGroup) still load.
//
// Typed arrays are viewed straight out of the file buffer, so loading is a copy, not a parse.
import { DataError, ModelError } from '../../core/index.ts';
import { checkShape, type DenseMatrix } from '../denseMatrix.ts';
import type { GbdtModel } from '../model.ts';
import { createObjective, type Objective } from '../objective/index.ts';
import { modelObjective } from '../predict/predict.ts';
import { flattenModel, type FlatForest } from './flatForest.ts';
import { predictFlatMargins } from './predictFlat.ts';
import { BATCH_ROWS, columnsFiller, rowMajorFiller, WasmForest, type RowFiller } from './wasmForest.ts';
import { ScorePool } from './scorePool.ts';
import { wasmKernelsSupported } from '../grow/hist/wasmKernels.ts';
import { resolveThreads } from '../parallel/workerExecutor.ts';

export const COMPILED_FORMAT = 'sealed-compiled-gbdt';
export const COMPILED_VERSION = 2;
const MAGIC = Buffer.from('SEALGBM\n', 'latin1');

interface Header {
  format: string;
  version: number;
  objective: string;
  numFeature: number;
  featureNames: string[];
  baseMargin: number;
  /** Absent in version 1 (then 1). */
  numGroup?: number;
  numTrees: number;
  numNodes: number;
}

export interface CompiledPredictOptions {
  /** Raw margins instead of transformed predictions (probabilities for binary:logistic). */
  readonly outputMargin?: boolean;
  /** Scoring threads (default 1; 0 or less: every core). */
  readonly nthread?: number;
}

/** Below this many rows a second thread costs more than it saves. */
const MIN_ROWS_PER_THREAD = 4096;

export class CompiledModel {
  readonly format = COMPILED_FORMAT;
  readonly version = COMPILED_VERSION;

  private readonly objective: Objective;
  private wasm: WasmForest | undefined;
  private pool: ScorePool | undefined;

  constructor(readonly forest: FlatForest) {
    this.objective = createObjective(forest.objective, { numClass: forest.numGroup > 1 ? forest.numGroup : 0, scalePosWeight: 1 });
  }

  get numNodes(): number {
    return this.forest.feature.length;
  }

  get numTrees(): number {
    return this.forest.treeStart.length - 1;
  }

  predict(m: DenseMatrix, options: CompiledPredictOptions = {}): Float64Array {
    checkShape(m);
    if (m.nCols !== this.forest.numFeature) {
      throw new ModelError('gbdt.featureCount', { expected: this.forest.numFeature, got: m.nCols });
    }
    const margins = this.margins(rowMajorFiller(m.data, m.nCols), m.nRows, options.nthread ?? 1, () => m.data);
    return this.finish(margins, options);
  }

  /**
   * predict() of `m`, started on the scoring threads and finished by the returned getter: the
   * workers score while the caller reads its next batch (at 1M rows batch-inference parses
   * x_test batch by batch), and the getter has this thread join in. The same numbers as
   * predict(). At most one is outstanding: a later predict call finishes it first (its getter
   * still returns its result). Where no worker would help (one thread, WebAssembly missing, a
   * batch above the conversion buffer, several output groups) it is predict() at once.
   */
  predictLater(m: DenseMatrix, options: CompiledPredictOptions = {}): () => Float64Array {
    checkShape(m);
    if (m.nCols !== this.forest.numFeature) {
      throw new ModelError('gbdt.featureCount', { expected: this.forest.numFeature, got: m.nCols });
    }
    const threads = wasmKernelsSupported() ? this.threadsFor(m.nRows, options.nthread ?? 1) : 1;
    if (threads === 1 || m.nRows > BATCH_ROWS || this.forest.numGroup !== 1) {
      const now = this.predict(m, options);
      return () => now;
    }
    this.startThreads(threads);
    const pool = this.pool;
    const wasm = this.wasm;
    if (pool === undefined || wasm === undefined) throw new Error('unreachable: startThreads made the pool');
    const margins = wasm.startMargins(rowMajorFiller(m.data, m.nCols), m.nRows, pool);
    let out: Float64Array | undefined;
    return () => (out ??= this.finish(margins(), options));
  }

  /**
   * predict() of a matrix given as columns (columns[j][i] is feature j of row i), e.g. a CSV
   * table's numeric columns: the same numbers, without a row-major copy of the input.
   */
  predictColumns(columns: readonly Float64Array[], nRows: number, options: CompiledPredictOptions = {}): Float64Array {
    if (columns.length !== this.forest.numFeature) {
      throw new ModelError('gbdt.featureCount', { expected: this.forest.numFeature, got: columns.length });
    }
    if (!Number.isInteger(nRows) || nRows < 0 || columns.some((c) => !(c instanceof Float64Array) || c.length !== nRows)) {
      throw new DataError('gbdt.badMatrix', { reason: `every column must be a Float64Array of nRows = ${nRows} values` });
    }
    const margins = this.margins(columnsFiller(columns), nRows, options.nthread ?? 1, () => rowMajor(columns, nRows));
    return this.finish(margins, options);
  }

  private finish(margins: Float32Array, options: CompiledPredictOptions): Float64Array {
    const out = Float64Array.from(margins);
    return options.outputMargin ? out : this.objective.predTransform(out);
  }

  /**
   * Float32 margins: the WebAssembly loop (wasmForest.ts) on up to `nthread` threads, or the
   * JavaScript traversal of the row-major matrix `rowMajorData` gives where WebAssembly is
   * missing — the same numbers either way.
   */
  private margins(fill: RowFiller, nRows: number, nthread: number, rowMajorData: () => Float64Array): Float32Array {
    if (!wasmKernelsSupported()) return predictFlatMargins(this.forest, rowMajorData(), nRows, this.forest.numFeature);
    const threads = this.threadsFor(nRows, nthread);
    this.startThreads(threads);
    const wasm = (this.wasm ??= new WasmForest(this.forest));
    if (threads === 1 || this.pool === undefined) return wasm.predictMarginsFrom(fill, nRows);
    return wasm.predictMarginsFrom(fill, nRows, this.pool.score);
  }

  /**
   * Lays the forest out and starts the scoring threads that predict() of batches of up to
   * `batchRows` rows on `nthread` threads will use, without scoring anything: a caller that
   * still has to read its input calls this first, so the workers are up (a worker takes
   * ~0.06 s to start) when the first batch arrives instead of joining it late. Predictions do
   * not depend on it.
   */
  prepare(batchRows: number, nthread = 1): void {
    if (!wasmKernelsSupported()) return;
    this.startThreads(this.threadsFor(batchRows, nthread));
  }

  private threadsFor(nRows: number, nthread: number): number {
    return Math.max(1, Math.min(resolveThreads(nthread), Math.floor(nRows / MIN_ROWS_PER_THREAD)));
  }

  private startThreads(threads: number): void {
    this.wasm ??= new WasmForest(this.forest);
    if (threads === 1 || this.pool?.threads === threads) return;
    this.pool?.dispose();
    this.pool = new ScorePool(this.wasm, threads);
  }

  /** Stops scoring threads (they do not keep the process alive meanwhile). */
  dispose(): void {
    this.pool?.dispose();
    this.pool = undefined;
  }

  serialize(): Buffer {
    const f = this.forest;
    const header: Header = {
      format: COMPILED_FORMAT,
      version: COMPILED_VERSION,
      objective: f.objective,
      numFeature: f.numFeature,
      featureNames: [...f.featureNames],
      baseMargin: f.baseMargin,
      numGroup: f.numGroup,
      numTrees: this.numTrees,
      numNodes: this.numNodes,
    };
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const headerEnd = align4(MAGIC.length + 4 + json.length);
    const parts = [f.treeStart, f.treeGroup, f.feature, f.child, f.value, f.defaultLeft];
    const size = headerEnd + parts.reduce((s, a) => s + a.byteLength, 0);
    const buf = Buffer.alloc(size);
    MAGIC.copy(buf, 0);
    buf.writeUInt32LE(json.length, MAGIC.length);
    json.copy(buf, MAGIC.length + 4);
    let at = headerEnd;
    for (const a of parts) {
      Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(buf, at);
      at += a.byteLength;
    }
    return buf;
  }
}

/** Compiles a canonical model (loaded from any supported format) into the flat form. */
export function compileModel(model: GbdtModel): CompiledModel {
  const objective = modelObjective(model);
  return new CompiledModel(flattenModel(model, objective.baseMargin(model.baseScore)));
}

/** Whether bytes start like a `.sealedgbm` file (to tell it from XGBoost JSON/UBJSON by content). */
export function isCompiledModel(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && Buffer.from(bytes.buffer, bytes.byteOffset, MAGIC.length).equals(MAGIC);
}

/** Loads a `.sealedgbm` file's bytes; `file` only labels error messages. */
export function loadCompiledModel(bytes: Uint8Array, file = 'compiled model'): CompiledModel {
  const bad = (reason: string) => new ModelError('gbdt.compiledInvalid', { file, reason });
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) throw bad('not a sealed compiled model (bad magic)');
  const headerLength = buf.readUInt32LE(MAGIC.length);
  if (MAGIC.length + 4 + headerLength > buf.length) throw bad('truncated header');
  let h: Header;
  try {
    h = JSON.parse(buf.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headerLength)) as Header;
  } catch {
    throw bad('header is not valid JSON');
  }
  if (h.format !== COMPILED_FORMAT) throw bad(`format '${String(h.format)}' is not ${COMPILED_FORMAT}`);
  if (h.version !== COMPILED_VERSION && h.version !== 1) throw bad(`version ${String(h.version)} is not supported (expected 1 or ${COMPILED_VERSION})`);
  const numGroup = h.version === 1 ? 1 : (h.numGroup ?? NaN);
  const counts = [h.numTrees, h.numNodes, h.numFeature, numGroup];
  if (!counts.every((c) => Number.isSafeInteger(c) && c >= 0) || !Array.isArray(h.featureNames) || typeof h.baseMargin !== 'number') {
    throw bad('header fields are missing or invalid');
  }
  // Copy into a fresh aligned buffer: the arrays are then plain views of it.
  const start = align4(MAGIC.length + 4 + headerLength);
  const body = new Uint8Array(buf.subarray(start)).buffer;
  const n = h.numNodes;
  const groupWords = h.version === 1 ? 0 : h.numTrees;
  const expected = 4 * (h.numTrees + 1) + 4 * groupWords + 4 * n + 4 * n + 4 * n + n;
  if (body.byteLength !== expected) throw bad(`body has ${body.byteLength} bytes, expected ${expected}`);
  let at = 0;
  const take = <T>(make: (b: ArrayBuffer, o: number, l: number) => T, len: number, width: number): T => {
    const a = make(body, at, len);
    at += len * width;
    return a;
  };
  const forest: FlatForest = {
    numFeature: h.numFeature,
    featureNames: h.featureNames,
    objective: h.objective,
    baseMargin: h.baseMargin,
    numGroup,
    treeStart: take((b, o, l) => new Int32Array(b, o, l), h.numTrees + 1, 4),
    treeGroup: h.version === 1 ? new Int32Array(h.numTrees) : take((b, o, l) => new Int32Array(b, o, l), h.numTrees, 4),
    feature: take((b, o, l) => new Int32Array(b, o, l), n, 4),
    child: take((b, o, l) => new Int32Array(b, o, l), n, 4),
    value: take((b, o, l) => new Float32Array(b, o, l), n, 4),
    defaultLeft: take((b, o, l) => new Uint8Array(b, o, l), n, 1),
  };
  checkForest(forest, bad);
  return new CompiledModel(forest);
}

/** Every child index must stay inside its own tree and point forward, so traversal terminates. */
function checkForest(f: FlatForest, bad: (reason: string) => ModelError): void {
  const numTrees = f.treeStart.length - 1;
  if (!(f.numGroup >= 1)) throw bad('numGroup must be at least 1');
  for (let t = 0; t < numTrees; t++) if (!(f.treeGroup[t] >= 0 && f.treeGroup[t] < f.numGroup)) throw bad(`tree ${t} adds to group ${f.treeGroup[t]} of ${f.numGroup}`);
  if (f.treeStart[0] !== 0 || f.treeStart[numTrees] !== f.feature.length) throw bad('tree offsets do not cover the nodes');
  for (let t = 0; t < numTrees; t++) {
    const lo = f.treeStart[t];
    const hi = f.treeStart[t + 1];
    if (hi <= lo) throw bad(`tree ${t} is empty`);
    for (let i = lo; i < hi; i++) {
      if (f.feature[i] < 0) continue;
      if (f.feature[i] >= f.numFeature) throw bad(`node ${i} splits on feature ${f.feature[i]} of ${f.numFeature}`);
      if (f.child[i] <= i || f.child[i] + 1 >= hi) throw bad(`node ${i} has child ${f.child[i]} outside its tree`);
    }
  }
}

/** Columns as one row-major matrix (the JavaScript fallback's input). */
function rowMajor(columns: readonly Float64Array[], nRows: number): Float64Array {
  const nCols = columns.length;
  const out = new Float64Array(nRows * nCols);
  columns.forEach((col, j) => {
    for (let i = 0, k = j; i < nRows; i++, k += nCols) out[k] = col[i];
  });
  return out;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
