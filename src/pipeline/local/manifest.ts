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
  metadata?: Record<string, JsonValue>;
}

export interface TaskRecord {
  state: TaskState;
  component: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  error?: string;
  parameters?: Record<string, ParameterValue>;
  /** Input key -> artifact path relative to the run directory. */
  inputs?: Record<string, string>;
  outputs?: Record<string, OutputRecord>;
  /** Log file relative to the run directory, when the task logged anything. */
  log?: string;
}

export interface RunManifest {
  id: string;
  pipeline: string;
  parameters: Record<string, ParameterValue>;
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
    const bytes = JSON.stringify(this.manifest, null, 2) + '\n';
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
