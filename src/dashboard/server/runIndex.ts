// The runs folder as the API sees it. Each run's parsed run.json is cached under a stamp of its
// mtime, size and inode (the runner replaces run.json by rename, so every rewrite is a new
// inode), so listing 200 runs costs 200 stats and re-reads only the runs that changed.
// Folders without a valid run.json are not runs and are left out.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { redactText } from '../../core/index.ts';
import type { RunSummary } from '../api/contract.ts';
import { ApiError } from './apiError.ts';
import { listRunFolders, localRunFiles, READ_DEADLINE_MS, readRunFile, runFolder } from './runFiles.ts';
import type { IndexedRun, RunCatalog } from './runSource.ts';
import { summariseRun, withLiveState } from './runSummary.ts';
import { runManifestSchema, type StoredManifest } from './storedRun.ts';

export type { IndexedRun } from './runSource.ts';

export const MANIFEST_FILE = 'run.json';
/** run.json keeps large metadata in side files, so a bigger one is not a run.json. */
export const MANIFEST_LIMIT = 16 * 1024 * 1024;

/** run.json's text as the API shows it; throws unless it is JSON that passes the runner's schema. */
export function parseRunManifest(text: string): StoredManifest {
  // Redacted on read too: run.json files written before redaction by shape (src/core/redact.ts) may hold secrets.
  return runManifestSchema.parse(JSON.parse(text, (_k, v: unknown) => (typeof v === 'string' ? redactText(v) : v)));
}

export class RunIndex implements RunCatalog {
  readonly #cache = new Map<string, { stamp: string; run: IndexedRun | undefined }>();

  constructor(
    private readonly runsDir: string,
    /** Deadline of one run.json read (runFiles.ts READ_DEADLINE_MS); tests shorten it. */
    private readonly readDeadlineMs = READ_DEADLINE_MS,
    /** The dashboard holds keys to open sealed runs (summaries of sealed runs are not `locked`). */
    private readonly hasKeys = false,
  ) {}

  /** Newest first. */
  async list(): Promise<RunSummary[]> {
    const names = await listRunFolders(this.runsDir);
    if (names.length === 0) return [];
    const root = await fsp.realpath(this.runsDir);
    const runs = await Promise.all(names.map((id) => this.#load(id, join(root, id))));
    const present = new Set(names);
    for (const id of this.#cache.keys()) if (!present.has(id)) this.#cache.delete(id);
    return runs
      .filter((r): r is IndexedRun => r !== undefined)
      .map((r) => withLiveState(r).summary)
      .sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
  }

  /** 404 for anything that is not a run folder with a valid run.json. */
  async get(id: string): Promise<IndexedRun> {
    const run = await this.#load(id, await runFolder(this.runsDir, id));
    if (!run) throw new ApiError(404, 'dashboard.unknownRun', { run: id });
    // Not cached: whether the run's owner is alive changes without run.json changing.
    return withLiveState(run);
  }

  async #load(id: string, dir: string): Promise<IndexedRun | undefined> {
    // A running run rewrites run.json (rename over it) every few seconds; a read that fails because
    // the file was replaced between the look and the read is tried again on the new one.
    for (let attempt = 0; ; attempt++) {
      const stamp = await this.#stamp(dir);
      if (stamp === undefined) return undefined;
      const cached = this.#cache.get(id);
      if (cached?.stamp === stamp) return cached.run;
      const { run, keep } = await this.#read(id, dir);
      if (run === undefined && attempt < 2 && (await this.#stamp(dir)) !== stamp) continue;
      if (keep) this.#cache.set(id, { stamp, run });
      return run;
    }
  }

  /** lstat: a run.json that is a symlink, FIFO or device is no run (and is never opened). */
  async #stamp(dir: string): Promise<string | undefined> {
    const stat = await fsp.lstat(join(dir, MANIFEST_FILE)).catch(() => undefined);
    return stat?.isFile() ? `${stat.mtimeMs}:${stat.size}:${stat.ino}` : undefined;
  }

  async #read(id: string, dir: string): Promise<{ run: IndexedRun | undefined; keep: boolean }> {
    try {
      const manifest = parseRunManifest(await readRunFile(dir, id, MANIFEST_FILE, MANIFEST_LIMIT, this.readDeadlineMs));
      return { run: { id, dir, manifest, summary: summariseRun(id, manifest, this.hasKeys), files: localRunFiles(dir, id) }, keep: true };
    } catch (e) {
      // Unreadable, not JSON, not a run.json, a FIFO or device, or a symlink out of the folder:
      // not a run. A read that ran out of time is tried again next time instead of remembered.
      return { run: undefined, keep: !(e instanceof ApiError && e.code === 'dashboard.readTimeout') };
    }
  }
}
