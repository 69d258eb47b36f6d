// Live progress on a terminal: one line per task (state, elapsed time, and a bar once the task
// reports progress), redrawn by cli-progress; logs print above the bars.
import { MultiBar, type SingleBar } from 'cli-progress';
import type { RunReporter } from '../../pipeline/index.ts';
import { bar, formatDuration, progressText } from './format.ts';

interface Row {
  state: string;
  startedAt?: number;
  elapsedMs?: number;
  current?: number;
  total?: number;
  label?: string;
}

const ICONS: Record<string, string> = { pending: '·', running: '▸', succeeded: '✓', failed: '✗', skipped: '-' };

export function barReporter(stream: NodeJS.WritableStream, now: () => number = Date.now): RunReporter {
  const rows = new Map<string, Row>();
  const bars = new Map<string, SingleBar>();
  let width = 0;
  const render = (task: string): string => {
    const r = rows.get(task)!;
    const elapsed = r.elapsedMs ?? (r.startedAt !== undefined ? now() - r.startedAt : undefined);
    const progress = r.total !== undefined ? `${bar(r.current ?? 0, r.total, 24)} ${progressText(r.current ?? 0, r.total, r.label)}` : '';
    const time = elapsed !== undefined ? formatDuration(elapsed) : '';
    return `${ICONS[r.state] ?? ' '} ${task.padEnd(width)}  ${r.state.padEnd(9)} ${time.padStart(7)}  ${progress}`.trimEnd();
  };
  const multi = new MultiBar({
    stream,
    format: (_options, _params, payload: { task: string }) => render(payload.task),
    hideCursor: true,
    clearOnComplete: false,
    fps: 5,
  });
  const update = (task: string, change: Partial<Row>): void => {
    Object.assign(rows.get(task) ?? {}, change);
    bars.get(task)?.update(0, { task });
  };
  return {
    runStarted: (e) => {
      stream.write(`run ${e.runId} of ${e.pipeline}, results in ${e.runDir}\n`);
      width = Math.max(...e.tasks.map((t) => t.length));
      for (const task of e.tasks) {
        rows.set(task, { state: 'pending' });
        bars.set(task, multi.create(1, 0, { task }));
      }
    },
    taskStarted: (e) => update(e.task, { state: 'running', startedAt: now() }),
    taskProgress: (e) => update(e.task, { current: e.current, total: e.total, label: e.label }),
    taskLog: (e) => multi.log(`[${e.task}] ${e.text.replace(/\n$/, '')}\n`),
    taskFinished: (e) => {
      update(e.task, { state: e.state, elapsedMs: e.durationMs });
      if (e.error) multi.log(`[${e.task}] ${e.state}: ${e.error}\n`);
    },
    runFinished: (e) => {
      multi.update();
      multi.stop();
      stream.write(`run ${e.state} in ${formatDuration(e.durationMs)}\n`);
    },
  };
}
