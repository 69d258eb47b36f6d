// Signing a run: the statement (statement.ts) in a DSSE envelope (dsse.ts), stored atomically as
// run.sig.json beside run.json. Call signRun once the run's last run.json write has landed
// (ManifestWriter.flush), and again after a resume: run.json and every log are subjects, so any
// later write to them shows up as changed.
import { DataError, IoError } from '../../core/index.ts';
import type { ArtifactStore } from '../../pipeline/store/index.ts';
import type { Signer } from '../localKeys.ts';
import { collectRunAttestation, type CollectOptions } from './collect.ts';
import { DSSE_MAX_ENVELOPE_BYTES, dsseSign, type DsseEnvelope } from './dsse.ts';
import { IN_TOTO_PAYLOAD_TYPE, RUN_SIGNATURE_KEY, buildRunStatement, type RunStatement } from './statement.ts';

/** The statement as a DSSE envelope signed by `signer`, whose key must be the one the statement names. */
export function signStatement(statement: RunStatement, signer: Signer): DsseEnvelope {
  const recorded = statement.predicate.keys.signingKey;
  if (recorded !== signer.keyId) throw new DataError('integrity.wrongSigner', { signer: signer.keyId, recorded });
  const body = Buffer.from(JSON.stringify(statement), 'utf8');
  // base64 grows the payload by 4/3; refuse here what the verifier would refuse to read.
  if (Math.ceil(body.length / 3) * 4 + 4096 > DSSE_MAX_ENVELOPE_BYTES) throw new IoError('io.tooLarge', { path: RUN_SIGNATURE_KEY, limit: DSSE_MAX_ENVELOPE_BYTES });
  return dsseSign(IN_TOTO_PAYLOAD_TYPE, body, signer);
}

/** Stores the envelope as run.sig.json (ArtifactStore.put is atomic: the old file or the whole new one). */
export async function writeRunSignature(store: ArtifactStore, envelope: DsseEnvelope): Promise<void> {
  await store.put(RUN_SIGNATURE_KEY, { bytes: JSON.stringify(envelope, null, 2) + '\n' });
}

/** Collects the run's files from run.json (collect.ts), signs them and writes run.sig.json; returns the envelope. */
export async function signRun(store: ArtifactStore, signer: Signer, options: Omit<CollectOptions, 'signingKey'> = {}): Promise<DsseEnvelope> {
  const input = await collectRunAttestation(store, { ...options, signingKey: signer.keyId });
  const envelope = signStatement(buildRunStatement(input), signer);
  await writeRunSignature(store, envelope);
  return envelope;
}
