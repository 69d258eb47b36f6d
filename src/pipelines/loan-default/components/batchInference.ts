// Step 6 — score the test set with the compiled model; write the predictions, scikit-learn's
// classification report (CSV, same layout) and the AUC / accuracy metrics. With explain=true
// every prediction also gets its top reasons: TreeSHAP on the trained model (the compiled form
// keeps no covers), the preprocessed columns summed back to the raw applicant fields named by
// the fitted preprocessor.
import { availableParallelism } from 'node:os';
import { DataError, ModelError, readAllBytes, readAllText, UsageError, type ByteSource } from '../../../core/index.ts';
import { ContributionsPool, loadCompiledModel, parseModel } from '../../../gbdt/index.ts';
import { accuracyScore, classificationReport, FittedColumnTransformer, formatClassificationReportCsv, rocAucFromCurve, rocCurve } from '../../../ml/index.ts';
import { artifactInput, artifactOutput, booleanParam, defineComponent, doubleParam, stringParam } from '../../../pipeline/index.ts';
import { ARTIFACT_FORMATS, DEFAULT_ARTIFACT_FORMAT, readLabels, readMatrixBatches } from '../datasetFiles.ts';
import { REASON_COUNT, writePredictions } from '../predictionFile.ts';
import { rawFieldOf, topReasons } from '../reasons.ts';
import { prefetchRocPlot } from '../rocPlot.ts';
import { TARGET_NAMES } from '../schema.ts';

export const batchInference = defineComponent({
  name: 'batch-inference',
  description: 'Scores the test set with the compiled model: predictions, classification report, AUC and accuracy',
  inputs: {
    x_test: artifactInput('system.Dataset'),
    y_test: artifactInput('system.Dataset'),
    compiled_model: artifactInput('system.Model'),
    model: artifactInput('system.Model', { optional: true, description: 'the trained model (XGBoost JSON/UBJSON), for explain' }),
    preprocessor: artifactInput('system.Artifact', { optional: true, description: 'the fitted preprocessor (column names), for explain' }),
  },
  parameters: {
    threshold: doubleParam(0.5, { min: 0, max: 1 }),
    explain: booleanParam(false, { description: 'add the top 3 reasons (raw applicant fields, by TreeSHAP) to every prediction' }),
    // The file format of the data artifacts (datasetFiles.ts): one value for the whole run.
    artifact_format: stringParam(DEFAULT_ARTIFACT_FORMAT, { enum: [...ARTIFACT_FORMATS] }),
  },
  outputs: {
    prediction_data: artifactOutput('system.Dataset', { extension: '.csv', extensionParameter: 'artifact_format' }),
    report: artifactOutput('system.Dataset', { extension: '.csv' }),
    metrics: artifactOutput('system.Metrics', { extension: '.json' }),
  },
  run: async (ctx) => {
    const model = loadCompiledModel(await readAllBytes(ctx.inputs.compiled_model, MAX_MODEL_BYTES), ctx.inputs.compiled_model.label);
    const y = await readLabels(ctx.inputs.y_test);
    // Streamed: one batch of features in memory at a time, scored on every core (rows are
    // independent, so the result does not depend on the batch size or the thread count).
    const explainer = ctx.parameters.explain ? await loadExplainer(ctx.inputs.model, ctx.inputs.preprocessor) : undefined;
    const parts: Float64Array[] = [];
    const reasons: (string | null)[][] = Array.from({ length: REASON_COUNT }, () => []);
    let xRows = 0;
    try {
      // The scoring threads start while x_test is read (at 1M rows it is parsed: ~0.2 s), so the
      // first batch is shared from its first row instead of the main thread scoring alone while a
      // worker starts.
      model.prepare(Math.min(y.length, INFERENCE_BATCH_ROWS), 0);
      // Each batch is scored by the workers while the next one is read (parsed), then this
      // thread joins in (CompiledModel.predictLater); explained runs score at once.
      let pending: (() => Float64Array) | undefined;
      for await (const batch of readMatrixBatches(ctx.inputs.x_test, INFERENCE_BATCH_ROWS)) {
        if (pending) parts.push(pending());
        pending = explainer ? undefined : model.predictLater(batch, { nthread: 0 });
        if (explainer) {
          parts.push(model.predict(batch, { nthread: 0 }));
          const contribs = await explainer.pool.contributions(batch);
          const width = batch.nCols + 1;
          for (let r = 0; r < batch.nRows; r++) {
            const top = topReasons(contribs.subarray(r * width, r * width + batch.nCols), explainer.fieldOf, REASON_COUNT);
            for (let k = 0; k < REASON_COUNT; k++) reasons[k].push(top[k]?.field ?? null);
          }
          ctx.progress({ current: xRows + batch.nRows, total: y.length, label: 'explained row' });
        }
        xRows += batch.nRows;
      }
      if (pending) parts.push(pending());
    } finally {
      model.dispose();
      explainer?.pool.dispose();
    }
    if (xRows !== y.length) {
      throw new DataError('loanDefault.rowMismatch', { x: ctx.inputs.x_test.label, xRows, y: ctx.inputs.y_test.label, yRows: y.length });
    }
    const probability = new Float64Array(xRows);
    let at = 0;
    for (const p of parts) {
      probability.set(p, at);
      at += p.length;
    }
    const threshold = ctx.parameters.threshold;
    const predicted = new Float64Array(probability.length);
    for (let i = 0; i < predicted.length; i++) predicted[i] = probability[i] > threshold ? 1 : 0;

    const report = classificationReport(y, predicted, { labels: [0, 1], targetNames: TARGET_NAMES });
    for (const w of report.warnings) ctx.log(`warning: ${w}`);
    // rocAucScore's number from its curve (rocAucFromCurve), and that curve's plot started for
    // plot-roc-curve, which takes it when it computes the same curve from the predictions file.
    const curve = rocCurve(y, probability);
    const metrics = { AUC: rocAucFromCurve(curve), Accuracy: accuracyScore(y, predicted) * 100 };
    // Only where plot-roc-curve runs next in this process (the local runner); a KFP pod or
    // `sealed component` would draw it for nothing.
    if (ctx.runtime.sharedProcess) prefetchRocPlot({ fpr: curve.fpr, tpr: curve.tpr, thresholds: curve.thresholds, auc: metrics.AUC }, { groundTruth: y, probability, curve });
    ctx.log(`AUC ${metrics.AUC}, accuracy ${metrics.Accuracy}% on ${y.length} rows (threshold ${threshold})`);

    await writePredictions({ groundTruth: y, probability, ...(explainer ? { reasons } : {}) }, ctx.outputs.prediction_data, ctx.parameters.artifact_format);
    await ctx.outputs.report.write([formatClassificationReportCsv(report)]);
    await ctx.outputs.metrics.write([JSON.stringify(metrics) + '\n']);
    ctx.outputs.metrics.setMetadata(metrics);
  },
});

interface Explainer {
  readonly pool: ContributionsPool;
  /** Raw applicant field of each preprocessed column. */
  readonly fieldOf: string[];
}

/** Rows of x_test read and scored at a time (readMatrixBatches' default). */
const INFERENCE_BATCH_ROWS = 65536;

/** Larger model files are refused before they are parsed (the biggest a 10M-row run makes is far smaller). */
const MAX_MODEL_BYTES = 1024 ** 3;

async function loadExplainer(modelSource: ByteSource | undefined, preprocessorSource: ByteSource | undefined): Promise<Explainer> {
  if (modelSource === undefined || preprocessorSource === undefined) throw new UsageError('loanDefault.explainInputs', {});
  const model = parseModel(await readAllBytes(modelSource, MAX_MODEL_BYTES), modelSource.label);
  const preprocessorPath = preprocessorSource.label;
  const fitted = FittedColumnTransformer.fromJSON(JSON.parse(await readAllText(preprocessorSource, 64 * 1024 ** 2)));
  if (fitted.featureNames.length !== model.numFeature) {
    throw new ModelError('gbdt.featureCount', { expected: model.numFeature, got: fitted.featureNames.length }, { location: { file: preprocessorPath } });
  }
  return { pool: new ContributionsPool(model, availableParallelism()), fieldOf: rawFieldOf(fitted.featureNames) };
}
