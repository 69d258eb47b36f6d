// Runs one body of tests against every artifact store: the local folder, S3 (s3rver) and Azure
// Blob (Azurite), the remote ones behind a FaultyProxy that records requests and can cut an
// upload. Tables of cases (the sealed-artifact tamper table) use forEachStore; `tamper` reaches
// the raw bytes of stored objects past the store, the way an attacker with write access to the
// bucket, the container or the run folder would.
//
//   forEachStore('sealed artifacts', (makeStore, tamper, ctx) => {
//     test('a flipped bit is refused', async () => {
//       const store = await makeStore();
//       ... await tamper.flipBit(store, 'task/model.bin', 40); ...
//     });
//   });
//
// Servers start once per test file and kind (before the first suite of that kind) and stop
// after its last suite.
import { mkdtempSync, promises as fsp, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { LocalArtifactStore, RemoteArtifactStore} from '../../../src/pipeline/index.ts';
import { parseStoreUrl, type ArtifactStore, type StoreUrlOptions } from '../../../src/pipeline/index.ts';
import {
  AZURITE_ACCOUNT,
  AZURITE_KEY,
  S3RVER_ACCESS_KEY_ID,
  S3RVER_SECRET_ACCESS_KEY,
  azuriteConnectionString,
  startAzurite,
  startFaultyProxy,
  startS3rver,
  type FaultyProxy,
} from '../../helpers/storeServers.ts';

export type StoreKind = 'local' | 's3' | 'azure';
export const STORE_KINDS: readonly StoreKind[] = ['local', 's3', 'azure'];
/** The bucket (s3rver) and container (Azurite) every remote store of the tests lives in. */
export const TEST_BUCKET = 'sealed-test';

export type MakeStoreOptions = StoreUrlOptions;
/** A fresh, empty store (its own prefix in the shared bucket, or its own folder). */
export type MakeStore = (options?: MakeStoreOptions) => Promise<ArtifactStore>;

/** Raw access to what a store holds, bypassing it. `name` is an object name relative to the store (markers included). */
export interface StoreTamper {
  /** Every object name under the store, sorted. */
  list(store: ArtifactStore): Promise<string[]>;
  read(store: ArtifactStore, name: string): Promise<Buffer>;
  /** Replaces an object's bytes. Its recorded sha256 (remote metadata) is kept, so it now lies, unless `sha256` is given. */
  overwrite(store: ArtifactStore, name: string, bytes: Uint8Array, options?: { sha256?: string }): Promise<void>;
  /** Flips bit `bit` of byte `offset` (negative: from the end), keeping the recorded sha256. */
  flipBit(store: ArtifactStore, name: string, offset: number, bit?: number): Promise<void>;
  remove(store: ArtifactStore, name: string): Promise<void>;
}

export interface StoreCaseContext {
  readonly kind: StoreKind;
  /** The proxy in front of the server (undefined for the local store). */
  proxy(): FaultyProxy | undefined;
  /** The environment a remote store's credentials come from. */
  env(): NodeJS.ProcessEnv;
  /** The `--store` value and parseStoreUrl options for a store at `prefix`. */
  url(prefix: string): { text: string; options: StoreUrlOptions };
  /** Where stores of this kind make staging and checkout folders. */
  scratchDir(): string;
}

interface Fixture {
  env: NodeJS.ProcessEnv;
  url(prefix: string): { text: string; options: StoreUrlOptions };
  proxy?: FaultyProxy;
  raw: RawObjects;
  scratch: string;
  close(): Promise<void>;
}

/** Object-level access for StoreTamper, by full object name. */
interface RawObjects {
  list(prefix: string): Promise<string[]>;
  read(name: string): Promise<Buffer>;
  write(name: string, bytes: Uint8Array, sha256: string | undefined): Promise<void>;
  remove(name: string): Promise<void>;
}

// The SDK warns once per process that its 2027 releases need Node 22; not news for the tests.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let counter = 0;
const uniquePrefix = (): string => `t${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

/** Runs `body` in a suite per store kind. */
export function forEachStore(name: string, body: (makeStore: MakeStore, tamper: StoreTamper, ctx: StoreCaseContext) => void, kinds: readonly StoreKind[] = STORE_KINDS): void {
  for (const kind of kinds) describeStore(kind, name, body);
}

/** A suite `name [kind]` with a store server for `kind` running around it. */
export function describeStore(kind: StoreKind, name: string, body: (makeStore: MakeStore, tamper: StoreTamper, ctx: StoreCaseContext) => void): void {
  describe(`${name} [${kind}]`, () => {
    let fixture: Fixture | undefined;
    const ready = (): Fixture => {
      if (!fixture) throw new Error(`the ${kind} store fixture is not running (use makeStore inside a test)`);
      return fixture;
    };
    before(async () => {
      fixture = await acquire(kind);
    });
    after(() => release(kind));
    const makeStore: MakeStore = async (options = {}) => {
      const f = ready();
      const { text, options: base } = f.url(uniquePrefix());
      return parseStoreUrl(text, f.env, { ...base, ...options });
    };
    const tamper = makeTamper(kind, () => ready().raw);
    body(makeStore, tamper, {
      kind,
      proxy: () => ready().proxy,
      env: () => ready().env,
      url: (prefix) => ready().url(prefix),
      scratchDir: () => ready().scratch,
    });
  });
}

const running = new Map<StoreKind, { users: number; fixture: Promise<Fixture>; stopping?: NodeJS.Timeout }>();

async function acquire(kind: StoreKind): Promise<Fixture> {
  let entry = running.get(kind);
  if (!entry) {
    entry = { users: 0, fixture: startFixture(kind) };
    running.set(kind, entry);
  }
  if (entry.stopping) clearTimeout(entry.stopping);
  entry.stopping = undefined;
  entry.users++;
  return entry.fixture;
}

/**
 * Stops a kind's servers shortly after its last suite, unless another suite of that kind starts
 * first (the next suite's before() runs right after this after()), so several suites in one
 * file share one server.
 */
function release(kind: StoreKind): void {
  const entry = running.get(kind);
  if (!entry || --entry.users > 0) return;
  entry.stopping = setTimeout(() => {
    running.delete(kind);
    void entry.fixture.then((f) => f.close());
  }, 200);
}

async function startFixture(kind: StoreKind): Promise<Fixture> {
  const scratch = mkdtempSync(join(tmpdir(), `sealed-store-${kind}-`));
  if (kind === 'local') {
    return {
      env: {},
      url: (prefix) => ({ text: join(scratch, 'stores', prefix), options: {} }),
      raw: localRaw(),
      scratch,
      close: async () => rmSync(scratch, { recursive: true, force: true }),
    };
  }
  if (kind === 's3') {
    const server = await startS3rver([TEST_BUCKET]);
    const proxy = await startFaultyProxy(server.endpoint);
    // s3rver checks only the key id, so the secret can differ from its own and tests can look for it.
    const env = { AWS_ACCESS_KEY_ID: S3RVER_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: 'store-test-secret-7f3a9c' };
    return {
      env,
      url: (prefix) => ({ text: `s3://${TEST_BUCKET}/${prefix}`, options: { s3Endpoint: proxy.url, scratchDir: scratch } }),
      proxy,
      raw: await s3Raw(server.endpoint),
      scratch,
      close: async () => {
        await proxy.close();
        await server.close();
        rmSync(scratch, { recursive: true, force: true });
      },
    };
  }
  const server = await startAzurite([TEST_BUCKET]);
  const proxy = await startFaultyProxy(server.endpoint);
  const env = { AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(proxy.url) };
  return {
    env,
    url: (prefix) => ({ text: `az://${TEST_BUCKET}/${prefix}`, options: { scratchDir: scratch, retryDelayMs: 10 } }),
    proxy,
    raw: await azureRaw(server.endpoint),
    scratch,
    close: async () => {
      await proxy.close();
      await server.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

function makeTamper(kind: StoreKind, raw: () => RawObjects): StoreTamper {
  const base = (store: ArtifactStore): string => {
    if (kind === 'local') return (store as LocalArtifactStore).root + '/';
    const prefix = (store as RemoteArtifactStore).prefix;
    return prefix === '' ? '' : `${prefix}/`;
  };
  const tamper: StoreTamper = {
    list: async (store) => (await raw().list(base(store))).map((n) => n.slice(base(store).length)).sort(),
    read: (store, name) => raw().read(base(store) + name),
    overwrite: (store, name, bytes, options = {}) => raw().write(base(store) + name, bytes, options.sha256),
    flipBit: async (store, name, offset, bit = 0) => {
      const bytes = await tamper.read(store, name);
      const i = offset < 0 ? bytes.length + offset : offset;
      bytes[i] ^= 1 << bit;
      await raw().write(base(store) + name, bytes, undefined);
    },
    remove: (store, name) => raw().remove(base(store) + name),
  };
  return tamper;
}

/** The local store's objects are files: names are paths under its root. */
function localRaw(): RawObjects {
  return {
    list: async (root) => {
      const entries = await fsp.readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
      return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
    },
    read: (name) => fsp.readFile(name),
    write: (name, bytes) => fsp.writeFile(name, bytes),
    remove: (name) => fsp.rm(name, { recursive: true, force: true }),
  };
}

/** s3rver reached directly (not through the proxy), with the same SDK the store uses. */
async function s3Raw(endpoint: string): Promise<RawObjects> {
  const sdk = await import('@aws-sdk/client-s3');
  const client = new sdk.S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3RVER_ACCESS_KEY_ID, secretAccessKey: S3RVER_SECRET_ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = TEST_BUCKET;
  return {
    list: async (prefix) => {
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new sdk.ListObjectsV2Command({ Bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
        for (const o of page.Contents ?? []) names.push(o.Key!);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return names;
    },
    read: async (name) => Buffer.from(await (await client.send(new sdk.GetObjectCommand({ Bucket, Key: name }))).Body!.transformToByteArray()),
    write: async (name, bytes, sha256) => {
      const head = await client.send(new sdk.HeadObjectCommand({ Bucket, Key: name })).catch(() => undefined);
      const Metadata = { ...(head?.Metadata ?? {}), ...(sha256 !== undefined ? { sha256 } : {}) };
      await client.send(new sdk.PutObjectCommand({ Bucket, Key: name, Body: Buffer.from(bytes), Metadata }));
    },
    remove: async (name) => {
      await client.send(new sdk.DeleteObjectCommand({ Bucket, Key: name }));
    },
  };
}

/** Azurite reached directly, with the development account's Shared Key. */
async function azureRaw(endpoint: string): Promise<RawObjects> {
  const sdk = await import('@azure/storage-blob');
  const container = new sdk.BlobServiceClient(endpoint, new sdk.StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY)).getContainerClient(TEST_BUCKET);
  return {
    list: async (prefix) => {
      const names: string[] = [];
      for await (const b of container.listBlobsFlat({ prefix })) names.push(b.name);
      return names;
    },
    read: async (name) => container.getBlobClient(name).downloadToBuffer(),
    write: async (name, bytes, sha256) => {
      const props = await container.getBlobClient(name).getProperties().catch(() => undefined);
      const metadata = { ...(props?.metadata ?? {}), ...(sha256 !== undefined ? { sha256 } : {}) };
      await container.getBlockBlobClient(name).upload(Buffer.from(bytes), bytes.length, { metadata });
    },
    remove: async (name) => {
      await container.getBlobClient(name).deleteIfExists();
    },
  };
}
