// The cheap check every keyed reader of a sealed run does before trusting run.json: run.sig.json
// verifies with the trusted key and lists run.json with the sha256 of the bytes we are about to
// use. run.json then is what the run wrote when it finished, so its seal records (which every
// artifact read is checked against) cannot have been edited, moved or rolled back. A full
// `sealed verify` also hashes every artifact; readers instead check each artifact as they read it.
import { createHash } from 'node:crypto';
import { DataError } from '../../core/index.ts';
import type { Verifier } from '../localKeys.ts';
import { dsseVerify, parseDsseEnvelope } from './dsse.ts';
import { IN_TOTO_PAYLOAD_TYPE, parseRunStatement, RUN_SIGNATURE_KEY } from './statement.ts';

/** Store access this check needs (an ArtifactStore has it). */
export interface SignedRunSource {
  get(key: string): Promise<Buffer>;
  stat(key: string): Promise<unknown>;
}

/** run.json's bytes, returned only when the run's signature vouches for exactly these bytes. */
export async function readSignedRunManifest(store: SignedRunSource, verifier: Verifier, label: string): Promise<Buffer> {
  const fail = (reason: string): DataError => new DataError('integrity.manifestNotSigned', { run: label, reason });
  if (!(await store.stat(RUN_SIGNATURE_KEY))) throw fail(`it has no ${RUN_SIGNATURE_KEY} (the run did not finish, or the signature was removed)`);
  const manifest = await store.get('run.json');
  let envelope;
  try {
    envelope = parseDsseEnvelope(await store.get(RUN_SIGNATURE_KEY));
  } catch (e) {
    throw fail(`${RUN_SIGNATURE_KEY} is not a signature envelope (${(e as Error).message})`);
  }
  const verdict = dsseVerify(envelope, verifier, [IN_TOTO_PAYLOAD_TYPE]);
  if (!verdict.ok) throw fail(`${RUN_SIGNATURE_KEY} does not verify with key ${verifier.keyId}: ${verdict.kind} (${verdict.reason})`);
  let signed: string | undefined;
  try {
    signed = parseRunStatement(verdict.payload).subject.find((s) => s.name === 'run.json')?.digest.sha256;
  } catch (e) {
    throw fail(`the signed statement is invalid (${(e as Error).message})`);
  }
  if (signed === undefined) throw fail('the signed statement does not list run.json');
  const found = createHash('sha256').update(manifest).digest('hex');
  if (found !== signed) throw fail(`run.json was changed after the run was signed (sha256 ${found}, signed ${signed})`);
  return manifest;
}
