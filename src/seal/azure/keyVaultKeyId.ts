// A versioned Key Vault (or Managed HSM) key id: https://<vault>/keys/<name>/<version>, as Key
// Vault returns it in "kid" ("Get Key": https://learn.microsoft.com/en-us/rest/api/keyvault/keys/get-key/get-key).
// Sealed artifacts name the exact key version that wrapped their data key, so an unversioned
// id (which follows the newest version) is refused.
import { UsageError } from '../../core/index.ts';

export interface KeyVaultKeyId {
  /** The normalized id: `${vaultUrl}/keys/${name}/${version}`. */
  id: string;
  /** https://host[:port] */
  vaultUrl: string;
  name: string;
  version: string;
}

const NAME = /^[0-9A-Za-z-]{1,127}$/;
const VERSION = /^[0-9A-Za-z]{1,64}$/;

/** The parts of `value`, or a UsageError naming `source` (an environment variable, an option). */
export function parseKeyVaultKeyId(value: string, source = 'key id'): KeyVaultKeyId {
  const bad = (reason: string): UsageError => new UsageError('keys.badKeyVaultKeyId', { source, value, reason });
  if (value.length > 2048) throw bad('longer than 2048 characters');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad('not a URL');
  }
  if (url.protocol !== 'https:') throw bad('must be https');
  if (url.username !== '' || url.password !== '') throw bad('must not carry a user name or password');
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(value)) throw bad('must not have a query or fragment');
  const parts = url.pathname.split('/');
  if (parts.length !== 4 || parts[0] !== '' || parts[1] !== 'keys') throw bad('the path must be /keys/<name>/<version>');
  const [, , name, version] = parts;
  if (!NAME.test(name)) throw bad('the key name must be 1-127 letters, digits and dashes');
  if (!VERSION.test(version)) throw bad('the key version is missing or not letters and digits (give the versioned id)');
  return { id: `${url.origin}/keys/${name}/${version}`, vaultUrl: url.origin, name, version };
}
