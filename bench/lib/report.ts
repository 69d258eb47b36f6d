// Plain-text tables for benchmark output.

export function printTable(headers: readonly string[], rows: readonly (readonly string[])[], out: (s: string) => void = console.log): void {
  const widths = headers.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? '').length)));
  const fmt = (cells: readonly string[]) => cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  out(fmt(headers));
  out(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) out(fmt(r));
}

export const fmtSeconds = (s: number): string => (Number.isFinite(s) ? `${s.toFixed(3)} s` : '-');
export const fmtMiB = (bytes: number): string => (Number.isFinite(bytes) ? `${(bytes / 1048576).toFixed(0)} MiB` : '-');
export const fmtRatio = (r: number): string => (Number.isFinite(r) ? r.toFixed(2) : '-');
