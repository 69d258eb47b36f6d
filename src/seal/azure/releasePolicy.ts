// The Azure Key Vault Secure Key Release policy matching an attestation policy, in the grammar
// of "Azure Key Vault secure key release policy grammar"
// (https://learn.microsoft.com/en-us/azure/key-vault/keys/policy-grammar):
//   policy     = {"version":"1.0.0","anyOf":[authority, ...]}
//   authority  = {"authority":"<issuer>","allOf":[claim condition, ...]}
//   condition  = {"claim":"<name>","equals":<value>} | {"claim":...,"greaterOrEquals":<number>}
// Key Vault releases the key when the token's issuer equals one authority entry's "authority"
// and all of that entry's conditions hold. A policy listing several MRSIGNER (key rotation) or
// MRENCLAVE values becomes one authority entry per combination, each a plain allOf of claim
// conditions, rather than nested anyOf conditions: the page describes nesting but also says
// "In the first iteration, the only allowed condition is 'equals'", so the generated policy
// sticks to the flattest form it allows. The claims are the ones verifyMaaToken checks.
import type { AttestationPolicy } from './attestationPolicy.ts';

export type ReleaseCondition = { claim: string; equals: string | number | boolean } | { claim: string; greaterOrEquals: number };

export interface ReleasePolicy {
  version: '1.0.0';
  anyOf: Array<{ authority: string; allOf: ReleaseCondition[] }>;
}

/** The release policy for `policy` (a JSON value; JSON.stringify it for Key Vault or a file). */
export function buildReleasePolicy(policy: AttestationPolicy): ReleasePolicy {
  const { enclave } = policy;
  // No MRENCLAVE list means any enclave of the signer: one entry per MRSIGNER then.
  const mrenclaves: Array<string | undefined> = enclave.mrenclave.length > 0 ? enclave.mrenclave : [undefined];
  const anyOf: ReleasePolicy['anyOf'] = [];
  for (const mrsigner of enclave.mrsigner) {
    for (const mrenclave of mrenclaves) {
      const allOf: ReleaseCondition[] = [
        { claim: 'x-ms-attestation-type', equals: policy.attestation.type },
        { claim: 'x-ms-sgx-mrsigner', equals: mrsigner },
      ];
      if (mrenclave !== undefined) allOf.push({ claim: 'x-ms-sgx-mrenclave', equals: mrenclave });
      // allowDebug accepts either value, so the claim is not constrained at all.
      if (!enclave.allowDebug) allOf.push({ claim: 'x-ms-sgx-is-debuggable', equals: false });
      allOf.push({ claim: 'x-ms-sgx-product-id', equals: enclave.productId });
      allOf.push({ claim: 'x-ms-sgx-svn', greaterOrEquals: enclave.minSvn });
      anyOf.push({ authority: policy.attestation.authority, allOf });
    }
  }
  return { version: '1.0.0', anyOf };
}

/** The release policy as Key Vault's REST API carries it (the same page, "Encoding key release policy"). */
export function encodeReleasePolicy(policy: ReleasePolicy): { contentType: string; data: string } {
  return { contentType: 'application/json; charset=utf-8', data: Buffer.from(JSON.stringify(policy), 'utf8').toString('base64url') };
}
