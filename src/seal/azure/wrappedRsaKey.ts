// The WrappedKey both Azure providers write and read: a data key wrapped with RSA-OAEP-256
// (RSAES-OAEP, SHA-256 and MGF1-SHA-256, empty label: Key Vault's "RSA-OAEP-256",
// https://learn.microsoft.com/en-us/azure/key-vault/keys/about-keys-details) under one exact,
// versioned Key Vault key:
//   {provider: 'azure-keyvault', keyId: <versioned key id>, algorithm: 'RSA-OAEP-256', wrapped: <base64>}
// Key Vault's wrapkey and a local RSA-OAEP-256 encryption with the key's public half produce the
// same format, so an artifact wrapped inside an enclave after Secure Key Release opens with the
// Key Vault provider (by whoever holds unwrapKey permission) and the other way round.
// RSA-OAEP has no additional data: the artifact context is bound by the envelope instead (its
// header digest is in every segment's AAD), so a wrapped key moved to another artifact fails there.
import { constants, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto';
import { KeyError } from '../keyErrors.ts';
import type { WrappedKey } from '../keyProvider.ts';
import type { KeyVaultKeyId } from './keyVaultKeyId.ts';

export const AZURE_KEYVAULT_PROVIDER = 'azure-keyvault';
export const RSA_OAEP_256 = 'RSA-OAEP-256';
export const DATA_KEY_BYTES = 32;
/** RSA 2048 to 4096 bits: the key sizes Key Vault offers. */
const MIN_WRAPPED_BYTES = 256;
const MAX_WRAPPED_BYTES = 512;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function checkDataKey(dataKey: Uint8Array): void {
  if (dataKey.length !== DATA_KEY_BYTES) throw new KeyError('keys.badDataKey', { length: dataKey.length });
}

export function wrappedKeyOf(key: KeyVaultKeyId, wrapped: Uint8Array): WrappedKey {
  return { provider: AZURE_KEYVAULT_PROVIDER, keyId: key.id, algorithm: RSA_OAEP_256, wrapped: Buffer.from(wrapped).toString('base64') };
}

/**
 * The wrapped bytes of `wrapped`, after checking it names this provider, RSA-OAEP-256 and exactly
 * `key`: a WrappedKey naming another vault, another key or another version is refused before any
 * request leaves the process (it would otherwise make us ask a vault of the artifact's choosing).
 */
export function wrappedBytesFor(wrapped: WrappedKey, key: KeyVaultKeyId): Buffer {
  if (wrapped.provider !== AZURE_KEYVAULT_PROVIDER || wrapped.algorithm !== RSA_OAEP_256) {
    throw new KeyError('keys.otherKey', { what: 'provider', found: `${String(wrapped.provider)} (${String(wrapped.algorithm)})`, expected: `provider '${AZURE_KEYVAULT_PROVIDER}' with ${RSA_OAEP_256}` });
  }
  if (typeof wrapped.keyId !== 'string' || wrapped.keyId !== key.id) {
    const found = String(wrapped.keyId);
    const otherVault = !found.startsWith(`${key.vaultUrl}/`);
    throw new KeyError('keys.otherKey', otherVault ? { what: 'a key of another vault,', found, expected: `vault ${key.vaultUrl}` } : { what: 'key', found, expected: `key ${key.id}` });
  }
  if (typeof wrapped.wrapped !== 'string' || !BASE64.test(wrapped.wrapped)) throw new KeyError('keys.badWrappedKey', { keyId: key.id, reason: 'not base64' });
  const bytes = Buffer.from(wrapped.wrapped, 'base64');
  if (bytes.length < MIN_WRAPPED_BYTES || bytes.length > MAX_WRAPPED_BYTES) {
    throw new KeyError('keys.badWrappedKey', { keyId: key.id, reason: `${bytes.length} bytes; an RSA-OAEP-256 wrap is ${MIN_WRAPPED_BYTES} to ${MAX_WRAPPED_BYTES}` });
  }
  return bytes;
}

/** RSA-OAEP-256 with a public key held here (after Secure Key Release). */
export function rsaOaep256Wrap(publicKey: KeyObject, dataKey: Uint8Array): Buffer {
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, dataKey);
}

/** The inverse; a wrong key or an altered wrap fails with one line and no detail from OpenSSL. */
export function rsaOaep256Unwrap(privateKey: KeyObject, wrapped: Uint8Array, keyId: string): Buffer {
  let dataKey: Buffer;
  try {
    dataKey = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, wrapped);
  } catch (e) {
    throw new KeyError('keys.unwrapFailed', { keyId }, { cause: e });
  }
  if (dataKey.length !== DATA_KEY_BYTES) {
    dataKey.fill(0);
    throw new KeyError('keys.badWrappedKey', { keyId, reason: `it unwraps to ${dataKey.length} bytes, not ${DATA_KEY_BYTES}` });
  }
  return dataKey;
}
