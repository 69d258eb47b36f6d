import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { DataError, UsageError } from '../../src/core/index.ts';
import { isSealed, sealChunks, sealFile, unsealChunks, unsealFile, type SealContext, type KeyProvider, type WrappedKey } from '../../src/seal/index.ts';
import { MemoryKeyProvider } from './memoryKeyProvider.ts';

const S = 4096;
const TAG = 16;
const ctxA: SealContext = { runId: 'run-a', task: 'train', artifact: 'model', type: 'system.Model' };
const provider = new MemoryKeyProvider();

async function* once(b: Uint8Array): AsyncGenerator<Uint8Array> {
  // Odd chunk sizes, so segment boundaries never line up with chunks.
  for (let i = 0; i < b.length; i += 1000) yield b.subarray(i, i + 1000);
}
async function collect(g: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of g) parts.push(Buffer.from(p));
  return Buffer.concat(parts);
}
const seal = (plain: Uint8Array, context = ctxA, segmentSize = S, kp: KeyProvider = provider): Promise<Buffer> =>
  collect(sealChunks(once(plain), { keyProvider: kp, context, segmentSize }));
const unseal = (sealed: Uint8Array, expect: SealContext | undefined = ctxA, kp: KeyProvider = provider): Promise<Buffer> =>
  collect(unsealChunks(once(sealed), { keyProvider: kp, expect }));
const bodyStart = (sealed: Buffer): number => 12 + sealed.readUInt32BE(8) + 32;
const segAt = (sealed: Buffer, i: number): [number, number] => [bodyStart(sealed) + i * (S + TAG), Math.min(sealed.length, bodyStart(sealed) + (i + 1) * (S + TAG))];

async function refused(p: Promise<unknown>, code: string, args: Record<string, unknown> = {}): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected a DataError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    for (const [k, v] of Object.entries(args)) assert.deepEqual((e.args as Record<string, unknown>)[k], v, e.message);
    assert.ok(!e.message.includes('\n'), 'one line');
    assert.match(e.message, /artifact 'model'|sealed/);
    return true;
  });
}

test('round trip for sizes 0, 1, segment-1, segment, segment+1, 3.5 segments (and the default segment size)', async () => {
  for (const n of [0, 1, S - 1, S, S + 1, 3.5 * S, 3 * S]) {
    const plain = randomBytes(n);
    const sealed = await seal(plain);
    assert.ok(isSealed(sealed));
    if (n >= 64) assert.ok(!sealed.includes(plain.subarray(0, 64)));
    assert.deepEqual(await unseal(sealed), plain, `size ${n}`);
  }
  const big = randomBytes(200_000);
  assert.deepEqual(await collect(unsealChunks(once(await collect(sealChunks(once(big), { keyProvider: provider, context: ctxA }))), { keyProvider: provider, expect: ctxA })), big);
});

test('50 MB stream seals and unseals in constant memory', async () => {
  const total = 50 * 1024 * 1024;
  const chunk = randomBytes(64 * 1024);
  async function* source(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < total / chunk.length; i++) {
      chunk[0] = i & 0xff;
      yield chunk;
    }
  }
  const inHash = createHash('sha256');
  const src = (async function* () {
    for await (const c of source()) {
      inHash.update(c);
      yield c;
    }
  })();
  // Buffers live outside the V8 heap and V8 collects them lazily (after ~64 MB of external
  // allocations), so collect every 4 MB: what stays resident then is what the pipeline retains.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const outHash = createHash('sha256');
  let bytes = 0;
  for await (const p of unsealChunks(sealChunks(src, { keyProvider: provider, context: ctxA }), { keyProvider: provider, expect: ctxA })) {
    outHash.update(p);
    bytes += p.length;
    if (bytes % (4 * 1024 * 1024) === 0) {
      gc();
      peak = Math.max(peak, process.memoryUsage().rss);
    }
  }
  assert.equal(bytes, total);
  assert.equal(outHash.digest('hex'), inHash.digest('hex'));
  assert.ok(peak - rss0 < 16 * 1024 * 1024, `rss grew by ${peak - rss0} bytes`);
});

test('attack: flipped bit in the header (salt, MAC, magic, version, JSON) is refused', async () => {
  const sealed = await seal(randomBytes(3 * S));
  const L = sealed.readUInt32BE(8);
  const json = JSON.parse(sealed.subarray(12, 12 + L).toString('utf8')) as { salt: string };
  const salt = Buffer.from(json.salt, 'base64');
  salt[0] ^= 1;
  const edited = Buffer.from(sealed);
  edited.write(sealed.subarray(12, 12 + L).toString('utf8').replace(json.salt, salt.toString('base64')), 12, 'utf8');
  await refused(unseal(edited), 'seal.headerTampered');
  const mac = Buffer.from(sealed);
  mac[12 + L + 5] ^= 0x10;
  await refused(unseal(mac), 'seal.headerTampered');
  const magic = Buffer.from(sealed);
  magic[2] ^= 1;
  await refused(unseal(magic), 'seal.badMagic');
  const version = Buffer.from(sealed);
  version[7] = 2;
  await refused(unseal(version), 'seal.unsupportedVersion', { version: 2 });
  const syntax = Buffer.from(sealed);
  syntax[12] ^= 1; // the opening brace
  await refused(unseal(syntax), 'seal.headerInvalid');
  const length = Buffer.from(sealed);
  length.writeUInt32BE(70_000, 8);
  await refused(unseal(length), 'seal.headerInvalid');
  await refused(unseal(Buffer.from('plain,csv\n1,2\n')), 'seal.badMagic');
});

test('attack: header context rewritten is refused even by a key provider that ignores the context', async () => {
  // A provider without additional data (like RSA-OAEP key wrap): the header MAC still catches it.
  class NoContextProvider implements KeyProvider {
    readonly name = 'nocontext';
    private readonly inner = new MemoryKeyProvider('k');
    async wrapKey(k: Uint8Array): Promise<WrappedKey> {
      return { ...(await this.inner.wrapKey(k, new Uint8Array(0))), provider: this.name };
    }
    unwrapKey(w: WrappedKey): Promise<Uint8Array> {
      return this.inner.unwrapKey(w, new Uint8Array(0));
    }
  }
  const kp = new NoContextProvider();
  const sealed = await seal(randomBytes(S), ctxA, S, kp);
  const edited = Buffer.from(sealed.toString('latin1').replace('"run-a"', '"run-b"'), 'latin1');
  await refused(unseal(edited, { ...ctxA, runId: 'run-b' }, kp), 'seal.headerTampered');
  // With a context-binding provider the unwrap already fails.
  const sealed2 = await seal(randomBytes(S));
  const edited2 = Buffer.from(sealed2.toString('latin1').replace('"run-a"', '"run-b"'), 'latin1');
  await refused(unseal(edited2, { ...ctxA, runId: 'run-b' }), 'seal.wrongKey');
});

test('attack: flipped bit in the body and in a tag', async () => {
  const sealed = await seal(randomBytes(3.5 * S));
  const body = Buffer.from(sealed);
  body[segAt(sealed, 1)[0] + 10] ^= 0x80;
  await refused(unseal(body), 'seal.segmentAuth', { segment: 1, last: false });
  const tag = Buffer.from(sealed);
  tag[segAt(sealed, 0)[1] - 3] ^= 1;
  await refused(unseal(tag), 'seal.segmentAuth', { segment: 0 });
  const lastTag = Buffer.from(sealed);
  lastTag[lastTag.length - 1] ^= 1;
  await refused(unseal(lastTag), 'seal.segmentAuth', { segment: 3, last: true });
});

test('attack: truncated at a segment boundary, mid-segment, and inside the header', async () => {
  const sealed = await seal(randomBytes(3.5 * S));
  await refused(unseal(sealed.subarray(0, segAt(sealed, 1)[1])), 'seal.truncated', { after: 'segment 1' });
  await refused(unseal(sealed.subarray(0, segAt(sealed, 2)[0] + 100)), 'seal.segmentAuth', { segment: 2, last: true });
  await refused(unseal(sealed.subarray(0, segAt(sealed, 2)[0] + 5)), 'seal.truncated', { after: 'segment 1' });
  await refused(unseal(sealed.subarray(0, bodyStart(sealed))), 'seal.truncated', { after: 'the header' });
  await refused(unseal(sealed.subarray(0, 40)), 'seal.truncated');
  await refused(unseal(sealed.subarray(0, sealed.length - 1)), 'seal.segmentAuth', { segment: 3, last: true });
});

test('attack: a segment dropped, two segments swapped, the final segment replayed earlier', async () => {
  const sealed = await seal(randomBytes(3.5 * S));
  const seg = (i: number): Buffer => sealed.subarray(...segAt(sealed, i));
  const head = sealed.subarray(0, bodyStart(sealed));
  await refused(unseal(Buffer.concat([head, seg(0), seg(2), seg(3)])), 'seal.segmentAuth', { segment: 1 });
  await refused(unseal(Buffer.concat([head, seg(1), seg(0), seg(2), seg(3)])), 'seal.segmentAuth', { segment: 0 });
  await refused(unseal(Buffer.concat([head, seg(0), seg(3), seg(2), seg(3)])), 'seal.segmentAuth');
  // A full-size final segment replayed in place of segment 1.
  const full = await seal(randomBytes(3 * S));
  const fseg = (i: number): Buffer => full.subarray(...segAt(full, i));
  await refused(unseal(Buffer.concat([full.subarray(0, bodyStart(full)), fseg(0), fseg(2), fseg(2)])), 'seal.segmentAuth', { segment: 1, last: false });
  // The body of one artifact behind the header of another (same key provider).
  const other = await seal(randomBytes(3.5 * S));
  await refused(unseal(Buffer.concat([head, other.subarray(bodyStart(other))])), 'seal.segmentAuth', { segment: 0 });
});

test('attack: artifact swapped between two runs or two tasks (context mismatch); wrong key', async () => {
  const sealed = await seal(randomBytes(100));
  await refused(unseal(sealed, { ...ctxA, runId: 'run-b' }), 'seal.contextMismatch', { field: 'runId', found: 'run-a', expected: 'run-b' });
  await refused(unseal(sealed, { ...ctxA, task: 'predict' }), 'seal.contextMismatch', { field: 'task' });
  await refused(unseal(sealed, { ...ctxA, artifact: 'predictions' }), 'seal.contextMismatch', { field: 'artifact' });
  await refused(unseal(sealed, { ...ctxA, type: 'system.Dataset' }), 'seal.contextMismatch', { field: 'type' });
  await refused(unseal(sealed, ctxA, new MemoryKeyProvider('test-key')), 'seal.wrongKey', { keyId: 'test-key' });
  await refused(unseal(sealed, ctxA, new MemoryKeyProvider('other-key')), 'seal.wrongKey');
});

test('options out of range are usage errors', async () => {
  for (const segmentSize of [4095, 4 * 1024 * 1024 + 1, S + 0.5]) {
    await assert.rejects(seal(randomBytes(10), ctxA, segmentSize), (e: unknown) => e instanceof UsageError && e.code === 'seal.badOption');
  }
  await assert.rejects(seal(randomBytes(10), { ...ctxA, task: '' }), UsageError);
});

test('files: round trip, isSealed, and no plaintext written when an unseal fails', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seal-test-'));
  try {
    const plain = Buffer.from('id,income,default\n'.repeat(20_000));
    const plainPath = join(dir, 'data.csv');
    writeFileSync(plainPath, plain);
    const sealedPath = join(dir, 'data.csv.sealed');
    await sealFile(plainPath, sealedPath, { keyProvider: provider, context: ctxA, segmentSize: S });
    assert.ok(isSealed(sealedPath));
    assert.ok(!isSealed(plainPath));
    assert.ok(!readFileSync(sealedPath).includes('income'));
    rmSync(plainPath);
    const outPath = join(dir, 'out.csv');
    await unsealFile(sealedPath, outPath, { keyProvider: provider, expect: ctxA });
    assert.deepEqual(readFileSync(outPath), plain);
    rmSync(outPath);

    // Tamper with the last segment: earlier segments were already decrypted into the temp file.
    const tampered = readFileSync(sealedPath);
    tampered[tampered.length - 2] ^= 1;
    writeFileSync(sealedPath, tampered);
    await refused(unsealFile(sealedPath, outPath, { keyProvider: provider, expect: ctxA }), 'seal.segmentAuth');
    assert.deepEqual(readdirSync(dir), ['data.csv.sealed']);
    await refused(unsealFile(sealedPath, outPath, { keyProvider: provider, expect: { ...ctxA, runId: 'x' } }), 'seal.contextMismatch');
    await refused(unsealFile(sealedPath, outPath, { keyProvider: new MemoryKeyProvider() }), 'seal.wrongKey');
    assert.deepEqual(readdirSync(dir), ['data.csv.sealed']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
