// Secure Key Release (issue 16, item 2): the key-encryption key comes out of Key Vault only into
// an attested enclave, and then wraps and unwraps data keys locally. Once per process:
//   1. make a one-time RSA transfer key pair and a random nonce (both only in memory);
//   2. have the Attester (Gramine + MAA) attest the enclave with runtime data
//      {"keys":[transfer public JWK],"nonce":...};
//   3. verify the MAA token ourselves against the attestation policy (verifyMaaToken): a
//      misconfigured or impersonated MAA, a debuggable or foreign enclave stops here, before any
//      key is asked for;
//   4. ask Key Vault to release the key version with that token ("Release":
//      https://learn.microsoft.com/en-us/rest/api/keyvault/keys/release/release, enc
//      RSA_AES_KEY_WRAP_256); the vault checks the token against the key's release policy
//      (made from the same policy file by buildReleasePolicy) and wraps the key to the transfer key;
//   5. open the released key (releasedKey.ts) and drop the transfer key.
// The released private key lives in a private field as a KeyObject: never written to disk,
// logged or put into an error. Data keys are then wrapped with RSA-OAEP-256 under its public
// half, in the same WrappedKey format Key Vault's own wrapkey produces (wrappedRsaKey.ts).
import { createPublicKey, generateKeyPairSync, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { KeyClient, KeyClientOptions } from '@azure/keyvault-keys';
import { KeyError } from '../keyErrors.ts';
import type { KeyProvider, WrappedKey } from '../keyProvider.ts';
import type { AttestationPolicy } from './attestationPolicy.ts';
import { runtimeDataFor, type Attester } from './attester.ts';
import { JwksCache, type JwksCacheOptions } from './jwksCache.ts';
import { parseKeyVaultKeyId, type KeyVaultKeyId } from './keyVaultKeyId.ts';
import { azureReason, type TokenCredential } from './keyVaultProvider.ts';
import { verifyMaaToken, type VerifiedAttestation } from './maaToken.ts';
import { RELEASE_ENCRYPTION, openReleasedKey } from './releasedKey.ts';
import { AZURE_KEYVAULT_PROVIDER, checkDataKey, rsaOaep256Unwrap, rsaOaep256Wrap, wrappedBytesFor, wrappedKeyOf } from './wrappedRsaKey.ts';

export interface SkrKeyProviderOptions {
  /** The versioned id of an exportable key with a release policy. */
  keyId: string;
  credential: TokenCredential;
  policy: AttestationPolicy;
  attester: Attester;
  /** Signing keys of the policy's authority (made from `jwksOptions` when absent). */
  jwks?: JwksCache;
  jwksOptions?: JwksCacheOptions;
  clientOptions?: KeyClientOptions;
  /** Transfer key size (default 3072 bits). */
  transferKeyBits?: number;
  now?: () => Date;
}

export class SkrKeyProvider implements KeyProvider {
  readonly name = AZURE_KEYVAULT_PROVIDER;
  readonly key: KeyVaultKeyId;
  readonly #options: SkrKeyProviderOptions;
  #client: Promise<KeyClient> | undefined;
  readonly #jwks: JwksCache;
  #released: Promise<{ privateKey: KeyObject; publicKey: KeyObject }> | undefined;
  #attestation: VerifiedAttestation | undefined;

  constructor(options: SkrKeyProviderOptions) {
    this.key = parseKeyVaultKeyId(options.keyId);
    this.#options = options;
    this.#jwks = options.jwks ?? new JwksCache(options.policy.attestation.authority, options.jwksOptions);
  }

  get keyId(): string {
    return this.key.id;
  }

  /** What the enclave was attested as (after release()). */
  get attestation(): VerifiedAttestation | undefined {
    return this.#attestation;
  }

  /** Attests and releases the key (once; a failure is retried by the next call). */
  async release(): Promise<void> {
    await this.#key();
  }

  async wrapKey(dataKey: Uint8Array, _context: Uint8Array): Promise<WrappedKey> {
    checkDataKey(dataKey);
    const { publicKey } = await this.#key();
    return wrappedKeyOf(this.key, rsaOaep256Wrap(publicKey, dataKey));
  }

  async unwrapKey(wrapped: WrappedKey, _context: Uint8Array): Promise<Uint8Array> {
    const bytes = wrappedBytesFor(wrapped, this.key);
    const { privateKey } = await this.#key();
    return rsaOaep256Unwrap(privateKey, bytes, this.key.id);
  }

  /** The SDK is loaded on first use (see keyVaultProvider.ts). */
  #keyClient(): Promise<KeyClient> {
    this.#client ??= import('@azure/keyvault-keys').then(({ KeyClient }) => new KeyClient(this.key.vaultUrl, this.#options.credential, this.#options.clientOptions));
    return this.#client;
  }

  #key(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
    this.#released ??= this.#release().catch((e: unknown) => {
      this.#released = undefined;
      throw e;
    });
    return this.#released;
  }

  async #release(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
    const transfer = generateKeyPairSync('rsa', { modulusLength: this.#options.transferKeyBits ?? 3072 });
    const jwk = transfer.publicKey.export({ format: 'jwk' });
    const transferJwk: JsonWebKey = { kty: 'RSA', n: jwk.n, e: jwk.e, kid: `sealed-transfer-${randomBytes(8).toString('hex')}`, key_ops: ['encrypt'], use: 'enc' };
    const nonce = randomBytes(24).toString('base64url');

    const token = await this.#options.attester.attest({ runtimeData: runtimeDataFor(transferJwk, nonce), nonce });
    this.#attestation = await verifyMaaToken(token, this.#options.policy, {
      expected: { nonce, publicKeyJwk: transferJwk },
      jwks: this.#jwks,
      now: this.#options.now?.(),
    });

    let value: unknown;
    try {
      ({ value } = await (await this.#keyClient()).releaseKey(this.key.name, token, { version: this.key.version, nonce, algorithm: RELEASE_ENCRYPTION }));
    } catch (e) {
      throw new KeyError('keys.releaseRefused', { keyId: this.key.id, reason: azureReason(e) }, { cause: e });
    }
    const privateKey = openReleasedKey(value, { keyId: this.key.id, nonce, transferKey: transfer.privateKey });
    return { privateKey, publicKey: createPublicKey(privateKey) };
  }
}
