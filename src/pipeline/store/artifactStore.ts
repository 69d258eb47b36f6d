// Where a run's artifacts and records live. The runner and CLI read and write only through this
// interface, so a remote (S3) store can replace the local one. Keys are relative POSIX paths
// such as 'split/x_train_data.csv'.
import type { Readable } from 'node:stream';

export interface StoredObject {
  key: string;
  /** Hex sha256 of the file; for a folder, of its sorted "path\0sha256\n" listing. */
  sha256: string;
  size: number;
  kind: 'file' | 'directory';
}

export type PutSource = { bytes: string | Uint8Array } | { file: string };

export interface StatOptions {
  /**
   * Recompute `sha256` from the stored bytes instead of taking the digest recorded when the
   * object was written (remote stores keep it as object metadata, which anyone who can write
   * the object can also write). Use it wherever the digest is an integrity check (resuming a
   * run); the local store always hashes the bytes.
   */
  verify?: boolean;
}

/** A local path with an object's bytes, for a component that reads files; see ArtifactStore.checkout. */
export interface CheckedOut {
  path: string;
  /** Removes the local copy (a no-op for the local store, whose path is the stored object). */
  release(): Promise<void>;
}

/** Anything `read` returns: a Node stream of the stored bytes. */
export type ObjectStream = NodeJS.ReadableStream | Readable;

export interface ArtifactStore {
  /** Where the store keeps its objects, for people: a folder, `s3://bucket/prefix`, `az://container/prefix`; never a credential. */
  readonly location: string;
  /** The URI a component receives for `key` (a plain path for the local store). */
  uriFor(key: string): string;
  /**
   * Stores content atomically under `key`: readers see the old object or the whole new one.
   * A `file` source (a file or folder) is moved into the store, not copied. On a remote store a
   * folder is many objects: readers see the old folder, none, or the new one (remoteFolders.ts).
   */
  put(key: string, source: PutSource): Promise<StoredObject>;
  get(key: string): Promise<Buffer>;
  /**
   * Undefined when nothing is stored under `key`. A remote folder counts as stored only once it
   * is complete (see remoteFolders.ts). Without `verify`, a remote store reports the digest
   * recorded at write time.
   */
  stat(key: string, options?: StatOptions): Promise<StoredObject | undefined>;
  /** The stored bytes of the file object `key`, streamed. */
  read(key: string): Promise<ObjectStream>;
  /**
   * A local file or folder holding the object's bytes for a component to read: the stored object
   * itself for the local store; for a remote store a copy streamed into a private (0700) scratch
   * folder, checked against the recorded sha256 while downloading, removed by release().
   */
  checkout(key: string): Promise<CheckedOut>;
  /** Removes the file or folder object `key`; nothing stored under it is not an error. */
  delete(key: string): Promise<void>;
  /** Keys of files under `prefix` (all keys when omitted), sorted. */
  list(prefix?: string): Promise<string[]>;
  /** Appends text to a log-like object; not atomic, for live logs only. */
  append(key: string, text: string): Promise<void>;
  /** A fresh local scratch folder for staging outputs under `key`; remove with discardStaging. */
  createStaging(key: string): Promise<string>;
  discardStaging(path: string): Promise<void>;
}
