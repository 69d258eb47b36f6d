// ArtifactStore on Azure Blob Storage (block blobs), or Azurite. Protocol pages followed:
//   Put Blob        https://learn.microsoft.com/rest/api/storageservices/put-blob
//   Put Block       https://learn.microsoft.com/rest/api/storageservices/put-block
//   Put Block List  https://learn.microsoft.com/rest/api/storageservices/put-block-list
//   List Blobs      https://learn.microsoft.com/rest/api/storageservices/list-blobs
//   conditions      https://learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations
//
// A file is uploaded as blocks (Put Block, blockSize each, default 8 MiB) and becomes visible
// only with Put Block List, which commits them atomically with the metadata; blocks of a failed
// upload stay uncommitted, invisible, and the service discards them after a week. Because the
// metadata goes with the commit, the sha256 is computed from the bytes as they are sent; when
// the SDK retries a block it hashes that attempt afresh from a copy of the running hash.
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type * as BlobSdkModule from '@azure/storage-blob';
import type { ContainerClient } from '@azure/storage-blob';
import { IoError, PipelineError } from '../../core/index.ts';
import type { ObjectBackend, ObjectHead, WriteCondition } from './objectBackend.ts';
import { RemoteArtifactStore, type RemoteStoreOptions } from './remoteArtifactStore.ts';
import { isMissingObject, requestFailed, statusOf } from './storeErrors.ts';
import { HashTap } from './streamHash.ts';
import { checkContainerName } from './storeNames.ts';

/** A storage account key (Shared Key), or a SAS token (without the leading '?'). */
export type AzureCredentials = { accountName: string; accountKey: string } | { sasToken: string };

export interface AzureBlobStoreOptions extends RemoteStoreOptions {
  container: string;
  /** The account's blob endpoint: https://<account>.blob.core.windows.net, or Azurite's http://127.0.0.1:10000/devstoreaccount1. Checked by parseStoreUrl. */
  endpoint: string;
  credentials: AzureCredentials;
  /** Put Block size, 1 MiB to 4000 MiB (default 8 MiB). */
  blockSize?: number;
  /** List Blobs maxresults, 1..5000 (default 5000). */
  listPageSize?: number;
  /** Tries per request (the SDK resends a block from a fresh stream), default 3. */
  maxAttempts?: number;
  /** First retry delay, default 1000 ms. */
  retryDelayMs?: number;
  /** Time limit of one try, default 300 s. */
  requestTimeoutMs?: number;
}

const MAX_BLOCK_SIZE = 4000 * 1024 * 1024;
const MAX_BLOCKS = 50_000;

// The SDK is loaded on first use (importing it costs ~0.25 s).
type BlobSdk = typeof BlobSdkModule;
let sdkLoading: Promise<BlobSdk> | undefined;
const loadSdk = (): Promise<BlobSdk> => (sdkLoading ??= import('@azure/storage-blob'));

export class AzureBlobArtifactStore extends RemoteArtifactStore {
  readonly containerName: string;

  constructor(options: AzureBlobStoreOptions) {
    const c = options.credentials;
    const secrets = 'accountKey' in c ? [c.accountKey] : [c.sasToken, ...sasSignatures(c.sasToken)];
    super(new AzureBackend(options, secrets), { ...options, secrets: [...secrets, ...(options.secrets ?? [])] });
    this.containerName = options.container;
  }
}

class AzureBackend implements ObjectBackend {
  readonly scheme = 'az' as const;
  readonly container: string;
  private readonly connect: () => Promise<ContainerClient>;
  private readonly blockSize: number;
  private readonly pageSize: number;

  constructor(
    options: AzureBlobStoreOptions,
    private readonly secrets: readonly string[],
  ) {
    this.container = checkContainerName(options.container);
    this.blockSize = options.blockSize ?? 8 * 1024 * 1024;
    if (!Number.isSafeInteger(this.blockSize) || this.blockSize < 1024 * 1024 || this.blockSize > MAX_BLOCK_SIZE) {
      throw new PipelineError('store.badOption', { option: 'blockSize', value: String(options.blockSize), reason: `must be an integer from 1 MiB to ${MAX_BLOCK_SIZE} (4000 MiB, the Put Block limit)` });
    }
    this.pageSize = options.listPageSize ?? 5000;
    if (!Number.isSafeInteger(this.pageSize) || this.pageSize < 1 || this.pageSize > 5000) {
      throw new PipelineError('store.badOption', { option: 'listPageSize', value: String(options.listPageSize), reason: 'must be an integer from 1 to 5000' });
    }
    let connecting: Promise<ContainerClient> | undefined;
    this.connect = () =>
      (connecting ??= loadSdk().then((sdk) => {
        const c = options.credentials;
        const credential = 'accountKey' in c ? new sdk.StorageSharedKeyCredential(c.accountName, c.accountKey) : new sdk.AnonymousCredential();
        const url = 'sasToken' in c ? `${options.endpoint}?${c.sasToken}` : options.endpoint;
        const service = new sdk.BlobServiceClient(url, credential, {
          retryOptions: { maxTries: options.maxAttempts ?? 3, retryDelayInMs: options.retryDelayMs ?? 1000, tryTimeoutInMs: options.requestTimeoutMs ?? 300_000 },
        });
        return service.getContainerClient(this.container);
      }));
  }

  uri(raw: string): string {
    return `az://${this.container}/${raw}`;
  }

  async head(raw: string): Promise<ObjectHead | undefined> {
    const client = await this.connect();
    try {
      const p = await client.getBlobClient(raw).getProperties();
      const sha256 = p.metadata?.sha256;
      return { size: p.contentLength ?? 0, ...(sha256 !== undefined ? { sha256 } : {}), ...(p.etag !== undefined ? { etag: p.etag } : {}) };
    } catch (e) {
      if (isMissingObject(e)) return undefined;
      throw requestFailed('Get Blob Properties', this.uri(raw), e, this.secrets);
    }
  }

  async getBytes(raw: string, limit: number, what: string): Promise<{ bytes: Buffer; etag?: string } | undefined> {
    const got = await this.download(raw);
    if (!got) return undefined;
    const tooLarge = (): IoError => new IoError('store.tooLarge', { target: this.uri(raw), limit, what });
    if (got.length !== undefined && got.length > limit) {
      got.stream.destroy();
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of got.stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limit) throw tooLarge();
        chunks.push(chunk);
      }
    } catch (e) {
      got.stream.destroy();
      throw requestFailed('Get Blob', this.uri(raw), e, this.secrets);
    }
    return { bytes: Buffer.concat(chunks), ...(got.etag !== undefined ? { etag: got.etag } : {}) };
  }

  async openRead(raw: string): Promise<Readable | undefined> {
    return (await this.download(raw))?.stream;
  }

  private async download(raw: string): Promise<{ stream: Readable; length?: number; etag?: string } | undefined> {
    const client = await this.connect();
    try {
      const r = await client.getBlobClient(raw).download();
      const stream = r.readableStreamBody as Readable | undefined;
      if (!stream) throw new IoError('store.requestFailed', { operation: 'Get Blob', target: this.uri(raw), reason: 'the answer has no body' });
      return { stream, ...(r.contentLength !== undefined ? { length: r.contentLength } : {}), ...(r.etag !== undefined ? { etag: r.etag } : {}) };
    } catch (e) {
      if (isMissingObject(e)) return undefined;
      throw requestFailed('Get Blob', this.uri(raw), e, this.secrets);
    }
  }

  async putBytes(raw: string, bytes: Buffer, sha256: string, condition: WriteCondition = {}): Promise<boolean> {
    const client = await this.connect();
    const conditions = { ...(condition.ifMatch !== undefined ? { ifMatch: condition.ifMatch } : {}), ...(condition.ifNoneMatch !== undefined ? { ifNoneMatch: condition.ifNoneMatch } : {}) };
    const blob = client.getBlockBlobClient(raw);
    try {
      if (bytes.length < this.blockSize) {
        await blob.upload(bytes, bytes.length, { metadata: { sha256 }, conditions });
      } else {
        const ids = blockIds(Math.ceil(bytes.length / this.blockSize));
        for (let i = 0; i < ids.length; i++) {
          const chunk = bytes.subarray(i * this.blockSize, (i + 1) * this.blockSize);
          await blob.stageBlock(ids[i], chunk, chunk.length);
        }
        await blob.commitBlockList(ids, { metadata: { sha256 }, conditions });
      }
      return true;
    } catch (e) {
      // 412: If-Match failed; 409 BlobAlreadyExists: If-None-Match: * failed.
      if (statusOf(e) === 412 || (statusOf(e) === 409 && condition.ifNoneMatch !== undefined)) return false;
      throw requestFailed('Put Blob', this.uri(raw), e, this.secrets);
    }
  }

  async putFile(raw: string, path: string, size: number): Promise<string> {
    const client = await this.connect();
    const count = Math.ceil(size / this.blockSize);
    if (count > MAX_BLOCKS) throw new IoError('store.tooLarge', { target: this.uri(raw), limit: MAX_BLOCKS * this.blockSize, what: `one blob of ${this.blockSize}-byte blocks` });
    const blob = client.getBlockBlobClient(raw);
    const ids = blockIds(count);
    let hash = createHash('sha256');
    for (let i = 0; i < count; i++) {
      const start = i * this.blockSize;
      const length = Math.min(this.blockSize, size - start);
      hash = await this.stageFileBlock(raw, ids[i], path, start, length, hash);
    }
    const digest = hash.digest('hex');
    try {
      await blob.commitBlockList(ids, { metadata: { sha256: digest } });
    } catch (e) {
      throw requestFailed('Put Block List', this.uri(raw), e, this.secrets);
    }
    return digest;
  }

  /**
   * One Put Block from a file range. The SDK calls the body factory once per try; each try
   * hashes into its own copy of `before`, and the copy of the try that succeeded is returned.
   * A local read error aborts the request (the SDK pipes the body and would otherwise wait).
   */
  private async stageFileBlock(raw: string, id: string, path: string, start: number, length: number, before: Hash): Promise<Hash> {
    const client = await this.connect();
    const abort = new AbortController();
    let readError: unknown;
    let current: { source: Readable; tap: HashTap } | undefined;
    const body = (): NodeJS.ReadableStream => {
      current?.source.destroy();
      const source = createReadStream(path, { start, end: start + length - 1, highWaterMark: 1 << 20 });
      const tap = new HashTap(before.copy());
      source.once('error', (e) => {
        readError = e;
        abort.abort();
      });
      current = { source, tap };
      return source.pipe(tap);
    };
    try {
      await client.getBlockBlobClient(raw).stageBlock(id, body, length, { abortSignal: abort.signal });
    } catch (e) {
      throw requestFailed('Put Block', this.uri(raw), readError ?? e, this.secrets);
    } finally {
      current?.source.destroy();
    }
    if (!current || current.tap.bytes !== length) {
      throw new IoError('store.requestFailed', { operation: 'Put Block', target: this.uri(raw), reason: `sent ${current?.tap.bytes ?? 0} of ${length} bytes` });
    }
    return current.tap.hash;
  }

  async delete(raw: string): Promise<void> {
    const client = await this.connect();
    try {
      await client.getBlobClient(raw).deleteIfExists();
    } catch (e) {
      throw requestFailed('Delete Blob', this.uri(raw), e, this.secrets);
    }
  }

  async *list(rawPrefix: string, pageSize = this.pageSize): AsyncIterable<string> {
    const client = await this.connect();
    const pages = client.listBlobsFlat({ prefix: rawPrefix }).byPage({ maxPageSize: pageSize });
    while (true) {
      let page;
      try {
        page = await pages.next();
      } catch (e) {
        throw requestFailed('List Blobs', this.uri(rawPrefix), e, this.secrets);
      }
      if (page.done === true) return;
      for (const item of page.value.segment.blobItems) yield item.name;
    }
  }
}

/**
 * Block ids for one upload: the same length for every block (Put Block requires it), random per
 * upload so blocks left over from a failed upload of the same blob are never committed.
 */
function blockIds(count: number): string[] {
  const upload = randomBytes(12).toString('hex');
  return Array.from({ length: count }, (_v, i) => Buffer.from(`${upload}-${String(i).padStart(6, '0')}`).toString('base64'));
}

/** The `sig` value of a SAS token, raw and decoded, so messages can cut it out wherever it appears. */
function sasSignatures(sas: string): string[] {
  const sig = new URLSearchParams(sas).get('sig');
  return sig ? [sig, encodeURIComponent(sig)] : [];
}
