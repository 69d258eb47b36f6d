// Signed run manifests (issue 16, integrity): DSSE envelopes holding an in-toto Statement whose
// subjects are every file of a run, and the verification behind `sealed verify`.
export { pae, dsseSign, dsseVerify, parseDsseEnvelope, decodeBase64, DsseParseError, DSSE_MAX_ENVELOPE_BYTES, DSSE_MAX_SIGNATURES, type DsseEnvelope, type DsseSignature, type DsseVerdict } from './dsse.ts';
export {
  buildRunStatement,
  parseRunStatement,
  unsafeNameReason,
  IN_TOTO_STATEMENT_TYPE,
  IN_TOTO_PAYLOAD_TYPE,
  RUN_MANIFEST_PREDICATE_TYPE,
  RUN_SIGNATURE_KEY,
  MAX_ARTIFACTS,
  MAX_NAME_CHARS,
  type ArtifactRole,
  type RunArtifactFile,
  type RunArtifactInput,
  type RunAttestationInput,
  type RunKeys,
  type RunManifestArtifact,
  type RunManifestPredicate,
  type RunStatement,
  type SealedDigest,
  type Subject,
} from './statement.ts';
export { collectRunAttestation, describeFolder, type CollectOptions } from './collect.ts';
export { signStatement, writeRunSignature, signRun } from './signRun.ts';
export { verifyRun, type VerifyRunOptions, type VerifyReport, type VerifyFinding, type FindingKind, type Unsealer, type UnsealResult } from './verifyRun.ts';
export { findUnsafeEntries, type UnsafeEntry } from './localScan.ts';
export { readSignedRunManifest, type SignedRunSource } from './signedManifest.ts';
