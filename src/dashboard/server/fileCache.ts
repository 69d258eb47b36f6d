// Results computed from a whole file (a CSV's row count, the confusion buckets of the
// predictions, that a sealed artifact passed its checks), kept per file version: keyed by real
// path (plus, for sealed artifacts, the seal record and run id: storedArtifacts.ts), valid while
// mtime and size (and, when given, ctime and inode: an in-place rewrite that resets mtime still
// changes ctime) stay the same; an object in a store has no mtime, and its recorded sha256
// (`tag`) and size stand for the version. Concurrent requests share one computation; a failed one is not
// kept. Only these results are kept, in memory; never file contents.
const CACHED_FILES = 256;

export class FileCache<T> {
  readonly #entries = new Map<string, { stamp: string; value: Promise<T> }>();

  get(path: string, version: { mtimeMs: number; size: number; ctimeMs?: number; ino?: number; tag?: string }, compute: () => Promise<T>): Promise<T> {
    const stamp = `${version.mtimeMs}:${version.size}:${version.ctimeMs ?? ''}:${version.ino ?? ''}:${version.tag ?? ''}`;
    const cached = this.#entries.get(path);
    if (cached?.stamp === stamp) return cached.value;
    const value = compute();
    value.catch(() => {
      if (this.#entries.get(path)?.value === value) this.#entries.delete(path);
    });
    // Re-inserted at the end, so the first key is always the least recently computed.
    this.#entries.delete(path);
    this.#entries.set(path, { stamp, value });
    if (this.#entries.size > CACHED_FILES) this.#entries.delete(this.#entries.keys().next().value as string);
    return value;
  }
}
