// The selected task: its parameters, outputs (download, and a viewer for CSV and JSON) and log.
// A sealed run's outputs download decrypted (?plain=1) or as stored (the envelope, for
// `sealed unseal`); on a dashboard without keys (`locked`) only the stored envelope, no viewer.
import { useState } from 'react';
import type { ArtifactInfo, RunState, TaskInfo } from '../../../api/contract.ts';
import { artifactPath } from '../lib/api.ts';
import { elapsedMs, formatBytes, formatDuration, formatParam, formatTime } from '../lib/format.ts';
import { CsvPreview } from './CsvPreview.tsx';
import { JsonView } from './JsonView.tsx';
import { StateBadge } from './StateBadge.tsx';
import { TaskLog } from './TaskLog.tsx';

interface TaskPanelProps {
  runId: string;
  runState: RunState;
  /** A sealed run this dashboard has no keys for. */
  locked: boolean;
  task: TaskInfo;
  now: number;
  onClose: () => void;
}

export function TaskPanel({ runId, runState, locked, task, now, onClose }: TaskPanelProps) {
  const [viewing, setViewing] = useState<string>();
  const viewed = task.outputs.find((o) => o.name === viewing);
  const params = Object.entries(task.parameters);
  const live = task.state === 'running' || (task.state === 'pending' && runState === 'running');
  const duration = task.durationMs ?? (task.state === 'running' ? elapsedMs(task.startedAt, undefined, now) : undefined);

  return (
    <section className="card task-panel" data-testid="task-panel" aria-labelledby="task-panel-title">
      <div className="card__head">
        <div>
          <h2 id="task-panel-title" className="card__title">
            {task.name} <StateBadge state={task.state} testId="task-state" />
          </h2>
          <p className="muted small">
            component <code>{task.component}</code> · started {formatTime(task.startedAt)} · finished {formatTime(task.finishedAt)} · {formatDuration(duration)}
          </p>
        </div>
        <button type="button" className="button button--quiet button--small" onClick={onClose} aria-label="Close the task panel">
          Close
        </button>
      </div>
      {task.error && (
        <p className="notice notice--error" role="alert">
          {task.error}
        </p>
      )}

      <div className="task-panel__grid">
        <div>
          <h3>Parameters</h3>
          {params.length === 0 ? (
            <p className="muted small">No parameters.</p>
          ) : (
            <table className="table table--compact kv" data-testid="task-params">
              <tbody>
                {params.map(([k, v]) => (
                  <tr key={k}>
                    <th scope="row">{k}</th>
                    <td className="mono">{formatParam(v)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <h3>Outputs</h3>
          {task.outputs.length === 0 ? (
            <p className="muted small">{task.state === 'succeeded' ? 'No outputs.' : 'Outputs appear when the task has finished.'}</p>
          ) : (
            <ul className="outputs" data-testid="task-outputs">
              {task.outputs.map((o) => (
                <OutputItem key={o.name} runId={runId} task={task.name} output={o} locked={locked} active={o.name === viewing} onView={() => setViewing(o.name === viewing ? undefined : o.name)} />
              ))}
            </ul>
          )}
        </div>
        <TaskLog runId={runId} task={task.name} live={live} />
      </div>

      {viewed && (
        <div className="viewer" data-testid="artifact-viewer">
          <div className="section-head">
            <h3>
              {viewed.name} <span className="muted small">{viewed.type}</span>
            </h3>
            <button type="button" className="button button--quiet button--small" onClick={() => setViewing(undefined)}>
              Close viewer
            </button>
          </div>
          {(viewed.view === 'csv' || viewed.view === 'parquet') && <CsvPreview key={viewed.name} runId={runId} task={task.name} output={viewed.name} />}
          {viewed.view === 'json' && <JsonView key={viewed.name} runId={runId} task={task.name} output={viewed.name} />}
        </div>
      )}
    </section>
  );
}

function OutputItem({ runId, task, output, locked, active, onView }: { runId: string; task: string; output: ArtifactInfo; locked: boolean; active: boolean; onView: () => void }) {
  const viewable = (output.view === 'csv' || output.view === 'parquet' || output.view === 'json') && !(output.sealed && locked);
  const path = artifactPath(runId, task, output.name);
  const rows = typeof output.metadata?.rows === 'number' ? output.metadata.rows : undefined;
  return (
    <li className={active ? 'outputs__item is-active' : 'outputs__item'} data-testid={`output-${output.name}`}>
      <div className="outputs__main">
        {viewable ? (
          <button type="button" className="link-button outputs__name" onClick={onView} aria-expanded={active} title={active ? 'Hide the preview' : 'Show a preview'}>
            {output.name}
          </button>
        ) : (
          <span className="outputs__name">{output.name}</span>
        )}
        <span className="outputs__meta">
          {output.type} · {formatBytes(output.size)}
          {rows !== undefined && <> · {rows.toLocaleString('en-US')} rows</>}
          {output.view !== 'other' && <span className="tag">{output.view}</span>}
          {output.sealed && <span className="tag tag--sealed">sealed</span>}
        </span>
      </div>
      <div className="outputs__actions">
        {viewable && (
          <button type="button" className="button button--small" onClick={onView} aria-label={`${active ? 'Hide' : 'View'} ${output.name}`}>
            {active ? 'Hide' : 'View'}
          </button>
        )}
        {output.sealed && !locked && (
          <a className="button button--small" href={`${path}?plain=1`} download aria-label={`Download ${output.name} decrypted`} title="Decrypted with the dashboard's keys after its checks; the plaintext is not kept on the server">
            Download
          </a>
        )}
        {output.view === 'parquet' && !(output.sealed && locked) && (
          <a className="button button--small" href={`${path}?as=csv`} download aria-label={`Download ${output.name} as CSV`} title="The Parquet file converted to CSV (header line, missing values empty)">
            CSV
          </a>
        )}
        {output.sealed ? (
          <a className="button button--small button--quiet" href={path} download aria-label={`Download ${output.name} sealed`} title={`The sealed file as stored (sealed unseal FILE --keys DIR opens it); sha256 ${output.sha256}`}>
            Sealed file
          </a>
        ) : (
          <a className="button button--small" href={path} download aria-label={`Download ${output.name}`} title={output.view === 'html' ? 'HTML artifacts are downloaded, not shown here' : `sha256 ${output.sha256}`}>
            Download
          </a>
        )}
      </div>
    </li>
  );
}
