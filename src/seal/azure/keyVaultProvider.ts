// Key Vault wraps and unwraps data keys (issue 16, item 2): the key-encryption key never leaves
// the vault (or Managed HSM); each data key goes to it once to be wrapped, with RSA-OAEP-256,
// and once per read to be unwrapped. Requests go through @azure/keyvault-keys'
// CryptographyClient ("Wrap Key" / "Unwrap Key":
// https://learn.microsoft.com/en-us/rest/api/keyvault/keys/wrap-key/wrap-key,
// https://learn.microsoft.com/en-us/rest/api/keyvault/keys/unwrap-key/unwrap-key), which first
// reads the key ("Get Key") and authenticates with the bearer challenge Key Vault answers a
// request without a token with. The credential is a TokenCredential given by the caller: in a
// pod, DefaultAzureCredential (workload identity or environment); never a secret on a command line.
import type { CryptographyClient, CryptographyClientOptions, KeyClient } from '@azure/keyvault-keys';
import { excerpt } from '../../core/index.ts';
import { KeyError } from '../keyErrors.ts';
import type { KeyProvider, WrappedKey } from '../keyProvider.ts';
import { parseKeyVaultKeyId, type KeyVaultKeyId } from './keyVaultKeyId.ts';
import { AZURE_KEYVAULT_PROVIDER, DATA_KEY_BYTES, RSA_OAEP_256, checkDataKey, wrappedBytesFor, wrappedKeyOf } from './wrappedRsaKey.ts';

/** @azure/core-auth's TokenCredential, as the Key Vault clients take it (DefaultAzureCredential is one). */
export type TokenCredential = ConstructorParameters<typeof KeyClient>[1];

export interface AzureKeyVaultKeyProviderOptions {
  /** The versioned key id, https://<vault>/keys/<name>/<version>. */
  keyId: string;
  credential: TokenCredential;
  /** SDK client options (retries; an https agent trusting a test CA). */
  clientOptions?: CryptographyClientOptions;
}

export class AzureKeyVaultKeyProvider implements KeyProvider {
  readonly name = AZURE_KEYVAULT_PROVIDER;
  readonly key: KeyVaultKeyId;
  readonly #options: AzureKeyVaultKeyProviderOptions;
  #client: Promise<CryptographyClient> | undefined;

  constructor(options: AzureKeyVaultKeyProviderOptions) {
    this.key = parseKeyVaultKeyId(options.keyId);
    this.#options = options;
  }

  get keyId(): string {
    return this.key.id;
  }

  async wrapKey(dataKey: Uint8Array, _context: Uint8Array): Promise<WrappedKey> {
    checkDataKey(dataKey);
    const result = await this.#call('wrapKey', async () => (await this.#cryptography()).wrapKey(RSA_OAEP_256, dataKey));
    return wrappedKeyOf(this.key, result.result);
  }

  async unwrapKey(wrapped: WrappedKey, _context: Uint8Array): Promise<Uint8Array> {
    const bytes = wrappedBytesFor(wrapped, this.key);
    const result = await this.#call('unwrapKey', async () => (await this.#cryptography()).unwrapKey(RSA_OAEP_256, bytes));
    if (result.result.length !== DATA_KEY_BYTES) throw new KeyError('keys.badWrappedKey', { keyId: this.key.id, reason: `it unwraps to ${result.result.length} bytes, not ${DATA_KEY_BYTES}` });
    return result.result;
  }

  // The SDK is loaded on first use: importing it costs ~150 ms, which runs without Azure keys
  // (every local run) should not pay.
  #cryptography(): Promise<CryptographyClient> {
    this.#client ??= import('@azure/keyvault-keys').then(({ CryptographyClient }) => new CryptographyClient(this.key.id, this.#options.credential, this.#options.clientOptions));
    return this.#client;
  }

  async #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      throw new KeyError('keys.azureFailed', { operation, keyId: this.key.id, reason: azureReason(e) }, { cause: e });
    }
  }
}

/**
 * A failed SDK call in one line: HTTP status and Key Vault's error code, or the network error's
 * code. The service's free text is left out (it can be long and is not needed to act), and so is
 * anything from the request.
 */
export function azureReason(e: unknown): string {
  const err = e as { statusCode?: unknown; code?: unknown; message?: unknown; details?: { error?: { code?: unknown } } };
  const serviceCode = typeof err.details?.error?.code === 'string' ? err.details.error.code : typeof err.code === 'string' ? err.code : undefined;
  if (typeof err.statusCode === 'number') {
    const hint = err.statusCode === 401 ? ' (not authenticated: check the workload identity / credential)' : err.statusCode === 403 ? ' (the identity lacks the Key Vault permission for this operation)' : '';
    return `HTTP ${err.statusCode}${serviceCode ? ` ${excerpt(serviceCode, 64)}` : ''}${hint}`;
  }
  if (serviceCode) return excerpt(serviceCode, 64);
  return excerpt(typeof err.message === 'string' ? err.message : String(e), 160);
}
