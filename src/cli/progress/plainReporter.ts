// Line-per-event progress for logs and CI (stderr is not a terminal). Progress is printed at
// each 10% step so a 500-round training writes ten lines, not five hundred. Everything taken
// from the run goes through `shown` (URLs redacted, control characters escaped).
import type { RunReporter } from '../../pipeline/index.ts';
import { formatDuration, progressText, shown } from './format.ts';

export interface TextSink {
  write(text: string): unknown;
}

export function plainReporter(sink: TextSink): RunReporter {
  const line = (text: string): void => void sink.write(text + '\n');
  const lastStep = new Map<string, number>();
  return {
    runStarted: (e) => line(`run ${shown(e.runId)} of ${shown(e.pipeline)}: ${e.tasks.length} tasks, results in ${shown(e.runDir)}`),
    taskStarted: (e) => line(`[${shown(e.task)}] started`),
    taskProgress: (e) => {
      const step = e.total > 0 ? Math.floor((10 * e.current) / e.total) : 0;
      if (step <= (lastStep.get(e.task) ?? 0)) return;
      lastStep.set(e.task, step);
      line(`[${shown(e.task)}] ${shown(progressText(e.current, e.total, e.label))}`);
    },
    taskLog: (e) => {
      for (const l of e.text.replace(/\n$/, '').split('\n')) line(`[${shown(e.task)}] ${shown(l)}`);
    },
    taskFinished: (e) => {
      if (e.state === 'skipped') return line(`[${shown(e.task)}] skipped`);
      const took = e.durationMs === undefined ? '' : ` in ${formatDuration(e.durationMs)}`;
      line(`[${shown(e.task)}] ${e.state}${took}${e.error ? `: ${shown(e.error)}` : ''}`);
    },
    runFinished: (e) => line(`run ${e.state} in ${formatDuration(e.durationMs)}`),
  };
}
