// Sorting and filtering of the runs list (pure, so 200 runs re-sort in well under a frame).
import type { RunState, RunSummary } from '../../../api/contract.ts';

export type RunSortKey = 'state' | 'createdAt' | 'durationMs' | 'dataSize' | 'auc' | 'accuracy' | 'id';
export type SortDirection = 'asc' | 'desc';

const STATE_ORDER: Record<RunState, number> = { running: 0, interrupted: 1, failed: 2, succeeded: 3 };

function value(run: RunSummary, key: RunSortKey): string | number | undefined {
  switch (key) {
    case 'state':
      return STATE_ORDER[run.state] ?? 9;
    case 'createdAt': {
      const t = Date.parse(run.createdAt);
      return Number.isNaN(t) ? undefined : t;
    }
    case 'id':
      return run.id;
    default:
      return run[key];
  }
}

/** Sorted copy; runs without a value go last in either direction; ties keep the server's order. */
export function sortRuns(runs: RunSummary[], key: RunSortKey, direction: SortDirection): RunSummary[] {
  const sign = direction === 'asc' ? 1 : -1;
  return runs
    .map((run, index) => ({ run, index, v: value(run, key) }))
    .sort((a, b) => {
      if (a.v === undefined || b.v === undefined) return a.v === b.v ? a.index - b.index : a.v === undefined ? 1 : -1;
      const c = typeof a.v === 'string' || typeof b.v === 'string' ? String(a.v).localeCompare(String(b.v)) : a.v - b.v;
      return c !== 0 ? sign * c : a.index - b.index;
    })
    .map((x) => x.run);
}

/** Text a run matches against: its id and `name=value` for each parameter. */
export function runSearchText(run: RunSummary): string {
  const params = Object.entries(run.parameters).map(([k, v]) => `${k}=${String(v)}`);
  return [run.id, ...params].join(' ').toLowerCase();
}

export function filterRuns(runs: RunSummary[], state: RunState | 'all', text: string): RunSummary[] {
  const terms = text.toLowerCase().split(/\s+/).filter((t) => t !== '');
  return runs.filter((run) => {
    if (state !== 'all' && run.state !== state) return false;
    if (terms.length === 0) return true;
    const haystack = runSearchText(run);
    return terms.every((t) => haystack.includes(t));
  });
}
