// What a finished run consists of, read from its run.json through the ArtifactStore interface
// (so it works for any store): the RunAttestationInput that buildRunStatement signs.
// Digests of outputs and run inputs are the ones run.json recorded when they were stored (not
// recomputed: a file changed after it was stored then fails verification instead of being
// signed as it is now). Files run.json records without a digest (metadata files, logs,
// pipeline.json, run.json itself) and the files of folder artifacts are digested here.
import { z } from 'zod';
import { DataError, IoError } from '../../core/index.ts';
import type { ArtifactStore } from '../../pipeline/store/index.ts';
import { DIGEST_CONCURRENCY, mapLimit } from './mapLimit.ts';
import type { RunArtifactFile, RunArtifactInput, RunAttestationInput, RunKeys, SealedDigest } from './statement.ts';

/** run.json and pipeline.json keys (same as src/pipeline/local/manifest.ts). */
export const RUN_MANIFEST_KEY = 'run.json';
export const RUN_SPEC_KEY = 'pipeline.json';
/** run.json keeps large metadata in files, so it stays small; anything bigger is not read whole. */
export const MAX_RUN_JSON_BYTES = 32 * 1024 * 1024;

export interface CollectOptions {
  /** Fingerprint of the signing key (Signer.keyId). */
  signingKey: string;
  /** Key-encryption key of a sealed run. */
  kek?: RunKeys['kek'];
  /** Whether the run is sealed; default: whether any record has `sealed`. */
  sealed?: boolean;
}

// Only the fields signing needs; others are ignored, so the runner may add fields freely.
// The seal record of a sealed output (src/seal/artifactCodec.ts SealRecord) is kept in the
// output's metadata under 'sealed' (inline in run.json, or in its metadata file when large);
// a top-level `sealed` on the record is read too.
const sealRecord = z.object({
  runId: z.string().optional(),
  task: z.string(),
  artifact: z.string(),
  type: z.string(),
  sha256: z.string().optional(),
  size: z.number().optional(),
  plaintextSha256: z.string(),
  plaintextSize: z.number(),
});
const fileRecord = z.object({
  path: z.string(),
  sha256: z.string(),
  size: z.number(),
  type: z.string(),
  metadataPath: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  sealed: sealRecord.optional(),
});
const runRecord = z.object({
  id: z.string(),
  pipeline: z.string(),
  createdAt: z.string(),
  sealed: z.boolean().optional(),
  inputs: z.record(z.string(), fileRecord).optional(),
  tasks: z.record(z.string(), z.object({ outputs: z.record(z.string(), fileRecord).optional(), log: z.string().optional() })),
});
type FileRecord = z.infer<typeof fileRecord>;

/** A small JSON file of the run (run.json, a metadata file), read within MAX_RUN_JSON_BYTES. */
async function readJson(store: ArtifactStore, key: string): Promise<unknown> {
  const stat = await store.stat(key);
  if (!stat || stat.kind !== 'file') throw new IoError('io.notFound', { path: store.uriFor(key) });
  if (stat.size > MAX_RUN_JSON_BYTES) throw new IoError('io.tooLarge', { path: store.uriFor(key), limit: MAX_RUN_JSON_BYTES });
  const bytes = await store.get(key);
  if (bytes.length > MAX_RUN_JSON_BYTES) throw new IoError('io.tooLarge', { path: store.uriFor(key), limit: MAX_RUN_JSON_BYTES });
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new DataError('integrity.badInput', { name: key, reason: 'is not JSON' });
  }
}

async function readRunRecord(store: ArtifactStore): Promise<z.infer<typeof runRecord>> {
  const parsed = runRecord.safeParse(await readJson(store, RUN_MANIFEST_KEY));
  if (!parsed.success) throw new DataError('integrity.badInput', { name: RUN_MANIFEST_KEY, reason: `is not a run record (${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message})` });
  return parsed.data;
}

/** The output's seal record, wherever run.json keeps it; refuses one that does not describe the stored bytes. */
async function sealedOf(store: ArtifactStore, record: FileRecord): Promise<SealedDigest | undefined> {
  let raw: unknown = record.sealed ?? record.metadata?.sealed;
  if (raw === undefined && record.metadataPath !== undefined) raw = ((await readJson(store, record.metadataPath)) as Record<string, unknown> | null)?.sealed;
  if (raw === undefined) return undefined;
  const parsed = sealRecord.safeParse(raw);
  if (!parsed.success) throw new DataError('integrity.badInput', { name: record.path, reason: `has a malformed seal record (${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message})` });
  const r = parsed.data;
  if ((r.sha256 !== undefined && r.sha256 !== record.sha256) || (r.size !== undefined && r.size !== record.size)) {
    throw new DataError('integrity.badInput', { name: record.path, reason: 'has a seal record for other bytes than run.json records' });
  }
  return { ...(r.runId !== undefined ? { runId: r.runId } : {}), task: r.task, artifact: r.artifact, type: r.type, plaintextSha256: r.plaintextSha256, plaintextSize: r.plaintextSize };
}

/** Each file of the folder `key` with its digest (keys under `${key}/`, sorted). */
export async function describeFolder(store: ArtifactStore, key: string): Promise<RunArtifactFile[]> {
  // A store may answer list('x/') for a file 'x' with ['x']; only keys below the folder count.
  const names = (await store.list(`${key}/`)).filter((k) => k.startsWith(`${key}/`));
  const stats = await mapLimit(names, DIGEST_CONCURRENCY, (name) => store.stat(name, { verify: true }));
  const files: RunArtifactFile[] = [];
  stats.forEach((stat, i) => {
    if (stat?.kind === 'file') files.push({ name: names[i], sha256: stat.sha256, size: stat.size });
  });
  return files;
}

/** A file run.json names without a digest, digested now; undefined when it does not exist. */
async function digestOf(store: ArtifactStore, name: string): Promise<RunArtifactFile | undefined> {
  const stat = await store.stat(name, { verify: true });
  return stat?.kind === 'file' ? { name, sha256: stat.sha256, size: stat.size } : undefined;
}

async function artifactOf(store: ArtifactStore, record: FileRecord, info: Pick<RunArtifactInput, 'role' | 'task' | 'output' | 'type'>): Promise<RunArtifactInput[]> {
  const out: RunArtifactInput[] = [];
  const folderFiles = await describeFolder(store, record.path);
  if (folderFiles.length > 0) out.push({ ...info, kind: 'directory', name: record.path, files: folderFiles });
  else {
    const sealed = await sealedOf(store, record);
    out.push({ ...info, name: record.path, sha256: record.sha256, size: record.size, ...(sealed ? { sealed } : {}) });
  }
  if (record.metadataPath !== undefined) {
    const metadata = await digestOf(store, record.metadataPath);
    if (metadata) out.push({ ...metadata, role: 'metadata', ...(info.task !== undefined ? { task: info.task } : {}), ...(info.output !== undefined ? { output: info.output } : {}) });
  }
  return out;
}

/** The run in `store` as a RunAttestationInput, in run order (see statement.ts). */
export async function collectRunAttestation(store: ArtifactStore, options: CollectOptions): Promise<RunAttestationInput> {
  const run = await readRunRecord(store);
  const artifacts: RunArtifactInput[] = [];
  for (const [name, record] of Object.entries(run.inputs ?? {})) artifacts.push(...(await artifactOf(store, record, { role: 'input', output: name, type: record.type })));
  for (const [task, record] of Object.entries(run.tasks)) {
    for (const [output, out] of Object.entries(record.outputs ?? {})) artifacts.push(...(await artifactOf(store, out, { role: 'output', task, output, type: out.type })));
    const log = record.log !== undefined ? await digestOf(store, record.log) : undefined;
    if (log) artifacts.push({ ...log, role: 'log', task });
  }
  const spec = await digestOf(store, RUN_SPEC_KEY);
  if (spec) artifacts.push({ ...spec, role: 'spec' });
  const manifest = await digestOf(store, RUN_MANIFEST_KEY);
  if (manifest) artifacts.push({ ...manifest, role: 'manifest' });
  const anySealed = run.sealed ?? artifacts.some((a) => a.kind !== 'directory' && a.sealed !== undefined);
  return {
    runId: run.id,
    pipeline: run.pipeline,
    createdAt: run.createdAt,
    sealed: options.sealed ?? anySealed,
    artifacts,
    keys: { signingKey: options.signingKey, ...(options.kek ? { kek: options.kek } : {}) },
  };
}
