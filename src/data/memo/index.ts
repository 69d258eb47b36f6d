// Values this process wrote, handed back to the reader of the same bytes (writtenMemo.ts).
export { clearWrittenMemo, forgetWritten, recallWritten, setWrittenMemoEnabled, writeRemembering, writtenMemoStats, MAX_AGE_MS, MAX_BYTES, MAX_ENTRIES, type WrittenValue } from './writtenMemo.ts';
export { conformMatrix, conformTable, type ConformOptions } from './conform.ts';
