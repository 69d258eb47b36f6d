// Run progress events and the renderers that need no terminal.
export { silentReporter } from './runReporter.ts';
export type {
  RunReporter,
  RunState,
  TaskState,
  RunStartedEvent,
  TaskStartedEvent,
  TaskProgressEvent,
  TaskLogEvent,
  TaskFinishedEvent,
  RunFinishedEvent,
} from './runReporter.ts';
export { jsonLinesReporter, combineReporters, type LineSink } from './jsonLinesReporter.ts';
