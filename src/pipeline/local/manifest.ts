// run.json: the record of a local run, rewritten atomically after every state change so it can
// be watched (or read after a crash) and is never half-written.
import { redactParameters, redactText } from '../../core/index.ts';
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

/**
 * The process that runs (or ran) a run, refreshed while it runs; readers use it to tell a
 * run that is still running from one whose process died (see runOwner.ts).
 */
export interface RunOwner {
  pid: number;
  host: string;
  /** Linux: /proc/<pid>/stat starttime (clock ticks after boot), so a reused pid is not taken for the owner. */
  startTicks?: number;
  /** Linux: the boot the pid belongs to. */
  bootId?: string;
  /** Linux: the pid namespace the pid belongs to (readers in another one rely on the heartbeat). */
  pidNamespace?: string;
  /** Rewritten every few seconds while the run is running. */
  heartbeatAt: string;
}

/** One `sealed run --resume`: when, and which tasks it ran again (the others kept their outputs). */
export interface ResumeRecord {
  at: string;
  rerun: string[];
}

export interface RunManifest {
  id: string;
  pipeline: string;
  /** Recorded redacted (URLs with credentials or query values hidden). */
  parameters: Record<string, ParameterValue>;
  /** Names of parameters whose recorded value is redacted: a resume needs them given again. */
  redactedParameters?: string[];
  /** Run input artifacts that were given, by input name (absent when none). */
  inputs?: Record<string, InputRecord>;
  state: RunState;
  createdAt: string;
  finishedAt?: string;
  error?: string;
  tasks: Record<string, TaskRecord>;
  owner?: RunOwner;
  resumes?: ResumeRecord[];
  /** Set when every artifact of the run is sealed (src/seal): readers need the run's keys. */
  sealed?: boolean;
}

/**
 * Writes run.json one write at a time, so a slow early write can never land after a later one.
 * Saves made while a write is in flight are coalesced: the next write takes the manifest as it
 * is then, which includes every change saved meanwhile (a run of quick tasks saves twice per
 * task; issue 17: fewer writes of run.json per task).
 */
export class ManifestWriter {
  #writing: Promise<void> | undefined;
  #dirty = false;
  #failure: unknown;
  /** Writes done (tests). */
  writes = 0;

  constructor(
    private readonly store: ArtifactStore,
    readonly manifest: RunManifest,
  ) {}

  /** Queues a write of the manifest; the first one of a burst snapshots it now. */
  save(): void {
    this.#dirty = true;
    this.#writing ??= this.#drain();
  }

  async #drain(): Promise<void> {
    try {
      while (this.#dirty) {
        this.#dirty = false;
        const bytes = JSON.stringify(this.manifest, withoutFiledMetadata, 2) + '\n';
        this.writes++;
        await this.store.put(MANIFEST_KEY, { bytes }).then(
          () => undefined,
          (e: unknown) => {
            this.#failure ??= e;
          },
        );
      }
    } finally {
      this.#writing = undefined;
    }
  }

  /** Waits for queued writes; rethrows the first write failure. */
  async flush(): Promise<void> {
    while (this.#writing !== undefined) await this.#writing;
    if (this.#failure !== undefined) throw this.#failure;
  }
}

function withoutFiledMetadata(key: string, value: unknown): unknown {
  // Last line of defence for secrets: every string (errors, metadata) is written with its URLs
  // redacted, and parameters as recorded values (a URL with spaces around it too); see redact.ts.
  if (typeof value === 'string') return redactText(value);
  if (key === 'parameters' && value !== null && typeof value === 'object' && !Array.isArray(value)) return redactParameters(value as Record<string, unknown>);
  if (value !== null && typeof value === 'object' && 'metadataPath' in value) return { ...value, metadata: inlineAlways((value as OutputRecord).metadata) };
  return value;
}

/**
 * Metadata keys kept in run.json even when the rest is filed: the seal record a sealing codec
 * returns (src/seal/artifactCodec.ts), which every reader checks the artifact against.
 */
const ALWAYS_INLINE = ['sealed'] as const;

function inlineAlways(metadata: Record<string, JsonValue> | undefined): Record<string, JsonValue> | undefined {
  const kept = Object.fromEntries(ALWAYS_INLINE.filter((k) => metadata?.[k] !== undefined).map((k) => [k, metadata![k]]));
  return Object.keys(kept).length > 0 ? kept : undefined;
}
