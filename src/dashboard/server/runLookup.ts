// Task and output names from a request, checked against the run's own run.json: only names it
// lists lead to a file, and only through the path it records.
import { extname } from 'node:path';
import type { ArtifactInfo } from '../api/contract.ts';
import { ApiError } from './apiError.ts';
import { own } from './metricsLayout.ts';
import type { IndexedRun } from './runIndex.ts';
import type { StoredOutput, StoredTask } from './storedRun.ts';

export function taskOf(run: IndexedRun, task: string): StoredTask {
  const record = own(run.manifest.tasks, task);
  if (!record) throw new ApiError(404, 'dashboard.unknownTask', { run: run.id, task });
  return record;
}

export function outputOf(run: IndexedRun, task: string, output: string): StoredOutput {
  const record = own(taskOf(run, task).outputs, output);
  if (!record) throw new ApiError(404, 'dashboard.unknownOutput', { run: run.id, task, output });
  return record;
}

/** The task's log file: the one run.json records, or, while it runs (or since it was interrupted), where the runner writes it. */
export function logFileOf(task: string, record: StoredTask): string | undefined {
  if (record.log !== undefined) return record.log;
  // An interrupted task's log is where it was when its process went away.
  return record.state === 'running' || record.state === 'interrupted' ? `${task}/log.txt` : undefined;
}

const VIEWS: Readonly<Record<string, ArtifactInfo['view']>> = { '.csv': 'csv', '.parquet': 'parquet', '.json': 'json', '.html': 'html', '.htm': 'html' };

/** What the app can show of a file, by its extension. */
export function viewOf(path: string): ArtifactInfo['view'] {
  return own(VIEWS, extname(path).toLowerCase()) ?? 'other';
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.csv': 'text/csv; charset=utf-8',
  '.parquet': 'application/vnd.apache.parquet',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(path: string): string {
  return own(CONTENT_TYPES, extname(path).toLowerCase()) ?? 'application/octet-stream';
}
