// Step 7 — the ROC curve exactly as scikit-learn's roc_curve (drop_intermediate on), as a KFP
// ClassificationMetrics artifact (which the Kubeflow UI draws, with the confusion matrix at the
// decision threshold) and as a self-contained page.
import { confusionMatrix, rocAucFromCurve, rocCurve, type RocCurve } from '../../../ml/index.ts';
import { artifactInput, artifactOutput, defineComponent, doubleParam } from '../../../pipeline/index.ts';
import { readPredictions } from '../predictionFile.ts';
import { prefetchedRocCurve, renderRocPlotShared } from '../rocPlot.ts';
import { TARGET_NAMES } from '../schema.ts';

export const plotRocCurve = defineComponent({
  name: 'plot-roc-curve',
  description: 'ROC curve of the test predictions: KFP ClassificationMetrics and an HTML page with the SVG and PNG plot',
  inputs: { prediction_data: artifactInput('system.Dataset') },
  parameters: { threshold: doubleParam(0.5, { min: 0, max: 1 }) },
  outputs: {
    roc_curve: artifactOutput('system.ClassificationMetrics', { extension: '.json' }),
    roc_plot: artifactOutput('system.HTML', { extension: '.html' }),
  },
  run: async (ctx) => {
    const { groundTruth, probability } = await readPredictions(ctx.inputs.prediction_data);
    // batch-inference computed this curve from the same values in a local run (rocPlot.ts).
    const curve = prefetchedRocCurve<RocCurve>(groundTruth, probability) ?? rocCurve(groundTruth, probability);
    for (const w of curve.warnings) ctx.log(`warning: ${w}`);
    // The AUC is the area under this curve: one sort of the scores serves both.
    const auc = rocAucFromCurve(curve);
    // The PNG draws on the thread pool while the ROC JSON is built and written; in a local run
    // batch-inference started it already for the same curve (rocPlot.ts prefetchRocPlot; issue 17).
    const plotting = renderRocPlotShared({ fpr: curve.fpr, tpr: curve.tpr, thresholds: curve.thresholds, auc });
    // Rejections are awaited below; this only keeps one raised meanwhile from counting as unhandled.
    plotting.catch(() => {});
    const confidenceMetrics = Array.from(curve.fpr, (fpr, i) => ({
      confidenceThreshold: curve.thresholds[i],
      falsePositiveRate: fpr,
      recall: curve.tpr[i],
    }));
    // KFP's confusion matrix: rows are true classes, columns predicted ones, in annotationSpecs order.
    const predicted = probability.map((p) => (p > ctx.parameters.threshold ? 1 : 0));
    const cm = confusionMatrix(groundTruth, predicted, { labels: [0, 1] });
    const confusion = { annotationSpecs: TARGET_NAMES.map((displayName) => ({ displayName })), rows: cm.matrix.map((row) => ({ row: [...row] })) };
    await ctx.outputs.roc_curve.write([JSON.stringify({ confidenceMetrics, confusionMatrix: confusion }) + '\n']);
    ctx.outputs.roc_curve.setMetadata({ confidenceMetrics, confusionMatrix: confusion });
    const plot = await plotting;
    await ctx.outputs.roc_plot.write([plot.html]);
    ctx.outputs.roc_plot.setMetadata({ display_name: 'ROC curve' });
    ctx.log(`${confidenceMetrics.length} ROC points, AUC ${auc}`);
  },
});
