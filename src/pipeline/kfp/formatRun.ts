// Lines that describe a KFP run and its tasks for a terminal: used while watching a run and by
// `sealed runs get` / `sealed runs list`.
import type { KfpRun, KfpTaskDetail } from './apiSchemas.ts';

/** A timestamp as `2026-05-01 12:00:03Z`; KFP writes the Unix epoch for "not yet". */
export function formatTime(timestamp: string | undefined): string | undefined {
  if (timestamp === undefined || timestamp === '' || timestamp.startsWith('1970-01-01')) return undefined;
  return timestamp.replace('T', ' ').replace(/\.\d+/, '');
}

export function taskName(task: KfpTaskDetail): string {
  return task.display_name || task.task_id || '?';
}

/** `task train: RUNNING (started 12:00:03Z)` or `task train: FAILED (12:00:03Z → 12:01:10Z): OOMKilled`. */
export function taskLine(task: KfpTaskDetail): string {
  const start = formatTime(task.start_time);
  const end = formatTime(task.end_time);
  const when = start !== undefined && end !== undefined ? ` (${start} → ${end})` : start !== undefined ? ` (started ${start})` : '';
  const error = task.error?.message ? `: ${oneLine(task.error.message)}` : '';
  return `task ${taskName(task)}: ${task.state ?? 'PENDING'}${when}${error}`;
}

export function progressLine(run: KfpRun, done: number, total: number): string {
  return `run ${run.run_id}: ${run.state ?? 'PENDING'}, ${done}/${total} tasks done`;
}

/** Everything `sealed runs get` shows: the run, then one line per task. */
export function runDetailLines(run: KfpRun): string[] {
  const lines = [`run ${run.run_id}${run.display_name ? ` (${run.display_name})` : ''}: ${run.state ?? 'PENDING'}`];
  const created = formatTime(run.created_at);
  const finished = formatTime(run.finished_at);
  if (created !== undefined) lines.push(`created: ${created}`);
  if (finished !== undefined) lines.push(`finished: ${finished}`);
  if (run.experiment_id) lines.push(`experiment: ${run.experiment_id}`);
  if (run.error?.message) lines.push(`error: ${oneLine(run.error.message)}`);
  for (const task of run.run_details?.task_details ?? []) lines.push(`  ${taskLine(task)}`);
  return lines;
}

/** One row of `sealed runs list`: id, state, created, name. */
export function runListLine(run: KfpRun): string {
  return [run.run_id, (run.state ?? 'PENDING').padEnd(9), formatTime(run.created_at) ?? '-', run.display_name ?? ''].join('  ');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
