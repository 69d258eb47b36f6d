// Parquet tables and matrices over ByteSource/ByteSink (plain files or sealed artifacts).
export { writeParquetTable, writeParquetMatrix, writeParquetVector, PARQUET_ROW_GROUP_ROWS, type ParquetWriteOptions } from './writeParquet.ts';
export {
  openParquet,
  isParquetSource,
  readParquetTable,
  readParquetMatrix,
  readParquetMatrixBatches,
  readParquetRows,
  checkParquetCells,
  DEFAULT_PARQUET_MAX_BYTES,
  type ParquetFile,
  type ParquetColumnInfo,
  type ParquetReadOptions,
  type ParquetTableOptions,
} from './readParquet.ts';
export { hasParquetMagic, DEFAULT_PARQUET_LIMITS, type ParquetLimits } from './checkParquet.ts';
