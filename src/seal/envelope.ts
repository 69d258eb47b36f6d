// The sealed-artifact format, version 1 (issue 16, item 1): AES-256-GCM with a fresh data key
// per artifact, in segments, streamed in both directions. Segmenting follows the STREAM
// construction (Hoang, Reyhanitabar, Rogaway, Vizár: "Online Authenticated-Encryption and its
// Nonce-Reuse Misuse-Resistance", CRYPTO 2015), as Google Tink's streaming AEAD
// (AesGcmHkdfStreaming) uses it: nonce = 7-byte random prefix || 4-byte segment counter ||
// 1-byte final flag, and a per-artifact segment key derived with HKDF from the data key and a
// random salt, so no (key, nonce) pair is ever used twice.
//
// Byte layout (integers big-endian):
//   0    8  magic+version: "SEALED" 0x00 0x01  (bytes 0..6 are the magic, byte 7 the version)
//   8    4  L = header length, 2 <= L <= 65,536
//   12   L  header, UTF-8 JSON: { alg: "AES-256-GCM", segmentSize, salt (b64, 16 bytes),
//           noncePrefix (b64, 7 bytes), key: WrappedKey, context: { runId, task, artifact, type } }
//   12+L 32 header MAC = HMAC-SHA256(macKey, bytes 0 .. 12+L)
//   then segments 0..n-1: AES-256-GCM(segKey, nonce_i, aad_i, plaintext_i) || 16-byte tag.
//   Every segment but the last holds exactly segmentSize plaintext bytes; the last (final flag
//   1) holds 0..segmentSize (0 only when the whole artifact is empty). The end of the input
//   marks the last segment; a stream that ends anywhere else fails authentication.
//   nonce_i = noncePrefix || uint32(i) || final;  aad_i = SHA-256(bytes 0 .. 12+L) || uint32(i) || final
//   segKey = HKDF-SHA256(dataKey, salt, "sealed-pipelines seal v1 segments", 32)
//   macKey = HKDF-SHA256(dataKey, salt, "sealed-pipelines seal v1 header", 32)
// The data key is wrapped by a KeyProvider with the context's canonical encoding as its
// additional data. Editing the header fails the MAC; truncation, reordering, dropping or
// replaying segments fails a segment's tag; moving an artifact to another run/task/name fails
// the context check (and, with a context-binding provider, the unwrap).
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { Duplex } from 'node:stream';
import { DataError, UsageError, isSealedError } from '../core/index.ts';
import type { KeyProvider, WrappedKey } from './keyProvider.ts';

export const SEAL_MAGIC = Buffer.from('SEALED\x00', 'latin1');
export const SEAL_VERSION = 1;
export const SEAL_ALGORITHM = 'AES-256-GCM';
export const DEFAULT_SEGMENT_SIZE = 65_536;
export const MIN_SEGMENT_SIZE = 4096;
export const MAX_SEGMENT_SIZE = 4 * 1024 * 1024;
export const MAX_HEADER_BYTES = 65_536;
/** Segment indexes are 32-bit counters in the nonce. */
export const MAX_SEGMENTS = 2 ** 32;

const PREAMBLE = 12; // magic (7) + version (1) + header length (4)
const TAG = 16;
const MAC = 32;
const SALT = 16;
const NONCE_PREFIX = 7;
const MAX_CONTEXT_FIELD = 1024;

/** What an artifact is; bound into its header, its key wrap and every segment. */
export interface SealContext {
  runId: string;
  task: string;
  artifact: string;
  /** The artifact's declared type, e.g. system.Model. */
  type: string;
}

export interface SealedHeader {
  version: number;
  alg: string;
  segmentSize: number;
  salt: Uint8Array;
  noncePrefix: Uint8Array;
  key: WrappedKey;
  context: SealContext;
}

export interface SealOptions {
  keyProvider: KeyProvider;
  context: SealContext;
  /** Plaintext bytes per segment; default 65,536, between 4 KiB and 4 MiB. */
  segmentSize?: number;
}

export interface UnsealOptions {
  keyProvider: KeyProvider;
  /**
   * The context the caller expects (where it found the artifact). Every field must match the
   * header's. Omit only when the caller inspects the context itself through `onHeader`.
   */
  expect?: SealContext;
  /** Called once the header is authenticated, before any plaintext is produced. */
  onHeader?: (header: SealedHeader) => void;
  /** Names the input in errors raised before the header is read when `expect` is not given. */
  label?: string;
}

const CONTEXT_FIELDS = ['runId', 'task', 'artifact', 'type'] as const;

/** How errors name an artifact: `artifact 'model' (run r1, task train)`. */
export function describeArtifact(c: SealContext): string {
  return `artifact '${c.artifact}' (run ${c.runId}, task ${c.task})`;
}

/** The canonical bytes of a context, given to the key provider as additional data. */
export function encodeSealContext(c: SealContext): Uint8Array {
  return Buffer.from(JSON.stringify(['sealed-pipelines/seal/v1', c.runId, c.task, c.artifact, c.type]), 'utf8');
}

function contextProblem(c: unknown): string | undefined {
  if (typeof c !== 'object' || c === null) return 'context must be an object';
  for (const f of CONTEXT_FIELDS) {
    const v = (c as Record<string, unknown>)[f];
    if (typeof v !== 'string' || v.length === 0 || v.length > MAX_CONTEXT_FIELD) return `context.${f} must be a non-empty string of at most ${MAX_CONTEXT_FIELD} characters`;
  }
  return undefined;
}

function deriveKeys(dataKey: Uint8Array, salt: Uint8Array): { segKey: Buffer; macKey: Buffer } {
  const segKey = Buffer.from(hkdfSync('sha256', dataKey, salt, 'sealed-pipelines seal v1 segments', 32));
  const macKey = Buffer.from(hkdfSync('sha256', dataKey, salt, 'sealed-pipelines seal v1 header', 32));
  return { segKey, macKey };
}

/** Per-artifact segment cipher state shared by both directions. */
class SegmentCipher {
  private readonly nonce = Buffer.alloc(12);
  private readonly aad = Buffer.alloc(32 + 5);
  constructor(private readonly key: Buffer, noncePrefix: Uint8Array, headerDigest: Buffer) {
    this.nonce.set(noncePrefix, 0);
    headerDigest.copy(this.aad, 0);
  }
  private setIndex(index: number, final: boolean): void {
    this.nonce.writeUInt32BE(index, NONCE_PREFIX);
    this.nonce[11] = final ? 1 : 0;
    this.aad.writeUInt32BE(index, 32);
    this.aad[36] = final ? 1 : 0;
  }
  seal(plain: Uint8Array, index: number, final: boolean): Buffer {
    this.setIndex(index, final);
    const c = createCipheriv('aes-256-gcm', this.key, this.nonce);
    c.setAAD(this.aad);
    const body = c.update(plain);
    c.final();
    return Buffer.concat([body, c.getAuthTag()], body.length + TAG);
  }
  /** The plaintext, or undefined when the segment does not authenticate as (index, final). */
  open(sealed: Uint8Array, index: number, final: boolean): Buffer | undefined {
    if (sealed.length < TAG) return undefined;
    this.setIndex(index, final);
    const d = createDecipheriv('aes-256-gcm', this.key, this.nonce);
    d.setAAD(this.aad);
    d.setAuthTag(sealed.subarray(sealed.length - TAG));
    const body = d.update(sealed.subarray(0, sealed.length - TAG));
    try {
      d.final();
    } catch {
      return undefined;
    }
    return body;
  }
}

function checkSegmentSize(size: number): void {
  if (!Number.isInteger(size) || size < MIN_SEGMENT_SIZE || size > MAX_SEGMENT_SIZE) {
    throw new UsageError('seal.badOption', { option: 'segmentSize', value: String(size), expected: `an integer from ${MIN_SEGMENT_SIZE} to ${MAX_SEGMENT_SIZE}` });
  }
}

/** Seals a plaintext byte stream; yields the sealed artifact (header first, then segments). */
export async function* sealChunks(source: AsyncIterable<Uint8Array>, options: SealOptions): AsyncGenerator<Buffer> {
  const segmentSize = options.segmentSize ?? DEFAULT_SEGMENT_SIZE;
  checkSegmentSize(segmentSize);
  const context = options.context;
  const bad = contextProblem(context);
  if (bad !== undefined) throw new UsageError('seal.badOption', { option: 'context', value: JSON.stringify(context), expected: bad });
  const label = describeArtifact(context);

  const dataKey = randomBytes(32);
  const salt = randomBytes(SALT);
  const noncePrefix = randomBytes(NONCE_PREFIX);
  const key = await options.keyProvider.wrapKey(dataKey, encodeSealContext(context));
  const headerJson = Buffer.from(JSON.stringify({
    alg: SEAL_ALGORITHM,
    segmentSize,
    salt: salt.toString('base64'),
    noncePrefix: noncePrefix.toString('base64'),
    key: { provider: key.provider, keyId: key.keyId, algorithm: key.algorithm, wrapped: key.wrapped },
    context: { runId: context.runId, task: context.task, artifact: context.artifact, type: context.type },
  }), 'utf8');
  if (headerJson.length > MAX_HEADER_BYTES) throw new DataError('seal.headerInvalid', { artifact: label, reason: `header is ${headerJson.length} bytes, more than ${MAX_HEADER_BYTES}` });
  const preamble = Buffer.alloc(PREAMBLE);
  SEAL_MAGIC.copy(preamble, 0);
  preamble[7] = SEAL_VERSION;
  preamble.writeUInt32BE(headerJson.length, 8);
  const authed = Buffer.concat([preamble, headerJson]);
  const { segKey, macKey } = deriveKeys(dataKey, salt);
  dataKey.fill(0);
  const mac = createHmac('sha256', macKey).update(authed).digest();
  yield Buffer.concat([authed, mac]);

  const cipher = new SegmentCipher(segKey, noncePrefix, createHash('sha256').update(authed).digest());
  // A full segment is held back until more input arrives: only then is it known not to be the last.
  const buf = Buffer.allocUnsafe(segmentSize);
  let fill = 0;
  let index = 0;
  for await (const chunk of source) {
    let off = 0;
    while (off < chunk.length) {
      if (fill === segmentSize) {
        if (index >= MAX_SEGMENTS - 1) throw new DataError('seal.tooLarge', { artifact: label, limit: String(MAX_SEGMENTS) });
        yield cipher.seal(buf, index++, false);
        fill = 0;
      }
      const n = Math.min(segmentSize - fill, chunk.length - off);
      buf.set(chunk.subarray(off, off + n), fill);
      fill += n;
      off += n;
    }
  }
  yield cipher.seal(buf.subarray(0, fill), index, true);
}

function parseHeader(json: Buffer, label: string): SealedHeader {
  const invalid = (reason: string): DataError => new DataError('seal.headerInvalid', { artifact: label, reason });
  let h: unknown;
  try {
    h = JSON.parse(json.toString('utf8'));
  } catch {
    throw invalid('not JSON');
  }
  if (typeof h !== 'object' || h === null || Array.isArray(h)) throw invalid('not a JSON object');
  const o = h as Record<string, unknown>;
  if (o.alg !== SEAL_ALGORITHM) throw invalid(`unsupported algorithm ${JSON.stringify(o.alg)}; expected ${SEAL_ALGORITHM}`);
  const size = o.segmentSize;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < MIN_SEGMENT_SIZE || size > MAX_SEGMENT_SIZE) throw invalid(`segmentSize must be an integer from ${MIN_SEGMENT_SIZE} to ${MAX_SEGMENT_SIZE}`);
  const bytes = (name: string, length: number): Buffer => {
    const v = o[name];
    const b = typeof v === 'string' ? Buffer.from(v, 'base64') : undefined;
    if (b === undefined || b.length !== length || b.toString('base64') !== v) throw invalid(`${name} must be ${length} bytes in base64`);
    return b;
  };
  const salt = bytes('salt', SALT);
  const noncePrefix = bytes('noncePrefix', NONCE_PREFIX);
  const k = o.key as Record<string, unknown> | null;
  if (typeof k !== 'object' || k === null || !['provider', 'keyId', 'algorithm', 'wrapped'].every((f) => typeof k[f] === 'string')) throw invalid('key must have string provider, keyId, algorithm and wrapped');
  const problem = contextProblem(o.context);
  if (problem !== undefined) throw invalid(problem);
  const c = o.context as Record<string, string>;
  return {
    version: SEAL_VERSION,
    alg: SEAL_ALGORITHM,
    segmentSize: size,
    salt,
    noncePrefix,
    key: { provider: k.provider as string, keyId: k.keyId as string, algorithm: k.algorithm as string, wrapped: k.wrapped as string },
    context: { runId: c.runId, task: c.task, artifact: c.artifact, type: c.type },
  };
}

/**
 * Unseals a sealed byte stream; yields plaintext, each piece only after its segment has
 * authenticated. A consumer must still treat the output as untrusted until the generator has
 * finished: an error (truncation, tampering) can come after earlier segments were yielded;
 * unsealFile therefore writes to a temporary file and deletes it on any error.
 */
export async function* unsealChunks(source: AsyncIterable<Uint8Array>, options: UnsealOptions): AsyncGenerator<Buffer> {
  let label = options.expect ? describeArtifact(options.expect) : (options.label ?? 'sealed artifact');
  const it = source[Symbol.asyncIterator]();
  let done = false;
  const pulled: Buffer[] = [];
  let pulledBytes = 0;
  const pull = async (n: number): Promise<Buffer | undefined> => {
    while (pulledBytes < n && !done) {
      const r = await it.next();
      if (r.done) done = true;
      else {
        pulled.push(Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength));
        pulledBytes += r.value.byteLength;
      }
    }
    return pulledBytes >= n ? Buffer.concat(pulled, pulledBytes) : undefined;
  };
  try {
    const pre = await pull(PREAMBLE);
    if (pre === undefined) {
      const got = Buffer.concat(pulled);
      const n = Math.min(got.length, SEAL_MAGIC.length);
      if (got.length === 0 || !got.subarray(0, n).equals(SEAL_MAGIC.subarray(0, n))) throw new DataError('seal.badMagic', { artifact: label });
      throw new DataError('seal.truncated', { artifact: label, after: `${got.length} bytes, inside the header` });
    }
    if (!pre.subarray(0, SEAL_MAGIC.length).equals(SEAL_MAGIC)) throw new DataError('seal.badMagic', { artifact: label });
    if (pre[7] !== SEAL_VERSION) throw new DataError('seal.unsupportedVersion', { artifact: label, version: pre[7], supported: SEAL_VERSION });
    const headerLength = pre.readUInt32BE(8);
    if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) throw new DataError('seal.headerInvalid', { artifact: label, reason: `header length ${headerLength} is outside 2..${MAX_HEADER_BYTES}` });
    const all = await pull(PREAMBLE + headerLength + MAC);
    if (all === undefined) throw new DataError('seal.truncated', { artifact: label, after: `${pulledBytes} bytes, inside the header` });
    const authed = all.subarray(0, PREAMBLE + headerLength);
    const header = parseHeader(authed.subarray(PREAMBLE), label);
    if (options.expect) {
      for (const f of CONTEXT_FIELDS) {
        if (header.context[f] !== options.expect[f]) throw new DataError('seal.contextMismatch', { artifact: label, field: f, expected: options.expect[f], found: header.context[f] });
      }
    }
    label = describeArtifact(header.context);

    const provider = options.keyProvider;
    let dataKey: Uint8Array;
    try {
      if (header.key.provider !== provider.name) throw new Error(`it was wrapped by provider '${header.key.provider}', not '${provider.name}'`);
      dataKey = await provider.unwrapKey(header.key, encodeSealContext(header.context));
      if (dataKey.length !== 32) throw new Error(`the provider returned ${dataKey.length} bytes, not 32`);
    } catch (e) {
      const reason = isSealedError(e) || e instanceof Error ? e.message : String(e);
      throw new DataError('seal.wrongKey', { artifact: label, provider: header.key.provider, keyId: header.key.keyId, reason }, { cause: e });
    }
    const { segKey, macKey } = deriveKeys(dataKey, header.salt);
    const mac = createHmac('sha256', macKey).update(authed).digest();
    if (!timingSafeEqual(mac, all.subarray(authed.length, authed.length + MAC))) throw new DataError('seal.headerTampered', { artifact: label });
    options.onHeader?.(header);

    const cipher = new SegmentCipher(segKey, header.noncePrefix, createHash('sha256').update(authed).digest());
    const sealedSize = header.segmentSize + TAG;
    const buf = Buffer.allocUnsafe(sealedSize);
    let fill = 0;
    let index = 0;
    const take = function* (chunk: Buffer): Generator<Buffer> {
      let off = 0;
      while (off < chunk.length) {
        if (fill === sealedSize) {
          // More input follows, so this full segment is not the last one.
          const plain = cipher.open(buf, index, false);
          if (plain === undefined) throw new DataError('seal.segmentAuth', { artifact: label, segment: index, last: false });
          yield plain;
          index++;
          if (index >= MAX_SEGMENTS) throw new DataError('seal.tooLarge', { artifact: label, limit: String(MAX_SEGMENTS) });
          fill = 0;
        }
        const n = Math.min(sealedSize - fill, chunk.length - off);
        chunk.copy(buf, fill, off, off + n);
        fill += n;
        off += n;
      }
    };
    yield* take(all.subarray(PREAMBLE + headerLength + MAC));
    pulled.length = 0;
    while (!done) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      yield* take(Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength));
    }
    const last = buf.subarray(0, fill);
    const plain = cipher.open(last, index, true);
    if (plain === undefined) {
      // Name the likely cause: no tag at all, or a complete non-final segment where the last one should be.
      if (fill < TAG) throw new DataError('seal.truncated', { artifact: label, after: index === 0 ? 'the header' : `segment ${index - 1}` });
      if (fill === sealedSize && cipher.open(last, index, false) !== undefined) throw new DataError('seal.truncated', { artifact: label, after: `segment ${index}` });
      throw new DataError('seal.segmentAuth', { artifact: label, segment: index, last: true });
    }
    if (plain.length > 0) yield plain;
  } finally {
    if (!done) await it.return?.();
  }
}

/** A Duplex stream: plaintext in, sealed artifact out. */
export function createSealStream(options: SealOptions): Duplex {
  return Duplex.from(async function* (source: AsyncIterable<Uint8Array>) {
    yield* sealChunks(source, options);
  });
}

/** A Duplex stream: sealed artifact in, authenticated plaintext out (see unsealChunks). */
export function createUnsealStream(options: UnsealOptions): Duplex {
  return Duplex.from(async function* (source: AsyncIterable<Uint8Array>) {
    yield* unsealChunks(source, options);
  });
}
