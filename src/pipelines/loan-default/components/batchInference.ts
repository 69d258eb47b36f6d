// Step 6 — score the test set with the compiled model; write the predictions, scikit-learn's
// classification report (CSV, same layout) and the AUC / accuracy metrics.
import { readFile } from 'node:fs/promises';
import { DataError, writeFileAtomic } from '../../../core/index.ts';
import { loadCompiledModel } from '../../../gbdt/index.ts';
import { accuracyScore, classificationReport, formatClassificationReportCsv, rocAucScore } from '../../../ml/index.ts';
import { artifactInput, artifactOutput, defineComponent, doubleParam } from '../../../pipeline/index.ts';
import { readLabels, readMatrixBatches } from '../datasetFiles.ts';
import { writePredictions } from '../predictionFile.ts';

export const TARGET_NAMES = ['Non-Default', 'Default'];

export const batchInference = defineComponent({
  name: 'batch-inference',
  description: 'Scores the test set with the compiled model: predictions, classification report, AUC and accuracy',
  inputs: {
    x_test: artifactInput('system.Dataset'),
    y_test: artifactInput('system.Dataset'),
    compiled_model: artifactInput('system.Model'),
  },
  parameters: { threshold: doubleParam(0.5, { min: 0, max: 1 }) },
  outputs: {
    prediction_data: artifactOutput('system.Dataset', { extension: '.csv' }),
    report: artifactOutput('system.Dataset', { extension: '.csv' }),
    metrics: artifactOutput('system.Metrics', { extension: '.json' }),
  },
  run: async (ctx) => {
    const model = loadCompiledModel(await readFile(ctx.inputs.compiled_model.path), ctx.inputs.compiled_model.path);
    const y = await readLabels(ctx.inputs.y_test.path);
    // Streamed: one batch of features in memory at a time, scored on every core (rows are
    // independent, so the result does not depend on the batch size or the thread count).
    const parts: Float64Array[] = [];
    let xRows = 0;
    try {
      for await (const batch of readMatrixBatches(ctx.inputs.x_test.path)) {
        parts.push(model.predict(batch, { nthread: 0 }));
        xRows += batch.nRows;
      }
    } finally {
      model.dispose();
    }
    if (xRows !== y.length) {
      throw new DataError('loanDefault.rowMismatch', { x: ctx.inputs.x_test.path, xRows, y: ctx.inputs.y_test.path, yRows: y.length });
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
    const metrics = { AUC: rocAucScore(y, probability), Accuracy: accuracyScore(y, predicted) * 100 };
    ctx.log(`AUC ${metrics.AUC}, accuracy ${metrics.Accuracy}% on ${y.length} rows (threshold ${threshold})`);

    await writePredictions({ groundTruth: y, probability }, ctx.outputs.prediction_data.path);
    await writeFileAtomic(ctx.outputs.report.path, formatClassificationReportCsv(report));
    await writeFileAtomic(ctx.outputs.metrics.path, JSON.stringify(metrics) + '\n');
    ctx.outputs.metrics.setMetadata(metrics);
  },
});
