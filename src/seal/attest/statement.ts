// The signed run manifest: an in-toto Statement v1 whose subjects are every file of a run and
// whose predicate (type RUN_MANIFEST_PREDICATE_TYPE, defined here) says what each file is.
// Specs: https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md and
// resource_descriptor.md / digest_set.md (subject = {name, digest: {sha256: lowercase hex}}).
//
// Predicate "https://sealed-pipelines.dev/run-manifest/v1":
//   runId, pipeline, createdAt   from run.json
//   sealed                       true when the run's artifacts are sealed envelopes
//   artifacts[]                  one per subject, same order and names: {name (store key), role,
//                                task?, output?, type?, folder?, size, sha256, sealed?}; sha256 and
//                                size are of the STORED bytes (the ciphertext when sealed); `sealed`
//                                adds the plaintext digest and the context it was sealed with
//   keys                         {signingKey: fingerprint of the signing key, kek?: {provider, keyId}}
// Subject order = run order: run inputs, then each task's outputs (each followed by its metadata
// file), its log, in task order; then pipeline.json and run.json. A folder artifact becomes one
// subject per file (`folder` names the artifact), so every subject digest is a plain sha256 of bytes.
// The envelope is stored beside them as RUN_SIGNATURE_KEY, the one file of a run no subject lists.
import { z } from 'zod';
import { DataError } from '../../core/index.ts';
import { keyProblem } from '../../pipeline/store/storeKey.ts';

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** DSSE payloadType of an in-toto Statement (attestation spec/v1/envelope.md). */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const RUN_MANIFEST_PREDICATE_TYPE = 'https://sealed-pipelines.dev/run-manifest/v1';
/** The run's DSSE envelope (JSON), beside run.json. */
export const RUN_SIGNATURE_KEY = 'run.sig.json';
/** Longest artifact name parsed, in characters (the key rule then allows at most 1,024 bytes). */
export const MAX_NAME_CHARS = 1024;
/** Most artifacts one statement lists; the envelope size limit (dsse.ts) usually binds first. */
export const MAX_ARTIFACTS = 100_000;

export type ArtifactRole = 'input' | 'output' | 'metadata' | 'log' | 'spec' | 'manifest';
export const ARTIFACT_ROLES: readonly ArtifactRole[] = ['input', 'output', 'metadata', 'log', 'spec', 'manifest'];

/** What a sealed artifact decrypts to, and the context (SealContext) it was sealed with. */
export interface SealedDigest {
  /** The run id it was sealed for, when not the run's own (absent: predicate.runId). */
  runId?: string;
  plaintextSha256: string;
  plaintextSize: number;
  task: string;
  artifact: string;
  type: string;
}

/** One stored file. */
export interface RunArtifactFile {
  /** Store key, e.g. 'split-numbers/train.csv'. */
  name: string;
  /** Hex sha256 of the stored bytes (ciphertext when sealed). */
  sha256: string;
  size: number;
  sealed?: SealedDigest;
}

interface ArtifactInfo {
  role: ArtifactRole;
  /** Producing task (outputs, metadata, logs). */
  task?: string;
  /** Output or run-input name (the key in run.json). */
  output?: string;
  /** Declared artifact type, e.g. system.Dataset. */
  type?: string;
}

/** An artifact of the run: a file, or a folder given as its files (names under `${name}/`). */
export type RunArtifactInput = ArtifactInfo & ((RunArtifactFile & { kind?: 'file' }) | { kind: 'directory'; name: string; files: RunArtifactFile[] });

export interface RunKeys {
  /** publicKeyFingerprint of the key that signs (Signer.keyId). */
  signingKey: string;
  /** The key-encryption key of a sealed run. */
  kek?: { provider: string; keyId: string };
}

/** Everything the runner knows at the end of a run (plain data from run.json's records). */
export interface RunAttestationInput {
  runId: string;
  pipeline: string;
  createdAt: string;
  sealed: boolean;
  /** In run order (see the top of this file). */
  artifacts: RunArtifactInput[];
  keys: RunKeys;
}

export interface RunManifestArtifact extends ArtifactInfo {
  name: string;
  /** The folder artifact this file is part of. */
  folder?: string;
  size: number;
  sha256: string;
  sealed?: SealedDigest;
}

export interface RunManifestPredicate {
  runId: string;
  pipeline: string;
  createdAt: string;
  sealed: boolean;
  artifacts: RunManifestArtifact[];
  keys: RunKeys;
}

export interface Subject {
  name: string;
  digest: { sha256: string };
}

export interface RunStatement {
  _type: typeof IN_TOTO_STATEMENT_TYPE;
  subject: Subject[];
  predicateType: typeof RUN_MANIFEST_PREDICATE_TYPE;
  predicate: RunManifestPredicate;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Why `name` cannot be an artifact name, or undefined when it can: the store's one rule for keys
 * (pipeline/store/storeKey.ts: relative POSIX path, no empty, '.' or '..' segment, no backslash,
 * no control or bidi character, at most 1,024 bytes), and not the signature file itself.
 */
export function unsafeNameReason(name: string): string | undefined {
  const problem = keyProblem(name);
  if (problem !== undefined) return problem;
  if (name === RUN_SIGNATURE_KEY) return 'it is the signature file itself';
  return undefined;
}

function checkFile(file: RunArtifactFile, label: string): void {
  const bad = (reason: string): never => {
    throw new DataError('integrity.badInput', { name: label, reason });
  };
  const unsafe = unsafeNameReason(file.name);
  if (unsafe !== undefined) bad(`has an unsafe name: ${unsafe}`);
  if (!SHA256.test(file.sha256)) bad('has no lowercase hex sha256');
  if (!Number.isSafeInteger(file.size) || file.size < 0) bad('has no valid size');
  const s = file.sealed;
  if (s && (!SHA256.test(s.plaintextSha256) || !Number.isSafeInteger(s.plaintextSize) || s.plaintextSize < 0)) bad('has no valid plaintext digest');
}

/** The statement for a finished run; refuses (DataError integrity.badInput) unsafe or duplicate names and bad digests. */
export function buildRunStatement(input: RunAttestationInput): RunStatement {
  const artifacts: RunManifestArtifact[] = [];
  const info = (a: RunArtifactInput): ArtifactInfo => ({
    role: a.role,
    ...(a.task !== undefined ? { task: a.task } : {}),
    ...(a.output !== undefined ? { output: a.output } : {}),
    ...(a.type !== undefined ? { type: a.type } : {}),
  });
  const entry = (file: RunArtifactFile, base: ArtifactInfo, folder?: string): RunManifestArtifact => ({
    name: file.name,
    ...base,
    ...(folder !== undefined ? { folder } : {}),
    size: file.size,
    sha256: file.sha256,
    ...(file.sealed ? { sealed: { ...file.sealed } } : {}),
  });
  for (const a of input.artifacts) {
    if (!ARTIFACT_ROLES.includes(a.role)) throw new DataError('integrity.badInput', { name: a.name, reason: `has an unknown role '${String(a.role)}'` });
    if (a.kind === 'directory') {
      const unsafe = unsafeNameReason(a.name);
      if (unsafe !== undefined) throw new DataError('integrity.badInput', { name: a.name, reason: `has an unsafe name: ${unsafe}` });
      for (const file of a.files) {
        checkFile(file, file.name);
        if (!file.name.startsWith(`${a.name}/`)) throw new DataError('integrity.badInput', { name: file.name, reason: `is not inside its folder '${a.name}'` });
        artifacts.push(entry(file, info(a), a.name));
      }
    } else {
      checkFile(a, a.name);
      artifacts.push(entry(a, info(a)));
    }
  }
  const seen = new Set<string>();
  for (const a of artifacts) {
    if (seen.has(a.name)) throw new DataError('integrity.badInput', { name: a.name, reason: 'is listed twice' });
    seen.add(a.name);
  }
  if (artifacts.length > MAX_ARTIFACTS) throw new DataError('integrity.badInput', { name: artifacts[MAX_ARTIFACTS].name, reason: `is one of more than ${MAX_ARTIFACTS} artifacts` });
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: artifacts.map((a) => ({ name: a.name, digest: { sha256: a.sha256 } })),
    predicateType: RUN_MANIFEST_PREDICATE_TYPE,
    predicate: {
      runId: input.runId,
      pipeline: input.pipeline,
      createdAt: input.createdAt,
      sealed: input.sealed,
      artifacts,
      keys: { signingKey: input.keys.signingKey, ...(input.keys.kek ? { kek: { provider: input.keys.kek.provider, keyId: input.keys.kek.keyId } } : {}) },
    },
  };
}

// --- Reading a verified payload back --------------------------------------------------------
// Unknown fields are ignored (attestation spec/v1/README.md "Parsing rules": consumers MUST
// ignore unrecognized fields); every known field must have its type. Names are NOT checked here:
// verifyRun reports each unsafe name as a finding and never reads it.
const text = (max: number) => z.string().max(max);
const sha256 = z.string().regex(SHA256, 'must be a lowercase hex sha256');
const size = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const sealedSchema = z.object({ runId: text(256).optional(), plaintextSha256: sha256, plaintextSize: size, task: text(1024), artifact: text(1024), type: text(1024) });
const artifactSchema = z.object({
  name: text(MAX_NAME_CHARS),
  role: z.enum(ARTIFACT_ROLES as [ArtifactRole, ...ArtifactRole[]]),
  task: text(1024).optional(),
  output: text(1024).optional(),
  type: text(1024).optional(),
  folder: text(MAX_NAME_CHARS).optional(),
  size,
  sha256,
  sealed: sealedSchema.optional(),
});
const statementSchema = z.object({
  _type: z.literal(IN_TOTO_STATEMENT_TYPE),
  // digest is a DigestSet: other algorithms may be present; this version needs sha256.
  subject: z.array(z.object({ name: text(MAX_NAME_CHARS), digest: z.object({ sha256 }) })).max(MAX_ARTIFACTS),
  predicateType: z.literal(RUN_MANIFEST_PREDICATE_TYPE),
  predicate: z.object({
    runId: text(256),
    pipeline: text(256),
    createdAt: text(64),
    sealed: z.boolean(),
    artifacts: z.array(artifactSchema).max(MAX_ARTIFACTS),
    keys: z.object({ signingKey: text(256), kek: z.object({ provider: text(256), keyId: text(256) }).optional() }),
  }),
});

/** Parses verified payload bytes as a run statement; throws Error(reason) when it is not one. */
export function parseRunStatement(payload: Uint8Array): RunStatement {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    throw new Error('the payload is not JSON');
  }
  const parsed = statementSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue.path.length > 0 ? issue.path.join('.') : 'statement'}: ${issue.message}`);
  }
  const s = parsed.data;
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: s.subject.map((x) => ({ name: x.name, digest: { sha256: x.digest.sha256 } })),
    predicateType: RUN_MANIFEST_PREDICATE_TYPE,
    predicate: s.predicate as RunManifestPredicate,
  };
}
