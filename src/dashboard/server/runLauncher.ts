// Starts pipeline runs from the dashboard, one at a time. The parameters go through the
// pipeline's own validation (unknown names, types, ranges, enums: 400), the run gets a fresh
// id and folder in the runs folder, and runPipeline continues in the background; start()
// resolves as soon as the run's first run.json is on disk, so the app can poll it at once.
// Closing the server cancels the run; it ends failed, its error saying it was cancelled.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { PipelineEntry } from '../../cli/pipelineCatalog.ts';
import { compilePipeline, LocalArtifactStore, MANIFEST_KEY, newRunId, runPipeline, validateParameters, type PipelineSpec, type PutSource, type StoredObject } from '../../pipeline/index.ts';
import { API_LIMITS } from '../api/contract.ts';
import { ApiError } from './apiError.ts';

/**
 * A run folder's store that watches run.json: `onWritten` once a version is on disk, `onEnded`
 * just before the version that records the run's end is written, so the dashboard takes a new
 * run no later than run.json shows the last one finished.
 */
class ManifestWatchingStore extends LocalArtifactStore {
  constructor(
    root: string,
    private readonly onWritten: () => void,
    private readonly onEnded: () => void,
  ) {
    super(root);
  }

  override async put(key: string, source: PutSource): Promise<StoredObject> {
    if (key === MANIFEST_KEY && 'bytes' in source && recordsEnd(source.bytes)) this.onEnded();
    const stored = await super.put(key, source);
    if (key === MANIFEST_KEY) this.onWritten();
    return stored;
  }
}

function recordsEnd(bytes: string | Uint8Array): boolean {
  try {
    const manifest = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8')) as { state?: unknown };
    return manifest.state !== 'running';
  } catch {
    return false;
  }
}

export class RunLauncher {
  readonly #spec: PipelineSpec;
  readonly #cancel = new AbortController();
  /** The run that keeps the dashboard from starting another. */
  #busy: string | undefined;
  /** Every started run until its runPipeline has returned: what close() waits for. */
  readonly #inFlight = new Set<Promise<void>>();

  constructor(
    private readonly runsDir: string,
    private readonly entry: PipelineEntry,
    private readonly now: () => number,
    /** Failures after the 202 (e.g. run.json could not be written) have no request to answer. */
    private readonly onError: (error: unknown) => void,
  ) {
    this.#spec = compilePipeline(entry.pipeline);
  }

  /** Validates, starts, and resolves with the new run's id once its run.json exists. */
  async start(given: Record<string, string | number | boolean>): Promise<string> {
    for (const [param, value] of Object.entries(given)) {
      if (typeof value === 'string' && value.length > API_LIMITS.parameterChars) throw new ApiError(400, 'dashboard.parameterTooLong', { param, limit: API_LIMITS.parameterChars });
    }
    const { pipeline, registry } = this.entry;
    const parameters = validateParameters(`pipeline '${pipeline.name}'`, pipeline.parameters, given);
    if (this.#busy !== undefined) throw new ApiError(409, 'dashboard.runInProgress', { run: this.#busy });
    const id = newRunId(new Date(this.now()));
    // Claimed before the first await, so two requests at once cannot both start a run.
    this.#busy = id;
    const release = (): void => {
      if (this.#busy === id) this.#busy = undefined;
    };
    try {
      const runDir = join(this.runsDir, id);
      if (await fsp.stat(runDir).catch(() => undefined)) throw new ApiError(409, 'dashboard.runExists', { run: id });
      let manifestWritten!: () => void;
      const written = new Promise<void>((resolve) => (manifestWritten = resolve));
      const store = new ManifestWatchingStore(runDir, manifestWritten, release);
      const run = runPipeline(this.#spec, registry, { runDir, runId: id, parameters, store, signal: this.#cancel.signal });
      // Registered before the run's own handlers: once run.json exists, a later failure is
      // reported to onError, an earlier one only to the request.
      let answered = false;
      void written.then(() => (answered = true));
      const done = run
        .then(
          () => undefined,
          (e: unknown) => {
            if (answered) this.onError(e);
          },
        )
        .finally(release);
      this.#inFlight.add(done);
      void done.then(() => this.#inFlight.delete(done));
      // A run that fails before its run.json exists (a bad run folder) rejects here: the request gets the error.
      await Promise.race([written, run]);
      return id;
    } catch (e) {
      release();
      throw e;
    }
  }

  /** Cancels the runs in progress and waits until they have recorded their end. */
  async close(): Promise<void> {
    this.#cancel.abort();
    await Promise.all(this.#inFlight);
  }
}
