// The attestation policy file: which enclaves may receive keys. One file drives both sides of
// Secure Key Release: verifyMaaToken (maaToken.ts) checks a Microsoft Azure Attestation token
// against it inside our process, and buildReleasePolicy (releasePolicy.ts) turns it into the
// Key Vault release policy, so the two can never disagree. Format (version 1):
//
//   {"version":1,
//    "attestation":{"authority":"https://<instance>.attest.azure.net","type":"sgx"},
//    "enclave":{"mrsigner":["<64 hex>",...],          at least one; any of them is accepted
//               "mrenclave":["<64 hex>",...],         optional; absent or empty = any MRENCLAVE
//               "productId":<int>,"minSvn":<int>,     ISVPRODID must equal, ISVSVN must be >= minSvn
//               "allowDebug":false},                  optional, default false
//    "token":{"maxAgeSeconds":300,"clockSkewSeconds":60}}   optional, these defaults
//
// Parsed strictly: unknown keys are refused (a misspelt "allowDebug" must not silently mean
// false), hex is lower-cased, lists are deduplicated, every number and list is bounded, and the
// file is at most 64 KiB. Every problem is one line naming the file and the field.
import { z } from 'zod';
import { IoError, UsageError, isSealedError, printable, readAllBytes } from '../../core/index.ts';
import { checkAuthority, type AuthorityUrlOptions } from './authorityUrl.ts';

export interface AttestationPolicy {
  version: 1;
  attestation: { authority: string; type: 'sgx' };
  enclave: { mrsigner: string[]; mrenclave: string[]; productId: number; minSvn: number; allowDebug: boolean };
  token: { maxAgeSeconds: number; clockSkewSeconds: number };
}

export const MAX_POLICY_BYTES = 64 * 1024;
const HEX64 = /^[0-9a-fA-F]{64}$/;
const u16 = z.number().int('must be an integer').min(0, 'must be >= 0').max(65535, 'must be <= 65535');
const measurement = z.string().regex(HEX64, 'must be 64 hex digits (a SHA-256 measurement)');

function policySchema(options: AuthorityUrlOptions) {
  return z.strictObject({
    version: z.literal(1, { error: 'must be 1 (this build reads version 1)' }),
    attestation: z.strictObject({
      authority: z.string().transform((value, ctx) => {
        const checked = checkAuthority(value, options);
        if ('reason' in checked) {
          ctx.addIssue({ code: 'custom', message: checked.reason });
          return z.NEVER;
        }
        return checked.origin;
      }),
      type: z.literal('sgx', { error: "must be 'sgx' (the only attestation type this build verifies)" }),
    }),
    enclave: z.strictObject({
      mrsigner: z.array(measurement).min(1, 'must list at least one MRSIGNER').max(16, 'lists more than 16 values'),
      mrenclave: z.array(measurement).max(64, 'lists more than 64 values').default([]),
      productId: u16,
      minSvn: u16,
      allowDebug: z.boolean().default(false),
    }),
    token: z
      .strictObject({
        maxAgeSeconds: z.number().int('must be an integer').min(1, 'must be >= 1').max(86400, 'must be <= 86400 (a day)'),
        clockSkewSeconds: z.number().int('must be an integer').min(0, 'must be >= 0').max(600, 'must be <= 600'),
      })
      .default({ maxAgeSeconds: 300, clockSkewSeconds: 60 }),
  });
}

/** `a.b[0].c` for a zod issue path. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
}

/**
 * The policy `input` states (JSON text, or an already parsed value); `label` names it in errors
 * (the file path). A problem is one UsageError line: `attestation policy <label>: field '<f>' ...`.
 */
export function parseAttestationPolicy(input: string | object, label: string, options: AuthorityUrlOptions = {}): AttestationPolicy {
  const bad = (field: string, reason: string): UsageError => new UsageError('attest.badPolicy', { file: label, field, reason });
  let json: unknown = input;
  if (typeof input === 'string') {
    if (Buffer.byteLength(input, 'utf8') > MAX_POLICY_BYTES) throw bad('', `is larger than ${MAX_POLICY_BYTES} bytes`);
    try {
      json = JSON.parse(input);
    } catch (e) {
      throw bad('', `is not valid JSON (${printable((e as Error).message).slice(0, 120)})`);
    }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('', 'must be a JSON object');
  const parsed = policySchema(options).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // An unknown key is named by the key itself, so the message points at the misspelling.
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const field = fieldName(keys.length > 0 ? [...issue.path, keys[0]] : issue.path);
    const reason = issue.code === 'unrecognized_keys' ? 'is not a known field' : printable(issue.message).slice(0, 160);
    throw bad(field, reason);
  }
  const p = parsed.data;
  const lower = (list: string[]): string[] => [...new Set(list.map((h) => h.toLowerCase()))];
  return {
    version: 1,
    attestation: { authority: p.attestation.authority, type: 'sgx' },
    enclave: {
      mrsigner: lower(p.enclave.mrsigner),
      mrenclave: lower(p.enclave.mrenclave),
      productId: p.enclave.productId,
      minSvn: p.enclave.minSvn,
      allowDebug: p.enclave.allowDebug,
    },
    token: { maxAgeSeconds: p.token.maxAgeSeconds, clockSkewSeconds: p.token.clockSkewSeconds },
  };
}

/** Reads and parses a policy file (a regular file of at most 64 KiB). */
export async function readAttestationPolicy(path: string, options: AuthorityUrlOptions = {}): Promise<AttestationPolicy> {
  let bytes: Buffer;
  try {
    bytes = await readAllBytes(path, MAX_POLICY_BYTES);
  } catch (e) {
    if (isSealedError(e) && e.code === 'io.tooLarge') throw new UsageError('attest.badPolicy', { file: path, field: '', reason: `is larger than ${MAX_POLICY_BYTES} bytes` });
    if (e instanceof IoError) throw e;
    throw new IoError('io.readFailed', { path, reason: (e as Error).message }, { cause: e });
  }
  return parseAttestationPolicy(bytes.toString('utf8'), path, options);
}
