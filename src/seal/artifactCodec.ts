// The sealing codec: how every step of a sealed run reads and writes artifacts (the local runner,
// the Kubeflow executor, the dashboard and `serve` all go through it). It implements the
// pipeline's ArtifactCodec (src/pipeline/executor/artifactCodec.ts) structurally, so seal
// depends on core only.
//
// Write: plaintext chunks -> envelope (fresh data key, context = run/task/artifact/type) -> file,
// atomically; the returned seal record (both digests, sizes, context) is stored with the output's
// metadata (run.json locally, MLMD on Kubeflow), which the attacker who can write the artifact
// store cannot change, and is listed in the signed run manifest.
// Read: the record says which context to expect; the header must match it, every segment must
// authenticate, and at the end both digests must equal the record's, so a validly sealed artifact
// moved from another task, run or time is refused too.
import { createHash, type Hash } from 'node:crypto';
import { lstat, rm } from 'node:fs/promises';
import { DataError, fileSink, fileSource, type ByteChunks } from '../core/index.ts';
import { describeArtifact, sealChunks, unsealChunks, type SealContext } from './envelope.ts';
import type { KeyProvider } from './keyProvider.ts';

/** Metadata key of the seal record. */
export const SEAL_RECORD_KEY = 'sealed';

export interface SealRecord {
  version: 1;
  runId: string;
  task: string;
  artifact: string;
  type: string;
  /** Of the stored (sealed) bytes. */
  sha256: string;
  size: number;
  plaintextSha256: string;
  plaintextSize: number;
}

type Json = string | number | boolean | Json[] | { [k: string]: Json };

interface Read {
  path: string;
  label: string;
  declaredType: string;
  metadata: Readonly<Record<string, unknown>>;
  producer?: { task: string; artifact: string };
  stored?: () => AsyncIterable<Uint8Array>;
}

interface Write {
  path: string;
  label: string;
  identity: SealContext;
}

export interface SealingCodecOptions {
  /** The run reading: inputs sealed by another run are refused. */
  runId: string;
  segmentSize?: number;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The seal record in an artifact's metadata, checked; undefined when there is none. */
export function sealRecordOf(metadata: Readonly<Record<string, unknown>>, label: string): SealRecord | undefined {
  const r = metadata[SEAL_RECORD_KEY];
  if (r === undefined) return undefined;
  const bad = (reason: string): DataError => new DataError('seal.recordInvalid', { artifact: label, reason });
  if (typeof r !== 'object' || r === null || Array.isArray(r)) throw bad('not an object');
  const o = r as Record<string, unknown>;
  if (o.version !== 1) throw bad(`unsupported version ${JSON.stringify(o.version)}`);
  for (const f of ['runId', 'task', 'artifact', 'type'] as const) if (typeof o[f] !== 'string' || o[f] === '') throw bad(`${f} must be a non-empty string`);
  for (const f of ['sha256', 'plaintextSha256'] as const) if (typeof o[f] !== 'string' || !HEX64.test(o[f])) throw bad(`${f} must be 64 hex digits`);
  for (const f of ['size', 'plaintextSize'] as const) if (!Number.isSafeInteger(o[f]) || (o[f] as number) < 0) throw bad(`${f} must be a whole number`);
  return o as unknown as SealRecord;
}

async function* toBuffers(chunks: ByteChunks): AsyncGenerator<Uint8Array> {
  for await (const c of chunks) yield typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
}

async function* counted(chunks: AsyncIterable<Uint8Array>, hash: Hash, size: { n: number }): AsyncGenerator<Uint8Array> {
  for await (const c of chunks) {
    hash.update(c);
    size.n += c.length;
    yield c;
  }
}

export class SealingCodec {
  readonly sealed = true;
  readonly #keys: KeyProvider;
  readonly #options: SealingCodecOptions;

  constructor(keys: KeyProvider, options: SealingCodecOptions) {
    this.#keys = keys;
    this.#options = options;
  }

  get runId(): string {
    return this.#options.runId;
  }

  sizeHint(read: Read): number | undefined {
    return sealRecordOf(read.metadata, read.label)?.plaintextSize;
  }

  /** The record a read expects, checked against this run and the reader's declared type. */
  expected(read: Read): SealRecord {
    const record = sealRecordOf(read.metadata, read.label);
    if (!record) throw new DataError('seal.noRecord', { artifact: read.label });
    const name = `${read.label} (${describeArtifact(record)})`;
    if (record.runId !== this.#options.runId) throw new DataError('seal.otherRun', { artifact: name, found: record.runId, expected: this.#options.runId });
    if (read.declaredType !== 'system.Artifact' && record.type !== read.declaredType) throw new DataError('seal.typeMismatch', { artifact: name, found: record.type, expected: read.declaredType });
    const p = read.producer;
    if (p && (record.task !== p.task || record.artifact !== p.artifact)) {
      throw new DataError('seal.wrongProducer', { artifact: name, found: `${record.task}/${record.artifact}`, expected: `${p.task}/${p.artifact}` });
    }
    return record;
  }

  open(read: Read): AsyncIterable<Uint8Array> {
    return this.#open(read);
  }

  async *#open(read: Read): AsyncGenerator<Uint8Array> {
    const record = this.expected(read);
    const expect: SealContext = { runId: record.runId, task: record.task, artifact: record.artifact, type: record.type };
    const name = describeArtifact(expect);
    const sealedHash = createHash('sha256');
    const plainHash = createHash('sha256');
    const sealedSize = { n: 0 };
    const plainSize = { n: 0 };
    const plain = unsealChunks(counted(read.stored ? read.stored() : fileSource(read.path).open(), sealedHash, sealedSize), { keyProvider: this.#keys, expect, label: read.label });
    yield* counted(plain, plainHash, plainSize);
    // Reached only when the whole artifact was read (a reader that stops early skips this).
    const check = (which: string, expected: string, found: string): void => {
      if (expected !== found) throw new DataError('seal.digestMismatch', { artifact: name, which, expected, found });
    };
    check('sealed', record.sha256, sealedHash.digest('hex'));
    check('plaintext', record.plaintextSha256, plainHash.digest('hex'));
    if (sealedSize.n !== record.size || plainSize.n !== record.plaintextSize) check('size of', `${record.size}/${record.plaintextSize}`, `${sealedSize.n}/${plainSize.n}`);
  }

  async write(write: Write, chunks: ByteChunks): Promise<Record<string, Json>> {
    const plainHash = createHash('sha256');
    const sealedHash = createHash('sha256');
    const plainSize = { n: 0 };
    const sealedSize = { n: 0 };
    const sealed = sealChunks(counted(toBuffers(chunks), plainHash, plainSize), {
      keyProvider: this.#keys,
      context: write.identity,
      ...(this.#options.segmentSize !== undefined ? { segmentSize: this.#options.segmentSize } : {}),
    });
    await fileSink(write.path).write(counted(sealed, sealedHash, sealedSize));
    const record: SealRecord = {
      version: 1,
      ...write.identity,
      sha256: sealedHash.digest('hex'),
      size: sealedSize.n,
      plaintextSha256: plainHash.digest('hex'),
      plaintextSize: plainSize.n,
    };
    return { [SEAL_RECORD_KEY]: { ...record } };
  }

  async finishOutput(write: Write, wroteThroughHandle: boolean): Promise<void> {
    if (wroteThroughHandle) return;
    // Written to the path by the component itself: plaintext (or a sealed file with no record).
    const st = await lstat(write.path).catch(() => undefined);
    if (st) await rm(write.path, { recursive: true, force: true });
    throw new DataError('seal.unsealedOutput', { artifact: write.label });
  }
}
