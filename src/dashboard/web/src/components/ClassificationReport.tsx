import type { RunMetrics } from '../../../api/contract.ts';
import { formatInt, formatNumber } from '../lib/format.ts';

/** scikit-learn's classification report; the accuracy row is laid out as sklearn prints it. */
export function ClassificationReport({ report }: { report: RunMetrics['report'] }) {
  const total = report.find((r) => r.label === 'weighted avg' || r.label === 'macro avg')?.support;
  return (
    <div className="table-wrap">
      <table className="table table--compact report-table" data-testid="report-table">
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col" className="num">
              Precision
            </th>
            <th scope="col" className="num">
              Recall
            </th>
            <th scope="col" className="num">
              F1-score
            </th>
            <th scope="col" className="num">
              Support
            </th>
          </tr>
        </thead>
        <tbody>
          {report.map((r) => {
            const accuracy = r.label === 'accuracy';
            const summary = accuracy || r.label.endsWith(' avg');
            return (
              <tr key={r.label} className={summary ? 'report-table__summary' : undefined}>
                <th scope="row">{r.label}</th>
                <td className="num">{accuracy ? '' : formatNumber(r.precision)}</td>
                <td className="num">{accuracy ? '' : formatNumber(r.recall)}</td>
                <td className="num">{formatNumber(r.f1)}</td>
                <td className="num">{accuracy ? formatInt(total) : formatInt(r.support)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
