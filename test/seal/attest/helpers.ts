// A fake finished run for the integrity tests: artifact files and a run.json shaped like the one
// src/pipeline/local/runPipeline.ts writes (manifest.ts: inputs, tasks[].outputs{path, sha256,
// size, type, metadataPath?}, tasks[].log), optionally sealed with the real envelope
// (src/seal/envelope.ts) with the seal record src/seal/artifactCodec.ts keeps in each output's metadata.
import { createHash, generateKeyPairSync, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LocalArtifactStore } from '../../../src/pipeline/store/index.ts';
import type { StatOptions } from '../../../src/pipeline/store/artifactStore.ts';
import { publicKeyFingerprint, type Signer, type Verifier } from '../../../src/seal/localKeys.ts';
import { sealChunks, unsealChunks, type KeyProvider } from '../../../src/seal/index.ts';
import { signRun, type DsseEnvelope, type RunManifestArtifact, type UnsealResult } from '../../../src/seal/attest/index.ts';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';

export function ed25519Pair(): { signer: Signer; verifier: Verifier; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyId = publicKeyFingerprint(publicKey);
  return {
    signer: { keyId, sign: (m) => cryptoSign(null, m, privateKey) },
    verifier: { keyId, verify: (m, s) => cryptoVerify(null, m, publicKey, s) },
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

export const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

export const RUN_ID = '20260101-000000-abcdef';
/** Plain contents of the fake run's artifacts, by store key. */
export const PLAIN: Record<string, string> = {
  'inputs/data.csv': 'a,b\n1,2\n',
  'make-numbers/numbers.csv': '1\n2\n3\n',
  'fit-model/model.json': '{"weights":[1,2]}\n',
  'fit-model/plots/roc.svg': '<svg>roc</svg>\n',
  'fit-model/plots/pr.svg': '<svg>pr</svg>\n',
};

async function sealBytes(plain: string, keyProvider: KeyProvider, context: { runId: string; task: string; artifact: string; type: string }): Promise<Buffer> {
  async function* one(): AsyncGenerator<Uint8Array> {
    yield Buffer.from(plain);
  }
  const parts: Buffer[] = [];
  for await (const chunk of sealChunks(one(), { keyProvider, context })) parts.push(chunk);
  return Buffer.concat(parts);
}

export interface FakeRun {
  dir: string;
  store: RecordingStore;
  envelope: DsseEnvelope;
}

/**
 * Writes the fake run into a fresh folder `<tmp>/run` (so `<tmp>` is "outside the run") and signs
 * it with `signer` through signRun (collect.ts reads the run.json below).
 */
export async function makeRun(signer: Signer, options: { keyProvider?: KeyProvider } = {}): Promise<FakeRun> {
  const dir = join(tempDir('sealed-attest-'), 'run');
  const write = (key: string, bytes: Uint8Array | string): void => {
    mkdirSync(dirname(join(dir, key)), { recursive: true });
    writeFileSync(join(dir, key), bytes);
  };
  const record = async (key: string, task: string, output: string, type: string): Promise<Record<string, unknown>> => {
    const plain = PLAIN[key];
    if (!options.keyProvider) {
      write(key, plain);
      return { path: key, sha256: sha(plain), size: Buffer.byteLength(plain), type };
    }
    const sealed = await sealBytes(plain, options.keyProvider, { runId: RUN_ID, task, artifact: output, type });
    write(key, sealed);
    // The seal record as src/seal/artifactCodec.ts (SealRecord) keeps it in the output's metadata.
    const record = { version: 1, runId: RUN_ID, task, artifact: output, type, sha256: sha(sealed), size: sealed.length, plaintextSha256: sha(plain), plaintextSize: Buffer.byteLength(plain) };
    return { path: key, sha256: sha(sealed), size: sealed.length, type, metadata: { sealed: record } };
  };
  const data = await record('inputs/data.csv', 'inputs', 'data', 'system.Dataset');
  const numbers = await record('make-numbers/numbers.csv', 'make-numbers', 'numbers', 'system.Dataset');
  const model = await record('fit-model/model.json', 'fit-model', 'model', 'system.Model');
  // The model's metadata is "large": filed beside it, and dropped from run.json (manifest.ts withoutFiledMetadata).
  write('fit-model/model.json.metadata.json', JSON.stringify({ framework: 'toy', ...(model.metadata as object | undefined) }) + '\n');
  delete model.metadata;
  write('fit-model/plots/roc.svg', PLAIN['fit-model/plots/roc.svg']);
  write('fit-model/plots/pr.svg', PLAIN['fit-model/plots/pr.svg']);
  write('make-numbers/log.txt', 'made 3 numbers\n');
  write('pipeline.json', '{"pipelineInfo":{"name":"toy-pipeline"}}\n');
  const run = {
    id: RUN_ID,
    pipeline: 'toy-pipeline',
    parameters: { count: 3 },
    inputs: { data: { ...data, source: '/somewhere/data.csv' } },
    state: 'succeeded',
    createdAt: '2026-01-01T00:00:00.000Z',
    tasks: {
      'make-numbers': { state: 'succeeded', component: 'make-numbers', outputs: { numbers }, log: 'make-numbers/log.txt' },
      'fit-model': {
        state: 'succeeded',
        component: 'fit-model',
        outputs: {
          model: { ...model, metadataPath: 'fit-model/model.json.metadata.json' },
          // A folder output: run.json records the store's folder digest; the statement lists its files.
          plots: { path: 'fit-model/plots', sha256: 'f'.repeat(64), size: 30, type: 'system.HTML' },
        },
      },
    },
  };
  write('run.json', JSON.stringify(run, null, 2) + '\n');
  const store = new RecordingStore(dir);
  const kek = options.keyProvider ? { provider: options.keyProvider.name, keyId: 'test-key' } : undefined;
  const envelope = await signRun(store, signer, kek ? { kek } : {});
  store.keys.length = 0;
  return { dir, store, envelope };
}

/** The local store, remembering every key it was asked to stat, read or list (to prove what was never touched). */
export class RecordingStore extends LocalArtifactStore {
  readonly keys: string[] = [];
  // The local store always hashes the bytes, so StatOptions.verify changes nothing here.
  override async stat(key: string, _options?: StatOptions) {
    this.keys.push(key);
    return super.stat(key);
  }
  override async get(key: string) {
    this.keys.push(key);
    return super.get(key);
  }
  override async read(key: string) {
    this.keys.push(key);
    return super.read(key);
  }
}

/** An unsealer as the lead's runner would make one: stream the stored bytes through the real envelope, digest the plaintext. */
export function unsealerFor(store: LocalArtifactStore, keyProvider: KeyProvider) {
  return async (artifact: RunManifestArtifact, run: { runId: string }): Promise<UnsealResult> => {
    const s = artifact.sealed!;
    const hash = createHash('sha256');
    let size = 0;
    const stream = (await store.read(artifact.name)) as AsyncIterable<Uint8Array>;
    for await (const chunk of unsealChunks(stream, { keyProvider, expect: { runId: s.runId ?? run.runId, task: s.task, artifact: s.artifact, type: s.type } })) {
      hash.update(chunk);
      size += chunk.length;
    }
    return { plaintextSha256: hash.digest('hex'), plaintextSize: size };
  };
}

/** The envelope's statement, decoded (for tampering). */
export function payloadOf(envelope: DsseEnvelope): { subject: { name: string; digest: { sha256: string } }[]; predicate: { artifacts: Record<string, unknown>[] } & Record<string, unknown> } & Record<string, unknown> {
  return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
}

export function writeEnvelope(dir: string, envelope: unknown): void {
  writeFileSync(join(dir, 'run.sig.json'), typeof envelope === 'string' ? envelope : JSON.stringify(envelope));
}
