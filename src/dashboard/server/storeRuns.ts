// Runs kept in an object store (`sealed ui --runs s3://bucket/prefix` or `az://container/prefix`,
// what `sealed run --store` writes): each run is `<prefix>/<run id>/` with its run.json, read
// through the ArtifactStore interface (src/pipeline/store), read-only.
//
// What reaches the store:
//   - one listing of the prefix (cached LIST_TTL_MS, shared by concurrent requests); run ids are
//     the `<id>` of keys `<id>/run.json`, valid single key segments, the newest `maxRuns` by id
//     (run ids start with their UTC creation time, src/pipeline/local/runId.ts). ArtifactStore
//     has no delimiter listing, so the listing reads every key under the prefix (page by page,
//     the store caps it at its maxListKeys).
//   - `<id>/run.json` of a listed id, read with a cap (MANIFEST_LIMIT) and parsed as the local
//     index does (runIndex.ts parseRunManifest); a finished run's is kept RECHECK_FINISHED_MS.
//   - `<id>/<file>` for a file its run.json names, and only when that file is a valid store key
//     (storeKey.ts keyProblem: no '..', no leading '/', no backslash or control characters):
//     otherwise 404 'outside the run', as for a local run folder. Request text never becomes a
//     key: a run id from a request is looked up among the listed ids and the listed one is used.
// Every store request has a deadline (readDeadlineMs; each chunk of a stream too), past which
// the API answers 503; a store error is a 502 with the store's own one-line message, which the
// stores already build without credentials (storeErrors.ts). Errors that are not the store's
// (a socket that broke off) are named by their network code only, never by their text.
import { Readable } from 'node:stream';
import { isSealedError, networkReason, sha256 } from '../../core/index.ts';
import { keyProblem, type ArtifactStore, type ObjectStream } from '../../pipeline/index.ts';
import type { RunSummary } from '../api/contract.ts';
import { ApiError } from './apiError.ts';
import { READ_DEADLINE_MS, withDeadline } from './runFiles.ts';
import { MANIFEST_FILE, MANIFEST_LIMIT, parseRunManifest } from './runIndex.ts';
import type { IndexedRun, OpenedFile, RunCatalog, RunFiles } from './runSource.ts';
import { summariseRun, withLiveState } from './runSummary.ts';
import { readWhole, streamByteSource } from './storedArtifacts.ts';

/** Runs listed at most (the newest by id). */
export const DEFAULT_MAX_STORE_RUNS = 500;
/** How long one listing of the prefix serves the run list and run lookups. */
export const LIST_TTL_MS = 5_000;
/** A finished run's run.json is read again after this long (a running one on every request). */
const RECHECK_FINISHED_MS = 30_000;
/** run.json reads in flight at once while listing. */
const LOADS_AT_ONCE = 8;
/** Longest run id taken from a listing (ids the CLI makes are 22 characters). */
const MAX_ID_CHARS = 200;
const RETRY_AFTER_S = 5;

export interface StoreRunsOptions {
  /** Default DEFAULT_MAX_STORE_RUNS. */
  maxRuns?: number;
  /** Deadline of one store request or stream chunk (default READ_DEADLINE_MS); the run list gets three. */
  readDeadlineMs?: number;
  /** The dashboard holds keys (summaries of sealed runs are not `locked`). */
  hasKeys?: boolean;
  /** Default LIST_TTL_MS; tests set 0. */
  listTtlMs?: number;
}

interface Cached {
  stamp: string;
  run: IndexedRun | undefined;
  checkedAt: number;
}

export class StoreRunIndex implements RunCatalog {
  readonly #store: ArtifactStore;
  readonly #maxRuns: number;
  readonly #deadlineMs: number;
  readonly #hasKeys: boolean;
  readonly #listTtlMs: number;
  readonly #cache = new Map<string, Cached>();
  #listing: { at: number; settled: boolean; ids: Promise<string[]> } | undefined;

  constructor(store: ArtifactStore, options: StoreRunsOptions = {}) {
    this.#store = store;
    this.#maxRuns = options.maxRuns ?? DEFAULT_MAX_STORE_RUNS;
    this.#deadlineMs = options.readDeadlineMs ?? READ_DEADLINE_MS;
    this.#hasKeys = options.hasKeys === true;
    this.#listTtlMs = options.listTtlMs ?? LIST_TTL_MS;
  }

  /** The store URL, for messages. */
  get location(): string {
    return this.#store.location;
  }

  async list(): Promise<RunSummary[]> {
    const work = async (): Promise<RunSummary[]> => {
      const ids = await this.#runIds();
      const loaded = await eachLimit(ids, LOADS_AT_ONCE, (id) => this.#load(id).then((run) => ({ run }), (error: unknown) => ({ error })));
      const present = new Set(ids);
      for (const id of this.#cache.keys()) if (!present.has(id)) this.#cache.delete(id);
      const runs = loaded.flatMap((r) => ('run' in r && r.run ? [withLiveState(r.run).summary] : []));
      // A run.json that is not one is left out; when the store itself failed for every run, that is the answer.
      const failed = loaded.find((r): r is { error: unknown } => 'error' in r);
      if (runs.length === 0 && failed) throw failed.error;
      return runs.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
    };
    return this.#timed(work(), 'listing runs', this.#deadlineMs * 3);
  }

  async get(id: string): Promise<IndexedRun> {
    const ids = await this.#timed(this.#runIds(), 'listing runs', this.#deadlineMs * 3);
    // The listed id, not the request's text, goes on to the store.
    const listed = ids.find((x) => x === id);
    if (listed === undefined) throw new ApiError(404, 'dashboard.unknownRun', { run: id });
    const run = await this.#load(listed);
    if (!run) throw new ApiError(404, 'dashboard.unknownRun', { run: id });
    return withLiveState(run);
  }

  /** Run ids from the (cached) listing, newest first; a listing still in flight is shared, however old. */
  #runIds(): Promise<string[]> {
    const current = this.#listing;
    if (current && (!current.settled || Date.now() - current.at < this.#listTtlMs)) return current.ids;
    const entry = { at: Date.now(), settled: false, ids: this.#listIds() };
    this.#listing = entry;
    entry.ids.then(
      () => {
        entry.settled = true;
        entry.at = Date.now();
      },
      () => {
        if (this.#listing === entry) this.#listing = undefined;
      },
    );
    return entry.ids;
  }

  async #listIds(): Promise<string[]> {
    let keys: string[];
    try {
      keys = await this.#store.list();
    } catch (e) {
      throw storeError(this.location, undefined, e);
    }
    const ids = new Set<string>();
    for (const key of keys) {
      const slash = key.indexOf('/');
      if (slash <= 0 || key.slice(slash + 1) !== MANIFEST_FILE) continue;
      const id = key.slice(0, slash);
      if (isRunId(id)) ids.add(id);
    }
    return [...ids].sort().reverse().slice(0, this.#maxRuns);
  }

  /** The run under `id` (a listed id), or undefined when its run.json is missing or not a run.json. */
  async #load(id: string): Promise<IndexedRun | undefined> {
    const cached = this.#cache.get(id);
    const now = Date.now();
    if (cached?.run && cached.run.manifest.state !== 'running' && now - cached.checkedAt < RECHECK_FINISHED_MS) return cached.run;
    const files = this.#files(id);
    let text: string;
    try {
      // Read with a cap rather than stat'ed first: a stat of an object without recorded sha256 hashes all of it.
      text = await files.readText(MANIFEST_FILE, MANIFEST_LIMIT);
    } catch (e) {
      // Missing, a folder, or too large: not a run. The store failing or timing out: the caller's answer.
      if (e instanceof ApiError && e.statusCode < 500) {
        this.#cache.delete(id);
        return undefined;
      }
      throw e;
    }
    const stamp = sha256(text);
    if (cached?.stamp === stamp) {
      cached.checkedAt = now;
      return cached.run;
    }
    let run: IndexedRun | undefined;
    try {
      const manifest = parseRunManifest(text);
      run = { id, dir: `${this.location}/${id}`, manifest, summary: summariseRun(id, manifest, this.#hasKeys), files };
    } catch {
      run = undefined;
    }
    this.#cache.set(id, { stamp, run, checkedAt: now });
    return run;
  }

  #files(runId: string): RunFiles {
    const store = this.#store;
    const deadlineMs = this.#deadlineMs;
    const location = this.location;
    /** The key of a file run.json names, or the 404 a local run gives a path outside its folder. */
    const keyOf = (file: string): string => {
      if (typeof file !== 'string' || keyProblem(file) !== undefined) throw new ApiError(404, 'dashboard.outsideRun', { run: runId, file: String(file) });
      return `${runId}/${file}`;
    };
    const chunksOf = (key: string, file: string): AsyncGenerator<Uint8Array> =>
      objectChunks(store, key, deadlineMs, (e) => storeError(location, { run: runId, file }, e), () => storeTimeout(location, `reading '${file}' of run '${runId}'`, deadlineMs));
    return {
      open: async (file) => {
        const key = keyOf(file);
        const stat = await withDeadline(store.stat(key), deadlineMs, () => storeTimeout(location, `opening '${file}' of run '${runId}'`, deadlineMs)).catch((e: unknown) => {
          throw storeError(location, { run: runId, file }, e);
        });
        if (!stat) throw new ApiError(404, 'dashboard.notAFile', { run: runId, file });
        if (stat.kind !== 'file') throw new ApiError(404, 'dashboard.notRegularFile', { run: runId, file, kind: 'a folder' });
        return openedObject(store.uriFor(key), stat.size, stat.sha256, () => chunksOf(key, file));
      },
      readText: async (file, limit, ms = deadlineMs) => {
        const key = keyOf(file);
        const tooLarge = (): Error => new ApiError(422, 'dashboard.badArtifact', { run: runId, file, reason: `it is larger than ${limit} bytes, the most the dashboard reads of it` });
        const read = readWhole(chunksOf(key, file), limit, tooLarge);
        return (await withDeadline(read, ms, () => storeTimeout(location, `reading '${file}' of run '${runId}'`, ms))).toString('utf8');
      },
      exists: async (file) => {
        const key = keyOf(file);
        const stat = await withDeadline(store.stat(key), deadlineMs, () => storeTimeout(location, `looking for '${file}' of run '${runId}'`, deadlineMs)).catch((e: unknown) => {
          throw storeError(location, { run: runId, file }, e);
        });
        return stat?.kind === 'file';
      },
    };
  }

  #timed<T>(work: Promise<T>, what: string, ms: number): Promise<T> {
    return withDeadline(work, ms, () => storeTimeout(this.location, what, ms));
  }
}

/** A run id as listed: one valid key segment, not hidden. */
function isRunId(id: string): boolean {
  return id.length <= MAX_ID_CHARS && !id.startsWith('.') && keyProblem(id) === undefined;
}

function storeTimeout(store: string, what: string, ms: number): ApiError {
  return new ApiError(503, 'dashboard.storeTimeout', { store, what, seconds: ms / 1000 }, { retryAfter: RETRY_AFTER_S });
}

/**
 * A store error as the API answers it: a missing object is the file's 404, a folder where a file
 * should be its 'not a regular file' 404, a key the store refuses 'outside the run'; anything else
 * a 502 with the store's own message (built without credentials by storeErrors.ts).
 */
export function storeError(store: string, at: { run: string; file: string } | undefined, e: unknown): Error {
  if (e instanceof ApiError) return e;
  if (isSealedError(e)) {
    if (at && e.code === 'io.notFound') return new ApiError(404, 'dashboard.notAFile', at);
    if (at && e.code === 'io.notAFile') return new ApiError(404, 'dashboard.notRegularFile', { ...at, kind: 'a folder' });
    if (at && e.code === 'store.badKey') return new ApiError(404, 'dashboard.outsideRun', at);
    return new ApiError(502, 'dashboard.storeFailed', { store, reason: e.message });
  }
  // Not the store's own error (e.g. the body stream broke off): its text was never scrubbed, so only its network code is named.
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return new ApiError(502, 'dashboard.storeFailed', { store, reason: `a read broke off: ${networkReason(code) ?? 'the connection failed'}` });
}

/**
 * The object's bytes from its first one: each chunk must come within `deadlineMs` (a stalled
 * stream is destroyed and answered 503), errors become the API's (`fail`). Leaving the loop early
 * destroys the stream, so no socket is left open.
 */
async function* objectChunks(store: ArtifactStore, key: string, deadlineMs: number, fail: (e: unknown) => Error, timedOut: () => Error): AsyncGenerator<Uint8Array> {
  let stream: ObjectStream;
  try {
    stream = await withDeadline(store.read(key), deadlineMs, timedOut);
  } catch (e) {
    throw fail(e);
  }
  const it = (stream as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array | string>;
      try {
        next = await withDeadline(it.next(), deadlineMs, timedOut);
      } catch (e) {
        throw fail(e);
      }
      if (next.done) return;
      yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    }
  } finally {
    // Not it.return(): that waits for a next() still pending on a stalled socket.
    (stream as { destroy?: () => void }).destroy?.();
  }
}

/** An object, stat'ed, as an OpenedFile: every read is a fresh GET of it. */
function openedObject(uri: string, size: number, tag: string, chunks: () => AsyncGenerator<Uint8Array>): OpenedFile {
  const random = streamByteSource(size, chunks);
  return {
    path: uri,
    size,
    mtimeMs: 0,
    tag,
    chunks,
    random,
    stream: () => Readable.from(chunks(), { objectMode: false }),
    close: () => random.close(),
  };
}

/** `fn` over `items`, at most `limit` at once, results in order. */
async function eachLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
