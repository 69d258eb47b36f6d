// classification_report(y_true, y_pred, labels, target_names, output_dict=True) as in
// scikit-learn 1.2.1. The report is kept as an ordered structure (class rows, then accuracy or
// micro avg, macro avg, weighted avg) because plain objects reorder integer-like keys;
// `classificationReportDict` gives scikit-learn's dict shape.
import { DataError } from '../../core/index.ts';
import { integerLabels, uniqueLabels, type Labels } from './labels.ts';
import { labelCounts, macroAverage, microAverage, scoresFromCounts, weightedAverage, type AveragedScores } from './precisionRecallF1Support.ts';

export interface ReportScores {
  readonly precision: number;
  readonly recall: number;
  readonly 'f1-score': number;
  readonly support: number;
}

export interface ClassificationReport {
  /** One row per label, named by `targetNames` or the label's decimal form. */
  readonly classes: readonly ({ readonly name: string } & ReportScores)[];
  /** Present when the labels are exactly the classes seen (scikit-learn's `micro_is_accuracy`). */
  readonly accuracy?: number;
  /** Present instead of `accuracy` when explicit labels differ from the classes seen. */
  readonly microAvg?: ReportScores;
  readonly macroAvg: ReportScores;
  readonly weightedAvg: ReportScores;
  readonly warnings: readonly string[];
}

export interface ClassificationReportOptions {
  labels?: readonly number[];
  targetNames?: readonly string[];
}

function row(s: AveragedScores, support: number): ReportScores {
  return { precision: s.precision, recall: s.recall, 'f1-score': s.f1, support };
}

export function classificationReport(yTrue: Labels, yPred: Labels, options: ClassificationReportOptions = {}): ClassificationReport {
  const counts = labelCounts(yTrue, yPred, options.labels);
  const seen = uniqueLabels(integerLabels('y_true', yTrue), integerLabels('y_pred', yPred));
  const labels = counts.labels;
  const microIsAccuracy = !options.labels || (new Set(labels).size === seen.length && seen.every((l) => labels.includes(l)));
  const names = options.targetNames;
  if (names && names.length !== labels.length && !options.labels) {
    throw new DataError('metrics.targetNamesMismatch', { classes: labels.length, names: names.length });
  }
  const scores = scoresFromCounts(counts);
  const classes = labels.map((l, k) => ({
    name: names?.[k] ?? String(l),
    precision: scores.precision[k],
    recall: scores.recall[k],
    'f1-score': scores.f1[k],
    support: scores.support[k],
  }));
  const total = scores.support.reduce((a, b) => a + b, 0);
  const micro = microAverage(counts);
  const report: ClassificationReport = {
    classes,
    ...(microIsAccuracy ? { accuracy: micro.precision } : { microAvg: row(micro, total) }),
    macroAvg: row(macroAverage(scores), total),
    weightedAvg: row(weightedAverage(scores), total),
    warnings: scores.warnings,
  };
  return report;
}

/** The report in scikit-learn's `output_dict=True` shape (keys in scikit-learn's order where JS allows). */
export function classificationReportDict(report: ClassificationReport): Record<string, ReportScores | number> {
  const out: Record<string, ReportScores | number> = {};
  for (const { name, ...scores } of report.classes) out[name] = scores;
  if (report.accuracy !== undefined) out['accuracy'] = report.accuracy;
  if (report.microAvg) out['micro avg'] = report.microAvg;
  out['macro avg'] = report.macroAvg;
  out['weighted avg'] = report.weightedAvg;
  return out;
}
