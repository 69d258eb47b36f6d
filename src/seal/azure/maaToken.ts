// Verifies a Microsoft Azure Attestation token for an SGX enclave against an attestation policy
// (attestationPolicy.ts). Claim names and shapes follow Microsoft's pages "Claim sets"
// (https://learn.microsoft.com/en-us/azure/attestation/claim-sets) and "Examples of an
// attestation token" (https://learn.microsoft.com/en-us/azure/attestation/attestation-token-examples):
//   header   alg RS256 (nothing else, so neither "none" nor HS256 keyed with the public key),
//            kid -> the authority's JWKS (jwksCache.ts), jku (if present) = the metadata's jwks_uri
//   iss      = the policy's authority
//   exp/nbf  with the policy's clock skew; iat no older than token.maxAgeSeconds
//   x-ms-ver "1.0", x-ms-attestation-type "sgx", x-ms-sgx-is-debuggable false (unless allowDebug),
//   x-ms-sgx-mrsigner in the list, x-ms-sgx-mrenclave in the list (when the policy lists any),
//   x-ms-sgx-product-id equal, x-ms-sgx-svn >= minSvn
//   runtime data: the enclave's own data, hashed into the quote's report_data, as MAA issues it:
//            x-ms-runtime (the runtime data parsed as JSON) or x-ms-sgx-ehd (base64url of its bytes).
//            It must carry the expected nonce ("nonce") and public key (in "keys", a JWK list),
//            so a token minted for another request or another key is refused. The token's top
//            level "nonce" claim is not used for this: MAA copies it from the request, and a
//            replayed quote can be sent with any nonce.
// Each failure is its own one-line AttestationError naming the header field or claim; the
// token itself is never quoted.
import type { JsonWebKey } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, errors as joseErrors } from 'jose';
import type { AttestationPolicy } from './attestationPolicy.ts';
import { AttestationError } from './attestationErrors.ts';
import { JwksCache, type JwksCacheOptions } from './jwksCache.ts';

export const MAX_TOKEN_BYTES = 128 * 1024;
const MAX_RUNTIME_BYTES = 64 * 1024;
const ALGORITHMS = ['RS256'];
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const HEX64 = /^[0-9a-fA-F]{64}$/;

export interface ExpectedRuntime {
  /** The nonce this request put into the runtime data. */
  nonce?: string;
  /** The public key this request put into the runtime data's "keys" (compared by kty, n and e). */
  publicKeyJwk?: JsonWebKey;
}

export interface VerifyMaaTokenOptions {
  expected: ExpectedRuntime;
  /** Signing keys of the policy's authority; one is made (and not kept) when absent. */
  jwks?: JwksCache;
  /** Options for the JwksCache made when `jwks` is absent (a dispatcher trusting a test CA). */
  jwksOptions?: JwksCacheOptions;
  now?: Date;
}

export interface VerifiedAttestation {
  mrsigner: string;
  mrenclave: string;
  productId: number;
  svn: number;
  isDebuggable: boolean;
  issuedAt: Date;
  expiresAt: Date;
  /** The runtime data object (x-ms-runtime, or x-ms-sgx-ehd parsed as JSON), when present. */
  runtime: Record<string, unknown> | undefined;
  claims: Readonly<Record<string, unknown>>;
}

export async function verifyMaaToken(token: string, policy: AttestationPolicy, options: VerifyMaaTokenOptions): Promise<VerifiedAttestation> {
  if (typeof token !== 'string') throw new AttestationError('attest.malformedToken', { reason: 'not a string' });
  const bytes = Buffer.byteLength(token, 'utf8');
  if (bytes > MAX_TOKEN_BYTES) throw new AttestationError('attest.tokenTooLarge', { bytes, limit: MAX_TOKEN_BYTES });
  const authority = policy.attestation.authority;
  const jwks = options.jwks ?? new JwksCache(authority, options.jwksOptions);
  if (jwks.authority !== authority) throw new AttestationError('attest.wrongIssuer', { found: jwks.authority, expected: authority });

  const header = protectedHeader(token);
  // alg first: "none" and HS256 never reach key lookup or signature code.
  if (header.alg !== 'RS256') throw new AttestationError('attest.badAlgorithm', { alg: String(header.alg) });
  if (!COMPACT_JWS.test(token)) throw new AttestationError('attest.malformedToken', { reason: 'not three base64url parts' });
  if (header.typ !== undefined && header.typ !== 'JWT') throw new AttestationError('attest.malformedToken', { reason: "header 'typ' is not JWT" });
  if (typeof header.kid !== 'string' || header.kid.length === 0) throw new AttestationError('attest.malformedToken', { reason: "header has no 'kid'" });
  if (header.jku !== undefined) {
    const expected = await jwks.jwksUri();
    if (header.jku !== expected) throw new AttestationError('attest.jkuMismatch', { jku: String(header.jku), expected });
  }
  const key = await jwks.key(header.kid);

  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(token, key, { algorithms: ALGORITHMS }));
  } catch (e) {
    if (e instanceof joseErrors.JWSSignatureVerificationFailed) throw new AttestationError('attest.badSignature', { authority }, { cause: e });
    if (e instanceof joseErrors.JOSEAlgNotAllowed) throw new AttestationError('attest.badAlgorithm', { alg: String(header.alg) }, { cause: e });
    throw new AttestationError('attest.malformedToken', { reason: joseReason(e) }, { cause: e });
  }
  const claims = jsonObject(Buffer.from(payload).toString('utf8'), () => new AttestationError('attest.malformedToken', { reason: 'the payload is not a JSON object' }));
  return checkClaims(claims, policy, options);
}

function protectedHeader(token: string): Record<string, unknown> {
  try {
    return decodeProtectedHeader(token) as Record<string, unknown>;
  } catch (e) {
    throw new AttestationError('attest.malformedToken', { reason: 'the header is not base64url JSON' }, { cause: e });
  }
}

/** jose's error code only: its messages may quote parts of the token. */
function joseReason(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'not a valid JWS';
}

function jsonObject(text: string, bad: () => AttestationError): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw bad();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad();
  return value as Record<string, unknown>;
}

function checkClaims(claims: Record<string, unknown>, policy: AttestationPolicy, options: VerifyMaaTokenOptions): VerifiedAttestation {
  const authority = policy.attestation.authority;
  const { clockSkewSeconds: skew, maxAgeSeconds } = policy.token;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const iso = (s: number): string => new Date(s * 1000).toISOString();

  const iss = stringClaim(claims, 'iss');
  if (iss.replace(/\/$/, '') !== authority) throw new AttestationError('attest.wrongIssuer', { found: iss, expected: authority });

  const exp = timeClaim(claims, 'exp');
  if (now > exp + skew) throw new AttestationError('attest.expired', { exp: iso(exp), now: iso(now) });
  const nbf = timeClaim(claims, 'nbf');
  if (now + skew < nbf) throw new AttestationError('attest.notYetValid', { nbf: iso(nbf), now: iso(now) });
  const iat = timeClaim(claims, 'iat');
  if (iat > now + skew) throw new AttestationError('attest.issuedInFuture', { iat: iso(iat), now: iso(now) });
  if (now - iat > maxAgeSeconds + skew) throw new AttestationError('attest.tooOld', { iat: iso(iat), maxAgeSeconds });

  const ver = stringClaim(claims, 'x-ms-ver');
  if (ver !== '1.0') throw new AttestationError('attest.wrongValue', { claim: 'x-ms-ver', found: `'${ver}'`, expected: "'1.0'" });
  const type = stringClaim(claims, 'x-ms-attestation-type');
  if (type !== policy.attestation.type) throw new AttestationError('attest.wrongValue', { claim: 'x-ms-attestation-type', found: `'${type}'`, expected: `'${policy.attestation.type}'` });

  const isDebuggable = claims['x-ms-sgx-is-debuggable'];
  if (isDebuggable === undefined) throw new AttestationError('attest.missingClaim', { claim: 'x-ms-sgx-is-debuggable' });
  if (typeof isDebuggable !== 'boolean') throw new AttestationError('attest.badClaim', { claim: 'x-ms-sgx-is-debuggable', expected: 'a boolean' });
  if (isDebuggable && !policy.enclave.allowDebug) throw new AttestationError('attest.debuggable', {});

  const mrsigner = measurementClaim(claims, 'x-ms-sgx-mrsigner');
  if (!policy.enclave.mrsigner.includes(mrsigner)) {
    throw new AttestationError('attest.wrongValue', { claim: 'x-ms-sgx-mrsigner', found: mrsigner, expected: listText(policy.enclave.mrsigner) });
  }
  const mrenclave = measurementClaim(claims, 'x-ms-sgx-mrenclave');
  if (policy.enclave.mrenclave.length > 0 && !policy.enclave.mrenclave.includes(mrenclave)) {
    throw new AttestationError('attest.wrongValue', { claim: 'x-ms-sgx-mrenclave', found: mrenclave, expected: listText(policy.enclave.mrenclave) });
  }
  const productId = integerClaim(claims, 'x-ms-sgx-product-id');
  if (productId !== policy.enclave.productId) {
    throw new AttestationError('attest.wrongValue', { claim: 'x-ms-sgx-product-id', found: String(productId), expected: String(policy.enclave.productId) });
  }
  const svn = integerClaim(claims, 'x-ms-sgx-svn');
  if (svn < policy.enclave.minSvn) throw new AttestationError('attest.svnTooLow', { found: svn, min: policy.enclave.minSvn });

  const runtime = runtimeData(claims);
  checkRuntime(runtime, options.expected);
  return { mrsigner, mrenclave, productId, svn, isDebuggable, issuedAt: new Date(iat * 1000), expiresAt: new Date(exp * 1000), runtime, claims: Object.freeze({ ...claims }) };
}

function present(claims: Record<string, unknown>, claim: string): unknown {
  const value = claims[claim];
  if (value === undefined || value === null) throw new AttestationError('attest.missingClaim', { claim });
  return value;
}

function stringClaim(claims: Record<string, unknown>, claim: string): string {
  const value = present(claims, claim);
  if (typeof value !== 'string') throw new AttestationError('attest.badClaim', { claim, expected: 'a string' });
  return value;
}

function timeClaim(claims: Record<string, unknown>, claim: string): number {
  const value = present(claims, claim);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new AttestationError('attest.badClaim', { claim, expected: 'a time in seconds since 1970' });
  return value;
}

function integerClaim(claims: Record<string, unknown>, claim: string): number {
  const value = present(claims, claim);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) throw new AttestationError('attest.badClaim', { claim, expected: 'an integer from 0 to 65535' });
  return value;
}

function measurementClaim(claims: Record<string, unknown>, claim: string): string {
  const value = present(claims, claim);
  if (typeof value !== 'string' || !HEX64.test(value)) throw new AttestationError('attest.badClaim', { claim, expected: '64 hex digits' });
  return value.toLowerCase();
}

function listText(list: readonly string[]): string {
  return list.length === 1 ? list[0] : `one of the policy's ${list.length} values`;
}

/** The runtime data object: x-ms-runtime as issued, else x-ms-sgx-ehd decoded and parsed as JSON. */
function runtimeData(claims: Record<string, unknown>): Record<string, unknown> | undefined {
  const runtime = claims['x-ms-runtime'];
  if (runtime !== undefined) {
    if (typeof runtime !== 'object' || runtime === null || Array.isArray(runtime)) throw new AttestationError('attest.badClaim', { claim: 'x-ms-runtime', expected: 'a JSON object' });
    return runtime as Record<string, unknown>;
  }
  const ehd = claims['x-ms-sgx-ehd'];
  if (ehd === undefined) return undefined;
  if (typeof ehd !== 'string' || !/^[A-Za-z0-9_-]*$/.test(ehd) || ehd.length > (MAX_RUNTIME_BYTES * 4) / 3 + 4) {
    throw new AttestationError('attest.badClaim', { claim: 'x-ms-sgx-ehd', expected: `base64url of at most ${MAX_RUNTIME_BYTES} bytes` });
  }
  return jsonObject(Buffer.from(ehd, 'base64url').toString('utf8'), () => new AttestationError('attest.badClaim', { claim: 'x-ms-sgx-ehd', expected: 'base64url of a JSON object (our runtime data)' }));
}

function checkRuntime(runtime: Record<string, unknown> | undefined, expected: ExpectedRuntime): void {
  if (expected.nonce !== undefined) {
    if (!runtime) throw new AttestationError('attest.runtimeDataMissing', { claim: 'the nonce' });
    if (runtime.nonce !== expected.nonce) throw new AttestationError('attest.runtimeMismatch', { claim: 'nonce' });
  }
  if (expected.publicKeyJwk !== undefined) {
    if (!runtime) throw new AttestationError('attest.runtimeDataMissing', { claim: 'the public key' });
    const want = expected.publicKeyJwk;
    const keys = runtime.keys;
    const match = Array.isArray(keys) && keys.some((k) => typeof k === 'object' && k !== null && (k as JsonWebKey).kty === want.kty && (k as JsonWebKey).n === want.n && (k as JsonWebKey).e === want.e);
    if (!match) throw new AttestationError('attest.runtimeMismatch', { claim: 'keys' });
  }
}
