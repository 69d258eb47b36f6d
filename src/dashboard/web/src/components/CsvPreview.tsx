// A CSV artifact page by page: the API pages by byte cursor, so the app keeps the cursors of
// the pages before (for Previous) and counts rows itself for "rows X–Y of N".
import { useEffect, useMemo, useState } from 'react';
import type { CsvPage } from '../../../api/contract.ts';
import { api, errorText, isAbort } from '../lib/api.ts';
import { formatInt } from '../lib/format.ts';

const PAGE_SIZES = [25, 50, 100, 250];

interface PagePosition {
  cursor: number;
  /** Zero-based index of the page's first row in the file. */
  firstRow: number;
}

export function CsvPreview({ runId, task, output }: { runId: string; task: string; output: string }) {
  const [limit, setLimit] = useState(50);
  const [stack, setStack] = useState<PagePosition[]>([{ cursor: 0, firstRow: 0 }]);
  const [page, setPage] = useState<{ at: PagePosition; data: CsvPage }>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const at = stack[stack.length - 1];

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    api.csvPage(runId, task, output, at.cursor, limit, controller.signal).then(
      (data) => {
        setPage({ at, data });
        setLoading(false);
      },
      (e: unknown) => {
        if (isAbort(e)) return;
        setError(errorText(e));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [runId, task, output, at, limit]);

  const data = page?.data;
  const numeric = useMemo(() => {
    if (!data) return [];
    return data.columns.map((_, c) => data.rows.length > 0 && data.rows.every((r) => r[c] === undefined || r[c] === '' || Number.isFinite(Number(r[c]))));
  }, [data]);

  const next = () => {
    if (!page || page.data.nextCursor === undefined) return;
    setStack((s) => [...s, { cursor: page.data.nextCursor!, firstRow: page.at.firstRow + page.data.rows.length }]);
  };
  const prev = () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s));
  const changeLimit = (n: number) => {
    setLimit(n);
    setStack([{ cursor: 0, firstRow: 0 }]);
  };

  const first = page ? page.at.firstRow + 1 : 0;
  const last = page ? page.at.firstRow + page.data.rows.length : 0;
  const range = !page ? '…' : page.data.rows.length === 0 ? `no rows (of ${formatInt(page.data.totalRows)})` : `rows ${formatInt(first)}–${formatInt(last)} of ${formatInt(page.data.totalRows)}`;

  return (
    <div className="csv-preview" data-testid="csv-preview">
      <div className="pager">
        <button type="button" className="button button--small" data-testid="csv-prev" onClick={prev} disabled={stack.length <= 1 || loading}>
          ← Previous
        </button>
        <span className="pager__range" data-testid="csv-range" aria-live="polite">
          {range}
        </span>
        <button type="button" className="button button--small" data-testid="csv-next" onClick={next} disabled={!page || page.data.nextCursor === undefined || loading}>
          Next →
        </button>
        <label className="field field--inline pager__size">
          <span className="field__label">Rows per page</span>
          <select value={limit} onChange={(e) => changeLimit(Number(e.target.value))}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <p className="notice notice--error">Could not load the preview: {error}</p>}
      {data && (
        <div className={loading ? 'table-wrap table-wrap--scroll is-loading' : 'table-wrap table-wrap--scroll'}>
          <table className="table table--compact table--data">
            <thead>
              <tr>
                <th className="num row-no" scope="col">
                  #
                </th>
                {data.columns.map((c, i) => (
                  <th key={i} scope="col" className={numeric[i] ? 'num' : undefined}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row, r) => (
                <tr key={r}>
                  <td className="num row-no">{page.at.firstRow + r + 1}</td>
                  {data.columns.map((_, c) => (
                    <td key={c} className={numeric[c] ? 'num' : undefined}>
                      {row[c] ?? ''}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
