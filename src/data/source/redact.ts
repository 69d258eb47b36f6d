// Data URLs often carry secrets: `user:pass@` credentials or signed query parameters (Azure
// SAS `sig`, S3 `X-Amz-Signature`, tokens). Every message and log line shows this form only.
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
