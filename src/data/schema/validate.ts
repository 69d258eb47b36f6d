// Checks a table against a schema and collects every problem as an issue (code, field, row,
// message), like zod, so a report can list them all; `assertValid` throws the first one.
// Row numbers are 0-based table rows; with `file` given, locations also carry the file line,
// assuming one line per record after `firstDataLine` (2 for a file with a header).
import { DataError, type Location } from '../../core/errors.ts';
import { formatLocation } from '../../core/errors.ts';
import { formatMessage, type MessageArgs } from '../../core/messages.ts';
import { MISSING_CODE, type Column } from '../column.ts';
import type { Table } from '../table.ts';
import { isNumericType, type ColumnSchema, type Schema } from './types.ts';

type SchemaCode =
  | 'data.schema.missingColumn'
  | 'data.schema.unexpectedColumn'
  | 'data.schema.wrongKind'
  | 'data.schema.missingValue'
  | 'data.schema.notInteger'
  | 'data.schema.notBinary'
  | 'data.schema.unknownCategory';

export interface Issue<C extends SchemaCode = SchemaCode> {
  readonly code: C;
  readonly args: MessageArgs<C>;
  /** [field] for column problems, [field, row] for value problems. */
  readonly path: readonly (string | number)[];
  readonly field: string;
  readonly row?: number;
  readonly location: Location;
  /** One line: location and problem. */
  readonly message: string;
}

export interface ValidateOptions {
  file?: string;
  /** File line of row 0; default 2 (a header line, then data). */
  firstDataLine?: number;
  /** Report columns the schema does not list. Default false. */
  strict?: boolean;
  /** Stop after this many issues. Default 100. */
  maxIssues?: number;
}

export function validateTable(table: Table, schema: Schema, options: ValidateOptions = {}): Issue[] {
  const issues: Issue[] = [];
  const max = options.maxIssues ?? 100;
  const firstLine = options.firstDataLine ?? 2;
  const add = <C extends SchemaCode>(code: C, args: MessageArgs<C>, field: string, row?: number): boolean => {
    const location: Location = { file: options.file, field };
    if (row !== undefined && options.file !== undefined) location.line = row + firstLine;
    const where = formatLocation(location);
    const text = formatMessage(code, args);
    issues.push({
      code,
      args,
      path: row === undefined ? [field] : [field, row],
      field,
      row,
      location,
      message: `${where}${row !== undefined && options.file === undefined ? `, row ${row}` : ''}: ${text}`,
    });
    return issues.length < max;
  };
  for (const cs of schema.columns) {
    if (!table.has(cs.name)) {
      if (!add('data.schema.missingColumn', { name: cs.name }, cs.name)) return issues;
      continue;
    }
    if (!checkColumn(table.column(cs.name), cs, add)) return issues;
  }
  if (options.strict) {
    const known = new Set(schema.columns.map((c) => c.name));
    for (const name of table.columnNames) {
      if (!known.has(name) && !add('data.schema.unexpectedColumn', { name }, name)) return issues;
    }
  }
  return issues;
}

type Add = <C extends SchemaCode>(code: C, args: MessageArgs<C>, field: string, row?: number) => boolean;

/** Returns false once the issue limit is reached. */
function checkColumn(col: Column, cs: ColumnSchema, add: Add): boolean {
  const wantNumeric = isNumericType(cs.type);
  if (wantNumeric !== (col.kind === 'numeric')) {
    return add('data.schema.wrongKind', { expected: wantNumeric ? 'numeric' : 'categorical', found: col.kind }, cs.name);
  }
  const nullable = cs.nullable ?? true;
  if (col.kind === 'numeric') {
    const v = col.values;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x !== x) {
        if (!nullable && !add('data.schema.missingValue', {}, cs.name, i)) return false;
      } else if (cs.type === 'binary' && x !== 0 && x !== 1) {
        if (!add('data.schema.notBinary', { value: x }, cs.name, i)) return false;
      } else if (cs.type === 'integer' && !Number.isInteger(x)) {
        if (!add('data.schema.notInteger', { value: x }, cs.name, i)) return false;
      }
    }
    return true;
  }
  const allowed = cs.categories ? new Set(cs.categories) : null;
  const badCode = col.dictionary.map((s) => allowed !== null && !allowed.has(s));
  const codes = col.codes;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === MISSING_CODE) {
      if (!nullable && !add('data.schema.missingValue', {}, cs.name, i)) return false;
    } else if (badCode[c]) {
      if (!add('data.schema.unknownCategory', { value: col.dictionary[c], allowed: cs.categories ?? [] }, cs.name, i)) return false;
    }
  }
  return true;
}

/** Throws a DataError for the first issue, naming file, line and field when known. */
export function assertValid(table: Table, schema: Schema, options: ValidateOptions = {}): void {
  const [first] = validateTable(table, schema, { ...options, maxIssues: 1 });
  if (first) throw new DataError(first.code, first.args as never, { location: first.location });
}
