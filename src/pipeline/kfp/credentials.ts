// How a request proves who is calling: a bearer token (a Dex JWT or a ServiceAccount token with
// audience pipelines.kubeflow.org) or the session cookie the Kubeflow login sets. The values
// go into request headers and nowhere else; errors name only where a value came from
// (`source`: an environment variable or a file), never the value.
import { UsageError } from '../../core/errors.ts';

export type KfpCredentials =
  | { kind: 'bearer'; token: string }
  | { kind: 'cookie'; name: string; value: string };

// RFC 6265 cookie-name (an RFC 7230 token) and cookie-value characters.
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COOKIE_VALUE = /^"?[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*"?$/;
// A token is sent verbatim after "Bearer ": no whitespace or control characters, so it cannot
// split or extend the header.
const TOKEN = /^[\x21-\x7E]+$/;

/** A bearer token from `text` (surrounding whitespace, such as a file's last newline, is dropped). */
export function bearerToken(text: string, source: string): KfpCredentials {
  const token = text.trim();
  if (!TOKEN.test(token)) throw new UsageError('kfp.badCredential', { source, expected: 'one bearer token: printable characters without spaces' });
  return { kind: 'bearer', token };
}

/** A session cookie from `name=value` text, e.g. `oauth2_proxy_kubeflow=...` or `authservice_session=...`. */
export function sessionCookie(text: string, source: string): KfpCredentials {
  const trimmed = text.trim();
  const eq = trimmed.indexOf('=');
  const name = trimmed.slice(0, eq);
  const value = trimmed.slice(eq + 1);
  if (eq <= 0 || !COOKIE_NAME.test(name) || value === '' || !COOKIE_VALUE.test(value)) {
    throw new UsageError('kfp.badCredential', { source, expected: 'one cookie as name=value (e.g. oauth2_proxy_kubeflow=...)' });
  }
  return { kind: 'cookie', name, value };
}

export function credentialHeaders(credentials: KfpCredentials | undefined): Record<string, string> {
  if (credentials === undefined) return {};
  return credentials.kind === 'bearer' ? { authorization: `Bearer ${credentials.token}` } : { cookie: `${credentials.name}=${credentials.value}` };
}

/** What was sent, for messages: never the value itself. */
export function describeCredentials(credentials: KfpCredentials | undefined): string {
  if (credentials === undefined) return 'request without credentials';
  return credentials.kind === 'bearer' ? 'bearer token' : `session cookie '${credentials.name}'`;
}

/** The secret strings in `credentials`, to scrub from any text a server sends back. */
export function secretValues(credentials: KfpCredentials | undefined): string[] {
  if (credentials === undefined) return [];
  return credentials.kind === 'bearer' ? [credentials.token] : [credentials.value];
}
