// Display formats shared by the pages. Pure functions (unit-tested under test/dashboard/).

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local time as `YYYY-MM-DD HH:MM:SS`; '—' when absent or invalid. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** 850 ms, 1.8 s, 42 s, 3 min 05 s, 2 h 04 min. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const total = Math.round(s);
  if (total < 3600) return `${Math.floor(total / 60)} min ${pad(total % 60)} s`;
  return `${Math.floor(total / 3600)} h ${pad(Math.floor((total % 3600) / 60))} min`;
}

/** Milliseconds between two ISO times, or from `start` to now while `end` is absent. */
export function elapsedMs(start: string | undefined, end: string | undefined, now = Date.now()): number | undefined {
  if (!start) return undefined;
  const a = Date.parse(start);
  const b = end ? Date.parse(end) : now;
  return Number.isNaN(a) || Number.isNaN(b) ? undefined : Math.max(0, b - a);
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatInt(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en-US');
}

/** The run parameter data_size: 0 means the data as is. */
export function formatDataSize(n: number | undefined): string {
  if (n === undefined) return '—';
  return n === 0 ? 'as is' : formatInt(n);
}

export function formatNumber(n: number | undefined, digits = 4): string {
  return n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(digits);
}

/** Accuracy is already a percentage. */
export function formatPercent(n: number | undefined, digits = 2): string {
  return n === undefined || !Number.isFinite(n) ? '—' : `${n.toFixed(digits)} %`;
}

/** A signed difference, e.g. +0.0123 / −1.50; '' when either side is missing. */
export function formatDelta(delta: number | undefined, digits: number, suffix = ''): string {
  if (delta === undefined || !Number.isFinite(delta)) return '';
  const fixed = Math.abs(delta).toFixed(digits);
  if (Number(fixed) === 0) return `±${fixed}${suffix}`;
  return `${delta > 0 ? '+' : '−'}${fixed}${suffix}`;
}

export function formatParam(v: string | number | boolean | undefined): string {
  if (v === undefined) return '—';
  if (v === '') return '""';
  return String(v);
}
