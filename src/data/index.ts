// Public API of the data layer: typed columns, tables, CSV reading/writing and schemas.
export * from './column.ts';
export { Table } from './table.ts';
