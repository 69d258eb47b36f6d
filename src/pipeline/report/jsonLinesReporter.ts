// One JSON object per event and line, e.g. {"event":"taskFinished","task":"split",...}; for
// machines (CI logs, a dashboard tailing the stream). Every string in an event has its URLs
// redacted, and the line is JSON whose control and bidi characters are all \u escapes.
import { printableJson, redactText } from '../../core/index.ts';
import type { RunReporter } from './runReporter.ts';

export interface LineSink {
  write(text: string): unknown;
}

const redacted = (v: unknown): unknown => (typeof v === 'string' ? redactText(v) : Array.isArray(v) ? v.map(redacted) : v);
const redactedEvent = (body: object): object => Object.fromEntries(Object.entries(body).map(([k, v]) => [k, redacted(v)]));

export function jsonLinesReporter(sink: LineSink, now: () => Date = () => new Date()): RunReporter {
  const emit = (event: string, body: object): void => {
    sink.write(printableJson({ event, time: now().toISOString(), ...redactedEvent(body) }) + '\n');
  };
  return {
    runStarted: (e) => emit('runStarted', e),
    taskStarted: (e) => emit('taskStarted', e),
    taskProgress: (e) => emit('taskProgress', e),
    taskLog: (e) => emit('taskLog', e),
    taskFinished: (e) => emit('taskFinished', e),
    runFinished: (e) => emit('runFinished', e),
  };
}

/** Forwards every event to each reporter in turn. */
export function combineReporters(...reporters: RunReporter[]): RunReporter {
  const each =
    <K extends keyof RunReporter>(k: K) =>
    (e: Parameters<RunReporter[K]>[0]): void => {
      for (const r of reporters) (r[k] as (ev: typeof e) => void)(e);
    };
  return {
    runStarted: each('runStarted'),
    taskStarted: each('taskStarted'),
    taskProgress: each('taskProgress'),
    taskLog: each('taskLog'),
    taskFinished: each('taskFinished'),
    runFinished: each('runFinished'),
  };
}
