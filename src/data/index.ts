// Public API of the data layer: typed columns, tables, CSV reading/writing and schemas.
export * from './column.ts';
export { Table } from './table.ts';
export * from './csv/index.ts';
export * from './schema/index.ts';
export { tableFromMatrix, tableToMatrix } from './matrix.ts';
export { nearestName, editDistance } from '../core/index.ts';
export * from './source/index.ts';
