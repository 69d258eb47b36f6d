// The files of `sealed gbdt`, read strictly: every problem is one error naming the file, line
// and column.
//   X (features)  no header, one row per line, comma-separated numbers; an empty field is a
//                 missing value (NaN); every row has the first row's number of fields; blank
//                 lines are ignored. Read by the data layer's CSV engine (typed arrays, no string
//                 per field), so large files read fast.
//   y, weights    one number per line (no blank lines in between).
//   params.json   a JSON object of XGBoost parameter names.
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { DataError, IoError, UsageError, excerpt, isSealedError, type DenseMatrix, type Location, type SealedError } from '../../core/index.ts';
// The CSV modules, not the data layer's barrel: that one also loads the schema validator and the
// network sources, ~0.1 s of start-up `gbdt predict` does not need.
import { parseCsv, readCsvFile } from '../../data/csv/index.ts';
import type { Schema } from '../../data/schema/index.ts';
import { parseJson } from './gbdtJson.ts';

/** A file as the user named it (for messages) and where it is. */
export interface InputFile {
  /** As given on the command line. */
  readonly name: string;
  /** Absolute path. */
  readonly path: string;
}

const numberColumns = (names: readonly string[], nullable: boolean): Schema => ({ columns: names.map((name) => ({ name, type: 'number', nullable })) });

/** A feature matrix file (see the header): row-major float64, NaN for empty fields. */
export async function readFeatureMatrix(file: InputFile): Promise<DenseMatrix> {
  const x = await readFeatureColumns(file);
  return { data: rowMajor(x.columns, x.nRows), nRows: x.nRows, nCols: x.columns.length };
}

/** A feature matrix as it is read: one float64 array per column (no row-major copy). */
export interface FeatureColumns {
  readonly columns: Float64Array[];
  readonly nRows: number;
}

/** The same file and checks as readFeatureMatrix, as columns. */
export async function readFeatureColumns(file: InputFile): Promise<FeatureColumns> {
  const nCols = await countFields(file);
  const names = Array.from({ length: nCols }, (_, j) => `c${j + 1}`);
  const table = await withoutField(() =>
    readCsvFile(file.path, { header: false, columnNames: names, schema: numberColumns(names, true), naValues: [''], fileName: file.name }),
  );
  const columns = names.map((name) => table.numeric(name).values);
  // The first infinity in row order (then column order) is the one reported.
  let badRow = -1;
  let badColumn = -1;
  for (let j = 0; j < nCols; j++) {
    const v = columns[j];
    const end = badRow < 0 ? v.length : badRow + 1;
    for (let i = 0; i < end; i++) {
      if (v[i] === Infinity || v[i] === -Infinity) {
        if (badRow < 0 || i < badRow) {
          badRow = i;
          badColumn = j;
        }
        break;
      }
    }
  }
  if (badRow >= 0) {
    const column = badColumn + 1;
    const { line, text } = await findRow(file, badRow);
    const field = text.split(',')[column - 1]?.trim() ?? String(columns[badColumn][badRow]);
    throw new DataError('cli.badNumber', { what: 'feature value', text: excerpt(field), expected: 'a finite number (leave the field empty for a missing value)' }, { location: { file: file.name, line, column } });
  }
  return { columns, nRows: table.numRows };
}

/** Rows gathered per block of the transposition (the block's rows stay in cache). */
const TRANSPOSE_BLOCK = 256;

/** Columns as one row-major matrix, transposed block by block. */
export function rowMajor(columns: readonly Float64Array[], nRows: number): Float64Array {
  const nCols = columns.length;
  const out = new Float64Array(nRows * nCols);
  for (let b0 = 0; b0 < nRows; b0 += TRANSPOSE_BLOCK) {
    const b1 = Math.min(nRows, b0 + TRANSPOSE_BLOCK);
    for (let j = 0; j < nCols; j++) {
      const v = columns[j];
      for (let i = b0, k = b0 * nCols + j; i < b1; i++, k += nCols) out[k] = v[i];
    }
  }
  return out;
}

/** A file of one finite number per line: labels or weights (`what` names one value). */
export async function readVector(file: InputFile, what: string, options: { nonNegative?: boolean } = {}): Promise<Float64Array> {
  const bytes = await readBytes(file);
  const blank = firstInnerBlankLine(bytes);
  if (blank > 0) throw new DataError('cli.blankLine', { what }, { location: { file: file.name, line: blank } });
  const table = await withoutField(async () =>
    parseCsv(bytes, { header: false, columnNames: ['v'], schema: numberColumns(['v'], false), naValues: [''], fileName: file.name }),
  );
  const values = table.numeric('v').values;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // No blank line precedes a value, so value i is on line i + 1.
    if (!Number.isFinite(v) || (options.nonNegative && v < 0)) {
      const expected = options.nonNegative ? 'a finite number >= 0' : 'a finite number';
      throw new DataError('cli.badNumber', { what, text: excerpt(lineText(bytes, i)), expected }, { location: { file: file.name, line: i + 1 } });
    }
  }
  return values;
}

/** Largest params.json read: a few dozen parameters take a few hundred bytes. */
export const MAX_PARAMS_FILE_BYTES = 1024 * 1024;

/** params.json: an object; values are passed through to the trainer, which checks them. */
export async function readParamsFile(file: InputFile): Promise<Record<string, unknown>> {
  const size = await stat(file.path).then(
    (s) => (s.isFile() ? s.size : 0),
    () => 0, // readBytes reports a missing or unreadable file
  );
  if (size > MAX_PARAMS_FILE_BYTES) {
    throw new UsageError('cli.badParamsFile', { reason: `file is ${size} bytes, more than the ${MAX_PARAMS_FILE_BYTES} bytes a parameters file may have` }, { location: { file: file.name } });
  }
  const text = (await readBytes(file)).toString('utf8');
  const value = parseJson(text, file.name);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new UsageError('cli.badParamsFile', { reason: `must be a JSON object of XGBoost parameter names, got ${got}` }, { location: { file: file.name } });
  }
  return value as Record<string, unknown>;
}

export async function readBytes(file: InputFile): Promise<Buffer> {
  return readFile(file.path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new IoError('io.notFound', { path: file.name }, { cause: e });
    if (e.code === 'EISDIR') throw new IoError('io.notAFile', { path: file.name }, { cause: e });
    throw new IoError('io.readFailed', { path: file.name, reason: e.message }, { cause: e });
  });
}

/** Fields of the first non-blank line (after a BOM); reads only as far as that line ends. */
async function countFields(file: InputFile): Promise<number> {
  let fh;
  try {
    fh = await open(file.path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new IoError('io.notFound', { path: file.name }, { cause: e });
    throw new IoError('io.readFailed', { path: file.name, reason: (e as Error).message }, { cause: e });
  }
  try {
    if (!(await fh.stat()).isFile()) throw new IoError('io.notAFile', { path: file.name });
    const chunk = Buffer.alloc(64 * 1024);
    let commas = 0;
    let started = false;
    let position = 0;
    let first = true;
    for (;;) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      let i = 0;
      if (first && bytesRead >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
      first = false;
      for (; i < bytesRead; i++) {
        const c = chunk[i];
        if (c === 10 || c === 13) {
          if (started) return commas + 1;
        } else {
          started = true;
          if (c === 44) commas++;
        }
      }
      position += bytesRead;
    }
    if (!started) throw new DataError('data.csv.empty', {}, { location: { file: file.name } });
    return commas + 1;
  } finally {
    await fh.close();
  }
}

/** Line number and text of data row `row` (0-based), skipping blank lines as the reader does. */
async function findRow(file: InputFile, row: number): Promise<{ line: number; text: string }> {
  const lines = createInterface({ input: createReadStream(file.path), crlfDelay: Infinity });
  let line = 0;
  let seen = 0;
  try {
    for await (const text of lines) {
      line++;
      if (text === '' || text === '\r') continue;
      if (seen++ === row) return { line, text: text.replace(/^\uFEFF/, '') };
    }
  } finally {
    lines.close();
  }
  return { line, text: '' };
}

/** 1-based line of the first blank line followed by more content; 0 when there is none. */
function firstInnerBlankLine(b: Uint8Array): number {
  let line = 1;
  let lineStart = true;
  let blankAt = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 10 || c === 13) {
      if (c === 13 && b[i + 1] === 10) i++;
      if (lineStart && blankAt === 0) blankAt = line;
      line++;
      lineStart = true;
    } else {
      if (blankAt > 0) return blankAt;
      lineStart = false;
    }
  }
  return 0;
}

function lineText(b: Buffer, index: number): string {
  return (b.toString('utf8').replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)[index] ?? '').trim();
}

/**
 * Runs a read, dropping the reader's internal column name from error locations: our files have
 * no header, so "line 3, column 2" says it all.
 */
async function withoutField<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (isSealedError(e) && e.location?.field !== undefined) {
      const { field: _field, ...location } = e.location;
      throw rebuild(e, location);
    }
    throw e;
  }
}

/** The same error (class, code, arguments) at another location. */
export function rebuild(e: SealedError, location: Location): SealedError {
  const Kind = e.constructor as new (code: never, args: never, options: { location: Location; cause: unknown }) => SealedError;
  return new Kind(e.code as never, e.args as never, { location, cause: e });
}
