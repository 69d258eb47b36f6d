// Where the loan-default pipeline leaves the numbers the dashboard shows: the run list's AUC and
// accuracy, and the metrics view. Other pipelines simply have no metrics there.
export const METRICS_LAYOUT = {
  /** batch-inference: metrics metadata {AUC, Accuracy}, report.csv (scikit-learn layout), prediction_data.csv. */
  inference: { task: 'batch-inference', metrics: 'metrics', report: 'report', predictions: 'prediction_data' },
  /** plot-roc-curve: roc_curve JSON {confidenceMetrics: [{confidenceThreshold, falsePositiveRate, recall}]}. */
  roc: { task: 'plot-roc-curve', curve: 'roc_curve' },
  /** Columns of prediction_data.csv. */
  predictionColumns: { label: 'ground_truth', probability: 'probability_score' },
} as const;

/** `record[key]` when it is the record's own property (never something from Object.prototype). */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
