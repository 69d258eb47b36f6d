import type { ConfusionMatrix as Matrix } from '../lib/confusion.ts';
import { confusionRates } from '../lib/confusion.ts';
import { formatInt, formatNumber } from '../lib/format.ts';

interface ConfusionMatrixProps {
  matrix: Matrix;
  negativeLabel: string;
  positiveLabel: string;
}

function share(n: number, total: number): string {
  return total === 0 ? '' : `${((100 * n) / total).toFixed(1)} %`;
}

/** The 2×2 matrix (rows: actual class, columns: predicted class) and the rates it gives. */
export function ConfusionMatrix({ matrix: m, negativeLabel, positiveLabel }: ConfusionMatrixProps) {
  const r = confusionRates(m);
  const cell = (n: number, name: string, correct: boolean) => (
    <td className={correct ? 'cm__cell cm__cell--correct' : 'cm__cell cm__cell--wrong'} data-cell={name}>
      <span className="cm__count">{formatInt(n)}</span>
      <span className="cm__meta">
        {name} · {share(n, r.total)}
      </span>
    </td>
  );
  return (
    <div className="cm" data-testid="confusion-matrix">
      <table className="cm__table">
        <thead>
          <tr>
            <td />
            <th scope="colgroup" colSpan={2} className="cm__axis">
              predicted
            </th>
          </tr>
          <tr>
            <th scope="col" className="cm__axis cm__corner">
              actual
            </th>
            <th scope="col">{negativeLabel}</th>
            <th scope="col">{positiveLabel}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{negativeLabel}</th>
            {cell(m.tn, 'TN', true)}
            {cell(m.fp, 'FP', false)}
          </tr>
          <tr>
            <th scope="row">{positiveLabel}</th>
            {cell(m.fn, 'FN', false)}
            {cell(m.tp, 'TP', true)}
          </tr>
        </tbody>
      </table>
      <dl className="cm__rates">
        <div>
          <dt>Accuracy</dt>
          <dd>{r.accuracy === undefined ? '—' : `${(100 * r.accuracy).toFixed(2)} %`}</dd>
        </div>
        <div>
          <dt>Precision</dt>
          <dd>{formatNumber(r.precision)}</dd>
        </div>
        <div>
          <dt>Recall (TPR)</dt>
          <dd>{formatNumber(r.recall)}</dd>
        </div>
        <div>
          <dt>FPR</dt>
          <dd>{formatNumber(r.fpr)}</dd>
        </div>
        <div>
          <dt>F1</dt>
          <dd>{formatNumber(r.f1)}</dd>
        </div>
      </dl>
    </div>
  );
}
