// Small text helpers shared by the terminal reporters.
import { printable, redactText } from '../../core/index.ts';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
}

export function progressText(current: number, total: number, label?: string): string {
  const pct = total > 0 ? Math.floor((100 * current) / total) : 0;
  return `${pct}% (${current}/${total}${label ? ` ${label}s` : ''})`;
}

export function bar(current: number, total: number, width: number): string {
  const filled = total > 0 ? Math.max(0, Math.min(width, Math.round((width * current) / total))) : 0;
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/**
 * Text from a run (task names, log lines, error messages, paths) as it may be printed: URLs
 * redacted (their credentials, query values and fragment hidden) and control characters
 * escaped, newlines included, so one value is one line and cannot move the cursor.
 */
export function shown(text: string): string {
  return printable(redactText(text));
}
