import type { RunDetail, RunMetrics } from '../../../api/contract.ts';
import { formatDataSize, formatDelta, formatDuration, formatNumber, formatPercent } from '../lib/format.ts';
import { paths } from '../lib/router.ts';
import { Link } from './Link.tsx';
import { StateBadge } from './StateBadge.tsx';

export interface ComparedRun {
  id: string;
  color: string;
  detail?: RunDetail;
  metrics?: RunMetrics;
  error?: string;
}

function Delta({ value, digits, suffix, higherIsBetter, format }: { value: number | undefined; digits: number; suffix?: string; higherIsBetter: boolean; format?: (n: number) => string }) {
  if (value === undefined || !Number.isFinite(value)) return <span className="delta">—</span>;
  const text = format ? `${value > 0 ? '+' : value < 0 ? '−' : '±'}${format(Math.abs(value))}` : formatDelta(value, digits, suffix);
  const zero = Number(Math.abs(value).toFixed(digits)) === 0;
  const good = higherIsBetter ? value > 0 : value < 0;
  return <span className={zero ? 'delta' : good ? 'delta delta--better' : 'delta delta--worse'}>{text}</span>;
}

const auc = (r: ComparedRun) => r.metrics?.auc ?? r.detail?.summary.auc;
const accuracy = (r: ComparedRun) => r.metrics?.accuracy ?? r.detail?.summary.accuracy;
const duration = (r: ComparedRun) => r.detail?.summary.durationMs;
const diff = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : a - b);

/** AUC, accuracy and duration per run, with the difference to the first (baseline) run. */
export function CompareMetricsTable({ runs }: { runs: ComparedRun[] }) {
  const base = runs[0];
  return (
    <div className="table-wrap">
      <table className="table compare-metrics" data-testid="compare-metrics">
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">State</th>
            <th scope="col" className="num">
              AUC
            </th>
            <th scope="col" className="num">
              Δ AUC
            </th>
            <th scope="col" className="num">
              Accuracy
            </th>
            <th scope="col" className="num">
              Δ accuracy
            </th>
            <th scope="col" className="num">
              Duration
            </th>
            <th scope="col" className="num">
              Δ duration
            </th>
            <th scope="col" className="num">
              Data size
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r, i) => (
            <tr key={r.id} data-testid={`compare-row-${r.id}`}>
              <th scope="row" className="mono">
                <span className="swatch" style={{ backgroundColor: r.color }} />
                <Link to={paths.run(r.id)}>{r.id}</Link>
                {i === 0 && <span className="tag">baseline</span>}
              </th>
              <td>{r.detail ? <StateBadge state={r.detail.summary.state} /> : <span className="muted small">{r.error ?? 'loading…'}</span>}</td>
              <td className="num">{formatNumber(auc(r))}</td>
              <td className="num">{i === 0 ? '' : <Delta value={diff(auc(r), auc(base))} digits={4} higherIsBetter />}</td>
              <td className="num">{formatPercent(accuracy(r))}</td>
              <td className="num">{i === 0 ? '' : <Delta value={diff(accuracy(r), accuracy(base))} digits={2} suffix=" pp" higherIsBetter />}</td>
              <td className="num">{formatDuration(duration(r))}</td>
              <td className="num">{i === 0 ? '' : <Delta value={diff(duration(r), duration(base))} digits={0} higherIsBetter={false} format={formatDuration} />}</td>
              <td className="num">{formatDataSize(r.detail?.summary.dataSize)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
