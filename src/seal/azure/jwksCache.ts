// The token-signing keys of one attestation authority, found the way OpenID Connect discovery
// says and Key Vault's SKR requirements repeat ("In the OpenID Connect Metadata the jwks_uri
// claim is required and must resolve to a JSON Web Key Set, where each JWK in the set must
// contain kid, kty, and a X5c array of signing certs":
// https://learn.microsoft.com/en-us/azure/key-vault/keys/policy-grammar):
//   GET {authority}/.well-known/openid-configuration -> jwks_uri (must be on the authority's own
//       origin: a metadata document must not move trust to another host)
//   GET {jwks_uri} -> {"keys":[{"kid","kty":"RSA","x5c":[<base64 DER>...],...}]}
// (MAA REST reference: "Metadata Configuration - Get" and "Signing Certificates - Get",
// https://learn.microsoft.com/en-us/rest/api/attestation/signing-certificates/get).
// The public key is the first x5c certificate's (n/e when there is no x5c; both must agree when
// both are given); only RSA keys of at least 2048 bits are kept. Keys are cached for `ttlMs`;
// an unknown kid triggers one refetch, at most once per `refetchIntervalMs`, so a flood of
// tokens with made-up kids cannot turn into a flood of requests to the authority.
import { X509Certificate, createPublicKey, type KeyObject } from 'node:crypto';
import { excerpt } from '../../core/index.ts';
import { AttestationError } from './attestationErrors.ts';
import { sameOrigin } from './authorityUrl.ts';
import { httpJson, type HttpJsonOptions } from './httpJson.ts';

export interface JwksCacheOptions extends HttpJsonOptions {
  /** How long metadata and keys are reused (default 1 hour). */
  ttlMs?: number;
  /** Least time between two fetches caused by an unknown kid (default 60 s). */
  refetchIntervalMs?: number;
  /** Clock, in ms (tests). */
  now?: () => number;
}

const MAX_METADATA_BYTES = 64 * 1024;
const MAX_JWKS_BYTES = 1024 * 1024;
const MAX_KEYS = 64;
const MIN_RSA_BITS = 2048;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

interface KeySet {
  keys: Map<string, KeyObject>;
  fetchedAt: number;
}

export class JwksCache {
  readonly authority: string;
  readonly #options: JwksCacheOptions;
  readonly #ttlMs: number;
  readonly #refetchIntervalMs: number;
  readonly #now: () => number;
  #metadata: { jwksUri: string; fetchedAt: number } | undefined;
  #keySet: KeySet | undefined;
  #lastFetchAt = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<KeySet> | undefined;

  /** `authority` is an origin as authorityOrigin returns it (https://host[:port]). */
  constructor(authority: string, options: JwksCacheOptions = {}) {
    this.authority = authority;
    this.#options = options;
    this.#ttlMs = options.ttlMs ?? 3600_000;
    this.#refetchIntervalMs = options.refetchIntervalMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** The jwks_uri of the authority's OpenID metadata. */
  async jwksUri(): Promise<string> {
    const now = this.#now();
    if (this.#metadata && now - this.#metadata.fetchedAt < this.#ttlMs) return this.#metadata.jwksUri;
    const url = `${this.authority}/.well-known/openid-configuration`;
    const body = await httpJson({ method: 'GET', url, what: 'OpenID metadata', maxBytes: MAX_METADATA_BYTES }, this.#options);
    const bad = (reason: string): AttestationError => new AttestationError('attest.badResponse', { what: 'OpenID metadata', url, reason });
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('not a JSON object');
    const { jwks_uri: jwksUri, issuer } = body as { jwks_uri?: unknown; issuer?: unknown };
    if (typeof jwksUri !== 'string') throw bad('it has no jwks_uri');
    if (!sameOrigin(jwksUri, this.authority)) throw bad(`jwks_uri ${excerpt(jwksUri)} is not on ${this.authority}`);
    if (issuer !== undefined && (typeof issuer !== 'string' || issuer.replace(/\/$/, '') !== this.authority)) throw bad(`issuer ${excerpt(String(issuer))} is not ${this.authority}`);
    this.#metadata = { jwksUri, fetchedAt: now };
    return jwksUri;
  }

  /** The verification key named `kid`; an AttestationError when the authority has none by that name. */
  async key(kid: string): Promise<KeyObject> {
    let set = this.#keySet;
    if (!set || this.#now() - set.fetchedAt >= this.#ttlMs) set = await this.#fetch();
    const found = set.keys.get(kid);
    if (found) return found;
    // A rotated key: fetch once more, unless a fetch happened a moment ago.
    if (this.#now() - this.#lastFetchAt >= this.#refetchIntervalMs) {
      const again = (await this.#fetch()).keys.get(kid);
      if (again) return again;
    }
    throw new AttestationError('attest.unknownKid', { kid, authority: this.authority });
  }

  #fetch(): Promise<KeySet> {
    // Concurrent callers share one request.
    this.#inFlight ??= this.#load().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #load(): Promise<KeySet> {
    this.#lastFetchAt = this.#now();
    const url = await this.jwksUri();
    const body = await httpJson({ method: 'GET', url, what: 'signing keys (JWKS)', maxBytes: MAX_JWKS_BYTES }, this.#options);
    const set: KeySet = { keys: parseJwks(body, url), fetchedAt: this.#now() };
    this.#keySet = set;
    return set;
  }
}

/** kid -> public key of every usable RSA signing key in a JWKS document. */
export function parseJwks(body: unknown, url: string): Map<string, KeyObject> {
  const bad = (reason: string): AttestationError => new AttestationError('attest.badResponse', { what: 'signing keys (JWKS)', url, reason });
  const keys = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw bad('it has no "keys" array');
  if (keys.length > MAX_KEYS) throw bad(`it lists more than ${MAX_KEYS} keys`);
  const out = new Map<string, KeyObject>();
  for (const [i, jwk] of keys.entries()) {
    if (typeof jwk !== 'object' || jwk === null) throw bad(`keys[${i}] is not an object`);
    const k = jwk as Record<string, unknown>;
    if (k.kty !== 'RSA') continue; // another key type cannot verify RS256
    if (k.use !== undefined && k.use !== 'sig') continue;
    if (k.alg !== undefined && k.alg !== 'RS256') continue;
    if (typeof k.kid !== 'string' || k.kid.length === 0 || k.kid.length > 256) throw bad(`keys[${i}] has no usable kid`);
    // Two keys under one kid would make the choice the attacker's.
    if (out.has(k.kid)) throw bad(`kid ${excerpt(k.kid)} appears twice`);
    out.set(k.kid, publicKeyOf(k, (reason) => bad(`keys[${i}] (kid ${excerpt(k.kid as string)}) ${reason}`)));
  }
  return out;
}

function publicKeyOf(k: Record<string, unknown>, bad: (reason: string) => AttestationError): KeyObject {
  let fromCert: KeyObject | undefined;
  if (k.x5c !== undefined) {
    if (!Array.isArray(k.x5c) || k.x5c.length === 0 || typeof k.x5c[0] !== 'string' || !BASE64.test(k.x5c[0])) throw bad('has an x5c that is not a list of base64 certificates');
    try {
      fromCert = new X509Certificate(Buffer.from(k.x5c[0], 'base64')).publicKey;
    } catch {
      throw bad('has an x5c certificate that does not parse');
    }
  }
  let fromJwk: KeyObject | undefined;
  if (k.n !== undefined || k.e !== undefined) {
    if (typeof k.n !== 'string' || typeof k.e !== 'string' || !BASE64URL.test(k.n) || !BASE64URL.test(k.e)) throw bad('has n/e that are not base64url');
    try {
      fromJwk = createPublicKey({ key: { kty: 'RSA', n: k.n, e: k.e }, format: 'jwk' });
    } catch {
      throw bad('has n/e that are not an RSA public key');
    }
  }
  const key = fromCert ?? fromJwk;
  if (!key) throw bad('has neither x5c nor n/e');
  if (key.asymmetricKeyType !== 'rsa') throw bad(`is a ${key.asymmetricKeyType ?? 'unknown'} key, not RSA`);
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) throw bad(`is shorter than ${MIN_RSA_BITS} bits`);
  if (fromCert && fromJwk && !fromCert.equals(fromJwk)) throw bad('has n/e that differ from its x5c certificate');
  return key;
}
