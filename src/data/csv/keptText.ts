// A table's CSV text, kept after it was written, so that a subset of its rows and columns can be
// written again by copying bytes instead of formatting numbers. The loan-default split writes
// its train and test features right after load-data wrote the whole table: the same values,
// the same spelling (String(x) for each number, the text of each category), only other rows in
// another order and without the label. At 1M rows formatting the 750k train rows again (mostly
// 17-digit decimals) took ~1.05 s of CPU on two threads; copying their bytes ~0.65 s on one
// (busy machine; most of it is fetching rows in random order), ~0.4 s since the rows are read
// in text order (copiedInSourceOrder).
//
// When the copy is exactly what formatting would give: every cell is spelled by itself (a
// number by writeNumber, a missing value as an empty field, a category as quoteField of its
// text), so a row's field is the same bytes in any table holding that value. The kept text is
// found by the table's first column array (a WeakMap; the memo (data/memo) hands the next step
// the very arrays written when nothing had to change) and used only for a table holding the
// same values (checked: names, numbers, and each row's category text, whatever the numbering);
// tables are not mutated after they are written (the memo relies on the same). Text holding a
// quote is not kept (a quoted field may hold commas and line breaks): fields are then plain
// bytes between commas, one row per line. Anything else formats as before.
//
// Memory: the text is held while the table is alive (with the memo, until the next step has
// read it and finished); at most KEEP_MAX_BYTES, larger texts are not kept. A copy holds its
// output and a staging copy of up to WINDOW_ROWS rows (~2 x 75 MB for the 1M-row train set)
// until it is written; the run's peak RSS at 1M moved from 604 to 613 MB (one run each).
import type { Column } from '../column.ts';
import type { Table } from '../table.ts';
import { quoteField } from './writeCsv.ts';

/** Largest text kept (a 1M-row raw loan-default table is ~100 MB). */
export const KEEP_MAX_BYTES = 256 * 1024 ** 2;
/**
 * Fewest rows for which the text is kept. A small table is formatted faster than it is copied:
 * the formatter's code is already optimised by the write just before, the copy's is not (at
 * 32k rows, keeping and copying cost ~15 ms more than formatting again).
 */
export const KEEP_MIN_ROWS = 100_000;
/** Rows per chunk of copied text, at most; fewer when rows are long (a chunk stays under 64 MiB). */
const BLOCK_ROWS = 32768;
const BLOCK_BYTES = 64 * 1024 ** 2;
const COMMA = 44;
const NEWLINE = 10;
const QUOTE = 34;

interface KeptText {
  readonly names: readonly string[];
  readonly arrays: readonly (Float64Array | Int32Array)[];
  readonly dictionaries: readonly (readonly string[] | undefined)[];
  /** Header line, then one line per row. */
  readonly bytes: Buffer;
  /** Offset of row i's line; lineStart[numRows] is the end of the text. */
  readonly lineStart: Int32Array;
  /** Longest row line, its newline included. */
  readonly longestLine: number;
}

const kept = new WeakMap<Float64Array | Int32Array, KeptText>();

const arrayOf = (c: Column): Float64Array | Int32Array => (c.kind === 'numeric' ? c.values : c.codes);

/**
 * Passes `chunks` (the CSV text of `table` with its header line, as tableCsvChunks gives it)
 * through unchanged and keeps a copy of the text for csvRowsFromKeptText once the last chunk
 * was consumed. Chunks may be views of reused buffers: each is copied before it is passed on.
 */
export async function* keepingCsvText(
  table: Table,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  limits: { maxBytes?: number; minRows?: number } = {},
): AsyncGenerator<Uint8Array> {
  const nRows = table.numRows;
  const maxBytes = limits.maxBytes ?? KEEP_MAX_BYTES;
  let keeping = nRows > 0 && nRows >= (limits.minRows ?? KEEP_MIN_ROWS) && table.numCols > 0;
  let buf = Buffer.allocUnsafe(0);
  let length = 0;
  // Where each row's line starts (the header's line is not a row).
  const lineStart = keeping ? new Int32Array(nRows + 1) : new Int32Array(0);
  let lines = 0; // newlines seen; the first ends the header
  let longestLine = 0;
  let lastStart = 0;
  const scan = { lines, lastStart, longestLine };
  for await (const chunk of chunks) {
    if (keeping) {
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length); // a view: indexOf is memchr
      if (bytes.indexOf(QUOTE) !== -1 || length + chunk.length > maxBytes) {
        keeping = false;
        buf = Buffer.allocUnsafe(0);
      } else {
        if (length + chunk.length > buf.length) {
          // Sized from the text so far (bytes per line), so it grows about once.
          // Before any line was counted, from this chunk's lines (its whole length as one line
          // would reserve maxBytes for any large table: review finding).
          const perLine = lines > 0 ? length / lines : bytesPerLine(bytes);
          const want = Math.max(length + chunk.length, Math.ceil(perLine * (nRows + 1) * 1.05) + 4096, buf.length * 1.5);
          const bigger = Buffer.allocUnsafe(Math.min(maxBytes, Math.ceil(want)));
          buf.copy(bigger, 0, 0, length);
          buf = bigger;
        }
        buf.set(chunk, length);
        scan.lines = lines;
        scan.lastStart = lastStart;
        scan.longestLine = longestLine;
        if (!scanLines(buf, length, length + chunk.length, lineStart, nRows, scan)) {
          keeping = false;
          buf = Buffer.allocUnsafe(0);
        }
        ({ lines, lastStart, longestLine } = scan);
        length += chunk.length;
      }
    }
    yield chunk;
  }
  // Every row ends with a newline and nothing follows the last one.
  if (!keeping || lines !== nRows + 1 || lastStart !== length) return;
  lineStart[nRows] = length;
  const text: KeptText = {
    names: table.columns.map((c) => c.name),
    arrays: table.columns.map(arrayOf),
    dictionaries: table.columns.map((c) => (c.kind === 'categorical' ? c.dictionary.slice() : undefined)),
    // Kept for the table's life: an estimate that overshot by more than a quarter is trimmed.
    bytes: buf.length === length ? buf : buf.length > length * 1.25 ? Buffer.from(buf.subarray(0, length)) : buf.subarray(0, length),
    lineStart,
    longestLine,
  };
  kept.set(text.arrays[0], text);
}

/** Bytes per line of a chunk (its newlines counted), or its length when it holds none. */
function bytesPerLine(bytes: Buffer): number {
  let count = 0;
  for (let p = bytes.indexOf(NEWLINE); p !== -1; p = bytes.indexOf(NEWLINE, p + 1)) count++;
  return count > 0 ? bytes.length / count : bytes.length;
}

/**
 * Records the rows whose lines end in bytes[from, to) (the first line is the header): their
 * starts, the last line's end and the longest line. False when there are more than nRows rows.
 * A plain function, not inside the generator: V8 optimises its loop while it runs (no
 * on-stack replacement in generators; the loop ran ~20x slower there).
 */
function scanLines(buf: Buffer, from: number, to: number, lineStart: Int32Array, nRows: number, st: { lines: number; lastStart: number; longestLine: number }): boolean {
  let { lines, lastStart, longestLine } = st;
  // indexOf is memchr: ~6x faster than testing each byte here (lines are ~100 bytes). The view
  // ends at `to`: the bytes after it are not written yet.
  const bytes = buf.subarray(0, to);
  for (let p = bytes.indexOf(NEWLINE, from); p !== -1; p = bytes.indexOf(NEWLINE, p + 1)) {
    if (lines > nRows) return false;
    // Line `lines` ends at p: the header for 0, row lines - 1 otherwise.
    if (lines > 0) {
      lineStart[lines - 1] = lastStart;
      if (p + 1 - lastStart > longestLine) longestLine = p + 1 - lastStart;
    }
    lastStart = p + 1;
    lines++;
  }
  st.lines = lines;
  st.lastStart = lastStart;
  st.longestLine = longestLine;
  return true;
}

/** The kept text of exactly this table's values, or undefined. */
function keptFor(table: Table): KeptText | undefined {
  if (table.numCols === 0) return undefined;
  const text = kept.get(arrayOf(table.columns[0]));
  if (text === undefined || text.arrays.length !== table.numCols || text.lineStart.length !== table.numRows + 1) return undefined;
  for (let j = 0; j < table.numCols; j++) {
    const c = table.columns[j];
    if (c.name !== text.names[j]) return undefined;
    if (c.kind === 'numeric' ? !sameNumbers(c.values, text.arrays[j]) : !sameCategories(c.codes, c.dictionary, text.arrays[j], text.dictionaries[j])) return undefined;
  }
  return text;
}

/** Whether every value is written as the kept one was (the same array, or equal values; NaN is missing either way). */
function sameNumbers(values: Float64Array, keptValues: Float64Array | Int32Array): boolean {
  if (values === keptValues) return true;
  if (!(keptValues instanceof Float64Array) || keptValues.length !== values.length) return false;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    const y = keptValues[i];
    if (x !== y && !(x !== x && y !== y)) return false; // -0 and 0 are both written "0"
  }
  return true;
}

/**
 * Whether every row holds the kept row's text. A reader may number the same texts otherwise
 * (the memo's conform gives codes in first-seen order, an augmented column was not), so the
 * codes are compared through their texts, not as numbers.
 */
function sameCategories(codes: Int32Array, dictionary: readonly string[], keptCodes: Float64Array | Int32Array, keptDictionary: readonly string[] | undefined): boolean {
  if (keptDictionary === undefined || !(keptCodes instanceof Int32Array) || keptCodes.length !== codes.length) return false;
  const sameDictionary = keptDictionary.length === dictionary.length && keptDictionary.every((v, k) => v === dictionary[k]);
  if (codes === keptCodes && sameDictionary) return true;
  // remap[k + 1]: the code of kept code k's text here (-1 for missing, -2 for a text not here).
  const at = new Map<string, number>();
  dictionary.forEach((v, k) => {
    if (!at.has(v)) at.set(v, k);
  });
  const remap = new Int32Array(keptDictionary.length + 1);
  remap[0] = -1;
  for (let k = 0; k < keptDictionary.length; k++) remap[k + 1] = at.get(keptDictionary[k]) ?? -2;
  for (let i = 0; i < codes.length; i++) {
    const k = keptCodes[i];
    if (k < -1 || k >= keptDictionary.length) return false;
    const c = codes[i];
    // A text held twice in a dictionary is one text: compare texts when the codes differ.
    if (c !== remap[k + 1] && (c < 0 || k < 0 || dictionary[c] !== keptDictionary[k])) return false;
  }
  return true;
}

/**
 * The CSV bytes, header line first, of `table.select(names).take(indices)` as csvByteChunks
 * writes them, copied from the kept text of `table`; undefined when no text is kept for
 * exactly this table's values, when `names` are not some of its columns in their order, or
 * when an index is not a row. Each chunk is a view of one reused buffer, valid until the next
 * is requested.
 */
export function csvRowsFromKeptText(table: Table, names: readonly string[], indices: Int32Array, options: { windowRows?: number } = {}): Iterable<Uint8Array> | undefined {
  if (names.length === 0) return undefined;
  const text = keptFor(table);
  if (text === undefined) return undefined;
  const nFields = text.names.length;
  // keep[f]: field f is written.
  const keep = new Uint8Array(nFields);
  let previous = -1;
  for (const name of names) {
    const f = text.names.indexOf(name);
    if (f <= previous) return undefined;
    keep[f] = 1;
    previous = f;
  }
  const nRows = table.numRows;
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (!(r >= 0 && r < nRows)) return undefined;
  }
  const header = Buffer.from(`${names.map(quoteField).join(',')}\n`, 'utf8');
  // windowRows is for tests (several windows on a small table); anything else than a count >= 1 is the default.
  const windowRows = options.windowRows !== undefined && options.windowRows >= 1 ? Math.floor(options.windowRows) : WINDOW_ROWS;
  return copiedRows(text, keep, indices, header, windowRows);
}

function* copiedRows(text: KeptText, keep: Uint8Array, indices: Int32Array, header: Buffer, windowRows: number): Generator<Uint8Array> {
  if (indices.length === 0) {
    yield header;
    return;
  }
  const pos = positions(indices, text.lineStart.length - 1);
  if (pos !== undefined) {
    yield* copiedInSourceOrder(text, copyPlan(keep, text.names.length), pos, indices.length, header, windowRows);
    return;
  }
  const blockRows = Math.max(1, Math.min(BLOCK_ROWS, Math.floor(BLOCK_BYTES / text.longestLine)));
  const out = Buffer.allocUnsafe(Math.max(header.length + Math.min(blockRows, indices.length) * text.longestLine, 64 * 1024));
  const src = text.bytes;
  const lineStart = text.lineStart;
  const plan = copyPlan(keep, text.names.length);
  for (let start = 0; start < indices.length; start += blockRows) {
    let at = 0;
    if (start === 0) {
      header.copy(out, 0);
      at = header.length;
    }
    const end = Math.min(indices.length, start + blockRows);
    at = copyRows(src, lineStart, plan, indices, start, end, out, at);
    yield out.subarray(0, at);
  }
}

/**
 * Rows indices[start, end) into out at `at`, their kept fields only; returns the end. A row's
 * field boundaries are found by scanning back from its end only as far as the first boundary
 * needed (the split drops the label and source_row, the 9th and last of 13 fields: ~25 bytes
 * of ~100); the kept runs are then copied without looking at their bytes. (Outside the
 * generator: V8 does not optimise a generator's loops while they run.)
 */
function copyRows(src: Buffer, lineStart: Int32Array, plan: CopyPlan, indices: Int32Array, start: number, end: number, out: Buffer, at: number): number {
  const { runFrom, runTo, firstNeeded, nFields } = plan;
  const comma = plan.commaAt;
  const nRuns = runFrom.length;
  for (let i = start; i < end; i++) {
    const row = indices[i];
    const lineEnd = lineStart[row + 1] - 1; // the row's newline
    const line = lineStart[row];
    // comma[f]: the comma before field f, for firstNeeded <= f < nFields; comma[nFields] is the line's end.
    comma[nFields] = lineEnd;
    let f = nFields - 1;
    for (let p = lineEnd - 1; f >= firstNeeded && p >= line; p--) {
      if (src[p] === COMMA) comma[f--] = p;
    }
    if (f >= firstNeeded) throw new RangeError('kept CSV text: a row has fewer fields than columns');
    for (let r = 0; r < nRuns; r++) {
      if (r > 0) out[at++] = COMMA;
      const from = runFrom[r] === 0 ? line : comma[runFrom[r]] + 1;
      const to = comma[runTo[r]];
      for (let p = from; p < to; p++) out[at++] = src[p];
    }
    out[at++] = NEWLINE;
  }
  return at;
}

/** The kept fields as runs of adjacent fields [runFrom[r], runTo[r]), and a scratch row of comma offsets. */
interface CopyPlan {
  readonly runFrom: Int32Array;
  readonly runTo: Int32Array;
  /** The lowest field whose preceding comma a run boundary needs. */
  readonly firstNeeded: number;
  readonly nFields: number;
  readonly commaAt: Int32Array;
}

function copyPlan(keep: Uint8Array, nFields: number): CopyPlan {
  const from: number[] = [];
  const to: number[] = [];
  for (let f = 0; f < nFields; f++) {
    if (keep[f] !== 1) continue;
    if (to.length > 0 && to[to.length - 1] === f) to[to.length - 1] = f + 1;
    else {
      from.push(f);
      to.push(f + 1);
    }
  }
  // Boundaries used: comma[from] (from > 0) and comma[to] (to < nFields; comma[nFields] is the line end).
  let firstNeeded = nFields;
  for (let r = 0; r < from.length; r++) {
    if (from[r] > 0) firstNeeded = Math.min(firstNeeded, from[r]);
    firstNeeded = Math.min(firstNeeded, to[r]);
  }
  return { runFrom: Int32Array.from(from), runTo: Int32Array.from(to), firstNeeded, nFields, commaAt: new Int32Array(nFields + 1) };
}

/**
 * Where each source row goes: pos[s] = i for s = indices[i], -1 for rows not taken; undefined
 * when a row is taken twice (copied in destination order then).
 */
function positions(indices: Int32Array, nSrc: number): Int32Array | undefined {
  const pos = new Int32Array(nSrc).fill(-1);
  for (let i = 0; i < indices.length; i++) {
    const s = indices[i];
    if (pos[s] !== -1) return undefined;
    pos[s] = i;
  }
  return pos;
}

/**
 * The rows copied in windows of up to `windowRows` destination rows, each window's output
 * built whole in one buffer by three sweeps: measureRows reads the window's source rows in
 * text order (their field boundaries and output lengths, so each row's place is known),
 * stageRows copies them, still in text order, to per-partition streams of a staging buffer,
 * and placeRows moves each partition's rows to their places (inside ~1.5 MB). Fetching rows in
 * destination (random) order missed the caches on almost every row: at 1M rows (train and
 * test, 92 MB) the copy took ~400 ms instead of ~500-600 ms (cold, one process each, busy host).
 */
function* copiedInSourceOrder(text: KeptText, plan: CopyPlan, pos: Int32Array, n: number, header: Buffer, windowRows: number): Generator<Uint8Array> {
  const window = Math.min(n, windowRows);
  const nRuns = plan.runFrom.length;
  const bounds = new Int32Array(window * 2 * nRuns);
  const order = new Int32Array(window);
  const outStart = new Int32Array(window + 1);
  const partOrder = new Int32Array(window);
  let out = Buffer.allocUnsafe(0);
  let staged = out;
  for (let first = 0; first < n; first += window) {
    const w = Math.min(window, n - first);
    const base = first === 0 ? header.length : 0;
    measureRows(text.bytes, text.lineStart, plan, pos, first, w, bounds, order, outStart);
    const total = runningSum(outStart, w, base);
    if (total > out.length) {
      out = Buffer.allocUnsafe(Math.ceil(total * 1.1));
      staged = Buffer.allocUnsafe(out.length);
    }
    if (first === 0) header.copy(out, 0);
    stageRows(text.bytes, nRuns, w, bounds, order, outStart, staged, partOrder);
    placeRows(staged, w, partOrder, outStart, out);
    // Handed on in slices: a file write of one 70 MB chunk left the thread idle ~3x as long as
    // the same bytes in 4 MiB writes (1M-row profiles of the split).
    for (let at = 0; at < total; at += SLICE_BYTES) yield out.subarray(at, Math.min(total, at + SLICE_BYTES));
  }
}

/** outStart[0] = base, then each outStart[k + 1] (a length) made the end of row k; returns outStart[w]. (Not inside the generator: see scanLines.) */
function runningSum(outStart: Int32Array, w: number, base: number): number {
  outStart[0] = base;
  for (let k = 0; k < w; k++) outStart[k + 1] += outStart[k];
  return outStart[w];
}

/** Bytes per chunk handed on by copiedInSourceOrder. */
const SLICE_BYTES = 4 * 1024 ** 2;

/** Destination rows per partition of stageRows: 2^14 rows, ~1.5 MB of loan-default output. */
const PART_SHIFT = 14;

/**
 * Destination rows per window of copiedInSourceOrder: the output and its staging copy are held
 * whole (~2 x 75 MB for the loan-default train set of 1M rows; more windows read the text
 * sparsely: 2^18 rows cost ~25% more time at 1M).
 */
const WINDOW_ROWS = 1 << 20;

/**
 * For destination rows [first, first + w), visited in text order (the j-th visited is
 * order[j]): their kept runs' [from, to) offsets in bounds[j * 2 * nRuns ...] and their output
 * lengths in outStart[k + 1] for destination row first + k.
 */
function measureRows(src: Buffer, lineStart: Int32Array, plan: CopyPlan, pos: Int32Array, first: number, w: number, bounds: Int32Array, order: Int32Array, outStart: Int32Array): void {
  const { runFrom, runTo, firstNeeded, nFields } = plan;
  const comma = plan.commaAt;
  const nRuns = runFrom.length;
  const nSrc = pos.length;
  let j = 0;
  for (let s = 0; s < nSrc; s++) {
    const k = pos[s] - first;
    if (k < 0 || k >= w) continue;
    const lineEnd = lineStart[s + 1] - 1; // the row's newline
    const line = lineStart[s];
    comma[nFields] = lineEnd;
    let f = nFields - 1;
    for (let p = lineEnd - 1; f >= firstNeeded && p >= line; p--) {
      if (src[p] === COMMA) comma[f--] = p;
    }
    if (f >= firstNeeded) throw new RangeError('kept CSV text: a row has fewer fields than columns');
    let length = nRuns; // the commas between runs and the newline
    const b = j * 2 * nRuns;
    for (let r = 0; r < nRuns; r++) {
      const from = runFrom[r] === 0 ? line : comma[runFrom[r]] + 1;
      const to = comma[runTo[r]];
      bounds[b + 2 * r] = from;
      bounds[b + 2 * r + 1] = to;
      length += to - from;
    }
    order[j++] = k;
    outStart[k + 1] = length;
  }
}

/**
 * The measured rows' runs (with their commas and newline) appended, in the order measured, to
 * their partition's part of staged: partition q (destination rows k with k >> PART_SHIFT = q)
 * occupies the same bytes as in the output, so writes go to a few sequential streams instead
 * of one random place per row. partOrder[...] lists each partition's rows in staged order.
 */
function stageRows(src: Buffer, nRuns: number, w: number, bounds: Int32Array, order: Int32Array, outStart: Int32Array, staged: Buffer, partOrder: Int32Array): void {
  const nParts = ((w - 1) >> PART_SHIFT) + 1;
  const byteAt = new Int32Array(nParts);
  const rowAt = new Int32Array(nParts);
  for (let q = 0; q < nParts; q++) {
    byteAt[q] = outStart[q << PART_SHIFT];
    rowAt[q] = q << PART_SHIFT;
  }
  const from = new DataView(src.buffer, src.byteOffset, src.length);
  const into = new DataView(staged.buffer, staged.byteOffset, staged.length);
  for (let j = 0; j < w; j++) {
    const k = order[j];
    const q = k >> PART_SHIFT;
    let at = byteAt[q];
    partOrder[rowAt[q]++] = k;
    const b = j * 2 * nRuns;
    for (let r = 0; r < nRuns; r++) {
      if (r > 0) staged[at++] = COMMA;
      let p = bounds[b + 2 * r];
      const to = bounds[b + 2 * r + 1];
      // Four bytes at a time (unaligned loads and stores), then the last few.
      for (; p + 4 <= to; p += 4, at += 4) into.setInt32(at, from.getInt32(p, true), true);
      for (; p < to; p++) staged[at++] = src[p];
    }
    staged[at++] = NEWLINE;
    byteAt[q] = at;
  }
}

/** Each partition's staged rows moved to their places in out (within the partition's bytes, which stay in the caches). */
function placeRows(staged: Buffer, w: number, partOrder: Int32Array, outStart: Int32Array, out: Buffer): void {
  const from = new DataView(staged.buffer, staged.byteOffset, staged.length);
  const into = new DataView(out.buffer, out.byteOffset, out.length);
  let p = outStart[0];
  for (let i = 0; i < w; i++) {
    const k = partOrder[i];
    let at = outStart[k];
    const to = p + outStart[k + 1] - at;
    for (; p + 4 <= to; p += 4, at += 4) into.setInt32(at, from.getInt32(p, true), true);
    for (; p < to; p++) out[at++] = staged[p];
  }
}
