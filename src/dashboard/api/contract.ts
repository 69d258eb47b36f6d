// The dashboard's JSON API: the one contract between the server (src/dashboard/server) and the
// browser app (src/dashboard/web), and what scripts use too. Every route is under /api and,
// except POST /api/login, needs a session cookie; every state-changing request (POST) also
// needs the session's CSRF token in the `x-csrf-token` header.
//
//   POST /api/login                       {username, password} -> 200 Session (sets the session cookie)
//   POST /api/logout                      -> 204 (session invalidated server-side, cookie cleared)
//   GET  /api/session                     -> 200 Session | 401
//   GET  /api/runs                        -> 200 {runs: RunSummary[]}   (newest first; the app sorts/filters)
//   POST /api/runs                        StartRunRequest -> 202 {id}  (the run starts in the background)
//   GET  /api/runs/:id                    -> 200 RunDetail
//   GET  /api/runs/:id/tasks/:task/log    -> 200 text/plain (the task's log.txt; '' when none yet)
//   GET  /api/runs/:id/artifacts/:task/:output            -> the file as stored, as a download
//                                                            (a sealed run's: the sealed envelope, named <file>.sealed)
//   GET  /api/runs/:id/artifacts/:task/:output?plain=1    -> a sealed run's artifact decrypted (dashboard started with --keys),
//                                                            sent only after the whole artifact passed its checks
//   GET  /api/runs/:id/artifacts/:task/:output/preview?cursor=N&limit=M -> 200 CsvPage (CSV and Parquet outputs)
//   GET  /api/runs/:id/artifacts/:task/:output/json       -> 200 any (JSON outputs only, up to 16 MiB)
//   GET  /api/runs/:id/metrics            -> 200 RunMetrics (404 until batch-inference/plot-roc-curve have run)
//   GET  /api/pipeline                    -> 200 PipelineInfo (the parameters a new run takes)
//
// Errors: {error: string} with 400 (bad input, naming the field), 401 (no/expired session),
// 403 (missing/wrong CSRF token), 404 (unknown run, task, output), 409 (run id exists),
// 413 (body too large), 429 (too many login attempts). A sealed run (RunSummary.sealed) on a
// dashboard without keys (`locked`) answers its artifact views with 409 and a message saying to
// start the dashboard with --keys; an artifact that fails its checks (tampered, swapped, wrong
// keys) is a 422 naming it.

/** As in run.json (src/pipeline/report/runReporter.ts). */
/** `interrupted`: run.json says running but the process that ran it is gone (killed, crashed); `sealed run --resume DIR` continues it. */
export type RunState = 'running' | 'succeeded' | 'failed' | 'interrupted';
/** `interrupted`: the task was running when its run's process went away. */
export type TaskState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'interrupted';

export interface Session {
  user: string;
  csrfToken: string;
  /** ISO time at which the session ends if unused (idle timeout) — renewed by each request. */
  idleExpiresAt: string;
  /** ISO time at which the session ends regardless (absolute timeout). */
  expiresAt: string;
}

export interface RunSummary {
  id: string;
  pipeline: string;
  state: RunState;
  createdAt: string;
  finishedAt?: string;
  durationMs?: number;
  /** The run parameter data_size (rows after augmentation; 0 = the data as is). */
  dataSize?: number;
  auc?: number;
  /** Percent. */
  accuracy?: number;
  parameters: Record<string, string | number | boolean>;
  /** Every artifact of the run is sealed (encrypted and bound to the run); run.json's metadata stays plain. */
  sealed: boolean;
  /** Set on a sealed run this dashboard has no keys for: its artifacts cannot be opened here (`sealed ui --keys DIR`). */
  locked?: true;
}

export interface ArtifactInfo {
  /** Output key, e.g. prediction_data. */
  name: string;
  /** KFP type, e.g. system.Dataset. */
  type: string;
  size: number;
  sha256: string;
  /** 'csv' | 'parquet' | 'json' | 'html' | 'other': what the app can show (csv and parquet: a table preview; parquet also downloads as CSV with ?as=csv). */
  view: 'csv' | 'parquet' | 'json' | 'html' | 'other';
  metadata?: Record<string, unknown>;
  /** The stored file is a sealed envelope: `size` and `sha256` are of it; ?plain=1 downloads the plaintext. */
  sealed?: true;
}

export interface TaskInfo {
  name: string;
  component: string;
  state: TaskState;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  error?: string;
  parameters: Record<string, string | number | boolean>;
  outputs: ArtifactInfo[];
  hasLog: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** `<producer output> -> <consumer input>`, e.g. "model -> model". */
  label: string;
}

export interface RunDetail {
  summary: RunSummary;
  /** In pipeline (topological) order. */
  tasks: TaskInfo[];
  edges: GraphEdge[];
  error?: string;
}

export interface CsvPage {
  columns: string[];
  rows: string[][];
  /** Byte offset of the first row of this page (0 = first data row). */
  cursor: number;
  /** Byte offset of the next page, absent at the end of the file. */
  nextCursor?: number;
  /** Data rows in the whole file (counted once, cached). */
  totalRows: number;
}

export interface RocPoint {
  threshold: number;
  fpr: number;
  tpr: number;
}

export interface RunMetrics {
  auc?: number;
  accuracy?: number;
  roc: RocPoint[];
  /** scikit-learn's classification report rows: label, precision, recall, f1-score, support. */
  report: { label: string; precision: number; recall: number; f1: number; support: number }[];
  /** From prediction_data: labels and probabilities bucketed so the app can draw a confusion matrix at any threshold. Absent with sealedNotice. */
  confusion?: ConfusionSource;
  /**
   * A sealed run on a dashboard without its keys: only what run.json keeps plain is here (AUC,
   * accuracy, the ROC points of roc_curve's metadata); `report` is empty, `confusion` absent,
   * and this says how to open the rest.
   */
  sealedNotice?: string;
}

/**
 * Enough to compute the confusion matrix at any threshold without the 250,000 predictions:
 * counts of positives and negatives per probability bucket (1000 equal-width buckets on [0, 1]).
 */
export interface ConfusionSource {
  buckets: number;
  positives: number[];
  negatives: number[];
}

export interface ParameterInfo {
  name: string;
  type: 'STRING' | 'NUMBER_INTEGER' | 'NUMBER_DOUBLE' | 'BOOLEAN';
  default?: string | number | boolean;
  /** Allowed values (string enums), when limited. */
  enum?: string[];
  min?: number;
  max?: number;
}

export interface PipelineInfo {
  name: string;
  description: string;
  parameters: ParameterInfo[];
  tasks: string[];
  /** Runs started from this dashboard are sealed with its keys (`sealed ui --keys DIR`). */
  sealed: boolean;
}

export interface StartRunRequest {
  parameters: Record<string, string | number | boolean>;
}

export const API_LIMITS = {
  /** Largest JSON body the API accepts. */
  bodyBytes: 64 * 1024,
  /** Longest string parameter value. */
  parameterChars: 2048,
  /** Most rows one CSV page returns. */
  pageRows: 500,
} as const;
