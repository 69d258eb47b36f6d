// Runs side by side: ROC curves overlaid, metrics with deltas against the first run, and the
// parameters that differ. /compare?ids=a,b,c (or /compare/a,b,c); the first id is the baseline.
import { useMemo } from 'react';
import { api, errorText } from '../lib/api.ts';
import { seriesColor } from '../lib/palette.ts';
import { usePolling } from '../lib/usePolling.ts';
import { formatNumber } from '../lib/format.ts';
import { Link } from '../components/Link.tsx';
import { CompareMetricsTable, type ComparedRun } from '../components/CompareMetricsTable.tsx';
import { ParamDiffTable } from '../components/ParamDiffTable.tsx';
import { RocChart, type RocSeries } from '../components/RocChart.tsx';

async function loadRun(id: string, color: string, signal: AbortSignal): Promise<ComparedRun> {
  try {
    const [detail, metrics] = await Promise.all([api.run(id, signal), api.metrics(id, signal)]);
    return { id, color, detail, metrics };
  } catch (e) {
    if (signal.aborted) throw e;
    return { id, color, error: errorText(e) };
  }
}

export function ComparePage({ ids }: { ids: string[] }) {
  const loaded = usePolling(
    (signal) => Promise.all(ids.map((id, i) => loadRun(id, seriesColor(i), signal))),
    ids.join(','),
    (data) => (data?.some((r) => r.detail?.summary.state === 'running') ? 3000 : null),
  );
  const runs = useMemo(() => loaded.data ?? ids.map((id, i) => ({ id, color: seriesColor(i) }) as ComparedRun), [loaded.data, ids]);
  const series: RocSeries[] = useMemo(
    () => runs.filter((r) => r.metrics && r.metrics.roc.length > 0).map((r) => ({ id: r.id, label: r.id, color: r.color, points: r.metrics!.roc })),
    [runs],
  );

  return (
    <section className="page">
      <p className="breadcrumb">
        <Link to="/">Runs</Link> / compare
      </p>
      <div className="page-head">
        <div>
          <h1 className="page-title">Compare runs</h1>
          <p className="muted">
            {ids.length} run{ids.length === 1 ? '' : 's'}; deltas are against the first, <span className="mono">{ids[0] ?? '—'}</span>.
          </p>
        </div>
      </div>
      {ids.length < 2 && (
        <p className="notice notice--info">
          Select two or more runs in the <Link to="/">runs list</Link> to compare them.
        </p>
      )}
      {loaded.error !== undefined && <p className="notice notice--error">Could not load the runs: {errorText(loaded.error)}</p>}
      {ids.length > 0 && (
        <>
          <section className="card" aria-labelledby="compare-metrics-title">
            <h2 id="compare-metrics-title" className="card__title">
              Metrics
            </h2>
            <CompareMetricsTable runs={runs} />
          </section>
          <section className="card" aria-labelledby="compare-roc-title">
            <h2 id="compare-roc-title" className="card__title">
              ROC curves
            </h2>
            {loaded.loading && !loaded.data ? (
              <p className="muted">Loading…</p>
            ) : series.length === 0 ? (
              <p className="muted">None of these runs has a ROC curve yet.</p>
            ) : (
              <div className="compare-roc">
                <RocChart series={series} testId="compare-roc" readoutTestId="compare-roc-readout" title="ROC curves of the compared runs" />
                <ul className="legend-list" data-testid="compare-legend">
                  {runs.map((r) => (
                    <li key={r.id}>
                      <span className="swatch swatch--line" style={{ backgroundColor: r.color }} />
                      <span className="mono">{r.id}</span>
                      <span className="muted small">{r.metrics ? `AUC ${formatNumber(r.metrics.auc)}` : r.error ? r.error : 'no ROC curve yet'}</span>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </section>
          <section className="card" aria-labelledby="param-diff-title">
            <h2 id="param-diff-title" className="card__title">
              Parameters
            </h2>
            <ParamDiffTable runs={runs} />
          </section>
        </>
      )}
    </section>
  );
}
