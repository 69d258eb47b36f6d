// ColumnTransformer(transformers=[(name, transformer, columns), ...], remainder='drop') as in
// scikit-learn 1.2.1 with dense output: each named transformer is fitted on its columns of the
// training table, and transform concatenates their outputs in spec order into one row-major
// matrix. Feature names follow get_feature_names_out (`<name>__<feature>`).
//
//   spec --fit(table)--> FittedColumnTransformer --toJSON--> sealed-preprocessor v1 JSON
//                              |  ^------------------fromJSON---------------'
//                              '--transform(table)--> DenseMatrix (n x featureNames.length)
import { ModelError, UsageError } from '../../core/index.ts';
import type { Table } from '../../data/index.ts';
import { checkInputs, type InputKind } from './columnInput.ts';
import { denseMatrix, type DenseMatrix } from './denseMatrix.ts';
import { parseSealedPreprocessor, type SealedPreprocessor } from './sealedPreprocessor.ts';
import { applyTransformer, fitTransformer, inputKindOf, transformerFeatureNames, type TransformerKind, type TransformerState } from './transformers.ts';

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
    this.transformers.forEach((t, k) => applyTransformer(t.state, table, out, this.offsets[k]));
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

export interface ColumnTransformer {
  readonly spec: ColumnTransformerSpec;
  fit(table: Table): FittedColumnTransformer;
  fitTransform(table: Table): { fitted: FittedColumnTransformer; matrix: DenseMatrix };
}

/** A column transformer for `spec`; validates the spec now and the table at fit time. */
export function createColumnTransformer(spec: ColumnTransformerSpec): ColumnTransformer {
  checkSpec(spec);
  const fit = (table: Table): FittedColumnTransformer => {
    checkInputs(table, inputsOf(spec.transformers));
    const warnings: string[] = [];
    const states = spec.transformers.map((t) => {
      const r = fitTransformer(t.kind, table, t.columns);
      warnings.push(...r.warnings.map((w) => `${t.name}: ${w}`));
      return { name: t.name, state: r.state };
    });
    return new FittedColumnTransformer(states, warnings);
  };
  return {
    spec,
    fit,
    fitTransform(table) {
      const fitted = fit(table);
      return { fitted, matrix: fitted.transform(table) };
    },
  };
}
