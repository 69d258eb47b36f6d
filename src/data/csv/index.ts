// CSV reading and writing for tables.
export { parseCsv, readCsvFile, readCsvBatches } from './readCsv.ts';
export type { CsvReadOptions } from './readOptions.ts';
export { DEFAULT_NA_VALUES } from './naValues.ts';
export { parseNumberBytes, parseNumberText } from './parseNumber.ts';
export { splitRecord, type SplitRecord } from './splitRecord.ts';
export { matrixCsvChunks, writeMatrixCsv, type MatrixCsvOptions } from './writeMatrixCsv.ts';
export { writeCsv, formatCsv, csvByteChunks, csvChunks, quoteField, type CsvWriteOptions, type CsvFormatter } from './writeCsv.ts';
export { writeChunksAtomic } from './writeChunks.ts';
export { formatStats, matrixCsvChunksParallel, tableCsvChunks, PARALLEL_MIN_CELLS, type ParallelOptions } from './parallelFormat.ts';
export { csvRowsFromKeptText, keepingCsvText, KEEP_MAX_BYTES, KEEP_MIN_ROWS } from './keptText.ts';
