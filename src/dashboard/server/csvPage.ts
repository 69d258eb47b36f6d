// One page of a CSV file, addressed by byte cursor: the page starts at `cursor` bytes after the
// header and reads only as far as its rows go, in 64 KiB steps, so page 1,000 of a 250,000-row
// file costs what page 1 costs. Records are split with the project's CSV rules (quoted fields
// may hold commas, quotes and line breaks); blank lines are not rows.
import { DataError } from '../../core/index.ts';
import { splitRecord } from '../../data/index.ts';
import type { CsvPage } from '../api/contract.ts';
import { ApiError } from './apiError.ts';
import type { ByteSource } from './byteSource.ts';

const CHUNK_BYTES = 64 * 1024;
/** Longest record a page reads; a longer one is not a table the preview can show. */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;
const LF = 10;
const CR = 13;

export interface CsvHeader {
  columns: string[];
  /** Byte offset of the first data row: cursor 0. */
  dataStart: number;
}

export async function readCsvHeader(source: ByteSource): Promise<CsvHeader> {
  const { records, end } = await readRecords(source, 0, 1);
  return { columns: records[0] ?? [], dataStart: end };
}

export async function readCsvPage(source: ByteSource, header: CsvHeader, cursor: number, limit: number): Promise<Omit<CsvPage, 'totalRows'>> {
  const start = header.dataStart + cursor;
  if (start > source.size || (cursor > 0 && !(await followsLineBreak(source, start)))) throw new ApiError(400, 'dashboard.badCursor', { cursor });
  const { records, end } = await readRecords(source, start, limit);
  return { columns: header.columns, rows: records, cursor, ...(end < source.size ? { nextCursor: end - header.dataStart } : {}) };
}

/** A cursor must point just after a line break: anywhere else it would split a row. */
async function followsLineBreak(source: ByteSource, position: number): Promise<boolean> {
  const byte = new Uint8Array(1);
  return (await source.read(byte, position - 1)) === 1 && (byte[0] === LF || byte[0] === CR);
}

/** Up to `limit` non-blank records from byte `start`, and the offset just after the last one read. */
async function readRecords(source: ByteSource, start: number, limit: number): Promise<{ records: string[][]; end: number }> {
  const records: string[][] = [];
  let buf = new Uint8Array(0);
  let bufStart = start;
  let p = 0;
  let eof = start >= source.size;
  const readMore = async (): Promise<void> => {
    const kept = buf.subarray(p);
    const from = bufStart + buf.length;
    const chunk = new Uint8Array(Math.min(Math.max(CHUNK_BYTES, kept.length), source.size - from));
    const n = chunk.length > 0 ? await source.read(chunk, from) : 0;
    const next = new Uint8Array(kept.length + n);
    next.set(kept, 0);
    next.set(chunk.subarray(0, n), kept.length);
    bufStart += p;
    buf = next;
    p = 0;
    // A file that shrank while being read ends where the reads stop.
    eof = n === 0 || bufStart + buf.length >= source.size;
  };
  while (records.length < limit) {
    if (p >= buf.length && eof) break;
    const record = splitRecord(buf, p, buf.length, eof);
    if (record === null) {
      if (buf.length - p > MAX_RECORD_BYTES) throw new ApiError(422, 'dashboard.csvRowTooLong', { offset: bufStart + p, limit: MAX_RECORD_BYTES });
      await readMore();
      continue;
    }
    if (record === 'unterminated') throw new DataError('data.csv.unterminatedQuote', {});
    if (!isBlank(buf, p, record.next)) records.push(record.fields);
    p = record.next;
  }
  return { records, end: bufStart + p };
}

function isBlank(buf: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== LF && buf[i] !== CR) return false;
  return true;
}
