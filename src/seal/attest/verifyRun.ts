// sealed verify: checks a run against its signed manifest (run.sig.json) and reports every
// problem as a finding instead of stopping at the first. Order of checks, and why:
//   1. the envelope (size limit, shape) and its signature by the TRUSTED key the caller gives,
//      never a key found in the run; until the signature holds, nothing in the payload is used;
//   2. the statement: our predicate type, subjects and predicate artifacts the same list;
//   3. every subject: an unsafe name ('../x', '/etc/passwd') is reported and never read; then
//      the stored bytes' sha256 against the signed one (no keys needed: sealed artifacts are
//      signed by their ciphertext); with an unsealer, also the plaintext digest;
//   4. every stored file no subject lists (only run.sig.json itself is exempt; logs, metadata,
//      pipeline.json and run.json are subjects) is extra, unless it holds a missing subject's
//      bytes (then that subject was moved).
// For a local run folder (options.localRoot), symbolic links and other non-regular entries are
// found first and reported; a subject at or below one is not digested (the store would follow it).
import { UsageError, errorLine, formatMessage, type MessageArgs, type MessageCode } from '../../core/index.ts';
import type { ArtifactStore } from '../../pipeline/store/index.ts';
import { verifierFromPublicKey, type Verifier } from '../localKeys.ts';
import { DSSE_MAX_ENVELOPE_BYTES, DsseParseError, dsseVerify, parseDsseEnvelope, type DsseEnvelope } from './dsse.ts';
import { findUnsafeEntries, type UnsafeEntry } from './localScan.ts';
import { DIGEST_CONCURRENCY, mapLimit } from './mapLimit.ts';
import { IN_TOTO_PAYLOAD_TYPE, RUN_SIGNATURE_KEY, parseRunStatement, unsafeNameReason, type RunManifestArtifact, type RunStatement } from './statement.ts';

export type FindingKind =
  | 'missingSignature'
  | 'badEnvelope'
  | 'badPayloadType'
  | 'badSignature'
  | 'untrustedKey'
  | 'badStatement'
  | 'unsafeName'
  | 'unsafeEntry'
  | 'unreadable'
  | 'changed'
  | 'missing'
  | 'extra'
  | 'reordered'
  | 'plaintextChanged'
  | 'unsealFailed';

export interface VerifyFinding {
  kind: FindingKind;
  /** The store key concerned, when one is. Raw: escape it (core printable) before printing. */
  artifact?: string;
  /** One line (names in it already escaped and bounded). */
  detail: string;
}

export interface UnsealResult {
  plaintextSha256: string;
  plaintextSize: number;
}

/**
 * Unseals one sealed artifact and digests the plaintext, never writing it anywhere. It should
 * read `artifact.name` from the store and expect the context {runId: artifact.sealed.runId ??
 * run.runId, task, artifact, type: from artifact.sealed}; a thrown error becomes an
 * `unsealFailed` finding with its one-line message. Called only for artifacts whose ciphertext
 * digest matched.
 */
export type Unsealer = (artifact: RunManifestArtifact, run: { runId: string }) => Promise<UnsealResult>;

export interface VerifyRunOptions {
  /** The trusted key; or give `publicKeyPem`. One of them is required. */
  verifier?: Verifier;
  publicKeyPem?: string;
  /** Checks plaintext digests of sealed artifacts too (needs the keys). */
  unsealer?: Unsealer;
  /** The run folder, when the store is a local one: enables the no-links scan (localScan.ts). */
  localRoot?: string;
}

export interface VerifyReport {
  /** True when there are no findings. */
  ok: boolean;
  findings: VerifyFinding[];
  /** Things worth saying that are not problems (ignored signatures by other keys, unchecked plaintexts). */
  notes: string[];
  /** Key id whose signature verified. */
  signedBy?: string;
  run?: { runId: string; pipeline: string; createdAt: string; sealed: boolean };
  /** Subjects in the signed statement. */
  artifacts: number;
  /** Subjects whose stored bytes match. */
  verified: number;
  /** Sealed subjects whose plaintext digest was checked and matches. */
  plaintextVerified: number;
}

class Findings {
  readonly list: VerifyFinding[] = [];
  add<C extends MessageCode>(kind: FindingKind, artifact: string | undefined, code: C, args: MessageArgs<C>): void {
    this.list.push({ kind, ...(artifact !== undefined ? { artifact } : {}), detail: formatMessage(code, args) });
  }
}

function trustedVerifier(options: VerifyRunOptions): Verifier {
  if (options.verifier) return options.verifier;
  if (options.publicKeyPem !== undefined) return verifierFromPublicKey(options.publicKeyPem);
  throw new UsageError('integrity.noKey', {});
}

/** Reads run.sig.json within the size limit; a finding instead when there is none or it is malformed. */
async function readEnvelope(store: ArtifactStore, findings: Findings): Promise<DsseEnvelope | undefined> {
  const file = RUN_SIGNATURE_KEY;
  const stat = await store.stat(file);
  if (!stat) return void findings.add('missingSignature', file, 'integrity.missingSignature', { file });
  if (stat.kind !== 'file') return void findings.add('badEnvelope', file, 'integrity.badEnvelope', { file, reason: 'it is a folder' });
  const tooBig = { file, reason: `more than ${DSSE_MAX_ENVELOPE_BYTES} bytes` };
  if (stat.size > DSSE_MAX_ENVELOPE_BYTES) return void findings.add('badEnvelope', file, 'integrity.badEnvelope', tooBig);
  const bytes = await store.get(file);
  if (bytes.length > DSSE_MAX_ENVELOPE_BYTES) return void findings.add('badEnvelope', file, 'integrity.badEnvelope', tooBig); // grew since the stat
  try {
    return parseDsseEnvelope(bytes);
  } catch (e) {
    if (!(e instanceof DsseParseError)) throw e;
    return void findings.add('badEnvelope', file, 'integrity.badEnvelope', { file, reason: e.message });
  }
}

/** The verified statement, or undefined after adding the finding that says why not. */
async function verifiedStatement(store: ArtifactStore, verifier: Verifier, findings: Findings, notes: string[]): Promise<{ statement: RunStatement; keyId: string } | undefined> {
  const envelope = await readEnvelope(store, findings);
  if (!envelope) return undefined;
  const verdict = dsseVerify(envelope, verifier, [IN_TOTO_PAYLOAD_TYPE]);
  if (!verdict.ok) {
    const file = RUN_SIGNATURE_KEY;
    if (verdict.kind === 'badPayloadType') findings.add('badPayloadType', file, 'integrity.badPayloadType', { found: verdict.reason, expected: IN_TOTO_PAYLOAD_TYPE });
    else if (verdict.kind === 'missingSignature') findings.add('missingSignature', file, 'integrity.noSignatures', { file });
    else if (verdict.kind === 'untrustedKey') findings.add('untrustedKey', file, 'integrity.untrustedKey', { found: verdict.reason, expected: verifier.keyId });
    else if (verdict.kind === 'badEnvelope') findings.add('badEnvelope', file, 'integrity.badEnvelope', { file, reason: verdict.reason });
    else findings.add('badSignature', file, 'integrity.badSignature', { keyId: verifier.keyId, reason: verdict.reason });
    return undefined;
  }
  for (const other of verdict.ignored) notes.push(`a signature by another key (${other}) was ignored`);
  try {
    return { statement: parseRunStatement(verdict.payload), keyId: verdict.keyId };
  } catch (e) {
    findings.add('badStatement', undefined, 'integrity.badStatement', { reason: (e as Error).message });
    return undefined;
  }
}

/** Subjects and predicate artifacts must be the same list in the same order. False after a finding. */
function consistent(statement: RunStatement, findings: Findings): boolean {
  const { subject, predicate } = statement;
  if (subject.length !== predicate.artifacts.length) {
    findings.add('badStatement', undefined, 'integrity.badStatement', { reason: `${subject.length} subjects but ${predicate.artifacts.length} artifacts` });
    return false;
  }
  let ok = true;
  const names = new Set<string>();
  subject.forEach((s, i) => {
    const a = predicate.artifacts[i];
    if (s.name !== a.name) {
      findings.add('reordered', s.name, 'integrity.subjectOrder', { index: i, subject: s.name, artifact: a.name });
      ok = false;
    } else if (s.digest.sha256 !== a.sha256) {
      findings.add('badStatement', s.name, 'integrity.badStatement', { reason: `subject ${i} and its artifact have different digests` });
      ok = false;
    }
    if (names.has(s.name)) {
      findings.add('badStatement', s.name, 'integrity.badStatement', { reason: `subject ${i} is listed twice` });
      ok = false;
    }
    names.add(s.name);
  });
  return ok;
}

// Remote stores otherwise report the digest recorded at write time, which whoever can rewrite
// the object can rewrite too: every digest here is recomputed from the stored bytes.
const VERIFY = { verify: true } as const;

const under = (name: string, entry: UnsafeEntry): boolean => name === entry.name || name.startsWith(`${entry.name}/`);

/** Verifies the run in `store` against run.sig.json with the trusted key (required). */
export async function verifyRun(store: ArtifactStore, options: VerifyRunOptions): Promise<VerifyReport> {
  const verifier = trustedVerifier(options);
  const findings = new Findings();
  const notes: string[] = [];
  const unsafe = options.localRoot !== undefined ? await findUnsafeEntries(options.localRoot) : [];
  const reported = new Set<UnsafeEntry>();
  const reportUnsafe = (entry: UnsafeEntry): void => {
    if (reported.has(entry)) return;
    reported.add(entry);
    findings.add('unsafeEntry', entry.name, 'integrity.unsafeEntry', { name: entry.name, kind: entry.kind });
  };
  const report = (extra: Partial<VerifyReport> = {}): VerifyReport => {
    for (const entry of unsafe) reportUnsafe(entry);
    return { ok: findings.list.length === 0, findings: findings.list, notes, artifacts: 0, verified: 0, plaintextVerified: 0, ...extra };
  };

  const signatureEntry = unsafe.find((e) => under(RUN_SIGNATURE_KEY, e));
  if (signatureEntry) return report();
  const verified = await verifiedStatement(store, verifier, findings, notes);
  if (!verified) return report();
  const { statement, keyId } = verified;
  const p = statement.predicate;
  const base: Partial<VerifyReport> = { signedBy: keyId, run: { runId: p.runId, pipeline: p.pipeline, createdAt: p.createdAt, sealed: p.sealed }, artifacts: p.artifacts.length };
  if (p.keys.signingKey !== keyId) findings.add('badStatement', undefined, 'integrity.badStatement', { reason: `it names signing key ${p.keys.signingKey} but was signed by ${keyId}` });
  if (!consistent(statement, findings)) return report(base);

  const byDigest = new Map<string, string[]>();
  for (const a of p.artifacts) byDigest.set(a.sha256, [...(byDigest.get(a.sha256) ?? []), a.name].slice(0, 2));
  const missing: RunManifestArtifact[] = [];
  let ok = 0;
  let plaintextOk = 0;
  let plaintextUnchecked = 0;
  // Which subjects may be read at all; those are digested a few at a time, then judged in order.
  const readable = p.artifacts.map((a) => unsafeNameReason(a.name) === undefined && !unsafe.some((e) => under(a.name, e)));
  const stats = await mapLimit(p.artifacts, DIGEST_CONCURRENCY, (a, i) =>
    readable[i] ? store.stat(a.name, VERIFY).then((stat) => ({ stat }), (error: unknown) => ({ error })) : Promise.resolve(undefined),
  );
  for (const [i, a] of p.artifacts.entries()) {
    const reason = unsafeNameReason(a.name);
    if (reason !== undefined) {
      findings.add('unsafeName', a.name, 'integrity.unsafeName', { name: a.name, reason });
      continue;
    }
    const entry = unsafe.find((e) => under(a.name, e));
    const result = stats[i];
    if (entry || !result) {
      if (entry) reportUnsafe(entry);
      continue;
    }
    if ('error' in result) {
      findings.add('unreadable', a.name, 'integrity.unreadable', { name: a.name, reason: errorLine(result.error) });
      continue;
    }
    const { stat } = result;
    if (!stat) {
      missing.push(a);
      continue;
    }
    if (stat.kind !== 'file') {
      findings.add('changed', a.name, 'integrity.notAFile', { name: a.name });
      continue;
    }
    if (stat.sha256 !== a.sha256) {
      const other = (byDigest.get(stat.sha256) ?? []).find((n) => n !== a.name);
      if (other !== undefined) findings.add('reordered', a.name, 'integrity.swapped', { name: a.name, other });
      else findings.add('changed', a.name, 'integrity.changed', { name: a.name, found: stat.sha256, expected: a.sha256 });
      continue;
    }
    ok++;
    if (!a.sealed) continue;
    if (!options.unsealer) {
      plaintextUnchecked++;
      continue;
    }
    try {
      const plain = await options.unsealer(a, { runId: p.runId });
      if (plain.plaintextSha256 !== a.sealed.plaintextSha256 || plain.plaintextSize !== a.sealed.plaintextSize) {
        findings.add('plaintextChanged', a.name, 'integrity.plaintextChanged', { name: a.name, found: plain.plaintextSha256, expected: a.sealed.plaintextSha256 });
      } else plaintextOk++;
    } catch (e) {
      findings.add('unsealFailed', a.name, 'integrity.unsealFailed', { name: a.name, reason: errorLine(e) });
    }
  }

  await reportExtras(store, statement, missing, unsafe, findings);
  if (plaintextUnchecked > 0) notes.push(`${plaintextUnchecked} sealed artifacts: ciphertext digests checked, plaintext digests not (that needs the keys)`);
  return report({ ...base, verified: ok, plaintextVerified: plaintextOk });
}

/** Files no subject lists: each a missing subject's new place (moved) or extra. */
async function reportExtras(store: ArtifactStore, statement: RunStatement, missing: RunManifestArtifact[], unsafe: UnsafeEntry[], findings: Findings): Promise<void> {
  const listed = new Set(statement.subject.map((s) => s.name));
  const extras = (await store.list()).filter((k) => k !== RUN_SIGNATURE_KEY && !listed.has(k) && !unsafe.some((e) => under(k, e)));
  const extraDigests = new Map<string, string>();
  if (missing.length > 0) {
    const stats = await mapLimit(extras, DIGEST_CONCURRENCY, (k) => store.stat(k, VERIFY).catch(() => undefined));
    stats.forEach((stat, i) => {
      if (stat?.kind === 'file') extraDigests.set(extras[i], stat.sha256);
    });
  }
  const movedTo = new Set<string>();
  for (const a of missing) {
    const place = extras.find((k) => !movedTo.has(k) && extraDigests.get(k) === a.sha256);
    if (place !== undefined) {
      movedTo.add(place);
      findings.add('reordered', a.name, 'integrity.moved', { name: a.name, other: place });
    } else findings.add('missing', a.name, 'integrity.missing', { name: a.name });
  }
  for (const k of extras) if (!movedTo.has(k)) findings.add('extra', k, 'integrity.extra', { name: k });
}

