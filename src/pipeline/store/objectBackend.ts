// What a remote store needs from an object service (S3, Azure Blob): whole objects addressed by
// raw names inside one bucket/container. RemoteArtifactStore builds the artifact semantics
// (folders, listing, append, checkout) on these few calls, so both services behave alike.
import type { Readable } from 'node:stream';

export interface ObjectHead {
  size: number;
  /** The sha256 recorded as object metadata when this store wrote it; absent for foreign objects. */
  sha256?: string;
  /** The service's entity tag, for conditional writes. */
  etag?: string;
}

/** Preconditions of a conditional write (S3 conditional writes, Azure If-Match/If-None-Match). */
export interface WriteCondition {
  /** Write only if the object still has this entity tag. */
  ifMatch?: string;
  /** Write only if no object exists. */
  ifNoneMatch?: '*';
}

export interface ObjectBackend {
  readonly scheme: 's3' | 'az';
  /** The bucket or container. */
  readonly container: string;
  /** `scheme://container/raw`: how an object is named in messages and URIs. */
  uri(raw: string): string;
  head(raw: string): Promise<ObjectHead | undefined>;
  /** The whole object, refused (store.tooLarge, naming `what` the limit is for) past `limit` bytes; undefined when absent. */
  getBytes(raw: string, limit: number, what: string): Promise<{ bytes: Buffer; etag?: string } | undefined>;
  /** The object's bytes as a stream; undefined when absent. */
  openRead(raw: string): Promise<Readable | undefined>;
  /** Writes `bytes` with `sha256` as metadata. False when `condition` did not hold (nothing written). */
  putBytes(raw: string, bytes: Buffer, sha256: string, condition?: WriteCondition): Promise<boolean>;
  /** Uploads a regular file of `size` bytes, streamed; returns the sha256 of the bytes stored (also kept as metadata). */
  putFile(raw: string, path: string, size: number): Promise<string>;
  /** Removes the object; an absent object is not an error. */
  delete(raw: string): Promise<void>;
  /** Raw names starting with `rawPrefix`, fetched page by page (`pageSize` overrides the store's), in the service's order. */
  list(rawPrefix: string, pageSize?: number): AsyncIterable<string>;
}

/** A hex sha256 as this store records it in metadata. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;
