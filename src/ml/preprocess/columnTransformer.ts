// ColumnTransformer(transformers=[(name, transformer, columns), ...], remainder='drop') as in
// scikit-learn 1.2.1 with dense output: each named transformer is fitted on its columns of the
// training table, and transform concatenates their outputs in spec order into one row-major
// matrix. Feature names follow get_feature_names_out (`<name>__<feature>`).
//
//   spec --fit(table)--> FittedColumnTransformer --toJSON--> sealed-preprocessor v1 JSON
//                              |  ^------------------fromJSON---------------'
//                              '--transform(table)--> DenseMatrix (n x featureNames.length)
import { ModelError, UsageError } from '../../core/index.ts';
import type { NumericColumn, Table } from '../../data/index.ts';
import { checkInputs, type InputKind } from './columnInput.ts';
import { denseMatrix, type DenseMatrix } from './denseMatrix.ts';
import { yeoJohnsonSearches } from './parallelLambdas.ts';
import { parseSealedPreprocessor, type SealedPreprocessor } from './sealedPreprocessor.ts';
import type { YeoJohnsonSearch } from './yeoJohnson.ts';
import { fitTransformer, transformerKernel, inputKindOf, transformerFeatureNames, type TransformerKind, type TransformerState } from './transformers.ts';

export interface TransformerSpec {
  /** Prefix of this transformer's feature names; unique, without `__`. */
  readonly name: string;
  readonly kind: TransformerKind;
  readonly columns: readonly string[];
}

export interface ColumnTransformerSpec {
  readonly transformers: readonly TransformerSpec[];
}

export interface NamedTransformerState {
  readonly name: string;
  readonly state: TransformerState;
}

export interface InputColumn {
  readonly name: string;
  readonly kind: InputKind;
}

/** Every input column the transformers read, first use first, with the kind it must have. */
function inputsOf(transformers: readonly { name: string; kind: TransformerKind; columns: readonly string[] }[]): InputColumn[] {
  const inputs = new Map<string, InputKind>();
  for (const t of transformers) {
    for (const c of t.columns) {
      const kind = inputKindOf[t.kind];
      const prev = inputs.get(c);
      if (prev !== undefined && prev !== kind) {
        throw new UsageError('preprocess.badSpec', { problem: `column '${c}' is used both as ${prev} and as ${kind}` });
      }
      inputs.set(c, kind);
    }
  }
  return [...inputs].map(([name, kind]) => ({ name, kind }));
}

function checkSpec(spec: ColumnTransformerSpec): void {
  if (!spec || !Array.isArray(spec.transformers) || spec.transformers.length === 0) {
    throw new UsageError('preprocess.badSpec', { problem: 'it needs at least one transformer' });
  }
  const names = new Set<string>();
  for (const t of spec.transformers) {
    if (typeof t.name !== 'string' || t.name === '' || t.name.includes('__')) {
      throw new UsageError('preprocess.badSpec', { problem: `transformer name '${String(t.name)}' must be non-empty and must not contain '__'` });
    }
    if (names.has(t.name)) throw new UsageError('preprocess.badSpec', { problem: `transformer name '${t.name}' is used twice` });
    names.add(t.name);
    if (!(t.kind in inputKindOf)) {
      throw new UsageError('preprocess.badSpec', { problem: `transformer '${t.name}' has unknown kind '${String(t.kind)}'; expected medianImputer, yeoJohnson or oneHot` });
    }
    if (!Array.isArray(t.columns) || t.columns.length === 0) {
      throw new UsageError('preprocess.badSpec', { problem: `transformer '${t.name}' needs at least one column` });
    }
    if (new Set(t.columns).size !== t.columns.length) {
      throw new UsageError('preprocess.badSpec', { problem: `transformer '${t.name}' lists a column twice` });
    }
  }
  inputsOf(spec.transformers);
}

/** Rows transformed per block (x 26 features x 8 bytes = 1.6 MiB for the reference spec). */
const TRANSFORM_BLOCK_ROWS = 8192;

export class FittedColumnTransformer {
  readonly transformers: readonly NamedTransformerState[];
  readonly inputs: readonly InputColumn[];
  readonly featureNames: readonly string[];
  /** Warnings raised while fitting (scikit-learn would emit them as UserWarnings). */
  readonly warnings: readonly string[];
  private readonly offsets: readonly number[];

  constructor(transformers: readonly NamedTransformerState[], warnings: readonly string[] = []) {
    this.transformers = transformers;
    this.inputs = inputsOf(transformers.map((t) => ({ name: t.name, kind: t.state.kind, columns: t.state.columns })));
    const names: string[] = [];
    const offsets: number[] = [];
    for (const t of transformers) {
      offsets.push(names.length);
      for (const f of transformerFeatureNames(t.state)) names.push(`${t.name}__${f}`);
    }
    this.featureNames = names;
    this.offsets = offsets;
    this.warnings = warnings;
  }

  get numFeatures(): number {
    return this.featureNames.length;
  }

  /** Transforms `table`, which must have every input column with its fitted kind (extra columns are ignored). */
  transform(table: Table): DenseMatrix {
    checkInputs(table, this.inputs);
    const out = denseMatrix(table.numRows, this.featureNames.length);
    const kernels = this.transformers.map((t) => transformerKernel(t.state, table));
    // Block by block, every transformer in turn: a block of the output stays in cache while
    // its columns are filled, instead of one pass over the whole matrix per column.
    for (let start = 0; start < out.nRows; start += TRANSFORM_BLOCK_ROWS) {
      const end = Math.min(out.nRows, start + TRANSFORM_BLOCK_ROWS);
      kernels.forEach((kernel, k) => kernel(out, this.offsets[k], start, end));
    }
    return out;
  }

  toJSON(): SealedPreprocessor {
    return {
      format: 'sealed-preprocessor',
      version: 1,
      inputs: this.inputs.map((c) => ({ ...c })),
      transformers: this.transformers.map((t) => ({ name: t.name, ...t.state })) as SealedPreprocessor['transformers'],
      featureNames: [...this.featureNames],
    };
  }

  /** Loads a fitted preprocessor saved by `toJSON` (parsed JSON), refusing anything malformed. */
  static fromJSON(json: unknown): FittedColumnTransformer {
    const parsed = parseSealedPreprocessor(json);
    const fitted = new FittedColumnTransformer(parsed.transformers.map(({ name, ...state }) => ({ name, state: state as TransformerState })));
    const sameNames = JSON.stringify(fitted.featureNames) === JSON.stringify(parsed.featureNames);
    if (!sameNames) throw new ModelError('preprocess.badState', { problem: 'featureNames do not match the fitted transformers' });
    const sameInputs = JSON.stringify(fitted.inputs) === JSON.stringify(parsed.inputs.map(({ name, kind }) => ({ name, kind })));
    if (!sameInputs) throw new ModelError('preprocess.badState', { problem: 'inputs do not match the columns the transformers read' });
    return fitted;
  }
}

export interface ParallelFitOptions {
  /** Threads for the Yeo-Johnson lambda searches (one column per thread); default every core. */
  threads?: number;
  /** Fewest values in the Yeo-Johnson columns for workers to be started (yeoJohnsonLambdas' default otherwise). */
  minValuesForWorkers?: number;
}

export interface ColumnTransformer {
  readonly spec: ColumnTransformerSpec;
  fit(table: Table): FittedColumnTransformer;
  fitTransform(table: Table): { fitted: FittedColumnTransformer; matrix: DenseMatrix };
  /** The same fit, with the Yeo-Johnson lambdas searched on worker threads (same bits as `fit`). */
  fitAsync(table: Table, options?: ParallelFitOptions): Promise<FittedColumnTransformer>;
  fitTransformAsync(table: Table, options?: ParallelFitOptions): Promise<{ fitted: FittedColumnTransformer; matrix: DenseMatrix }>;
}

/** A column transformer for `spec`; validates the spec now and the table at fit time. */
export function createColumnTransformer(spec: ColumnTransformerSpec): ColumnTransformer {
  checkSpec(spec);
  type Fitted = ReturnType<typeof fitTransformer>;
  /** Fits the transformers (those in `done` are fitted already) and assembles them in spec order. */
  const assemble = (table: Table, searches?: ReadonlyMap<string, readonly YeoJohnsonSearch[]>, done?: ReadonlyMap<string, Fitted>): FittedColumnTransformer => {
    const warnings: string[] = [];
    const states = spec.transformers.map((t) => {
      const r = done?.get(t.name) ?? fitTransformer(t.kind, table, t.columns, searches?.get(t.name));
      warnings.push(...r.warnings.map((w) => `${t.name}: ${w}`));
      return { name: t.name, state: r.state };
    });
    return new FittedColumnTransformer(states, warnings);
  };
  const fit = (table: Table): FittedColumnTransformer => {
    checkInputs(table, inputsOf(spec.transformers));
    return assemble(table);
  };
  const fitAsync = async (table: Table, options: ParallelFitOptions = {}): Promise<FittedColumnTransformer> => {
    checkInputs(table, inputsOf(spec.transformers));
    const power = spec.transformers.filter((t) => t.kind === 'yeoJohnson');
    const columns = power.flatMap((t) => t.columns.map((c) => (table.column(c) as NumericColumn).values));
    // What the synchronous fit refuses (no rows, a column without any value) it also reports.
    if (columns.length === 0 || table.numRows === 0 || columns.some((v) => v.every((x) => Number.isNaN(x)))) return assemble(table);
    // The workers are started (synchronously) first, and this thread's first search runs before
    // the call returns; the other transformers (medians, categories) are fitted here after it.
    const searching = yeoJohnsonSearches(columns, { threads: options.threads, minValuesForWorkers: options.minValuesForWorkers, names: power.flatMap((t) => t.columns) });
    const others = new Map<string, Fitted>();
    try {
      for (const t of spec.transformers) if (t.kind !== 'yeoJohnson') others.set(t.name, fitTransformer(t.kind, table, t.columns));
    } catch (e) {
      await searching.catch(() => undefined); // its workers are stopped before the error is passed on
      throw e;
    }
    const found = await searching;
    const byTransformer = new Map<string, YeoJohnsonSearch[]>();
    let k = 0;
    for (const t of power) {
      byTransformer.set(t.name, found.slice(k, k + t.columns.length));
      k += t.columns.length;
    }
    return assemble(table, byTransformer, others);
  };
  return {
    spec,
    fit: (table) => fit(table),
    fitTransform(table) {
      const fitted = fit(table);
      return { fitted, matrix: fitted.transform(table) };
    },
    fitAsync,
    async fitTransformAsync(table, options) {
      const fitted = await fitAsync(table, options);
      return { fitted, matrix: fitted.transform(table) };
    },
  };
}
