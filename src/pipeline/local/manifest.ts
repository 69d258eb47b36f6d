// run.json: the record of a local run, rewritten atomically after every state change so it can
// be watched (or read after a crash) and is never half-written.
import type { ArtifactTypeName, JsonValue, ParameterValue } from '../ir/index.ts';
import type { RunState, TaskState } from '../report/index.ts';
import type { ArtifactStore } from '../store/index.ts';

export const MANIFEST_KEY = 'run.json';
export const SPEC_KEY = 'pipeline.json';

export interface OutputRecord {
  /** Relative to the run directory. */
  path: string;
  sha256: string;
  size: number;
  type: ArtifactTypeName;
  /** Artifact metadata; kept in run.json only when small (see `metadataPath`). */
  metadata?: Record<string, JsonValue>;
  /**
   * Where large metadata (e.g. the thousands of ROC points of a ClassificationMetrics) is kept
   * instead, relative to the run directory, so run.json stays small enough to list and watch.
   */
  metadataPath?: string;
}

/** A run input artifact as imported into the run directory (see runArtifacts.ts). */
export interface InputRecord extends OutputRecord {
  /** The absolute path it was copied from. */
  source: string;
}

/** Metadata whose JSON is longer than this goes to a file beside the artifact. */
export const INLINE_METADATA_LIMIT = 16 * 1024;

export interface TaskRecord {
  state: TaskState;
  component: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  error?: string;
  parameters?: Record<string, ParameterValue>;
  /** Input key -> artifact path relative to the run directory (absent optional inputs are left out). */
  inputs?: Record<string, string>;
  outputs?: Record<string, OutputRecord>;
  /** Log file relative to the run directory, when the task logged anything. */
  log?: string;
}

export interface RunManifest {
  id: string;
  pipeline: string;
  parameters: Record<string, ParameterValue>;
  /** Run input artifacts that were given, by input name (absent when none). */
  inputs?: Record<string, InputRecord>;
  state: RunState;
  createdAt: string;
  finishedAt?: string;
  error?: string;
  tasks: Record<string, TaskRecord>;
}

/** Serialises writes so a slow early write can never land after a later one. */
export class ManifestWriter {
  #queue: Promise<void> = Promise.resolve();
  #failure: unknown;

  constructor(
    private readonly store: ArtifactStore,
    readonly manifest: RunManifest,
  ) {}

  /** Snapshots the manifest now and queues its write. */
  save(): void {
    const bytes = JSON.stringify(this.manifest, withoutFiledMetadata, 2) + '\n';
    this.#queue = this.#queue.then(() =>
      this.store.put(MANIFEST_KEY, { bytes }).then(
        () => undefined,
        (e: unknown) => {
          this.#failure ??= e;
        },
      ),
    );
  }

  /** Waits for queued writes; rethrows the first write failure. */
  async flush(): Promise<void> {
    await this.#queue;
    if (this.#failure !== undefined) throw this.#failure;
  }
}

function withoutFiledMetadata(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && 'metadataPath' in value) return { ...value, metadata: undefined };
  return value;
}
