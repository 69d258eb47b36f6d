// One pass of reading a CSV: strips a BOM, reads the header, plans the columns and feeds the
// engine. The same session serves a whole in-memory buffer or a file fed in chunks.
import { DataError } from '../../core/errors.ts';
import type { Table } from '../table.ts';
import { CsvEngine } from './engine.ts';
import { planColumns, resolveNaValues, type CsvReadOptions, type InferredKinds } from './readOptions.ts';
import { parseNumberText } from './parseNumber.ts';
import { splitRecord } from './splitRecord.ts';

const LF = 10;
const CR = 13;
/** Rows parsed before estimating the total and sizing the column arrays once. */
const SAMPLE_ROWS = 2000;
/** Records looked at to guess column kinds before parsing. */
const SNIFF_ROWS = 200;

export class ReadSession {
  private engine: CsvEngine | null = null;
  private estimated = false;

  constructor(
    private readonly options: CsvReadOptions,
    private readonly inferred: InferredKinds,
    private readonly file: string | undefined,
    /** Size of the whole input, to size column arrays from a sample. */
    private readonly totalBytes: number,
  ) {}

  get rows(): number {
    return this.engine?.rows ?? 0;
  }

  /** Feeds b[start, end); returns the offset up to which the input was consumed. */
  feed(b: Uint8Array, start: number, end: number, final: boolean, maxRows: number): number {
    let pos = start;
    if (this.engine === null) {
      const p = this.begin(b, start, end, final);
      if (p < 0) return start;
      pos = p;
    }
    const engine = this.engine;
    if (engine === null) return pos;
    if (!this.estimated) {
      const from = pos;
      pos = engine.parse(b, pos, end, final, Math.min(maxRows, SAMPLE_ROWS));
      if (engine.rows < SAMPLE_ROWS) return pos;
      this.estimated = true;
      const estimate = Math.ceil((this.totalBytes / ((pos - from) / engine.rows)) * 1.05) + 64;
      engine.reserve(Math.min(estimate, maxRows));
    }
    return engine.parse(b, pos, end, final, maxRows);
  }

  /** Reads BOM and header; returns where data starts, or -1 when more input is needed. */
  private begin(b: Uint8Array, start: number, end: number, final: boolean): number {
    let pos = start;
    if (end - pos < 3 && !final) return -1;
    if (end - pos >= 3 && b[pos] === 0xef && b[pos + 1] === 0xbb && b[pos + 2] === 0xbf) pos += 3;
    let line = 1;
    // Blank lines before the header are skipped, as pandas does.
    while (pos < end && (b[pos] === LF || b[pos] === CR)) {
      if (b[pos] === CR && pos + 1 < end && b[pos + 1] === LF) pos++;
      else if (b[pos] === CR && pos + 1 >= end && !final) return -1;
      pos++;
      line++;
    }
    if (pos >= end) {
      if (!final) return -1;
      throw new DataError('data.csv.empty', {}, { location: { file: this.file } });
    }
    let header: string[] | null = null;
    if (this.options.header ?? true) {
      const r = splitRecord(b, pos, end, final);
      if (r === null) return -1;
      if (r === 'unterminated') throw new DataError('data.csv.unterminatedQuote', {}, { location: { file: this.file, line } });
      header = r.fields;
      pos = r.next;
      line += r.lines;
    }
    this.sniffKinds(header, b, pos, end, final);
    const columns = planColumns(header, this.options, this.inferred, this.file);
    this.engine = new CsvEngine({ columns, naValues: resolveNaValues(this.options), file: this.file, firstLine: line });
    return pos;
  }

  /**
   * Guesses column kinds from the first records in the buffer before parsing, so a text column
   * found there does not cost a restart of the whole read (a later surprise still restarts).
   * Only names not yet known are set; the schema, when given, decides its own columns.
   */
  private sniffKinds(header: readonly string[] | null, b: Uint8Array, pos: number, end: number, final: boolean): void {
    if (!header) return;
    const open = header.filter((n) => !this.inferred.has(n) && !this.options.schema?.columns.some((c) => c.name === n));
    if (open.length === 0) return;
    const na = new Set(resolveNaValues(this.options));
    const textual = new Set<string>();
    for (let i = 0, p = pos; i < SNIFF_ROWS && p < end; i++) {
      const r = splitRecord(b, p, end, final);
      if (r === null || r === 'unterminated') break;
      p = r.next;
      if (r.fields.length !== header.length) continue; // the engine reports ragged rows
      for (let j = 0; j < header.length; j++) {
        const v = r.fields[j].trim();
        if (v !== '' && !na.has(v) && Number.isNaN(parseNumberText(v))) textual.add(header[j]);
      }
    }
    for (const name of open) if (textual.has(name)) this.inferred.set(name, false);
  }

  lockTypes(): void {
    this.engine?.lockTypes();
  }

  /** The rows read so far; the session continues with an empty table. */
  takeTable(): Table {
    if (this.engine === null) throw new DataError('data.csv.empty', {}, { location: { file: this.file } });
    return this.engine.takeTable();
  }
}
