// DSSE v1.0.2 (Dead Simple Signing Envelope) with the project's Ed25519 Signer/Verifier.
// Spec: https://github.com/secure-systems-lab/dsse/blob/v1.0.2/protocol.md (PAE, signing,
// verification) and envelope.md (JSON envelope, parsing rules). What this file decides on top:
//   - envelopes are parsed with size limits before anything else (a file, a payload, a count of
//     signatures), and every known field must have its type; unknown fields are ignored, as
//     envelope.md's parsing rules require of consumers;
//   - both base64 alphabets are accepted (the spec says verifiers MUST), but only canonical
//     encodings: the decoded bytes must re-encode to the same text (no stray bits or characters);
//   - the keyid is an unauthenticated hint (protocol.md: MUST NOT be used for security decisions):
//     every signature is tried against the one trusted key, whatever its keyid says;
//   - verification hands back the verified payload bytes, never a re-parse of the envelope.
import { z } from 'zod';
import type { Signer, Verifier } from '../localKeys.ts';

/** The largest envelope read: a run manifest takes about 0.6 KiB per artifact, so this holds some 25,000 artifacts. */
export const DSSE_MAX_ENVELOPE_BYTES = 16 * 1024 * 1024;
/** More signatures than any producer here writes (one); a cap so a crafted file cannot make us verify millions. */
export const DSSE_MAX_SIGNATURES = 16;

export interface DsseSignature {
  /** Unauthenticated hint: the signer's key fingerprint (publicKeyFingerprint). */
  keyid: string;
  /** base64 of the signature over PAE(payloadType, payload). */
  sig: string;
}

export interface DsseEnvelope {
  /** base64 of the serialized body. */
  payload: string;
  payloadType: string;
  signatures: DsseSignature[];
}

const SP = 0x20;

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN = byte length in ASCII decimal. */
export function pae(payloadType: string, body: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `, 'ascii'), type, Buffer.from([SP]), Buffer.from(`${body.length} `, 'ascii'), body]);
}

/** Signs `body` as `payloadType`: one signature, keyid = the signer's key fingerprint. */
export function dsseSign(payloadType: string, body: Uint8Array, signer: Signer): DsseEnvelope {
  const sig = Buffer.from(signer.sign(pae(payloadType, body))).toString('base64');
  return { payload: Buffer.from(body).toString('base64'), payloadType, signatures: [{ keyid: signer.keyId, sig }] };
}

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

/** Strict base64 (standard or URL-safe, padding optional); undefined when not canonical base64. */
export function decodeBase64(text: string): Buffer | undefined {
  const urlSafe = !STANDARD.test(text);
  if (urlSafe && !URL_SAFE.test(text)) return undefined;
  const bare = text.replace(/=+$/, '');
  if (bare.length % 4 === 1) return undefined;
  if (text.length !== bare.length && text.length % 4 !== 0) return undefined; // padding, but not to a multiple of 4
  const bytes = Buffer.from(bare, urlSafe ? 'base64url' : 'base64');
  const again = bytes.toString(urlSafe ? 'base64url' : 'base64').replace(/=+$/, '');
  return again === bare ? bytes : undefined;
}

// envelope.md: payload, payloadType, signatures and sig are required; keyid is optional (unset = empty).
const envelopeSchema = z.object({
  payload: z.string(),
  payloadType: z.string(),
  signatures: z.array(z.object({ keyid: z.string().optional(), sig: z.string() })).max(DSSE_MAX_SIGNATURES),
});

/** Why an envelope was refused, for a one-line message. */
export class DsseParseError extends Error {}

/** Parses a JSON envelope (bytes or text), refusing more than DSSE_MAX_ENVELOPE_BYTES and any wrong shape. */
export function parseDsseEnvelope(input: Uint8Array | string): DsseEnvelope {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > DSSE_MAX_ENVELOPE_BYTES) throw new DsseParseError(`${size} bytes, more than the ${DSSE_MAX_ENVELOPE_BYTES}-byte limit`);
  let json: unknown;
  try {
    json = JSON.parse(typeof input === 'string' ? input : Buffer.from(input).toString('utf8'));
  } catch {
    throw new DsseParseError('not JSON');
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join('.') : 'the envelope';
    throw new DsseParseError(issue.code === 'too_big' ? `more than ${DSSE_MAX_SIGNATURES} signatures` : `${where}: ${issue.message}`);
  }
  const { payload, payloadType, signatures } = parsed.data;
  return { payload, payloadType, signatures: signatures.map((s) => ({ keyid: s.keyid ?? '', sig: s.sig })) };
}

export type DsseVerdict =
  | {
      ok: true;
      /** The bytes the trusted key signed: the only payload the caller may use. */
      payload: Buffer;
      keyId: string;
      /** keyids of signatures that were not checked against anything (other keys): ignored. */
      ignored: string[];
    }
  | { ok: false; kind: 'badEnvelope' | 'badPayloadType' | 'missingSignature' | 'badSignature' | 'untrustedKey'; reason: string };

/**
 * Verifies an envelope against one trusted key (threshold 1, protocol.md "Multi-signature"):
 * accepted when some signature verifies with `verifier` and no signature that names the trusted
 * key (or names no key) fails. Refuses a payload type not in `payloadTypes`, an envelope with no
 * signatures, and a payload that is not canonical base64.
 */
export function dsseVerify(envelope: DsseEnvelope, verifier: Verifier, payloadTypes: readonly string[]): DsseVerdict {
  if (!payloadTypes.includes(envelope.payloadType)) return { ok: false, kind: 'badPayloadType', reason: envelope.payloadType };
  if (envelope.signatures.length === 0) return { ok: false, kind: 'missingSignature', reason: 'no signatures' };
  const body = decodeBase64(envelope.payload);
  if (!body) return { ok: false, kind: 'badEnvelope', reason: 'payload is not base64' };
  const message = pae(envelope.payloadType, body);
  let good = 0;
  const failedOurs: string[] = [];
  const others: string[] = [];
  for (const { keyid, sig } of envelope.signatures) {
    const bytes = decodeBase64(sig);
    if (bytes && verifier.verify(message, bytes)) {
      good++;
      continue;
    }
    // A failed signature that claims our key, or claims none, is a forgery attempt or damage; one
    // by another key is someone else's business (DSSE allows several signers) and is ignored.
    if (keyid === '' || keyid === verifier.keyId) failedOurs.push(keyid === '' ? '(no keyid)' : keyid);
    else others.push(keyid);
  }
  if (failedOurs.length > 0) {
    const reason = good > 0 ? `${failedOurs.length} of ${envelope.signatures.length} signatures naming this key do not verify` : 'the signed payload or the signature was altered';
    return { ok: false, kind: 'badSignature', reason };
  }
  if (good === 0) return { ok: false, kind: 'untrustedKey', reason: [...new Set(others)].join(', ') };
  return { ok: true, payload: body, keyId: verifier.keyId, ignored: others };
}
