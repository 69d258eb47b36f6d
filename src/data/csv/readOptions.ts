// Options of the CSV reader, and how they turn into the engine's column plan.
import { DataError, UsageError } from '../../core/errors.ts';
import { nearestName } from '../../core/index.ts';
import { isNumericType, type Schema } from '../schema/types.ts';
import { CHECK_BINARY, CHECK_INTEGER, type EngineColumn } from './engine.ts';
import { DEFAULT_NA_VALUES } from './naValues.ts';

export interface CsvReadOptions {
  /** Whether the first record names the columns. Default true. */
  header?: boolean;
  /** Column names of a headerless file (default: the schema's names, in order). */
  columnNames?: readonly string[];
  /**
   * Column types and constraints. Columns not in the schema are inferred. While reading, values
   * are checked against the schema (integer, 0/1, nullable, categories) unless `checkSchema` is false;
   * a categorical column with `categories` gets them, in that order, as its dictionary.
   */
  schema?: Schema;
  /** Whether to enforce the schema's value constraints while reading. Default true. */
  checkSchema?: boolean;
  /** Header names that must be present (default: the schema's names when a schema is given). */
  expectedColumns?: readonly string[];
  /** Whether header columns beyond the expected ones are accepted (and inferred). Default false. */
  allowExtraColumns?: boolean;
  /** Texts read as missing in every column; default pandas' set (see naValues.ts). '' is always missing. */
  naValues?: readonly string[];
  /** Name used for the file in error messages (readCsvFile uses the path). */
  fileName?: string;
  /** Bytes read per chunk by the file readers. Default 8 MiB. */
  chunkBytes?: number;
}

/** Column kinds found so far by inference, by column name (true = numeric). */
export type InferredKinds = Map<string, boolean>;

/** Checks header names against the options and builds the engine's columns. */
export function planColumns(header: readonly string[] | null, options: CsvReadOptions, inferred: InferredKinds, file: string | undefined): EngineColumn[] {
  const names = header ?? headerlessNames(options);
  if (header) checkHeader(header, options, file);
  const schema = options.schema;
  const checkSchema = options.checkSchema ?? true;
  return names.map((name): EngineColumn => {
    const s = schema?.columns.find((c) => c.name === name);
    if (!s) {
      const numeric = inferred.get(name) ?? true;
      return { name, numeric, inferring: numeric, nullable: true, check: 0 };
    }
    const numeric = isNumericType(s.type);
    if (!checkSchema) return { name, numeric, inferring: false, nullable: true, check: 0 };
    return {
      name,
      numeric,
      inferring: false,
      nullable: s.nullable ?? true,
      check: s.type === 'integer' ? CHECK_INTEGER : s.type === 'binary' ? CHECK_BINARY : 0,
      categories: numeric ? undefined : s.categories,
    };
  });
}

function headerlessNames(options: CsvReadOptions): readonly string[] {
  const names = options.columnNames ?? options.schema?.columns.map((c) => c.name);
  if (!names || names.length === 0) throw new UsageError('data.csv.namesRequired', {});
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new UsageError('data.csv.badOption', { option: 'columnNames', reason: `'${n}' is listed twice` });
    seen.add(n);
  }
  return names;
}

function checkHeader(header: readonly string[], options: CsvReadOptions, file: string | undefined): void {
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (seen.has(name)) throw new DataError('data.csv.duplicateColumn', { name }, { location: { file, line: 1, column: i + 1 } });
    seen.add(name);
  });
  const expected = options.expectedColumns ?? options.schema?.columns.map((c) => c.name);
  if (!expected) return;
  const expectedSet = new Set(expected);
  const missing = expected.filter((n) => !seen.has(n));
  if (!options.allowExtraColumns || missing.length > 0) {
    for (let i = 0; i < header.length; i++) {
      if (expectedSet.has(header[i])) continue;
      // An unexpected name is most likely a misspelling of one that is missing.
      const suggestion = nearestName(header[i], missing.length > 0 ? missing : expected);
      if (options.allowExtraColumns && suggestion === undefined) continue;
      throw new DataError('data.csv.unexpectedColumn', { name: header[i], suggestion }, { location: { file, line: 1, column: i + 1 } });
    }
  }
  if (missing.length > 0) throw new DataError('data.csv.missingColumn', { name: missing[0] }, { location: { file, line: 1 } });
}

export function resolveNaValues(options: CsvReadOptions): readonly string[] {
  return options.naValues ?? DEFAULT_NA_VALUES;
}
