// Live progress on a terminal: a block of one line per task (state, elapsed time, and a bar
// once the task reports progress) kept at the bottom, with task logs scrolling above it.
//
// Drawn by hand with ANSI cursor moves rather than a timer-driven progress library: training
// runs synchronously on the main thread, so a timer would never fire while the bar should
// move. Each update redraws at once (throttled), which works however busy the event loop is.
// Everything taken from the run goes through `shown` (URLs redacted, control characters
// escaped) before it is drawn: an escape sequence in a log line would break the block.
import type { RunReporter } from '../../pipeline/index.ts';
import { bar, formatDuration, progressText, shown } from './format.ts';

interface Row {
  state: string;
  startedAt?: number;
  elapsedMs?: number;
  current?: number;
  total?: number;
  label?: string;
}

const ICONS: Record<string, string> = { pending: '·', running: '▸', succeeded: '✓', failed: '✗', skipped: '-' };
const CSI = '\u001b[';
const REDRAW_EVERY_MS = 100;

/**
 * Cuts a line to the terminal's width: a line that wraps would throw off the cursor moves the
 * redraw relies on. log.txt keeps the full text.
 */
export function fitToWidth(line: string, columns: number): string {
  return line.length < columns ? line : `${line.slice(0, Math.max(1, columns - 2))}…`;
}

export function barReporter(stream: NodeJS.WritableStream & { columns?: number }, now: () => number = Date.now): RunReporter {
  const columns = (): number => stream.columns ?? 80;
  const rows = new Map<string, Row>();
  let width = 0;
  let drawnLines = 0;
  let lastDraw = -Infinity;

  const render = (task: string, r: Row): string => {
    const elapsed = r.elapsedMs ?? (r.startedAt !== undefined ? now() - r.startedAt : undefined);
    const progress = r.total !== undefined ? `${bar(r.current ?? 0, r.total, 24)} ${progressText(r.current ?? 0, r.total, r.label)}` : '';
    const time = elapsed !== undefined ? formatDuration(elapsed) : '';
    return fitToWidth(`${ICONS[r.state] ?? ' '} ${shown(task).padEnd(width)}  ${r.state.padEnd(9)} ${time.padStart(7)}  ${shown(progress)}`.trimEnd(), columns());
  };
  // Moves back to the top of the block and clears it and everything below.
  const erase = (): string => (drawnLines > 0 ? `${CSI}${drawnLines}A\r${CSI}0J` : '');
  const block = (): string => [...rows].map(([task, r]) => render(task, r) + '\n').join('');
  const draw = (above = ''): void => {
    stream.write(erase() + above + block());
    drawnLines = rows.size;
    lastDraw = now();
  };
  const update = (task: string, change: Partial<Row>, force: boolean): void => {
    const r = rows.get(task);
    if (r) Object.assign(r, change);
    if (force || now() - lastDraw >= REDRAW_EVERY_MS) draw();
  };
  const log = (text: string): void => draw(fitToWidth(text, columns()) + '\n');

  return {
    runStarted: (e) => {
      stream.write(`${CSI}?25l`); // hide the cursor while the block is live...
      process.once('exit', () => stream.write(`${CSI}?25h`)); // ...and show it again whatever happens
      stream.write(fitToWidth(`run ${shown(e.runId)} of ${shown(e.pipeline)}, results in ${shown(e.runDir)}`, columns()) + '\n');
      width = Math.max(...e.tasks.map((t) => shown(t).length));
      for (const task of e.tasks) rows.set(task, { state: 'pending' });
      draw();
    },
    taskStarted: (e) => update(e.task, { state: 'running', startedAt: now() }, true),
    taskProgress: (e) => update(e.task, { current: e.current, total: e.total, label: e.label }, e.current === e.total),
    taskLog: (e) => {
      for (const line of e.text.replace(/\n$/, '').split('\n')) log(`[${shown(e.task)}] ${shown(line)}`);
    },
    taskFinished: (e) => {
      update(e.task, { state: e.state, elapsedMs: e.durationMs }, true);
      if (e.error) log(`[${shown(e.task)}] ${e.state}: ${shown(e.error)}`);
    },
    runFinished: (e) => {
      draw();
      stream.write(`${CSI}?25h`);
      stream.write(`run ${e.state} in ${formatDuration(e.durationMs)}\n`);
    },
  };
}
