// The run's metrics: AUC and accuracy, the ROC curve with hover read-out, a threshold slider
// driving the confusion matrix (and a marker on the curve), and the classification report. A
// sealed run on a dashboard without its keys has only AUC, accuracy and the ROC points (the
// server's sealedNotice says so): no confusion matrix, no report.
import { useMemo, useState } from 'react';
import type { RunMetrics } from '../../../api/contract.ts';
import { confusionAt, confusionRates } from '../lib/confusion.ts';
import { formatNumber, formatPercent } from '../lib/format.ts';
import { ClassificationReport } from './ClassificationReport.tsx';
import { ConfusionMatrix } from './ConfusionMatrix.tsx';
import { RocChart } from './RocChart.tsx';

const CURVE_COLOR = '#2563eb';

/** Class names from the report's first two rows (class 0, class 1) when it has them. */
function classLabels(report: RunMetrics['report']): [string, string] {
  const classes = report.filter((r) => r.label !== 'accuracy' && !r.label.endsWith(' avg'));
  return classes.length === 2 ? [classes[0].label, classes[1].label] : ['Negative (0)', 'Positive (1)'];
}

export function MetricsPanel({ runId, metrics, defaultThreshold }: { runId: string; metrics: RunMetrics; defaultThreshold: number }) {
  const [threshold, setThreshold] = useState(defaultThreshold);
  const matrix = useMemo(() => (metrics.confusion ? confusionAt(metrics.confusion, threshold) : undefined), [metrics.confusion, threshold]);
  const rates = matrix ? confusionRates(matrix) : { fpr: undefined, recall: undefined };
  const [negative, positive] = classLabels(metrics.report);
  const series = useMemo(() => [{ id: runId, label: runId, color: CURVE_COLOR, points: metrics.roc }], [runId, metrics.roc]);
  const marker = rates.fpr !== undefined && rates.recall !== undefined ? { fpr: rates.fpr, tpr: rates.recall, label: `t = ${threshold.toFixed(3)}` } : undefined;

  return (
    <section className="card metrics" data-testid="metrics" aria-labelledby="metrics-title">
      <div className="card__head">
        <h2 id="metrics-title" className="card__title">
          Metrics
        </h2>
        <dl className="inline-stats">
          <div>
            <dt>AUC</dt>
            <dd data-testid="metric-auc">{formatNumber(metrics.auc)}</dd>
          </div>
          <div>
            <dt>Accuracy</dt>
            <dd data-testid="metric-accuracy">{formatPercent(metrics.accuracy)}</dd>
          </div>
        </dl>
      </div>
      {metrics.sealedNotice && (
        <p className="notice notice--warn" data-testid="metrics-sealed">
          {metrics.sealedNotice}. Shown here: what run.json keeps plain (AUC, accuracy, the ROC points).
        </p>
      )}
      <div className="metrics__grid">
        <div>
          <h3 className="metrics__subtitle">ROC curve</h3>
          <RocChart series={series} marker={marker} fillArea testId="roc-curve" readoutTestId="roc-hover-readout" title={`ROC curve of run ${runId}, AUC ${formatNumber(metrics.auc)}`} />
        </div>
        {matrix && (
          <div>
            <h3 className="metrics__subtitle">Confusion matrix</h3>
            <div className="threshold">
              <label htmlFor="threshold-slider" className="threshold__label">
                Threshold <output className="threshold__value">{threshold.toFixed(3)}</output>
              </label>
              <input
                id="threshold-slider"
                type="range"
                min={0}
                max={1}
                step={0.001}
                value={threshold}
                data-testid="threshold-slider"
                onChange={(e) => setThreshold(Number(e.target.value))}
                aria-describedby="threshold-help"
              />
              <p id="threshold-help" className="muted small">
                A prediction is <i>{positive}</i> when its probability is above the threshold.{' '}
                {threshold !== defaultThreshold && (
                  <button type="button" className="link-button" onClick={() => setThreshold(defaultThreshold)}>
                    Reset to {defaultThreshold}
                  </button>
                )}
              </p>
            </div>
            <ConfusionMatrix matrix={matrix} negativeLabel={negative} positiveLabel={positive} />
          </div>
        )}
      </div>
      {metrics.report.length > 0 && (
        <>
          <h3>Classification report</h3>
          <ClassificationReport report={metrics.report} />
        </>
      )}
    </section>
  );
}
