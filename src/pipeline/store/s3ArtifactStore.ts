// ArtifactStore on S3 or an S3-compatible server (MinIO, SeaweedFS, s3rver), path-style.
// Protocol pages followed (AWS S3 API reference):
//   PutObject                https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
//   CreateMultipartUpload    https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
//   UploadPart               https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
//   CompleteMultipartUpload  https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
//   AbortMultipartUpload     https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html
//   ListObjectsV2            https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
//   part limits              https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
//   conditional writes       https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
//
// A file of partSize (8 MiB) or more goes up as a multipart upload: nothing is visible until
// CompleteMultipartUpload, and any failure sends AbortMultipartUpload so S3 drops the parts.
// Smaller files are one PutObject, which S3 applies atomically. The sha256 travels as
// `x-amz-meta-sha256`; S3 takes metadata in the request headers, before the body, so a file is
// hashed first and then uploaded through a tap that re-hashes the bytes it sends and fails the
// upload (PutObject: before its last bytes go out; multipart: before Complete) if they differ.
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { pipeline, type Readable } from 'node:stream';
import type * as S3SdkModule from '@aws-sdk/client-s3';
import type { S3Client, UploadPartCommandInput } from '@aws-sdk/client-s3';
import { IoError, knownFileDigest, PipelineError, sha256File } from '../../core/index.ts';
import type { ObjectBackend, ObjectHead, WriteCondition } from './objectBackend.ts';
import { RemoteArtifactStore, type RemoteStoreOptions } from './remoteArtifactStore.ts';
import { isMissingObject, requestFailed, statusOf } from './storeErrors.ts';
import { HashTap, VerifyingTap } from './streamHash.ts';
import { checkBucketName } from './storeNames.ts';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3StoreOptions extends RemoteStoreOptions {
  bucket: string;
  /** S3-compatible endpoint (`http://127.0.0.1:9000`); AWS's regional endpoint when omitted. Checked by parseStoreUrl. */
  endpoint?: string;
  /** Default 'us-east-1'. */
  region?: string;
  /** Passed to the SDK as they are: it never looks for others (no ~/.aws files, no instance metadata). */
  credentials: S3Credentials;
  /** Multipart part size and threshold, at least 5 MiB (S3's minimum part), default 8 MiB. */
  partSize?: number;
  /** ListObjectsV2 MaxKeys, 1..1000 (default 1000). */
  listPageSize?: number;
  /** Attempts per request that can be resent (not streamed bodies), default 3. */
  maxAttempts?: number;
  /** Socket idle timeout per request, default 120 s. */
  requestTimeoutMs?: number;
}

export const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;
const MAX_PARTS = 10_000;
const SILENT = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

// The SDK is loaded on first use: importing it costs ~0.2 s, and every command that imports the
// pipeline layer would pay it.
type S3Sdk = typeof S3SdkModule;
let sdkLoading: Promise<S3Sdk> | undefined;
const loadSdk = (): Promise<S3Sdk> => (sdkLoading ??= import('@aws-sdk/client-s3'));

export class S3ArtifactStore extends RemoteArtifactStore {
  readonly bucket: string;

  constructor(options: S3StoreOptions) {
    const secrets = [options.credentials.secretAccessKey, options.credentials.sessionToken ?? ''].filter((s) => s !== '');
    super(new S3Backend(options, secrets), { ...options, secrets: [...secrets, ...(options.secrets ?? [])] });
    this.bucket = options.bucket;
  }
}

class S3Backend implements ObjectBackend {
  readonly scheme = 's3' as const;
  readonly container: string;
  private readonly connect: () => Promise<{ sdk: S3Sdk; client: S3Client }>;
  private readonly partSize: number;
  private readonly pageSize: number;
  /** Cleared when the server answers a conditional PUT with 501 Not Implemented. */
  private conditionalWrites = true;

  constructor(
    options: S3StoreOptions,
    private readonly secrets: readonly string[],
  ) {
    this.container = checkBucketName(options.bucket);
    this.partSize = options.partSize ?? 8 * 1024 * 1024;
    if (!Number.isSafeInteger(this.partSize) || this.partSize < MIN_PART_SIZE || this.partSize > MAX_PART_SIZE) {
      throw new PipelineError('store.badOption', { option: 'partSize', value: String(options.partSize), reason: `must be an integer from ${MIN_PART_SIZE} (5 MiB, S3's smallest part) to ${MAX_PART_SIZE}` });
    }
    this.pageSize = options.listPageSize ?? 1000;
    if (!Number.isSafeInteger(this.pageSize) || this.pageSize < 1 || this.pageSize > 1000) {
      throw new PipelineError('store.badOption', { option: 'listPageSize', value: String(options.listPageSize), reason: 'must be an integer from 1 to 1000' });
    }
    this.connect = once(async () => {
      const sdk = await loadSdk();
      const { accessKeyId, secretAccessKey, sessionToken } = options.credentials;
      const client = new sdk.S3Client({
        region: options.region ?? 'us-east-1',
        ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
        forcePathStyle: true,
        credentials: { accessKeyId, secretAccessKey, ...(sessionToken !== undefined ? { sessionToken } : {}) },
        // Plain Content-Length bodies: S3-compatible servers that predate flexible checksums
        // (s3rver, older MinIO) would store aws-chunked framing as object bytes.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        ignoreConfiguredEndpointUrls: true,
        maxAttempts: options.maxAttempts ?? 3,
        logger: SILENT,
        requestHandler: { connectionTimeout: 10_000, requestTimeout: options.requestTimeoutMs ?? 120_000 },
      });
      return { sdk, client };
    });
  }

  uri(raw: string): string {
    return `s3://${this.container}/${raw}`;
  }

  async head(raw: string): Promise<ObjectHead | undefined> {
    const { sdk, client } = await this.connect();
    try {
      const r = await client.send(new sdk.HeadObjectCommand({ Bucket: this.container, Key: raw }));
      return { size: r.ContentLength ?? 0, ...(r.Metadata?.sha256 !== undefined ? { sha256: r.Metadata.sha256 } : {}), ...(r.ETag !== undefined ? { etag: r.ETag } : {}) };
    } catch (e) {
      if (isMissingObject(e)) return undefined;
      throw requestFailed('HEAD', this.uri(raw), e, this.secrets);
    }
  }

  async getBytes(raw: string, limit: number, what: string): Promise<{ bytes: Buffer; etag?: string } | undefined> {
    const body = await this.get(raw);
    if (!body) return undefined;
    const { stream, length, etag } = body;
    const tooLarge = (): IoError => new IoError('store.tooLarge', { target: this.uri(raw), limit, what });
    if (length !== undefined && length > limit) {
      stream.destroy();
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limit) throw tooLarge(); // the server's Content-Length is not trusted either
        chunks.push(chunk);
      }
    } catch (e) {
      stream.destroy();
      throw requestFailed('GET', this.uri(raw), e, this.secrets);
    }
    return { bytes: Buffer.concat(chunks), ...(etag !== undefined ? { etag } : {}) };
  }

  async openRead(raw: string): Promise<Readable | undefined> {
    return (await this.get(raw))?.stream;
  }

  private async get(raw: string): Promise<{ stream: Readable; length?: number; etag?: string } | undefined> {
    const { sdk, client } = await this.connect();
    try {
      const r = await client.send(new sdk.GetObjectCommand({ Bucket: this.container, Key: raw }));
      return { stream: r.Body as Readable, ...(r.ContentLength !== undefined ? { length: r.ContentLength } : {}), ...(r.ETag !== undefined ? { etag: r.ETag } : {}) };
    } catch (e) {
      if (isMissingObject(e)) return undefined;
      throw requestFailed('GET', this.uri(raw), e, this.secrets);
    }
  }

  async putBytes(raw: string, bytes: Buffer, sha256: string, condition: WriteCondition = {}): Promise<boolean> {
    const { sdk, client } = await this.connect();
    if (bytes.length >= this.partSize && condition.ifMatch === undefined && condition.ifNoneMatch === undefined) {
      await this.multipart(raw, bytes.length, sha256, (start, end) => bytes.subarray(start, end), undefined);
      return true;
    }
    const conditional = this.conditionalWrites && (condition.ifMatch !== undefined || condition.ifNoneMatch !== undefined);
    try {
      await client.send(
        new sdk.PutObjectCommand({
          Bucket: this.container,
          Key: raw,
          Body: bytes,
          ContentLength: bytes.length,
          Metadata: { sha256 },
          ...(conditional && condition.ifMatch !== undefined ? { IfMatch: condition.ifMatch } : {}),
          ...(conditional && condition.ifNoneMatch !== undefined ? { IfNoneMatch: condition.ifNoneMatch } : {}),
        }),
      );
      return true;
    } catch (e) {
      // 412: the precondition failed; 409: a concurrent conditional write won (conditional-writes page).
      if (conditional && (statusOf(e) === 412 || statusOf(e) === 409)) return false;
      // A server older than S3's conditional writes (2024) may refuse the headers: write without them.
      if (conditional && statusOf(e) === 501) {
        this.conditionalWrites = false;
        return this.putBytes(raw, bytes, sha256, {});
      }
      throw requestFailed('PUT', this.uri(raw), e, this.secrets);
    }
  }

  async putFile(raw: string, path: string, size: number): Promise<string> {
    const { sdk, client } = await this.connect();
    // S3 needs the metadata before the body: the digest recorded while the file was written when
    // it is unchanged since (core fileDigests), else a pass over it; the upload checks it either way.
    const digest = (await knownFileDigest(path))?.sha256 ?? (await sha256File(path));
    const changed = (): Error => new IoError('store.changedDuringUpload', { path, target: this.uri(raw) });
    if (size < this.partSize) {
      const body = fileRange(path, 0, size, new VerifyingTap(digest, size, changed));
      await this.streamed('PUT', raw, body, (abortSignal) =>
        client.send(new sdk.PutObjectCommand({ Bucket: this.container, Key: raw, Body: body, ContentLength: size, Metadata: { sha256: digest } }), { abortSignal }),
      );
      return digest;
    }
    const hash = createHash('sha256');
    await this.multipart(raw, size, digest, (start, end) => fileRange(path, start, end, new HashTap(hash)), () => {
      if (hash.digest('hex') !== digest) throw changed();
    });
    return digest;
  }

  /** CreateMultipartUpload, UploadPart for each part in order, CompleteMultipartUpload; AbortMultipartUpload on any failure. */
  private async multipart(raw: string, size: number, sha256: string, part: (start: number, end: number) => Buffer | Readable, beforeComplete: (() => void) | undefined): Promise<void> {
    const { sdk, client } = await this.connect();
    const partSize = Math.max(this.partSize, Math.ceil(size / MAX_PARTS / 1048576) * 1048576);
    if (partSize > MAX_PART_SIZE) throw new IoError('store.tooLarge', { target: this.uri(raw), limit: MAX_PART_SIZE * MAX_PARTS, what: 'one S3 object' });
    let uploadId: string | undefined;
    try {
      const created = await client.send(new sdk.CreateMultipartUploadCommand({ Bucket: this.container, Key: raw, Metadata: { sha256 } }));
      uploadId = created.UploadId;
      if (uploadId === undefined) throw new IoError('store.requestFailed', { operation: 'CreateMultipartUpload', target: this.uri(raw), reason: 'the answer has no UploadId' });
      const parts: { PartNumber: number; ETag: string }[] = [];
      for (let start = 0, n = 1; start < size; start += partSize, n++) {
        const end = Math.min(size, start + partSize);
        const body = part(start, end);
        const input: UploadPartCommandInput = { Bucket: this.container, Key: raw, UploadId: uploadId, PartNumber: n, Body: body, ContentLength: end - start };
        const done = Buffer.isBuffer(body)
          ? await client.send(new sdk.UploadPartCommand(input)).catch((e: unknown) => {
              throw requestFailed(`UploadPart ${n} of`, this.uri(raw), e, this.secrets);
            })
          : await this.streamed(`UploadPart ${n} of`, raw, body, (abortSignal) => client.send(new sdk.UploadPartCommand(input), { abortSignal }));
        if (done.ETag === undefined) throw new IoError('store.requestFailed', { operation: `UploadPart ${n} of`, target: this.uri(raw), reason: 'the answer has no ETag' });
        parts.push({ PartNumber: n, ETag: done.ETag });
      }
      beforeComplete?.();
      try {
        await client.send(new sdk.CompleteMultipartUploadCommand({ Bucket: this.container, Key: raw, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
      } catch (e) {
        // The SDK resends a Complete whose answer was lost; the resend then fails (NoSuchUpload)
        // although the object is in place. It is, if it is ours: our digest and size.
        const head = await this.head(raw).catch(() => undefined);
        if (head?.sha256 === sha256 && head.size === size) return;
        throw e;
      }
    } catch (e) {
      if (uploadId !== undefined) {
        // Best effort: a server without AbortMultipartUpload (s3rver answers 405) keeps the parts,
        // which are never visible as an object; S3 lifecycle rules can expire them.
        await client.send(new sdk.AbortMultipartUploadCommand({ Bucket: this.container, Key: raw, UploadId: uploadId })).catch(() => undefined);
      }
      throw requestFailed('multipart upload of', this.uri(raw), e, this.secrets);
    }
  }

  /**
   * Sends a request whose body is a stream. The SDK pipes the body into the socket, which does
   * not end the request when the body fails (a local read error, our tap's mismatch), so the
   * request is aborted then, and the body's own error is the one reported.
   */
  private async streamed<T>(operation: string, raw: string, body: Readable, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const abort = new AbortController();
    let bodyError: unknown;
    body.once('error', (e) => {
      bodyError = e;
      abort.abort();
    });
    try {
      return await send(abort.signal);
    } catch (e) {
      throw requestFailed(operation, this.uri(raw), bodyError ?? e, this.secrets);
    } finally {
      body.destroy();
    }
  }

  async delete(raw: string): Promise<void> {
    const { sdk, client } = await this.connect();
    try {
      await client.send(new sdk.DeleteObjectCommand({ Bucket: this.container, Key: raw }));
    } catch (e) {
      if (isMissingObject(e)) return;
      throw requestFailed('DELETE', this.uri(raw), e, this.secrets);
    }
  }

  async *list(rawPrefix: string, pageSize = this.pageSize): AsyncIterable<string> {
    const { sdk, client } = await this.connect();
    let token: string | undefined;
    do {
      let page;
      try {
        page = await client.send(new sdk.ListObjectsV2Command({ Bucket: this.container, Prefix: rawPrefix, MaxKeys: pageSize, ...(token !== undefined ? { ContinuationToken: token } : {}) }));
      } catch (e) {
        throw requestFailed('ListObjectsV2', this.uri(rawPrefix), e, this.secrets);
      }
      for (const o of page.Contents ?? []) if (o.Key !== undefined) yield o.Key;
      if (page.IsTruncated === true && !page.NextContinuationToken) {
        throw new IoError('store.requestFailed', { operation: 'ListObjectsV2', target: this.uri(rawPrefix), reason: 'a truncated page without a continuation token' });
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }
}

/** Bytes [start, end) of a file through `tap`; a read error reaches the tap (and so the request). */
function fileRange(path: string, start: number, end: number, tap: HashTap | VerifyingTap): Readable {
  if (end <= start) {
    tap.end();
    return tap;
  }
  return pipeline(createReadStream(path, { start, end: end - 1, highWaterMark: 1 << 20 }), tap, () => {});
}

/** `fn` run once; later calls get the first call's promise. */
function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}
