import { memo, type MouseEvent } from 'react';
import type { RunSummary } from '../../../api/contract.ts';
import { formatDataSize, formatDuration, formatNumber, formatPercent, formatTime } from '../lib/format.ts';
import { navigate, paths } from '../lib/router.ts';
import type { RunSortKey, SortDirection } from '../lib/sortRuns.ts';
import { Link } from './Link.tsx';
import { SealedBadge } from './SealedBadge.tsx';
import { StateBadge } from './StateBadge.tsx';

const COLUMNS: { key: RunSortKey; label: string; numeric?: boolean }[] = [
  { key: 'state', label: 'State' },
  { key: 'createdAt', label: 'Started' },
  { key: 'durationMs', label: 'Duration', numeric: true },
  { key: 'dataSize', label: 'Data size', numeric: true },
  { key: 'auc', label: 'AUC', numeric: true },
  { key: 'accuracy', label: 'Accuracy', numeric: true },
  { key: 'id', label: 'Run id' },
];

interface RunsTableProps {
  runs: RunSummary[];
  sortKey: RunSortKey;
  direction: SortDirection;
  onSort: (key: RunSortKey) => void;
  selected: string[];
  onToggle: (id: string) => void;
  now: number;
}

export function RunsTable({ runs, sortKey, direction, onSort, selected, onToggle, now }: RunsTableProps) {
  const chosen = new Set(selected);
  return (
    <div className="table-wrap">
      <table className="table runs-table" data-testid="runs-table">
        <thead>
          <tr>
            <th className="col-select" scope="col">
              <span className="visually-hidden">Select</span>
            </th>
            {COLUMNS.map((c) => {
              const active = c.key === sortKey;
              return (
                <th
                  key={c.key}
                  scope="col"
                  className={c.numeric ? 'num' : undefined}
                  aria-sort={active ? (direction === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button type="button" className={active ? 'sort is-active' : 'sort'} data-testid={`runs-sort-${c.key}`} onClick={() => onSort(c.key)}>
                    {c.label}
                    <span className="sort__arrow" aria-hidden="true">
                      {active ? (direction === 'asc' ? '▲' : '▼') : '↕'}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <RunRow key={run.id} run={run} checked={chosen.has(run.id)} onToggle={onToggle} now={run.state === 'running' ? now : 0} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function openRun(e: MouseEvent<HTMLTableRowElement>, id: string) {
  // Clicks on the checkbox, links and buttons do their own thing.
  if ((e.target as Element).closest('a, button, input, label')) return;
  if (window.getSelection()?.toString()) return; // the user is selecting text
  navigate(paths.run(id));
}

const RunRow = memo(function RunRow({ run, checked, onToggle, now }: { run: RunSummary; checked: boolean; onToggle: (id: string) => void; now: number }) {
  const duration = run.durationMs ?? (run.state === 'running' && now > 0 ? Math.max(0, now - Date.parse(run.createdAt)) : undefined);
  return (
    <tr data-testid={`run-row-${run.id}`} className={checked ? 'is-selected clickable' : 'clickable'} onClick={(e) => openRun(e, run.id)}>
      <td className="col-select">
        <label className="select-hit">
          <input
            type="checkbox"
            data-testid={`run-select-${run.id}`}
            aria-label={`Select run ${run.id} for comparison`}
            checked={checked}
            onChange={() => onToggle(run.id)}
          />
        </label>
      </td>
      <td>
        <StateBadge state={run.state} />
      </td>
      <td className="nowrap">{formatTime(run.createdAt)}</td>
      <td className="num">{formatDuration(duration)}</td>
      <td className="num">{formatDataSize(run.dataSize)}</td>
      <td className="num">{formatNumber(run.auc)}</td>
      <td className="num">{formatPercent(run.accuracy)}</td>
      <td className="mono">
        <Link to={paths.run(run.id)}>{run.id}</Link> <SealedBadge run={run} testId={`run-sealed-${run.id}`} />
      </td>
    </tr>
  );
});
