// One run: header, live task graph (polled every second while the run is running), the selected
// task's panel (?task=name in the URL) and the metrics once batch inference has produced them.
import { useCallback } from 'react';
import { api, ApiError, errorText } from '../lib/api.ts';
import { setQueryParam, useLocation } from '../lib/router.ts';
import { useNow } from '../lib/useNow.ts';
import { usePolling } from '../lib/usePolling.ts';
import { Link } from '../components/Link.tsx';
import { MetricsPanel } from '../components/MetricsPanel.tsx';
import { PipelineGraph } from '../components/PipelineGraph.tsx';
import { RunHeader } from '../components/RunHeader.tsx';
import { TaskPanel } from '../components/TaskPanel.tsx';
import { LoadError } from '../components/LoadError.tsx';

const LIVE_MS = 1000;
/** A run just started may not be listed for a moment: keep asking this many times on 404. */
const NOT_FOUND_RETRIES = 15;

export function RunDetailPage({ runId }: { runId: string }) {
  const run = usePolling(
    (signal) => api.run(runId, signal),
    runId,
    (data, error, attempt) => {
      if (data?.summary.state === 'running') return LIVE_MS;
      if (!data && error instanceof ApiError && error.status === 404 && attempt < NOT_FOUND_RETRIES) return LIVE_MS;
      return null;
    },
  );
  const detail = run.data;
  const running = detail?.summary.state === 'running';
  const now = useNow(running);
  const { search } = useLocation();
  const selected = new URLSearchParams(search).get('task') ?? undefined;
  const task = detail?.tasks.find((t) => t.name === selected);
  const onSelect = useCallback((name: string) => setQueryParam('task', name === selected ? undefined : name), [selected]);

  // Metrics exist once batch inference and the ROC curve are done: ask again each time another task succeeds.
  const succeeded = detail?.tasks.filter((t) => t.state === 'succeeded').length ?? -1;
  const metrics = usePolling((signal) => (succeeded < 0 ? Promise.resolve(undefined) : api.metrics(runId, signal)), `${runId}:${succeeded}`, () => null);
  const threshold = detail?.tasks.find((t) => typeof t.parameters.threshold === 'number')?.parameters.threshold;

  if (!detail) {
    const notFound = run.error instanceof ApiError && run.error.status === 404;
    return (
      <section className="page">
        <p className="breadcrumb">
          <Link to="/">Runs</Link> / <span className="mono">{runId}</span>
        </p>
        {run.error === undefined || (notFound && run.scheduled) ? (
          <p className="muted">{run.error === undefined ? 'Loading run…' : 'Waiting for the run to appear…'}</p>
        ) : (
          <LoadError message={notFound ? `Run ${runId} was not found.` : `Could not load the run: ${errorText(run.error)}`} onRetry={run.reload} />
        )}
      </section>
    );
  }

  return (
    <section className="page">
      <RunHeader run={detail} now={now} />
      {run.error !== undefined && <p className="notice notice--warn">Live update failed: {errorText(run.error)} (retrying)</p>}

      <section className="card" aria-labelledby="graph-title">
        <div className="card__head">
          <div>
            <h2 id="graph-title" className="card__title">
              Pipeline
            </h2>
            <p className="muted small card__subtitle">{task ? `Showing task ${task.name}; click it again to close.` : 'Select a task to see its parameters, outputs and log.'}</p>
          </div>
          <div className="legend" aria-hidden="true">
            {(['pending', 'running', 'succeeded', 'failed', 'skipped', 'interrupted'] as const).map((s) => (
              <span key={s} className={`legend__item legend__item--${s}`}>
                {s}
              </span>
            ))}
          </div>
        </div>
        <PipelineGraph tasks={detail.tasks} edges={detail.edges} selected={task?.name} onSelect={onSelect} now={now} />
      </section>

      {task && <TaskPanel key={task.name} runId={runId} runState={detail.summary.state} locked={detail.summary.locked === true} task={task} now={now} onClose={() => setQueryParam('task', undefined)} />}

      {metrics.data && <MetricsPanel runId={runId} metrics={metrics.data} defaultThreshold={typeof threshold === 'number' ? threshold : 0.5} />}
      {!metrics.data && !metrics.loading && metrics.error === undefined && (
        <p className="muted small">{running ? 'Metrics appear once batch inference and the ROC curve are done.' : 'This run has no metrics.'}</p>
      )}
      {metrics.error !== undefined && <p className="notice notice--error">Could not load the metrics: {errorText(metrics.error)}</p>}
    </section>
  );
}
