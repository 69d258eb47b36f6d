// How a process inside an enclave gets an attestation token: an Attester produces evidence of
// the enclave (an SGX quote) whose report data commits to `runtimeData`, has Microsoft Azure
// Attestation check it, and returns MAA's token. SkrKeyProvider (skrProvider.ts) puts a fresh
// nonce and its one-time transfer public key into the runtime data, so the token proves "this
// enclave, now, holding this key" and Key Vault wraps the released key to that key
// (x-ms-runtime.keys: https://learn.microsoft.com/en-us/azure/key-vault/keys/policy-grammar).
import type { JsonWebKey } from 'node:crypto';

export interface AttestRequest {
  /** The runtime data bytes (UTF-8 JSON, see runtimeDataFor); the quote's report data commits to their SHA-256. */
  runtimeData: Uint8Array;
  /** Sent as MAA's request nonce as well (it is copied into the token's "nonce" claim). */
  nonce: string;
}

export interface Attester {
  /** The MAA token for this enclave and `request.runtimeData`. */
  attest(request: AttestRequest): Promise<string>;
}

/**
 * The runtime data of one key release: {"keys":[<transfer public JWK>],"nonce":"..."}. MAA parses
 * it (dataType "JSON") into the token's x-ms-runtime claim, where Key Vault looks for the key to
 * wrap the released key to and verifyMaaToken looks for the nonce and the key.
 */
export function runtimeDataFor(transferKey: JsonWebKey, nonce: string): Uint8Array {
  return Buffer.from(JSON.stringify({ keys: [transferKey], nonce }), 'utf8');
}
