// Scores raw applicant records the way the pipeline does: the fitted preprocessor
// (preprocess-features' preprocessor.json) turns them into the model's columns, the compiled
// model scores them, and, when asked, TreeSHAP on the trained model (train-model's model.json;
// the compiled form keeps no node covers) names the fields behind each score.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { categoricalFromStrings, numericColumn, Table } from '../data/index.ts';
import { compileModel, contributionsOf, isCompiledModel, loadCompiledModel, parseModel, shapTables, type CompiledModel, type GbdtModel, type ShapTables } from '../gbdt/index.ts';
import { FittedColumnTransformer } from '../ml/index.ts';
import { CREDIT_RISK_CATEGORIES, FEATURE_COLUMNS, rawFieldOf, topReasons, type Reason } from '../pipelines/loan-default/index.ts';
import type { ApplicantRecord } from './applicantRecords.ts';

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

/** A finished run's artifacts. */
export function runDirFiles(runDir: string): ScorerFiles {
  return { model: join(runDir, 'train-model', 'model.json'), preprocessor: join(runDir, 'preprocess-features', 'preprocessor.json') };
}

const categorical = new Set(Object.keys(CREDIT_RISK_CATEGORIES));

export class LoanScorer {
  private readonly fieldOf: string[];
  /** TreeSHAP's tables, built once (they are the model's leaf paths). */
  private readonly shap: ShapTables | undefined;

  constructor(
    private readonly preprocessor: FittedColumnTransformer,
    private readonly compiled: CompiledModel,
    model: GbdtModel | undefined,
    readonly threshold = 0.5,
  ) {
    this.fieldOf = rawFieldOf(preprocessor.featureNames);
    this.shap = model ? shapTables(model) : undefined;
  }

  static async load(files: ScorerFiles): Promise<LoanScorer> {
    const preprocessor = FittedColumnTransformer.fromJSON(JSON.parse(await readFile(files.preprocessor, 'utf8')));
    const bytes = new Uint8Array(await readFile(files.model));
    if (isCompiledModel(bytes)) return new LoanScorer(preprocessor, loadCompiledModel(bytes, files.model), undefined);
    const model = parseModel(bytes, files.model);
    return new LoanScorer(preprocessor, compileModel(model), model);
  }

  /** Whether reasons can be given (a trained model, not only a compiled one, was loaded). */
  get explains(): boolean {
    return this.shap !== undefined;
  }

  score(records: readonly ApplicantRecord[], explain = false): ScoredApplicant[] {
    const table = new Table(
      FEATURE_COLUMNS.map((f) =>
        categorical.has(f)
          ? categoricalFromStrings(f, records.map((r) => r[f] as string | null))
          : numericColumn(f, records.map((r) => (r[f] === null ? NaN : (r[f] as number)))),
      ),
    );
    const x = this.preprocessor.transform(table);
    const p = this.compiled.predict(x, { nthread: 1 });
    const contribs = explain && this.shap ? contributionsOf(this.shap, x.data, x.nCols, x.nRows) : undefined;
    const width = x.nCols + 1;
    return Array.from(p, (probability, i) => ({
      probability,
      label: probability > this.threshold ? 1 : 0,
      ...(contribs ? { reasons: topReasons(contribs.subarray(i * width, i * width + x.nCols), this.fieldOf, 3) } : {}),
    }));
  }

  dispose(): void {
    this.compiled.dispose();
  }
}
