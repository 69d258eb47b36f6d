// Step 7 — the ROC curve exactly as scikit-learn's roc_curve (drop_intermediate on), as a KFP
// ClassificationMetrics artifact (which the Kubeflow UI draws) and as a self-contained page.
import { writeFileAtomic } from '../../../core/index.ts';
import { rocAucScore, rocCurve } from '../../../ml/index.ts';
import { artifactInput, artifactOutput, defineComponent } from '../../../pipeline/index.ts';
import { readPredictions } from '../predictionFile.ts';
import { renderRocPlot } from '../rocPlot.ts';

export const plotRocCurve = defineComponent({
  name: 'plot-roc-curve',
  description: 'ROC curve of the test predictions: KFP ClassificationMetrics and an HTML page with the SVG and PNG plot',
  inputs: { prediction_data: artifactInput('system.Dataset') },
  outputs: {
    roc_curve: artifactOutput('system.ClassificationMetrics', { extension: '.json' }),
    roc_plot: artifactOutput('system.HTML', { extension: '.html' }),
  },
  run: async (ctx) => {
    const { groundTruth, probability } = await readPredictions(ctx.inputs.prediction_data.path);
    const curve = rocCurve(groundTruth, probability);
    for (const w of curve.warnings) ctx.log(`warning: ${w}`);
    const auc = rocAucScore(groundTruth, probability);
    const confidenceMetrics = Array.from(curve.fpr, (fpr, i) => ({
      confidenceThreshold: curve.thresholds[i],
      falsePositiveRate: fpr,
      recall: curve.tpr[i],
    }));
    await writeFileAtomic(ctx.outputs.roc_curve.path, JSON.stringify({ confidenceMetrics }) + '\n');
    ctx.outputs.roc_curve.setMetadata({ confidenceMetrics });
    const plot = await renderRocPlot({ fpr: curve.fpr, tpr: curve.tpr, thresholds: curve.thresholds, auc });
    await writeFileAtomic(ctx.outputs.roc_plot.path, plot.html);
    ctx.outputs.roc_plot.setMetadata({ display_name: 'ROC curve' });
    ctx.log(`${confidenceMetrics.length} ROC points, AUC ${auc}`);
  },
});
