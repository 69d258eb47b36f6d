// Where the dashboard's runs come from, as the routes see it: a catalog of runs (the local runs
// folder, runIndex.ts; or a prefix of an object store, storeRuns.ts) and, per run, its files.
// The routes never build a path or key themselves: they name a file as the run's own run.json
// records it ('split/x_test.csv'), and the run's RunFiles decides whether that names a file of
// this run (runFiles.ts: real paths inside the run folder; storeRuns.ts: a valid store key
// under `<run id>/`) and opens it.
import type { Readable } from 'node:stream';
import type { RunSummary } from '../api/contract.ts';
import type { ByteSource } from './byteSource.ts';
import type { StoredManifest } from './storedRun.ts';

export interface IndexedRun {
  /** The folder name (local) or the `<run id>` segment of its keys (store): how the API names the run. */
  id: string;
  /** Real path of the run folder, or the run's store URL (`s3://bucket/prefix/<id>`); for people and cache keys. */
  dir: string;
  manifest: StoredManifest;
  summary: RunSummary;
  /** How this run's files are read. */
  files: RunFiles;
}

/** A file of a run, open for reading. */
export interface OpenedFile {
  /** Real path or object URI: names the file in per-file caches (fileCache.ts). */
  readonly path: string;
  readonly size: number;
  /** With `size` (and `ctimeMs`, `ino`, `tag` when known), the version per-file caches are keyed by. */
  readonly mtimeMs: number;
  readonly ctimeMs?: number;
  readonly ino?: number;
  /** A store object's recorded sha256 (it has no mtime). */
  readonly tag?: string;
  /** The whole content from its first byte; each call reads afresh. */
  chunks(): AsyncIterable<Uint8Array>;
  /** Random access (on a store: forward reads of one stream, started again for a read behind it). */
  readonly random: ByteSource;
  /** The whole content as a Node stream for a download; the file is closed when the stream ends or is destroyed. */
  stream(): Readable;
  close(): Promise<void>;
}

export interface RunFiles {
  /** Opens `file` (a path from run.json); 404 ApiErrors for a file outside the run, missing, or not a regular file. */
  open(file: string): Promise<OpenedFile>;
  /** The whole file as UTF-8 text, refusing more than `limit` bytes (422), within `deadlineMs` (503). */
  readText(file: string, limit: number, deadlineMs?: number): Promise<string>;
  /** Whether `file` is a regular file of the run (a running task's log). */
  exists(file: string): Promise<boolean>;
}

/** The runs the API shows. */
export interface RunCatalog {
  /** Newest first. */
  list(): Promise<RunSummary[]>;
  /** 404 for anything that is not a run with a valid run.json. */
  get(id: string): Promise<IndexedRun>;
}
