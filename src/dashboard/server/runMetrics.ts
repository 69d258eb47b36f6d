// RunMetrics of a loan-default run, once batch-inference and plot-roc-curve have succeeded:
// AUC and accuracy from the metrics metadata, the ROC points from roc_curve, the classification
// report from report.csv and the confusion buckets from prediction_data.csv (cached per file).
import { z } from 'zod';
import type { ConfusionSource, RunMetrics } from '../api/contract.ts';
import { ApiError } from './apiError.ts';
import { parseClassificationReport } from './classificationReport.ts';
import { confusionBuckets } from './confusionBuckets.ts';
import type { FileCache } from './fileCache.ts';
import { METRICS_LAYOUT, own } from './metricsLayout.ts';
import { openRunFile, READ_DEADLINE_MS, readRunFile, readTimedOut, withDeadline } from './runFiles.ts';
import type { IndexedRun } from './runIndex.ts';
import { outputOf } from './runLookup.ts';

const REPORT_LIMIT = 1024 * 1024;
export const JSON_VIEW_LIMIT = 16 * 1024 * 1024;

const rocCurve = z.object({
  confidenceMetrics: z.array(z.object({ confidenceThreshold: z.number(), falsePositiveRate: z.number(), recall: z.number() })),
});

const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export async function runMetrics(run: IndexedRun, confusionCache: FileCache<ConfusionSource>): Promise<RunMetrics> {
  const { inference, roc } = METRICS_LAYOUT;
  const ready = [inference.task, roc.task].every((t) => own(run.manifest.tasks, t)?.state === 'succeeded');
  if (!ready) throw new ApiError(404, 'dashboard.noMetrics', { run: run.id, tasks: [inference.task, roc.task] });
  const failure = (file: string) => (reason: string) => new ApiError(422, 'dashboard.badArtifact', { run: run.id, file, reason });

  const metadata = outputOf(run, inference.task, inference.metrics).metadata;
  const auc = finite(metadata?.AUC);
  const accuracy = finite(metadata?.Accuracy);

  const reportFile = outputOf(run, inference.task, inference.report).path;
  const report = parseClassificationReport(await readRunFile(run.dir, run.id, reportFile, REPORT_LIMIT), failure(reportFile));

  const rocFile = outputOf(run, roc.task, roc.curve).path;
  let curve;
  try {
    curve = rocCurve.parse(JSON.parse(await readRunFile(run.dir, run.id, rocFile, JSON_VIEW_LIMIT)));
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw failure(rocFile)(`not a ROC curve: ${(e as Error).message.split('\n')[0]}`);
  }

  const predictionsFile = outputOf(run, inference.task, inference.predictions).path;
  const predictions = await openRunFile(run.dir, run.id, predictionsFile);
  let confusion: ConfusionSource;
  try {
    confusion = await withDeadline(
      confusionCache.get(predictions.path, predictions, () => confusionBuckets(predictions.handle, failure(predictionsFile))),
      READ_DEADLINE_MS * 6,
      () => readTimedOut(run.id, predictionsFile, READ_DEADLINE_MS * 6),
    );
  } finally {
    await predictions.handle.close();
  }

  return {
    ...(auc !== undefined ? { auc } : {}),
    ...(accuracy !== undefined ? { accuracy } : {}),
    roc: curve.confidenceMetrics.map((m) => ({ threshold: m.confidenceThreshold, fpr: m.falsePositiveRate, tpr: m.recall })),
    report,
    confusion,
  };
}
