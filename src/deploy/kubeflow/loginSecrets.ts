// Login secrets that replace the ones every kubeflow/manifests release publishes (common/dex/base/
// secret_params.env OIDC_CLIENT_SECRET, oauth2-proxy's client-secret and cookie-secret, 1.8's
// oidc-authservice CLIENT_SECRET). Made once per overlay and kept in it: a new render over an
// existing overlay reuses them, so `sealed deploy up` again does not log everyone out.
import { randomBytes } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CLIENT_SECRET_FILE = 'oidc-client-secret';
export const COOKIE_SECRET_FILE = 'oauth2-proxy-cookie-secret';

export interface LoginSecrets {
  /** Shared by Dex's static client and the proxy (they must be equal). */
  clientSecret: string;
  /** oauth2-proxy needs 16, 24 or 32 bytes: 32 hex characters are used as 32 raw bytes. */
  cookieSecret: string;
}

const CLIENT_RE = /^[A-Za-z0-9_-]{32,128}$/;
const COOKIE_RE = /^[0-9a-f]{32}$/;

export function freshLoginSecrets(): LoginSecrets {
  return { clientSecret: randomBytes(32).toString('base64url'), cookieSecret: randomBytes(16).toString('hex') };
}

/** A secret file of an earlier overlay: a small regular 0600 file (never followed through a link) in the expected form. */
function readKept(dir: string, name: string, re: RegExp): string | undefined {
  const path = join(dir, name);
  try {
    const st = lstatSync(path);
    if (!st.isFile() || st.size > 256) return undefined;
    const v = readFileSync(path, 'utf8');
    return re.test(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The secrets of the overlay already in `out` (checked by checkOut to be ours), each fresh where missing or malformed. */
export function loginSecretsFor(out: string, existing: boolean): LoginSecrets {
  const fresh = freshLoginSecrets();
  if (!existing) return fresh;
  return {
    clientSecret: readKept(out, CLIENT_SECRET_FILE, CLIENT_RE) ?? fresh.clientSecret,
    cookieSecret: readKept(out, COOKIE_SECRET_FILE, COOKIE_RE) ?? fresh.cookieSecret,
  };
}
