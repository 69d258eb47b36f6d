// RunMetrics of a loan-default run, once batch-inference and plot-roc-curve have succeeded:
// AUC and accuracy from the metrics metadata, the ROC points from roc_curve, the classification
// report from report.csv and the confusion buckets from prediction_data.csv (cached per file).
// Files are read through storedArtifacts.ts, so a sealed run's are decrypted and checked.
//
// A sealed run without keys shows what its run.json keeps plain: AUC and accuracy, and the ROC
// points roc_curve's metadata carries (KFP's ClassificationMetrics); the report and confusion
// matrix are left out and `sealedNotice` says how to open them.
import { z } from 'zod';
import { formatMessage } from '../../core/index.ts';
import type { ConfusionSource, RunMetrics } from '../api/contract.ts';
import { ApiError } from './apiError.ts';
import { parseClassificationReport } from './classificationReport.ts';
import { confusionBuckets, confusionBucketsParquet } from './confusionBuckets.ts';
import { isParquetPath } from './parquetPage.ts';
import type { FileCache } from './fileCache.ts';
import { METRICS_LAYOUT, own } from './metricsLayout.ts';
import { READ_DEADLINE_MS, readTimedOut, withDeadline } from './runFiles.ts';
import type { IndexedRun } from './runSource.ts';
import { outputOf } from './runLookup.ts';
import { asArtifactError, isSealedRun, readWhole, type StoredArtifacts } from './storedArtifacts.ts';
import type { StoredOutput } from './storedRun.ts';

const REPORT_LIMIT = 1024 * 1024;
export const JSON_VIEW_LIMIT = 16 * 1024 * 1024;

const rocCurve = z.object({
  confidenceMetrics: z.array(z.object({ confidenceThreshold: z.number(), falsePositiveRate: z.number(), recall: z.number() })),
});
type RocCurve = z.infer<typeof rocCurve>;

const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const rocPoints = (curve: RocCurve): RunMetrics['roc'] => curve.confidenceMetrics.map((m) => ({ threshold: m.confidenceThreshold, fpr: m.falsePositiveRate, tpr: m.recall }));

export async function runMetrics(run: IndexedRun, confusionCache: FileCache<ConfusionSource>, artifacts: StoredArtifacts): Promise<RunMetrics> {
  const { inference, roc } = METRICS_LAYOUT;
  const ready = [inference.task, roc.task].every((t) => own(run.manifest.tasks, t)?.state === 'succeeded');
  if (!ready) throw new ApiError(404, 'dashboard.noMetrics', { run: run.id, tasks: [inference.task, roc.task] });
  const failure = (file: string) => (reason: string) => new ApiError(422, 'dashboard.badArtifact', { run: run.id, file, reason });

  const metadata = outputOf(run, inference.task, inference.metrics).metadata;
  const auc = finite(metadata?.AUC);
  const accuracy = finite(metadata?.Accuracy);
  const numbers = { ...(auc !== undefined ? { auc } : {}), ...(accuracy !== undefined ? { accuracy } : {}) };
  const rocOutput = outputOf(run, roc.task, roc.curve);

  if (isSealedRun(run.manifest) && !artifacts.hasKeys) {
    const fromMetadata = rocCurve.safeParse(await artifacts.metadataOf(run, rocOutput));
    return { ...numbers, roc: fromMetadata.success ? rocPoints(fromMetadata.data) : [], report: [], sealedNotice: formatMessage('dashboard.sealedNoKeys', { run: run.id }) };
  }

  const text = async (output: StoredOutput, at: { task: string; output: string }, limit: number): Promise<string> => {
    const opened = await artifacts.open(run, output, at);
    try {
      if (opened.size > limit) throw new ApiError(422, 'dashboard.tooLargeToShow', { run: run.id, file: output.path, size: opened.size, limit });
      const tooLarge = (size: number): Error => new ApiError(422, 'dashboard.tooLargeToShow', { run: run.id, file: output.path, size, limit });
      const read = readWhole(opened.chunks(), limit, tooLarge).catch(asArtifactError(run, output.path));
      return (await withDeadline(read, READ_DEADLINE_MS, () => readTimedOut(run.id, output.path))).toString('utf8');
    } finally {
      await opened.close();
    }
  };

  const reportFile = outputOf(run, inference.task, inference.report);
  const report = parseClassificationReport(await text(reportFile, { task: inference.task, output: inference.report }, REPORT_LIMIT), failure(reportFile.path));

  let curve: RocCurve;
  try {
    curve = rocCurve.parse(JSON.parse(await text(rocOutput, { task: roc.task, output: roc.curve }, JSON_VIEW_LIMIT)));
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw failure(rocOutput.path)(`not a ROC curve: ${(e as Error).message.split('\n')[0]}`);
  }

  const predictionsFile = outputOf(run, inference.task, inference.predictions);
  const predictions = await artifacts.open(run, predictionsFile, { task: inference.task, output: inference.predictions });
  let confusion: ConfusionSource;
  try {
    confusion = await withDeadline(
      confusionCache.get(predictions.cacheKey, predictions.file, () =>
        isParquetPath(predictionsFile.path)
          ? confusionBucketsParquet(() => predictions.chunks(), predictionsFile.path, predictions.size, failure(predictionsFile.path))
          : confusionBuckets(predictions.chunks(), failure(predictionsFile.path)),
      ),
      READ_DEADLINE_MS * 6,
      () => readTimedOut(run.id, predictionsFile.path, READ_DEADLINE_MS * 6),
    ).catch(asArtifactError(run, predictionsFile.path));
  } finally {
    await predictions.close();
  }

  return { ...numbers, roc: rocPoints(curve), report, confusion };
}
