import { useCallback, useMemo, useState } from 'react';
import type { RunState } from '../../../api/contract.ts';
import { api, errorText } from '../lib/api.ts';
import { navigate, paths } from '../lib/router.ts';
import { filterRuns, sortRuns, type RunSortKey, type SortDirection } from '../lib/sortRuns.ts';
import { useNow } from '../lib/useNow.ts';
import { usePolling } from '../lib/usePolling.ts';
import { RunsTable } from '../components/RunsTable.tsx';
import { LoadError } from '../components/LoadError.tsx';

const REFRESH_MS = 2000;
const FIRST_DIRECTION: Record<RunSortKey, SortDirection> = {
  state: 'asc',
  createdAt: 'desc',
  durationMs: 'desc',
  dataSize: 'desc',
  auc: 'desc',
  accuracy: 'desc',
  id: 'asc',
};

export function RunsPage() {
  const runs = usePolling(
    (signal) => api.runs(signal),
    'runs',
    (data, error) => (data?.some((r) => r.state === 'running') || (error !== undefined && data !== undefined) ? REFRESH_MS : null),
  );
  const [sortKey, setSortKey] = useState<RunSortKey>('createdAt');
  const [direction, setDirection] = useState<SortDirection>('desc');
  const [stateFilter, setStateFilter] = useState<RunState | 'all'>('all');
  const [text, setText] = useState('');
  const [selected, setSelected] = useState<string[]>([]);

  const all = runs.data;
  const anyRunning = all?.some((r) => r.state === 'running') ?? false;
  const now = useNow(anyRunning);
  const shown = useMemo(() => (all ? sortRuns(filterRuns(all, stateFilter, text), sortKey, direction) : []), [all, stateFilter, text, sortKey, direction]);
  const counts = useMemo(() => {
    const c: Record<RunState, number> = { running: 0, succeeded: 0, failed: 0, interrupted: 0 };
    for (const r of all ?? []) c[r.state] += 1;
    return c;
  }, [all]);

  const onSort = useCallback(
    (key: RunSortKey) => {
      if (key === sortKey) setDirection((d) => (d === 'asc' ? 'desc' : 'asc'));
      else {
        setSortKey(key);
        setDirection(FIRST_DIRECTION[key]);
      }
    },
    [sortKey],
  );
  const onToggle = useCallback((id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id])), []);
  // Runs that disappeared from the list cannot be compared.
  const known = useMemo(() => new Set(all?.map((r) => r.id)), [all]);
  const selection = selected.filter((id) => known.has(id));

  return (
    <section className="page">
      <div className="page-head">
        <div>
          <h1 className="page-title">Runs</h1>
          {all && (
            <p className="muted">
              {all.length} run{all.length === 1 ? '' : 's'}
              {counts.running > 0 && <> · {counts.running} running</>}
              {counts.failed > 0 && <> · {counts.failed} failed</>}
              {counts.interrupted > 0 && <> · {counts.interrupted} interrupted</>}
            </p>
          )}
        </div>
        <div className="page-head__actions">
          <button
            type="button"
            className="button"
            data-testid="compare-button"
            disabled={selection.length < 2}
            title={selection.length < 2 ? 'Select two or more runs to compare' : `Compare ${selection.length} runs (the first selected is the baseline)`}
            onClick={() => navigate(paths.compare(selection))}
          >
            Compare{selection.length > 0 ? ` (${selection.length})` : ''}
          </button>
          <button type="button" className="button button--primary" data-testid="new-run-button" onClick={() => navigate(paths.newRun())}>
            New run
          </button>
        </div>
      </div>

      <div className="toolbar">
        <label className="field field--inline">
          <span className="field__label">State</span>
          <select data-testid="runs-filter-state" value={stateFilter} onChange={(e) => setStateFilter(e.target.value as RunState | 'all')}>
            <option value="all">All</option>
            <option value="running">Running</option>
            <option value="succeeded">Succeeded</option>
            <option value="failed">Failed</option>
            <option value="interrupted">Interrupted</option>
          </select>
        </label>
        <label className="field field--inline field--grow">
          <span className="field__label">Filter</span>
          <input
            type="search"
            data-testid="runs-filter-text"
            placeholder="run id or parameter, e.g. split=grouped"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        {selection.length > 0 && (
          <button type="button" className="button button--quiet" onClick={() => setSelected([])}>
            Clear selection
          </button>
        )}
        {anyRunning && (
          <span className="live" title={`Refreshing every ${REFRESH_MS / 1000} s while a run is running`}>
            live
          </span>
        )}
      </div>

      {runs.error !== undefined && (
        <LoadError message={`Could not load the runs: ${errorText(runs.error)}`} onRetry={runs.reload} />
      )}
      {!all && runs.loading && <p className="muted">Loading runs…</p>}
      {all && (
        <>
          <RunsTable runs={shown} sortKey={sortKey} direction={direction} onSort={onSort} selected={selection} onToggle={onToggle} now={now} />
          {all.length === 0 && (
            <div className="empty">
              <p>No runs yet.</p>
              <button type="button" className="button button--primary" onClick={() => navigate(paths.newRun())}>
                Start the first run
              </button>
            </div>
          )}
          {all.length > 0 && shown.length === 0 && <p className="muted table-empty">No run matches the filter.</p>}
        </>
      )}
    </section>
  );
}
