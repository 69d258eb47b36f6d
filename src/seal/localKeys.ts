// The local key folder: a key-encryption key (KEK) that wraps each artifact's data key, and an
// Ed25519 key pair that signs run manifests. `initKeyFolder` makes one (sealed keys init);
// `LocalKeyProvider.open` checks and loads one and is the KeyProvider of sealed runs on disk.
//
// Folder layout (mode 0700, this user's):
//   kek.key      0600  {"format":"sealed-kek","version":1,"algorithm":"A256GCM-KW","keyId":"<16 hex>","key":"<base64 of 32 bytes>"}
//                      keyId = the first 16 hex digits of sha256(key), so a wrapped key names its KEK without revealing it
//   signing.key  0600  Ed25519 private key, PKCS#8 PEM
//   signing.pub  0644  Ed25519 public key, SPKI PEM
//
// Wrapping (algorithm 'A256GCM-KW'): AES-256-GCM under the KEK, a fresh random 12-byte nonce per
// wrap, the caller's context (run, task, artifact...) as additional data; `wrapped` is
// base64(nonce || ciphertext || 16-byte tag). A wrong KEK, another context or any changed byte
// fails the tag and is refused with one line; nothing here prints or logs a secret.
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  randomBytes,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import { IoError, sha256 } from '../core/index.ts';
import { KeyError } from './keyErrors.ts';
import {
  KEY_DIR_MODE,
  PUBLIC_FILE_MODE,
  PUBLIC_RULE,
  SECRET_FILE_MODE,
  SECRET_RULE,
  checkKeyFolderStat,
  readKeyFile,
  shellQuote,
  statKeyFolder,
  syncFolder,
  writeNewKeyFile,
  type KeyFileRule,
} from './keyFiles.ts';
import { checkSecretVolumeUnchanged, openSecretVolume, readSecretVolumeFile } from './kubeSecretKeys.ts';
import type { KeyProvider, WrappedKey } from './keyProvider.ts';

export const KEK_FILE = 'kek.key';
export const SIGNING_KEY_FILE = 'signing.key';
export const SIGNING_PUB_FILE = 'signing.pub';
export const LOCAL_PROVIDER = 'local';
export const LOCAL_WRAP_ALGORITHM = 'A256GCM-KW';
const KEK_FORMAT = 'sealed-kek';
const KEK_VERSION = 1;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The key id of a KEK: the first 16 hex digits of its sha256. */
export function kekKeyId(key: Uint8Array): string {
  return sha256(key).slice(0, 16);
}

/** `sha256:<hex>` of a public key's SPKI DER: the key id of signatures made with it. */
export function publicKeyFingerprint(key: KeyObject | string): string {
  const object = typeof key === 'string' ? createPublicKey(key) : key;
  return `sha256:${sha256(object.export({ type: 'spki', format: 'der' }))}`;
}

export interface KeyFolderInfo {
  dir: string;
  kekKeyId: string;
  publicKeyFile: string;
  publicKeyFingerprint: string;
}

/**
 * Makes a key folder: `dir` is created with mode 0700 (an existing one must be an empty, 0700
 * folder of this user, not a link), then a fresh KEK and Ed25519 key pair are written, each file
 * created exclusively and renamed into place. On failure the files written so far are removed.
 */
export async function initKeyFolder(dir: string): Promise<KeyFolderInfo> {
  let created = false;
  const existing = await statKeyFolder(dir);
  if (existing) {
    const entries = await fsp.readdir(dir).catch((e: Error) => {
      throw new IoError('io.readFailed', { path: dir, reason: e.message }, { cause: e });
    });
    if (entries.length > 0) {
      throw new KeyError('keys.unsafeFolder', { path: dir, reason: `is not empty (${entries.length} entries)`, fix: 'give a new or empty folder; keys init never replaces keys' });
    }
  } else {
    try {
      await fsp.mkdir(dirname(dir), { recursive: true });
      await fsp.mkdir(dir, { mode: KEY_DIR_MODE });
      created = true;
      await fsp.chmod(dir, KEY_DIR_MODE); // mkdir's mode passes through the umask
    } catch (e) {
      throw new IoError('io.writeFailed', { path: dir, reason: (e as Error).message }, { cause: e });
    }
    // Made by us a moment ago; still checked, in case it was swapped in between.
    checkKeyFolderStat(dir, await fsp.lstat(dir));
  }

  const written: string[] = [];
  try {
    const kek = randomBytes(KEY_BYTES);
    const keyId = kekKeyId(kek);
    const kekJson = JSON.stringify({ format: KEK_FORMAT, version: KEK_VERSION, algorithm: LOCAL_WRAP_ALGORITHM, keyId, key: kek.toString('base64') }) + '\n';
    kek.fill(0);
    written.push(await writeNewKeyFile(dir, KEK_FILE, kekJson, SECRET_FILE_MODE));

    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    written.push(await writeNewKeyFile(dir, SIGNING_KEY_FILE, privatePem, SECRET_FILE_MODE));
    written.push(await writeNewKeyFile(dir, SIGNING_PUB_FILE, publicPem, PUBLIC_FILE_MODE));
    await syncFolder(dir);
    return { dir, kekKeyId: keyId, publicKeyFile: join(dir, SIGNING_PUB_FILE), publicKeyFingerprint: publicKeyFingerprint(publicKey) };
  } catch (e) {
    for (const path of written) await fsp.rm(path, { force: true });
    if (created) await fsp.rmdir(dir).catch(() => undefined);
    throw e;
  }
}

export interface Signer {
  /** Fingerprint of the public key (publicKeyFingerprint), to name the key in a signature. */
  readonly keyId: string;
  sign(message: Uint8Array): Uint8Array;
}

export interface Verifier {
  readonly keyId: string;
  /** False for a wrong or malformed signature; never throws for one. */
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** A verifier from an Ed25519 public key in SPKI PEM (e.g. signing.pub given to sealed verify). */
export function verifierFromPublicKey(pem: string, source = 'public key'): Verifier {
  let key: KeyObject;
  try {
    key = createPublicKey(publicPemOnly(pem));
  } catch (e) {
    throw new KeyError('keys.badKeyFile', { path: source, reason: `not a PEM public key (${(e as Error).message})` }, { cause: e });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyError('keys.badKeyFile', { path: source, reason: `an ${key.asymmetricKeyType ?? 'unknown'} key, expected Ed25519` });
  return makeVerifier(key);
}

/** createPublicKey also takes a private key (and derives its public half): only a PUBLIC KEY PEM is accepted. */
function publicPemOnly(pem: string): string {
  if (!/^\s*-----BEGIN PUBLIC KEY-----/.test(pem)) throw new Error('expected -----BEGIN PUBLIC KEY-----');
  return pem;
}

function makeVerifier(key: KeyObject): Verifier {
  const keyId = publicKeyFingerprint(key);
  return {
    keyId,
    verify(message, signature) {
      try {
        return cryptoVerify(null, message, key, signature);
      } catch {
        return false;
      }
    },
  };
}

/** 'folder': a user's key folder (keyFiles.ts rules); 'kubernetes-secret': a pod's mounted key secret (kubeSecretKeys.ts). */
export type KeyFolderLayout = 'folder' | 'kubernetes-secret';

export interface OpenKeyFolderOptions {
  layout?: KeyFolderLayout;
}

/** How the key files of `dir` are read under `layout`; `done` runs after the last read. */
async function keyFileReader(dir: string, layout: KeyFolderLayout): Promise<{ read(name: string, rule: KeyFileRule): Promise<Buffer>; done(): Promise<void> }> {
  if (layout === 'kubernetes-secret') {
    const volume = await openSecretVolume(dir);
    // The kubelet's own rules (0644 files, links into ..data) replace the user-folder rules for every file.
    if (volume) return { read: (name) => readSecretVolumeFile(volume, name), done: () => checkSecretVolumeUnchanged(volume) };
  }
  if (!(await statKeyFolder(dir))) throw new KeyError('keys.unsafeFolder', { path: dir, reason: 'does not exist', fix: `sealed keys init --out ${shellQuote(dir)}` });
  return { read: (name, rule) => readKeyFile(join(dir, name), rule), done: async () => undefined };
}

/** The key folder's provider: wraps data keys with its KEK; signs with its Ed25519 key. */
export class LocalKeyProvider implements KeyProvider {
  readonly name = LOCAL_PROVIDER;
  readonly dir: string;
  /** Key id of the KEK (kekKeyId); every key this provider wraps carries it. */
  readonly keyId: string;
  readonly #kek: KeyObject;
  readonly #signingKey: KeyObject;
  readonly #publicKey: KeyObject;

  private constructor(dir: string, keyId: string, kek: KeyObject, signingKey: KeyObject, publicKey: KeyObject) {
    this.dir = dir;
    this.keyId = keyId;
    this.#kek = kek;
    this.#signingKey = signingKey;
    this.#publicKey = publicKey;
  }

  /**
   * Checks the folder and its files (see keyFiles.ts) and loads the keys; refuses with one line naming the file and
   * the fix. `layout: 'kubernetes-secret'` (keyProviderFromEnv only, for a pod's mounted secret) also accepts the
   * kubelet's secret-volume layout under the rules of kubeSecretKeys.ts; a folder without `..data` still gets the
   * user-folder rules.
   */
  static async open(dir: string, options: OpenKeyFolderOptions = {}): Promise<LocalKeyProvider> {
    const files = await keyFileReader(dir, options.layout ?? 'folder');
    const kekPath = join(dir, KEK_FILE);
    const { keyId, kek } = parseKek(kekPath, await files.read(KEK_FILE, SECRET_RULE));
    const signingPath = join(dir, SIGNING_KEY_FILE);
    const signingKey = parsePrivateKey(signingPath, await files.read(SIGNING_KEY_FILE, SECRET_RULE));
    const pubPath = join(dir, SIGNING_PUB_FILE);
    const publicKey = parsePublicKey(pubPath, await files.read(SIGNING_PUB_FILE, PUBLIC_RULE));
    await files.done();
    const derived = createPublicKey(signingKey).export({ type: 'spki', format: 'der' });
    if (!derived.equals(publicKey.export({ type: 'spki', format: 'der' }))) {
      throw new KeyError('keys.badKeyFile', { path: pubPath, reason: `it is not the public key of ${SIGNING_KEY_FILE}` });
    }
    return new LocalKeyProvider(dir, keyId, kek, signingKey, publicKey);
  }

  async wrapKey(dataKey: Uint8Array, context: Uint8Array): Promise<WrappedKey> {
    if (dataKey.length !== KEY_BYTES) throw new KeyError('keys.badDataKey', { length: dataKey.length });
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#kek, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(context);
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    const wrapped = Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
    return { provider: this.name, keyId: this.keyId, algorithm: LOCAL_WRAP_ALGORITHM, wrapped };
  }

  async unwrapKey(wrapped: WrappedKey, context: Uint8Array): Promise<Uint8Array> {
    if (wrapped.provider !== this.name || wrapped.algorithm !== LOCAL_WRAP_ALGORITHM) {
      throw new KeyError('keys.wrongProvider', { provider: String(wrapped.provider), algorithm: String(wrapped.algorithm), expected: `provider '${this.name}' with '${LOCAL_WRAP_ALGORITHM}'` });
    }
    if (wrapped.keyId !== this.keyId) throw new KeyError('keys.wrongKey', { found: String(wrapped.keyId), expected: this.keyId });
    if (typeof wrapped.wrapped !== 'string' || !BASE64.test(wrapped.wrapped)) throw new KeyError('keys.badWrappedKey', { keyId: this.keyId, reason: 'not base64' });
    const bytes = Buffer.from(wrapped.wrapped, 'base64');
    if (bytes.length !== NONCE_BYTES + KEY_BYTES + TAG_BYTES) {
      throw new KeyError('keys.badWrappedKey', { keyId: this.keyId, reason: `${bytes.length} bytes, expected ${NONCE_BYTES + KEY_BYTES + TAG_BYTES}` });
    }
    const decipher = createDecipheriv('aes-256-gcm', this.#kek, bytes.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(context);
    decipher.setAuthTag(bytes.subarray(NONCE_BYTES + KEY_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, NONCE_BYTES + KEY_BYTES)), decipher.final()]);
    } catch (e) {
      throw new KeyError('keys.unwrapFailed', { keyId: this.keyId }, { cause: e });
    }
  }

  /** Ed25519 signatures with signing.key. */
  signer(): Signer {
    const key = this.#signingKey;
    return { keyId: publicKeyFingerprint(this.#publicKey), sign: (message) => cryptoSign(null, message, key) };
  }

  /** Checks signatures against signing.pub. */
  verifier(): Verifier {
    return makeVerifier(this.#publicKey);
  }
}

function parseKek(path: string, content: Buffer): { keyId: string; kek: KeyObject } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.toString('utf8'));
  } catch {
    throw new KeyError('keys.badKeyFile', { path, reason: 'not JSON' });
  } finally {
    content.fill(0);
  }
  const bad = (reason: string): KeyError => new KeyError('keys.badKeyFile', { path, reason });
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad('not a JSON object');
  const fields = parsed as Record<string, unknown>;
  if (fields.format !== KEK_FORMAT) throw bad(`format must be '${KEK_FORMAT}'`);
  if (fields.version !== KEK_VERSION) throw bad(`unsupported version ${JSON.stringify(fields.version) ?? 'none'}; this version reads ${KEK_VERSION}`);
  if (fields.algorithm !== LOCAL_WRAP_ALGORITHM) throw bad(`algorithm must be '${LOCAL_WRAP_ALGORITHM}'`);
  if (typeof fields.key !== 'string' || !BASE64.test(fields.key)) throw bad('key must be base64');
  const key = Buffer.from(fields.key, 'base64');
  try {
    if (key.length !== KEY_BYTES) throw bad(`the key is ${key.length} bytes, expected ${KEY_BYTES}`);
    const keyId = kekKeyId(key);
    if (fields.keyId !== keyId) throw bad('keyId does not match the key (the file was altered)');
    return { keyId, kek: createSecretKey(key) };
  } finally {
    key.fill(0);
  }
}

function parsePrivateKey(path: string, content: Buffer): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: content, format: 'pem' });
  } catch {
    throw new KeyError('keys.badKeyFile', { path, reason: 'not a PEM private key' });
  } finally {
    content.fill(0);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyError('keys.badKeyFile', { path, reason: `an ${key.asymmetricKeyType ?? 'unknown'} key, expected Ed25519` });
  return key;
}

function parsePublicKey(path: string, content: Buffer): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(publicPemOnly(content.toString('utf8')));
  } catch {
    throw new KeyError('keys.badKeyFile', { path, reason: 'not a PEM public key' });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyError('keys.badKeyFile', { path, reason: `an ${key.asymmetricKeyType ?? 'unknown'} key, expected Ed25519` });
  return key;
}
