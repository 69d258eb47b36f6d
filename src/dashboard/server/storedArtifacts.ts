// How the dashboard reads a run's artifact, plain or sealed (issue 16). Every artifact read of
// the API (download, CSV page and row count, JSON view, metrics) opens it here.
//
// A plain run's artifact is the file itself. A sealed run's artifact (run.json `sealed: true`,
// or any output carrying a seal record) is read through the pipeline's one reader,
// storedArtifactSource with a SealingCodec for the run's recorded id, fed from the file the
// run's RunFiles opened (runSource.ts: a descriptor runFiles.ts opened without following
// links, or an object a store streams, storeRuns.ts): the codec checks the envelope's context against
// the seal record, authenticates every segment and, at the end, both digests and sizes. Its
// errors (DataError, one line naming the artifact) become 422s. Without keys a sealed run's
// artifacts are refused with 409 and the message saying how to open them.
//
// Nothing decrypted is written anywhere: plaintext lives in the request's memory only. Caches
// (fileCache.ts) hold row counts, confusion buckets and "this version passed its checks",
// keyed by `cacheKey` (real path or object URI + seal record digests + run id) and the file's version.
import { DataError, isSealedError, type ByteSource as ContentSource } from '../../core/index.ts';
import { storedArtifactSource, type OutputRecord } from '../../pipeline/index.ts';
import { readSignedRunManifest, SEAL_RECORD_KEY, SealingCodec, sealRecordOf, type KeyProvider, type SealRecord, type Verifier } from '../../seal/index.ts';
import { ApiError } from './apiError.ts';
import type { ByteSource } from './byteSource.ts';
import type { IndexedRun, OpenedFile } from './runSource.ts';
import type { StoredManifest, StoredOutput } from './storedRun.ts';

/** Side files of large metadata (run.json keeps them small); the same cap as run.json. */
const METADATA_LIMIT = 16 * 1024 * 1024;

/** Whether a run's artifacts are sealed: run.json says so, or any of its outputs has a seal record. */
export function isSealedRun(manifest: Pick<StoredManifest, 'sealed' | 'tasks'>): boolean {
  if (manifest.sealed === true) return true;
  return Object.values(manifest.tasks).some((t) => Object.values(t.outputs ?? {}).some((o) => o.metadata !== undefined && Object.hasOwn(o.metadata, SEAL_RECORD_KEY)));
}

export interface OpenedArtifact {
  /** The stored file, open; close() closes it. */
  readonly file: OpenedFile;
  readonly sealed: boolean;
  /** Content bytes: the file's size, or the plaintext size of the seal record. */
  readonly size: number;
  /** The content from its first byte; a sealed one decrypted, and checked against its record once read to the end. */
  chunks(): AsyncIterable<Uint8Array>;
  /** Random access for the CSV pager (sealed: decrypted from the start up to the position asked for). */
  readonly random: ByteSource;
  /** Key of per-content caches (with `file` as the version). */
  readonly cacheKey: string;
  close(): Promise<void>;
}

/** The 422 for an artifact that failed to read or its checks (`reason` is the one-line cause). */
export function badArtifact(run: IndexedRun, file: string, reason: string): ApiError {
  return new ApiError(422, 'dashboard.badArtifact', { run: run.id, file, reason });
}

/** Rethrows a data or seal error of reading `file` as its 422; other errors unchanged. */
export function asArtifactError(run: IndexedRun, file: string) {
  return (e: unknown): never => {
    if (e instanceof DataError || (isSealedError(e) && !(e instanceof ApiError))) throw badArtifact(run, file, e.message);
    throw e;
  };
}

/** Largest run.json / run.sig.json read to check a signature. */
const SIGNED_TEXT_LIMIT = 16 * 1024 * 1024;

export class StoredArtifacts {
  readonly #keys: KeyProvider | undefined;
  readonly #verifier: Verifier | undefined;
  /** Signed run.json texts already checked, by run id: a run's signature is verified once per version of its run.json. */
  readonly #signed = new Map<string, { text: string; manifest: StoredManifest }>();

  /**
   * `verifier`: the key folder's signing key. With it, a sealed run's records are taken only from
   * the run.json its run.sig.json signed (so they cannot have been edited, moved or rolled back);
   * a sealed run that is not signed yet (running, or interrupted) stays locked.
   */
  constructor(keys: KeyProvider | undefined, verifier?: Verifier) {
    this.#keys = keys;
    this.#verifier = verifier;
  }

  /** The output record as the run's signed run.json has it; 422 when run.json is not what was signed. */
  async #signedOutput(run: IndexedRun, output: StoredOutput, at: { task: string; output: string }): Promise<StoredOutput> {
    const verifier = this.#verifier;
    if (!verifier) return output;
    const files = run.files;
    const source = {
      get: async (key: string) => Buffer.from(await files.readText(key, SIGNED_TEXT_LIMIT), 'utf8'),
      stat: (key: string) => files.exists(key).then((found) => (found ? {} : undefined)),
    };
    let signed: StoredManifest;
    try {
      const text = (await readSignedRunManifest(source, verifier, run.id)).toString('utf8');
      const cached = this.#signed.get(run.id);
      if (cached?.text === text) signed = cached.manifest;
      else {
        signed = JSON.parse(text) as StoredManifest;
        this.#signed.set(run.id, { text, manifest: signed });
      }
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw badArtifact(run, output.path, (e as Error).message);
    }
    const record = signed.tasks?.[at.task]?.outputs?.[at.output];
    if (!record || JSON.stringify(record) !== JSON.stringify(output)) {
      throw badArtifact(run, output.path, `run.json changed after it was signed: its record of ${at.task}/${at.output} is not the signed one`);
    }
    return record;
  }

  /** True when the dashboard was given keys (sealed ui --keys DIR). */
  get hasKeys(): boolean {
    return this.#keys !== undefined;
  }

  /** Opens `output` (task `at.task`'s output `at.output`) of `run` for reading; the caller closes it. */
  async open(run: IndexedRun, output: StoredOutput, at: { task: string; output: string }): Promise<OpenedArtifact> {
    if (!isSealedRun(run.manifest)) return plainArtifact(await run.files.open(output.path));
    const keys = this.#keys;
    if (!keys) throw new ApiError(409, 'dashboard.sealedNoKeys', { run: run.id });
    output = await this.#signedOutput(run, output, at);
    const metadata = await this.metadataOf(run, output);
    let record: SealRecord | undefined;
    try {
      record = sealRecordOf(metadata, output.path);
    } catch (e) {
      asArtifactError(run, output.path)(e);
    }
    if (!record) throw badArtifact(run, output.path, new DataError('seal.noRecord', { artifact: output.path }).message);
    // The codec checks the record against the run and the envelope; that it is this task's output is checked here
    // (run.json pointing one output at another artifact of the same run would pass otherwise).
    for (const [field, expected] of [['task', at.task], ['artifact', at.output]] as const) {
      if (record[field] !== expected) throw badArtifact(run, output.path, new DataError('seal.contextMismatch', { artifact: output.path, field, expected, found: record[field] }).message);
    }
    // Everything that can refuse is checked above: from here the descriptor is closed by the caller.
    const file = await run.files.open(output.path);
    // Named as the dashboard names files in its errors; the codec adds the sealed identity.
    const codec = new SealingCodec(keys, { runId: run.manifest.id });
    // run.json is read leniently (any type string, any JSON metadata); the codec checks the record itself.
    const stored = { type: output.type as OutputRecord['type'], metadata: metadata as OutputRecord['metadata'] };
    const source: ContentSource = storedArtifactSource(stored, codec, { path: file.path, label: output.path, stored: () => file.chunks() });
    const random = streamByteSource(record.plaintextSize, () => source.open());
    return {
      file,
      sealed: true,
      size: record.plaintextSize,
      chunks: () => source.open(),
      random,
      cacheKey: `${file.path}\0${run.manifest.id}\0${record.sha256}\0${record.plaintextSha256}\0${record.plaintextSize}`,
      close: async () => {
        await random.close();
        await file.close();
      },
    };
  }

  /** The output's metadata: inline in run.json, or in its side file (run.json keeps large metadata there). */
  async metadataOf(run: IndexedRun, output: StoredOutput): Promise<Record<string, unknown>> {
    if (output.metadataPath === undefined) return output.metadata ?? {};
    const text = await run.files.readText(output.metadataPath, METADATA_LIMIT);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw badArtifact(run, output.metadataPath, `not JSON: ${(e as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw badArtifact(run, output.metadataPath, 'not a JSON object');
    return parsed as Record<string, unknown>;
  }
}

function plainArtifact(file: OpenedFile): OpenedArtifact {
  return {
    file,
    sealed: false,
    size: file.size,
    chunks: () => file.chunks(),
    random: file.random,
    cacheKey: file.path,
    close: () => file.close(),
  };
}

/** Reads `chunks` whole, refusing more than `limit` bytes (`tooLarge(bytes)` makes that error). */
export async function readWhole(chunks: AsyncIterable<Uint8Array>, limit: number, tooLarge: (bytes: number) => Error): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > limit) throw tooLarge(total);
    parts.push(Buffer.from(chunk));
  }
  return Buffer.concat(parts, total);
}

/** Reads `chunks` to the end and drops them: what a sealed artifact's full check costs. */
export async function drain(chunks: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _chunk of chunks) {
    // Nothing kept: the codec checks the digests once the last chunk has passed.
  }
}

/**
 * Random access over content that can only be read from its start (a sealed artifact): reads
 * move forward through one open stream, a read before the current chunk starts it again. The
 * CSV pager reads forward from its cursor, so a page costs one decryption up to its end.
 */
export function streamByteSource(size: number, open: () => AsyncIterable<Uint8Array>): ByteSource & { close(): Promise<void> } {
  let it: AsyncIterator<Uint8Array> | undefined;
  let chunk: Uint8Array = new Uint8Array(0);
  let chunkStart = 0;
  let ended = false;
  const stop = async (): Promise<void> => {
    const was = it;
    it = undefined;
    await was?.return?.();
  };
  const advance = async (): Promise<boolean> => {
    if (ended || !it) return false;
    const r = await it.next();
    if (r.done) {
      ended = true;
      return false;
    }
    chunkStart += chunk.length;
    chunk = r.value;
    return true;
  };
  return {
    size,
    async read(buffer: Uint8Array, position: number): Promise<number> {
      if (!it || position < chunkStart) {
        await stop();
        it = open()[Symbol.asyncIterator]();
        chunk = new Uint8Array(0);
        chunkStart = 0;
        ended = false;
      }
      let n = 0;
      while (n < buffer.length) {
        const from = position + n - chunkStart;
        if (from >= chunk.length) {
          if (!(await advance())) break;
          continue;
        }
        const take = Math.min(chunk.length - from, buffer.length - n);
        buffer.set(chunk.subarray(from, from + take), n);
        n += take;
      }
      return n;
    },
    close: stop,
  };
}
