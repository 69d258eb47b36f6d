// A declarative description of a table: which columns, of which type, and what values they
// may hold. The CSV reader uses it to choose column types; `validateTable` checks a table
// against it. Types: 'number' (float64, NaN = missing), 'integer' (float64 holding whole
// numbers), 'binary' (a 0/1 label), 'category' (dictionary-encoded strings).
import { UsageError } from '../../core/errors.ts';

export type ColumnType = 'number' | 'integer' | 'binary' | 'category';

export interface ColumnSchema {
  readonly name: string;
  readonly type: ColumnType;
  /** Whether missing values are allowed. Default true. */
  readonly nullable?: boolean;
  /** For 'category': the allowed values. The reader uses this order as the dictionary order. */
  readonly categories?: readonly string[];
}

export interface Schema {
  readonly columns: readonly ColumnSchema[];
}

const TYPES: ReadonlySet<string> = new Set(['number', 'integer', 'binary', 'category']);

/** Whether values of this type are stored in a numeric column. */
export function isNumericType(t: ColumnType): boolean {
  return t !== 'category';
}

/** Checks a schema's own shape (names unique, known types) and returns it, typed. */
export function defineSchema(schema: Schema): Schema {
  const seen = new Set<string>();
  for (const c of schema.columns) {
    if (typeof c.name !== 'string' || c.name === '') throw new UsageError('data.schema.invalid', { reason: 'a column has no name' });
    if (seen.has(c.name)) throw new UsageError('data.schema.invalid', { reason: `column '${c.name}' is listed twice` });
    seen.add(c.name);
    if (!TYPES.has(c.type)) throw new UsageError('data.schema.invalid', { reason: `column '${c.name}' has unknown type '${String(c.type)}'` });
    if (c.categories !== undefined && c.type !== 'category') {
      throw new UsageError('data.schema.invalid', { reason: `column '${c.name}' has categories but type '${c.type}'` });
    }
  }
  return schema;
}

export function schemaColumn(schema: Schema, name: string): ColumnSchema | undefined {
  return schema.columns.find((c) => c.name === name);
}
