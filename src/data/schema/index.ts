// Declarative table schemas and validation that collects issues.
export { defineSchema, isNumericType, schemaColumn, type ColumnType, type ColumnSchema, type Schema } from './types.ts';
export { validateTable, assertValid, type Issue, type ValidateOptions } from './validate.ts';
