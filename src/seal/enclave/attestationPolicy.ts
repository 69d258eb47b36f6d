// The attestation policy file: which enclave may receive keys, as derived from its signing output.
// `sealed enclave policy` writes it; `sealed keys policy` turns it into the Key Vault release policy and the
// MAA-token verifier checks tokens against it. The format is a contract between those three, so it is written
// with a fixed key order and nothing else:
//   {"version":1,"attestation":{"authority":"https://<instance>.attest.azure.net","type":"sgx"},
//    "enclave":{"mrsigner":["<hex>"],"mrenclave":["<hex>"],"productId":<int>,"minSvn":<int>,"allowDebug":false},
//    "token":{"maxAgeSeconds":300,"clockSkewSeconds":60}}
// Nothing in it names the TEE below the attestation type: another TEE (SEV-SNP, TDX) is another `type` and
// another `enclave` block, not another verifier.
import { DataError, UsageError } from '../../core/index.ts';
import type { EnclaveIdentity } from './sigstruct.ts';

export interface AttestationPolicy {
  version: 1;
  attestation: { authority: string; type: 'sgx' };
  enclave: { mrsigner: string[]; mrenclave: string[]; productId: number; minSvn: number; allowDebug: boolean };
  token: { maxAgeSeconds: number; clockSkewSeconds: number };
}

/** How old an MAA token may be (its iat) when it is checked, and how far clocks may disagree. */
export const TOKEN_MAX_AGE_SECONDS = 300;
export const TOKEN_CLOCK_SKEW_SECONDS = 60;

export interface PolicyOptions {
  /** The Microsoft Azure Attestation instance URL, e.g. https://myattest.weu.attest.azure.net */
  maa: string;
  /** Lowest ISVSVN a token may carry; default the SIGSTRUCT's own (older enclave versions are refused). */
  minSvn?: number;
  /** Accept a debug-signed enclave (test enclaves only). */
  allowDebug?: boolean;
  /** Where the identity came from, for messages. */
  source?: string;
}

// An MAA instance host: <name>.<region>.attest.azure.net (the shared instances are shared<region>.<region>...).
const MAA_HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,3}attest\.azure\.net$/;

/** The MAA authority as the tokens' `iss` carries it: https://host, lowercase, no path, port or query. */
export function maaAuthority(text: string): string {
  const refuse = (): never => {
    throw new UsageError('enclave.badPolicyOption', { option: '--maa', value: text, expected: 'an https URL of an Azure Attestation instance, https://<name>.<region>.attest.azure.net' });
  };
  if (text.length > 300) refuse();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse();
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) refuse();
  if (!MAA_HOST.test(url.hostname)) refuse();
  return `https://${url.hostname}`;
}

export function policyFromIdentity(id: EnclaveIdentity, options: PolicyOptions): AttestationPolicy {
  const source = options.source ?? 'SIGSTRUCT';
  const authority = maaAuthority(options.maa);
  if (id.debug && !options.allowDebug) throw new DataError('enclave.debugEnclave', { source, reason: 'the enclave is signed with ATTRIBUTES.DEBUG set (sgx.debug = true)' });
  if (!id.debugEnforced && !options.allowDebug) {
    throw new DataError('enclave.debugEnclave', { source, reason: 'ATTRIBUTEMASK leaves DEBUG out, so the same signature also launches a debuggable enclave' });
  }
  const minSvn = options.minSvn ?? id.isvSvn;
  if (!Number.isInteger(minSvn) || minSvn < 0 || minSvn > 0xffff) {
    throw new UsageError('enclave.badPolicyOption', { option: '--min-svn', value: String(minSvn), expected: 'an integer from 0 to 65535' });
  }
  if (minSvn > id.isvSvn) {
    throw new UsageError('enclave.badPolicyOption', { option: '--min-svn', value: String(minSvn), expected: `at most ${id.isvSvn}, the ISVSVN this enclave is signed with (a higher minimum would refuse it)` });
  }
  return {
    version: 1,
    attestation: { authority, type: 'sgx' },
    enclave: { mrsigner: [id.mrsigner], mrenclave: [id.mrenclave], productId: id.isvProdId, minSvn, allowDebug: options.allowDebug === true },
    token: { maxAgeSeconds: TOKEN_MAX_AGE_SECONDS, clockSkewSeconds: TOKEN_CLOCK_SKEW_SECONDS },
  };
}

/** The file's text: the contract's key order, one line, newline at the end. */
export function serializePolicy(p: AttestationPolicy): string {
  const ordered = {
    version: p.version,
    attestation: { authority: p.attestation.authority, type: p.attestation.type },
    enclave: { mrsigner: [...p.enclave.mrsigner], mrenclave: [...p.enclave.mrenclave], productId: p.enclave.productId, minSvn: p.enclave.minSvn, allowDebug: p.enclave.allowDebug },
    token: { maxAgeSeconds: p.token.maxAgeSeconds, clockSkewSeconds: p.token.clockSkewSeconds },
  };
  return `${JSON.stringify(ordered)}\n`;
}
