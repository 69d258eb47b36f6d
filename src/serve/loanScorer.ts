// Scores raw applicant records the way the pipeline does: the fitted preprocessor
// (preprocess-features' preprocessor.json) turns them into the model's columns, the compiled
// model scores them, and, when asked, TreeSHAP on the trained model (train-model's model.json;
// the compiled form keeps no node covers) names the fields behind each score.
//
// The model and the preprocessor are checked against each other when the scorer is built (same
// feature count and names; the preprocessor reads applicant fields with the right kinds), so a
// mismatched pair is refused at start instead of answering every request 500.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { excerpt, ModelError } from '../core/index.ts';
import { categoricalFromStrings, numericColumn, Table } from '../data/index.ts';
import {
  compileModel,
  ContributionsPool,
  contributionsOf,
  isCompiledModel,
  loadCompiledModel,
  parseModel,
  serializeModel,
  shapTables,
  type CompiledModel,
  type GbdtModel,
  type ShapTables,
} from '../gbdt/index.ts';
import { FittedColumnTransformer, type SealedPreprocessor } from '../ml/index.ts';
import { CREDIT_RISK_CATEGORIES, FEATURE_COLUMNS, rawFieldOf, topReasons, type Reason } from '../pipelines/loan-default/index.ts';
import { type ApplicantRecord, type CategorySets } from './applicantRecords.ts';

export interface ScoredApplicant {
  readonly probability: number;
  /** 1: predicted to default (probability > threshold). */
  readonly label: 0 | 1;
  readonly reasons?: readonly Reason[];
}

export interface ScorerFiles {
  /** XGBoost JSON/UBJSON model or a compiled one. */
  readonly model: string;
  readonly preprocessor: string;
}

/** The same, as bytes already read (a sealed run's, decrypted in memory: runScorer.ts), with the names errors give them. */
export interface ScorerBytes {
  readonly model: Uint8Array;
  readonly preprocessor: Uint8Array;
  readonly names: { readonly model: string; readonly preprocessor: string };
}

/** What a scoring thread needs to build the same scorer (structured-clone friendly). */
export interface ScorerSource {
  readonly preprocessor: SealedPreprocessor;
  readonly compiled: Uint8Array;
  /** The trained model (XGBoost UBJSON/JSON bytes), when reasons can be given. */
  readonly model?: Uint8Array;
  readonly threshold: number;
}

/** A finished run's artifacts. */
export function runDirFiles(runDir: string): ScorerFiles {
  return { model: join(runDir, 'train-model', 'model.json'), preprocessor: join(runDir, 'preprocess-features', 'preprocessor.json') };
}

const categorical = new Set(Object.keys(CREDIT_RISK_CATEGORIES));

export class LoanScorer {
  private readonly fieldOf: string[];
  /** TreeSHAP's tables, built on first use (they are the model's leaf paths). */
  private shap: ShapTables | undefined;
  /** Multi-threaded TreeSHAP (scoring threads only; see fromSource). */
  private pool: ContributionsPool | undefined;
  private modelBytes: Uint8Array | undefined;
  /** The fitted categories of each one-hot encoded applicant field. */
  readonly categories: CategorySets;

  constructor(
    private readonly preprocessor: FittedColumnTransformer,
    private readonly compiled: CompiledModel,
    private readonly model: GbdtModel | undefined,
    readonly threshold = 0.5,
    names: { model?: string; preprocessor?: string } = {},
  ) {
    checkCompatible(preprocessor, compiled, model, names.model ?? 'model', names.preprocessor ?? 'preprocessor');
    this.fieldOf = rawFieldOf(preprocessor.featureNames);
    this.categories = fittedCategories(preprocessor);
  }

  static async load(files: ScorerFiles): Promise<LoanScorer> {
    return LoanScorer.fromBytes({ preprocessor: await readFile(files.preprocessor), model: new Uint8Array(await readFile(files.model)), names: files });
  }

  static fromBytes(bytes: ScorerBytes): LoanScorer {
    const names = bytes.names;
    const preprocessor = FittedColumnTransformer.fromJSON(JSON.parse(Buffer.from(bytes.preprocessor.buffer, bytes.preprocessor.byteOffset, bytes.preprocessor.byteLength).toString('utf8')));
    if (isCompiledModel(bytes.model)) return new LoanScorer(preprocessor, loadCompiledModel(bytes.model, names.model), undefined, 0.5, names);
    const model = parseModel(bytes.model, names.model);
    const scorer = new LoanScorer(preprocessor, compileModel(model), model, 0.5, names);
    scorer.modelBytes = bytes.model;
    return scorer;
  }

  /** The same scorer in a scoring thread, TreeSHAP on `threads` threads (ContributionsPool). */
  static fromSource(source: ScorerSource, threads: number): LoanScorer {
    const preprocessor = FittedColumnTransformer.fromJSON(source.preprocessor);
    const model = source.model ? parseModel(source.model) : undefined;
    const scorer = new LoanScorer(preprocessor, loadCompiledModel(source.compiled), model, source.threshold);
    if (model) scorer.pool = new ContributionsPool(model, threads);
    return scorer;
  }

  source(): ScorerSource {
    if (this.model) this.modelBytes ??= serializeModel(this.model, 'ubj');
    return { preprocessor: this.preprocessor.toJSON(), compiled: this.compiled.serialize(), model: this.modelBytes, threshold: this.threshold };
  }

  /** Whether reasons can be given (a trained model, not only a compiled one, was loaded). */
  get explains(): boolean {
    return this.model !== undefined;
  }

  /** Scores on the calling thread (TreeSHAP included: keep explain batches off the event loop). */
  score(records: readonly ApplicantRecord[], explain = false): ScoredApplicant[] {
    const x = this.matrix(records);
    const p = this.compiled.predict(x, { nthread: 1 });
    let contribs: Float64Array | undefined;
    if (explain && this.model) {
      this.shap ??= shapTables(this.model);
      contribs = contributionsOf(this.shap, x.data, x.nCols, x.nRows);
    }
    return this.results(p, contribs, x.nCols);
  }

  /** Scores with every thread the scorer has: ScorePool for large batches, ContributionsPool for reasons. */
  async scoreParallel(records: readonly ApplicantRecord[], explain: boolean, nthread: number): Promise<ScoredApplicant[]> {
    if (!this.pool) return this.score(records, explain);
    const x = this.matrix(records);
    const p = this.compiled.predict(x, { nthread });
    const contribs = explain ? await this.pool.contributions(x) : undefined;
    return this.results(p, contribs, x.nCols);
  }

  dispose(): void {
    this.compiled.dispose();
    this.pool?.dispose();
  }

  private matrix(records: readonly ApplicantRecord[]) {
    const table = new Table(
      FEATURE_COLUMNS.map((f) =>
        categorical.has(f)
          ? categoricalFromStrings(f, records.map((r) => r[f] as string | null))
          : numericColumn(f, records.map((r) => (r[f] === null ? NaN : (r[f] as number)))),
      ),
    );
    return this.preprocessor.transform(table);
  }

  private results(p: Float64Array, contribs: Float64Array | undefined, nCols: number): ScoredApplicant[] {
    const width = nCols + 1;
    return Array.from(p, (probability, i) => ({
      probability,
      label: probability > this.threshold ? 1 : 0,
      ...(contribs ? { reasons: topReasons(contribs.subarray(i * width, i * width + nCols), this.fieldOf, 3) } : {}),
    }));
  }
}

function fittedCategories(preprocessor: FittedColumnTransformer): CategorySets {
  const sets = new Map<string, string[]>();
  for (const t of preprocessor.transformers) {
    if (t.state.kind !== 'oneHot') continue;
    const state = t.state;
    state.columns.forEach((c, j) => sets.set(c, [...(sets.get(c) ?? []), ...state.categories[j].filter((v): v is string => v !== null)]));
  }
  return sets;
}

/** Refuses a model and a preprocessor that cannot work together (one line naming both files). */
function checkCompatible(pre: FittedColumnTransformer, compiled: CompiledModel, model: GbdtModel | undefined, modelName: string, preName: string): void {
  const fail = (reason: string): never => {
    throw new ModelError('serve.modelMismatch', { model: modelName, preprocessor: preName, reason });
  };
  const fields = new Set<string>(FEATURE_COLUMNS);
  for (const input of pre.inputs) {
    if (!fields.has(input.name)) fail(`the preprocessor reads column '${excerpt(input.name)}', which is not an applicant field`);
    const kind = categorical.has(input.name) ? 'categorical' : 'numeric';
    if (input.kind !== kind) fail(`the preprocessor reads '${input.name}' as ${input.kind}, but it is ${kind}`);
  }
  const numFeature = compiled.forest.numFeature;
  if (numFeature !== pre.numFeatures) fail(`the model takes ${numFeature} features, the preprocessor gives ${pre.numFeatures}`);
  if (model && model.numFeature !== numFeature) fail(`the trained model takes ${model.numFeature} features, its compiled form ${numFeature}`);
  for (const names of [compiled.forest.featureNames, model?.featureNames ?? []]) {
    if (names.length === 0) continue;
    const k = names.findIndex((n, i) => n !== pre.featureNames[i]);
    if (k >= 0) fail(`feature ${k} is '${excerpt(names[k])}' in the model but '${excerpt(pre.featureNames[k])}' in the preprocessor`);
  }
}
