// URLs often carry secrets: `user:pass@` credentials or signed query parameters (Azure SAS
// `sig`, S3 `X-Amz-Signature`, tokens). Every message, log line and record (run.json) shows
// this form only; the real value goes only to the code that uses it.
const SECRET_PARAMS = /^(sig|signature|token|access_token|id_token|code|key|apikey|api_key|password|passwd|secret|client_secret|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential)$/i;

export function redactUrl(url: string | URL): string {
  let u: URL;
  try {
    u = new URL(String(url));
  } catch {
    // Not parseable: still hide anything that looks like credentials before an '@'.
    return String(url).replace(/\/\/[^/@\s]*@/, '//***@');
  }
  if (u.username || u.password) {
    u.username = '***';
    u.password = '';
  }
  for (const name of [...u.searchParams.keys()]) if (SECRET_PARAMS.test(name)) u.searchParams.set(name, '***');
  return u.href.replace(/%2A%2A%2A/g, '***');
}

/** A value as it may be recorded: strings that are URLs with a scheme are redacted. */
export function redactValue<T>(value: T): T {
  if (typeof value !== 'string' || !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  return redactUrl(value) as T;
}

/** Record-safe copy of a parameter map (see redactValue). */
export function redactParameters<T extends Record<string, unknown>>(params: T): T {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, redactValue(v)])) as T;
}
