// The origin of an attestation authority (an MAA instance, e.g. https://x.eus.attest.azure.net):
// https only, no user info, path, query or fragment. Plain http is accepted only for a loopback
// host and only when the caller asks for it (tests with a local fake); never from a policy file
// alone. The origin is the form MAA issues in a token's `iss` claim and the SKR release policy
// names in `authority`.
import { AttestationError } from './attestationErrors.ts';

export interface AuthorityUrlOptions {
  /** Accept http:// for 127.0.0.1, ::1 and localhost (test fakes only). */
  allowInsecureLocalhost?: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MAX_URL_CHARS = 2048;

/** `https://host[:port]` of `value`, or a one-line error naming `what`. */
export function authorityOrigin(value: string, what: string, options: AuthorityUrlOptions = {}): string {
  const checked = checkAuthority(value, options);
  if ('reason' in checked) throw new AttestationError('attest.badUrl', { what, value, reason: checked.reason });
  return checked.origin;
}

/** The origin of `value`, or why it is not an acceptable authority. */
export function checkAuthority(value: string, options: AuthorityUrlOptions = {}): { origin: string } | { reason: string } {
  if (value.length > MAX_URL_CHARS) return { reason: `is longer than ${MAX_URL_CHARS} characters` };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { reason: 'is not a URL' };
  }
  const insecureOk = url.protocol === 'http:' && options.allowInsecureLocalhost === true && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !insecureOk) return { reason: 'must be an https:// URL' };
  if (url.username !== '' || url.password !== '') return { reason: 'must not carry a user name or password' };
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || /[?#]/.test(value)) {
    return { reason: 'must be the authority alone (scheme, host and port), with no path, query or fragment' };
  }
  return { origin: url.origin };
}

/** Whether `url` is on `origin` (same scheme, host and port). */
export function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}
