// Where a run's artifacts and records live. The runner and CLI read and write only through this
// interface, so a remote (S3) store can replace the local one. Keys are relative POSIX paths
// such as 'split/x_train_data.csv'.
export interface StoredObject {
  key: string;
  /** Hex sha256 of the file; for a folder, of its sorted "path\0sha256\n" listing. */
  sha256: string;
  size: number;
  kind: 'file' | 'directory';
}

export type PutSource = { bytes: string | Uint8Array } | { file: string };

export interface ArtifactStore {
  /** The URI a component receives for `key` (a plain path for the local store). */
  uriFor(key: string): string;
  /**
   * Stores content atomically under `key`: readers see the old object or the whole new one.
   * A `file` source (a file or folder) is moved into the store, not copied.
   */
  put(key: string, source: PutSource): Promise<StoredObject>;
  get(key: string): Promise<Buffer>;
  /** Undefined when nothing is stored under `key`. */
  stat(key: string): Promise<StoredObject | undefined>;
  /** Keys of files under `prefix` (all keys when omitted), sorted. */
  list(prefix?: string): Promise<string[]>;
  /** Appends text to a log-like object; not atomic, for live logs only. */
  append(key: string, text: string): Promise<void>;
  /** A fresh local scratch folder for staging outputs under `key`; remove with discardStaging. */
  createStaging(key: string): Promise<string>;
  discardStaging(path: string): Promise<void>;
}
