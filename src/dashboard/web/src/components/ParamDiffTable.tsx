import { useState } from 'react';
import { formatParam } from '../lib/format.ts';
import type { ComparedRun } from './CompareMetricsTable.tsx';

/** Parameters (rows) by run (columns); rows whose values differ are highlighted. */
export function ParamDiffTable({ runs }: { runs: ComparedRun[] }) {
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.detail?.summary.parameters ?? {})))].sort();
  const rows = names.map((name) => {
    const values = runs.map((r) => r.detail?.summary.parameters[name]);
    const differs = new Set(values.map((v) => (v === undefined ? '\u0000missing' : `${typeof v}:${String(v)}`))).size > 1;
    return { name, values, differs };
  });
  const differing = rows.filter((r) => r.differs).length;
  const shown = onlyDiffering ? rows.filter((r) => r.differs) : rows;
  return (
    <>
      <div className="toolbar toolbar--tight">
        <span className="muted small">
          {differing === 0 ? 'All parameters are the same.' : `${differing} of ${rows.length} parameter${rows.length === 1 ? '' : 's'} differ.`}
        </span>
        <label className="checkbox">
          <input type="checkbox" checked={onlyDiffering} onChange={(e) => setOnlyDiffering(e.target.checked)} /> only differing
        </label>
      </div>
      <div className="table-wrap">
        <table className="table table--compact param-diff" data-testid="param-diff">
          <thead>
            <tr>
              <th scope="col">Parameter</th>
              {runs.map((r) => (
                <th key={r.id} scope="col" className="mono">
                  <span className="swatch" style={{ backgroundColor: r.color }} />
                  {r.id}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.name} className={row.differs ? 'is-different' : undefined} data-differs={row.differs ? 'true' : 'false'}>
                <th scope="row" className="mono">
                  {row.name}
                </th>
                {row.values.map((v, i) => (
                  <td key={runs[i].id} className="mono">
                    {formatParam(v)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
