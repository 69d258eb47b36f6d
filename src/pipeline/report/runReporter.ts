// Events a run emits while it executes. The runner only calls these; rendering (terminal bars,
// plain lines, JSON, a dashboard) is the reporter's business.
import type { ProgressUpdate } from '../dsl/index.ts';

export type RunState = 'running' | 'succeeded' | 'failed';
export type TaskState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

export interface RunStartedEvent {
  runId: string;
  pipeline: string;
  runDir: string;
  /** Task names in dependency order. */
  tasks: string[];
}
export interface TaskStartedEvent {
  task: string;
  component: string;
}
export interface TaskProgressEvent extends ProgressUpdate {
  task: string;
}
export interface TaskLogEvent {
  task: string;
  text: string;
}
export interface TaskFinishedEvent {
  task: string;
  state: Extract<TaskState, 'succeeded' | 'failed' | 'skipped'>;
  durationMs?: number;
  error?: string;
}
export interface RunFinishedEvent {
  runId: string;
  runDir: string;
  state: Exclude<RunState, 'running'>;
  durationMs: number;
  error?: string;
}

export interface RunReporter {
  runStarted(e: RunStartedEvent): void;
  taskStarted(e: TaskStartedEvent): void;
  taskProgress(e: TaskProgressEvent): void;
  taskLog(e: TaskLogEvent): void;
  taskFinished(e: TaskFinishedEvent): void;
  runFinished(e: RunFinishedEvent): void;
}

export const silentReporter: RunReporter = Object.freeze({
  runStarted() {},
  taskStarted() {},
  taskProgress() {},
  taskLog() {},
  taskFinished() {},
  runFinished() {},
});
