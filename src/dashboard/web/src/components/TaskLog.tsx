import { useLayoutEffect, useRef } from 'react';
import { api, errorText } from '../lib/api.ts';
import { usePolling } from '../lib/usePolling.ts';

/** Show at most this much of a log (its end); the full file is one click away. */
const MAX_CHARS = 200_000;

interface TaskLogProps {
  runId: string;
  task: string;
  /** Poll while true (the task is running, or pending in a running run). */
  live: boolean;
}

export function TaskLog({ runId, task, live }: TaskLogProps) {
  const log = usePolling((signal) => api.taskLog(runId, task, signal), `${runId}/${task}`, () => (live ? 1000 : null));
  const pre = useRef<HTMLPreElement>(null);
  const stick = useRef(true);
  const text = log.data ?? '';
  const shown = text.length > MAX_CHARS ? text.slice(-MAX_CHARS) : text;

  // Follow the end of a growing log unless the user scrolled up to read.
  useLayoutEffect(() => {
    const el = pre.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [shown]);

  // A restarted poll (live turned on again) must refetch: usePolling keys on run and task only.
  const { reload } = log;
  const wasLive = useRef(live);
  useLayoutEffect(() => {
    if (live && !wasLive.current) reload();
    wasLive.current = live;
  }, [live, reload]);

  return (
    <div className="task-log">
      <div className="section-head">
        <h3>Log</h3>
        {live && <span className="live">live</span>}
      </div>
      {log.error !== undefined && <p className="notice notice--error">Could not load the log: {errorText(log.error)}</p>}
      {text.length > MAX_CHARS && <p className="muted small">Showing the last {MAX_CHARS.toLocaleString('en-US')} characters.</p>}
      <pre
        ref={pre}
        className="log"
        data-testid="task-log"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {shown !== '' ? shown : log.loading ? 'Loading…' : live ? 'Waiting for output…' : 'No log.'}
      </pre>
    </div>
  );
}
