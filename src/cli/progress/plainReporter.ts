// Line-per-event progress for logs and CI (stderr is not a terminal). Progress is printed at
// each 10% step so a 500-round training writes ten lines, not five hundred.
import type { RunReporter } from '../../pipeline/index.ts';
import { formatDuration, progressText } from './format.ts';

export interface TextSink {
  write(text: string): unknown;
}

export function plainReporter(sink: TextSink): RunReporter {
  const line = (text: string): void => void sink.write(text + '\n');
  const lastStep = new Map<string, number>();
  return {
    runStarted: (e) => line(`run ${e.runId} of ${e.pipeline}: ${e.tasks.length} tasks, results in ${e.runDir}`),
    taskStarted: (e) => line(`[${e.task}] started`),
    taskProgress: (e) => {
      const step = e.total > 0 ? Math.floor((10 * e.current) / e.total) : 0;
      if (step <= (lastStep.get(e.task) ?? 0)) return;
      lastStep.set(e.task, step);
      line(`[${e.task}] ${progressText(e.current, e.total, e.label)}`);
    },
    taskLog: (e) => {
      for (const l of e.text.replace(/\n$/, '').split('\n')) line(`[${e.task}] ${l}`);
    },
    taskFinished: (e) => {
      if (e.state === 'skipped') return line(`[${e.task}] skipped`);
      const took = e.durationMs === undefined ? '' : ` in ${formatDuration(e.durationMs)}`;
      line(`[${e.task}] ${e.state}${took}${e.error ? `: ${e.error}` : ''}`);
    },
    runFinished: (e) => line(`run ${e.state} in ${formatDuration(e.durationMs)}`),
  };
}
