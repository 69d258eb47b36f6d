// A JSON artifact as a collapsible tree (children are only rendered once opened, so a 5 MB
// model stays responsive), or as pretty-printed text.
import { useMemo, useState } from 'react';
import { api, errorText } from '../lib/api.ts';
import { usePolling } from '../lib/usePolling.ts';

const MAX_CHILDREN = 200;
const MAX_RAW_CHARS = 300_000;

export function JsonView({ runId, task, output }: { runId: string; task: string; output: string }) {
  const doc = usePolling((signal) => api.artifactJson(runId, task, output, signal), `${runId}/${task}/${output}`, () => null);
  const [raw, setRaw] = useState(false);
  const text = useMemo(() => (raw && doc.data !== undefined ? JSON.stringify(doc.data, null, 2) : ''), [raw, doc.data]);

  if (doc.error !== undefined) return <p className="notice notice--error">Could not load the JSON: {errorText(doc.error)}</p>;
  if (doc.loading && doc.data === undefined) return <p className="muted">Loading…</p>;
  return (
    <div className="json-view" data-testid="json-view">
      <div className="segmented" role="group" aria-label="JSON view">
        <button type="button" className={raw ? 'segmented__item' : 'segmented__item is-active'} aria-pressed={!raw} onClick={() => setRaw(false)}>
          Tree
        </button>
        <button type="button" className={raw ? 'segmented__item is-active' : 'segmented__item'} aria-pressed={raw} onClick={() => setRaw(true)}>
          Text
        </button>
      </div>
      {raw ? (
        <>
          {text.length > MAX_RAW_CHARS && <p className="muted small">Showing the first {MAX_RAW_CHARS.toLocaleString('en-US')} characters; download the file for all of it.</p>}
          <pre className="code-block">{text.length > MAX_RAW_CHARS ? text.slice(0, MAX_RAW_CHARS) + '\n…' : text}</pre>
        </>
      ) : (
        <div className="json-tree">
          <JsonNode name={undefined} value={doc.data} depth={0} />
        </div>
      )}
    </div>
  );
}

function preview(value: unknown): string {
  if (Array.isArray(value)) return `[${value.length} item${value.length === 1 ? '' : 's'}]`;
  const n = Object.keys(value as object).length;
  return `{${n} key${n === 1 ? '' : 's'}}`;
}

function JsonNode({ name, value, depth }: { name: string | undefined; value: unknown; depth: number }) {
  const [open, setOpen] = useState(depth < 1);
  const label = name !== undefined ? <span className="json-key">{name}: </span> : null;
  if (value === null || typeof value !== 'object') {
    const cls = value === null ? 'json-null' : `json-${typeof value}`;
    return (
      <div className="json-leaf">
        {label}
        <span className={cls}>{JSON.stringify(value)}</span>
      </div>
    );
  }
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  return (
    <details className="json-branch" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {label}
        <span className="json-preview">{preview(value)}</span>
      </summary>
      {open && (
        <div className="json-children">
          {entries.slice(0, MAX_CHILDREN).map(([k, v]) => (
            <JsonNode key={k} name={k} value={v} depth={depth + 1} />
          ))}
          {entries.length > MAX_CHILDREN && <div className="muted small">… {entries.length - MAX_CHILDREN} more (download the file for all)</div>}
        </div>
      )}
    </details>
  );
}
