// Public API of the metrics: scikit-learn 1.2.1-identical ROC curve and AUC, accuracy,
// per-class precision/recall/F1, confusion matrix and the classification report with its CSV form.
export { rocCurve, binaryClfCurve, type RocCurve, type RocCurveOptions } from './rocCurve.ts';
export { rocAucScore, rocAucFromCurve, auc } from './rocAucScore.ts';
export { accuracyScore } from './accuracyScore.ts';
export { confusionMatrix, type ConfusionMatrix } from './confusionMatrix.ts';
export { precisionRecallF1Support, type PerClassScores, type AveragedScores } from './precisionRecallF1Support.ts';
export { classificationReport, classificationReportDict, type ClassificationReport, type ClassificationReportOptions, type ReportScores } from './classificationReport.ts';
export { formatClassificationReportCsv } from './formatClassificationReportCsv.ts';
export { pythonFloatRepr } from './pythonFloatRepr.ts';
export type { Labels, Scores } from './labels.ts';
