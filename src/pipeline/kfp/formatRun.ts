// Lines that describe a KFP run and its tasks for a terminal: used while watching a run and by
// `sealed runs get` / `sealed runs list`.
import type { KfpRun, KfpTaskDetail } from './apiSchemas.ts';
import { ownTasks } from './pipelineTasks.ts';
import { printable } from '../../core/terminalText.ts';

/** A timestamp as `2026-05-01 12:00:03Z`; KFP writes the Unix epoch for "not yet". */
export function formatTime(timestamp: string | undefined): string | undefined {
  if (timestamp === undefined || timestamp === '' || timestamp.startsWith('1970-01-01')) return undefined;
  return printable(timestamp.replace('T', ' ').replace(/\.\d+/, ''));
}

export function taskName(task: KfpTaskDetail): string {
  return printable(task.display_name || task.task_id || '?');
}

/** `task train: RUNNING (started 12:00:03Z)` or `task train: FAILED (12:00:03Z → 12:01:10Z): OOMKilled`. */
export function taskLine(task: KfpTaskDetail): string {
  const start = formatTime(task.start_time);
  const end = formatTime(task.end_time);
  const when = start !== undefined && end !== undefined ? ` (${start} → ${end})` : start !== undefined ? ` (started ${start})` : '';
  const error = task.error?.message ? `: ${oneLine(task.error.message)}` : '';
  return `task ${taskName(task)}: ${printable(task.state ?? 'PENDING')}${when}${error}`;
}

export function progressLine(run: KfpRun, done: number, total: number): string {
  return `run ${printable(run.run_id)}: ${printable(run.state ?? 'PENDING')}, ${done}/${total} tasks done`;
}

/** Everything `sealed runs get` shows: the run, then one line per task of the pipeline. */
export function runDetailLines(run: KfpRun, taskNames?: readonly string[]): string[] {
  const order = (t: KfpTaskDetail): number => taskNames?.indexOf(t.display_name ?? '') ?? 0;
  const lines = [`run ${printable(run.run_id)}${run.display_name ? ` (${printable(run.display_name)})` : ''}: ${printable(run.state ?? 'PENDING')}`];
  const created = formatTime(run.created_at);
  const finished = formatTime(run.finished_at);
  if (created !== undefined) lines.push(`created: ${created}`);
  if (finished !== undefined) lines.push(`finished: ${finished}`);
  if (run.experiment_id) lines.push(`experiment: ${printable(run.experiment_id)}`);
  if (run.error?.message) lines.push(`error: ${oneLine(run.error.message)}`);
  // The server lists tasks by Argo node id; show them in the order they started.
  const tasks = ownTasks(run.run_details?.task_details ?? [], taskNames).sort((a, b) => (a.start_time ?? '').localeCompare(b.start_time ?? '') || order(a) - order(b));
  for (const task of tasks) lines.push(`  ${taskLine(task)}`);
  return lines;
}

/** One row of `sealed runs list`: id, state, created, name. */
export function runListLine(run: KfpRun): string {
  return [printable(run.run_id), printable(run.state ?? 'PENDING').padEnd(9), formatTime(run.created_at) ?? '-', printable(run.display_name ?? '')].join('  ');
}

function oneLine(text: string): string {
  return printable(text.replace(/\s+/g, ' ').trim());
}
