// Opens the answer of Key Vault's "Release" (https://learn.microsoft.com/en-us/rest/api/keyvault/keys/release/release):
// {"value": <JWS>} whose payload carries the released key as a JSON Web Key,
//   {"request":{...,"nonce":...},"response":{"key":{"key":{"kid","kty","n","e","key_ops","key_hsm"},...}}}
// with the private key only inside key_hsm, wrapped to the transfer key the enclave put into
// the attestation token (x-ms-runtime.keys). key_hsm is base64url of a key transfer blob
// {"schema_version","header":{"kid","alg":"dir","enc":"RSA_AES_KEY_WRAP_256"},"ciphertext":<base64url>}
// (the BYOK blob format: https://learn.microsoft.com/en-us/azure/key-vault/keys/byok-specification),
// and ciphertext = RSA-OAEP-SHA256(transfer key, ephemeral AES-256 key) [modulus bytes]
//                  || AES key wrap with padding (RFC 5649; aes-256-wrap-pad) of the key's PKCS#8 DER.
// That is how Microsoft's own SKR client opens it (Azure/confidential-computing-cvm-guest-attestation,
// cvm-securekey-release-app/AttestationUtil.cpp: doSKR and decrypt_aes_key_unwrap).
// The JWS signature is not verified here: Key Vault's signing certificate chain is not
// documented, so the key's authenticity rests on the TLS connection to the vault and on the
// checks below (our key id, our nonce echoed, the private key matching the public n/e sent with it).
import { constants, createDecipheriv, createPrivateKey, privateDecrypt, type KeyObject } from 'node:crypto';
import { excerpt } from '../../core/index.ts';
import { KeyError } from '../keyErrors.ts';

export const RELEASE_ENCRYPTION = 'RSA_AES_KEY_WRAP_256';
const MAX_RELEASE_BYTES = 256 * 1024;
const AES_KWP_IV = Buffer.from('A65959A6', 'hex');
const MIN_RSA_BITS = 2048;

export interface ReleaseCheck {
  keyId: string;
  nonce: string;
  transferKey: KeyObject;
}

/** The released private key; every buffer that held key material on the way is zeroed. */
export function openReleasedKey(value: unknown, check: ReleaseCheck): KeyObject {
  const bad = (reason: string): KeyError => new KeyError('keys.badRelease', { keyId: check.keyId, reason });
  if (typeof value !== 'string' || value.length === 0) throw bad('the answer has no value');
  if (value.length > MAX_RELEASE_BYTES) throw bad(`the answer is larger than ${MAX_RELEASE_BYTES} bytes`);
  const parts = value.split('.');
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]*$/.test(p))) throw bad('the value is not a compact JWS');
  const payload = object(parseJson(Buffer.from(parts[1], 'base64url').toString('utf8')), () => bad('the JWS payload is not a JSON object'));

  const request = payload.request as Record<string, unknown> | undefined;
  if (request !== undefined && request.nonce !== undefined && request.nonce !== check.nonce) throw bad('it answers another request (its nonce is not ours)');
  const jwk = ((payload.response as { key?: { key?: unknown } } | undefined)?.key?.key ?? undefined) as Record<string, unknown> | undefined;
  if (typeof jwk !== 'object' || jwk === null) throw bad('the payload has no response.key.key');
  if (jwk.kid !== check.keyId) throw bad(`it is key ${excerpt(String(jwk.kid), 256)}, not the one asked for`);
  if (jwk.kty !== 'RSA' && jwk.kty !== 'RSA-HSM') throw bad(`it is a '${excerpt(String(jwk.kty))}' key, not RSA`);
  if (typeof jwk.key_hsm !== 'string' || !/^[A-Za-z0-9_-]+$/.test(jwk.key_hsm)) throw bad('it has no key_hsm');

  const blob = object(parseJson(Buffer.from(jwk.key_hsm, 'base64url').toString('utf8')), () => bad('key_hsm is not a key transfer blob'));
  const enc = (blob.header as { enc?: unknown } | undefined)?.enc;
  if (enc !== undefined && enc !== RELEASE_ENCRYPTION) throw bad(`it is wrapped with '${excerpt(String(enc))}', not ${RELEASE_ENCRYPTION}`);
  if (typeof blob.ciphertext !== 'string' || !/^[A-Za-z0-9_-]+$/.test(blob.ciphertext)) throw bad('the key transfer blob has no ciphertext');

  const key = unwrapRsaAesKeyWrap(Buffer.from(blob.ciphertext, 'base64url'), check.transferKey, bad);
  if (typeof jwk.n === 'string' && typeof jwk.e === 'string') {
    const pub = key.export({ format: 'jwk' });
    if (pub.n !== jwk.n || pub.e !== jwk.e) throw bad('the private key does not match the public key released with it');
  }
  return key;
}

function unwrapRsaAesKeyWrap(ciphertext: Buffer, transferKey: KeyObject, bad: (reason: string) => KeyError): KeyObject {
  const modulusBytes = (transferKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  if (ciphertext.length <= modulusBytes + 8) throw bad('the ciphertext is too short');
  let aesKey: Buffer | undefined;
  let der: Buffer | undefined;
  try {
    try {
      aesKey = privateDecrypt({ key: transferKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, ciphertext.subarray(0, modulusBytes));
    } catch {
      throw bad('it is not wrapped to our transfer key');
    }
    if (aesKey.length !== 32) throw bad(`the wrapping AES key is ${aesKey.length} bytes, not 32`);
    try {
      const decipher = createDecipheriv('id-aes256-wrap-pad', aesKey, AES_KWP_IV);
      der = Buffer.concat([decipher.update(ciphertext.subarray(modulusBytes)), decipher.final()]);
    } catch {
      throw bad('the AES key wrap does not open (altered ciphertext)');
    }
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } catch {
      throw bad('the unwrapped key is not a PKCS#8 private key');
    }
    if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) throw bad(`it is not an RSA key of at least ${MIN_RSA_BITS} bits`);
    return key;
  } finally {
    aesKey?.fill(0);
    der?.fill(0);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function object(value: unknown, bad: () => KeyError): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad();
  return value as Record<string, unknown>;
}
