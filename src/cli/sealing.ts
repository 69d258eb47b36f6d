// `--seal --keys DIR` for commands that run or read pipelines: opens the key folder once, gives
// the runner a sealing codec per run (src/seal/artifactCodec.ts) and signs the run manifest when
// the run ends (src/seal/attest: DSSE + in-toto, run.sig.json). Nothing here prints a key.
import { resolve } from 'node:path';
import { UsageError } from '../core/index.ts';
import { lstat } from 'node:fs/promises';
import { LocalArtifactStore, parseStoreLocation, parseStoreUrl, type ArtifactCodec, type ArtifactStore, type RunManifest } from '../pipeline/index.ts';
import type { OpenedRun } from './commands/verify.ts';
import type { CliIo } from './io.ts';
import type { LocalKeyProvider, Unsealer } from '../seal/index.ts';
import { createHash } from 'node:crypto';

export interface SealOptions {
  seal?: boolean;
  keys?: string;
}

export interface Sealing {
  keys: LocalKeyProvider;
  codecFor(runId: string): ArtifactCodec;
  /** Signs the finished run (every artifact, log, pipeline.json and run.json) with the folder's Ed25519 key. */
  afterRun(manifest: RunManifest, store: ArtifactStore): Promise<void>;
}

/** Undefined for a plain run; refuses --seal without --keys and --keys without --seal. */
export async function openSealing(options: SealOptions, cwd: string): Promise<Sealing | undefined> {
  if (options.seal !== true && options.keys === undefined) return undefined;
  if (options.seal !== true) throw new UsageError('cli.usage', { reason: '--keys DIR is for sealed runs: add --seal' });
  if (options.keys === undefined) throw new UsageError('cli.usage', { reason: '--seal needs --keys DIR (make one with: sealed keys init --out DIR)' });
  // Loaded for sealed runs only: src/seal brings the Azure clients (undici, jose), ~0.15 s of CPU a plain run need not pay.
  const { LocalKeyProvider, SealingCodec, signRun } = await import('../seal/index.ts');
  const keys = await LocalKeyProvider.open(resolve(cwd, options.keys));
  return {
    keys,
    codecFor: (runId) => new SealingCodec(keys, { runId }),
    afterRun: async (_manifest, store) => {
      await signRun(store, keys.signer(), { kek: { provider: keys.name, keyId: keys.keyId }, sealed: true });
    },
  };
}

/** For `sealed verify --keys`: decrypts a sealed artifact from the store and digests its plaintext. */
export async function unsealerFor(keysDir: string, run: { store: ArtifactStore }): Promise<Unsealer> {
  const { LocalKeyProvider, unsealChunks } = await import('../seal/index.ts');
  const keys = await LocalKeyProvider.open(keysDir);
  return async (artifact, { runId }) => {
    const s = artifact.sealed;
    if (!s) throw new UsageError('cli.usage', { reason: `${artifact.name} is not sealed` });
    const expect = { runId: s.runId ?? runId, task: s.task, artifact: s.artifact, type: s.type };
    const hash = createHash('sha256');
    let size = 0;
    const stored = (await run.store.read(artifact.name)) as AsyncIterable<Uint8Array>;
    for await (const chunk of unsealChunks(stored, { keyProvider: keys, expect, label: artifact.name })) {
      hash.update(chunk);
      size += chunk.length;
    }
    return { plaintextSha256: hash.digest('hex'), plaintextSize: size };
  };
}

/** For `sealed verify`: a run folder, or a run kept in object storage (credentials from the environment only). */
export async function openRunForVerify(run: string, io: CliIo, options: { s3Endpoint?: string }): Promise<OpenedRun> {
  const location = parseStoreLocation(run);
  if (location.kind === 'local') {
    const path = resolve(io.cwd, run);
    const stat = await lstat(path).catch(() => undefined);
    if (!stat) throw new UsageError('integrity.notARun', { path: run, reason: 'it does not exist' });
    if (!stat.isDirectory()) throw new UsageError('integrity.notARun', { path: run, reason: 'it is not a folder' });
    return { store: new LocalArtifactStore(path), label: run, localRoot: path };
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const store = parseStoreUrl(run, io.env, options.s3Endpoint !== undefined ? { s3Endpoint: options.s3Endpoint } : {});
  return { store, label: store.location };
}
