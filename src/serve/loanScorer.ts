// Scores raw applicant records the way the pipeline does: the fitted preprocessor
// (preprocess-features' preprocessor.json) turns them into the model's columns, the compiled
// model scores them, and, when asked, TreeSHAP on the trained model (train-model's model.json;
// the compiled form keeps no node covers) names the fields behind each score.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { categoricalFromStrings, numericColumn, Table } from '../data/index.ts';
import { compileModel, isCompiledModel, loadCompiledModel, parseModel, predictContributions, type CompiledModel, type GbdtModel } from '../gbdt/index.ts';
import { FittedColumnTransformer } from '../ml/index.ts';
import { CREDIT_RISK_CATEGORIES, FEATURE_COLUMNS } from '../pipelines/loan-default/index.ts';
import type { ApplicantRecord } from './applicantRecords.ts';
import { rawFieldOf, topReasons, type Reason } from './reasons.ts';

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

  constructor(
    private readonly preprocessor: FittedColumnTransformer,
    private readonly compiled: CompiledModel,
    private readonly model: GbdtModel | undefined,
    readonly threshold = 0.5,
  ) {
    this.fieldOf = rawFieldOf(preprocessor.featureNames);
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
    return this.model !== undefined;
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
    const contribs = explain && this.model ? predictContributions(this.model, x) : undefined;
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
