import type { RunDetail } from '../../../api/contract.ts';
import { elapsedMs, formatDataSize, formatDuration, formatNumber, formatParam, formatPercent, formatTime } from '../lib/format.ts';
import { navigate, paths } from '../lib/router.ts';
import { Link } from './Link.tsx';
import { SealedBadge } from './SealedBadge.tsx';
import { StateBadge } from './StateBadge.tsx';

export function RunHeader({ run, now }: { run: RunDetail; now: number }) {
  const s = run.summary;
  const duration = s.durationMs ?? (s.state === 'running' ? elapsedMs(s.createdAt, undefined, now) : elapsedMs(s.createdAt, s.finishedAt));
  const done = run.tasks.filter((t) => t.state === 'succeeded').length;
  const params = Object.entries(s.parameters);
  return (
    <section className="run-header">
      <div className="page-head">
        <div>
          <p className="breadcrumb">
            <Link to="/">Runs</Link> / {s.pipeline} run
          </p>
          <h1 className="page-title mono" data-testid="run-id">
            {s.id}
          </h1>
        </div>
        <div className="page-head__actions">
          <button type="button" className="button" onClick={() => navigate(`${paths.newRun()}?from=${encodeURIComponent(s.id)}`)} title="Start a new run with these parameters">
            Run again…
          </button>
        </div>
      </div>
      <dl className="facts">
        <div>
          <dt>State</dt>
          <dd>
            <StateBadge state={s.state} testId="run-state" /> <SealedBadge run={s} testId="run-sealed" />
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatTime(s.createdAt)}</dd>
        </div>
        <div>
          <dt>Finished</dt>
          <dd>{formatTime(s.finishedAt)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd data-testid="run-duration">{formatDuration(duration)}</dd>
        </div>
        <div>
          <dt>Tasks</dt>
          <dd>
            {done} / {run.tasks.length} done
          </dd>
        </div>
        <div>
          <dt>Data size</dt>
          <dd>{formatDataSize(s.dataSize)}</dd>
        </div>
        <div>
          <dt>AUC</dt>
          <dd>{formatNumber(s.auc)}</dd>
        </div>
        <div>
          <dt>Accuracy</dt>
          <dd>{formatPercent(s.accuracy)}</dd>
        </div>
      </dl>
      {params.length > 0 && (
        <div className="params" data-testid="run-params">
          <span className="params__label">Parameters</span>
          <ul className="chips">
            {params.map(([k, v]) => (
              <li key={k} className="chip">
                <span className="chip__key">{k}</span>
                <span className="chip__value">{formatParam(v)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {s.locked && (
        <p className="notice notice--warn" data-testid="run-locked">
          This run is sealed: its artifacts are encrypted. Start the dashboard with <code>--keys DIR</code> (the key folder it was sealed with) to open them. AUC and
          accuracy come from run.json, which stays plain.
        </p>
      )}
      {run.error && (
        <p className="notice notice--error" role="alert" data-testid="run-error">
          {run.error}
        </p>
      )}
    </section>
  );
}
