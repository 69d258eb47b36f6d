// URLs often carry secrets: `user:pass@` credentials, signed query parameters (Azure SAS `sig`,
// S3 `X-Amz-Signature`), tokens under any name (`auth`, `private_token`, `jwt`, `access-token`,
// `X-Custom-Sig`, ...) and tokens in the fragment (OAuth implicit flow `#access_token=`).
// A list of secret names always misses one, so redaction goes by shape: in any URL
// (`scheme://...`) the userinfo, EVERY query value and the fragment are hidden, unless the
// parameter is on the short allow-list below with a short plain value. Every message, log line
// and record (run.json, task logs, the dashboard's answers) shows only this form; the real
// value goes only to the code that uses it.
//
// The URL is cut into parts the way the WHATWG URL parser does (https://url.spec.whatwg.org/#authority-state:
// the authority ends at the first '/', '\', '?' or '#', and the userinfo is everything up to
// its LAST '@'; the query runs from the first '?' to the first '#'), but by hand, so that a
// string the parser refuses (`file://u:p@host/x`, a bad port, a stray space) is hidden too, and
// any difference can only hide more, never less.

/**
 * Query parameters whose value is shown. Each is harmless because it only selects the shape of
 * the answer, never who may get it:
 * - `format`: the file format of a download (`?format=csv`);
 * - `page`, `limit`, `offset`: pagination of a listing;
 * - `alt`: Google Cloud Storage's `alt=media` (the object's bytes instead of its metadata);
 * - `raw`: GitHub's and Gitea's `?raw=true` (the file instead of its HTML page).
 */
export const HARMLESS_QUERY_PARAMS: ReadonlySet<string> = new Set(['format', 'page', 'limit', 'offset', 'alt', 'raw']);

/** An allow-listed parameter's value is shown only when it is this short and plain. */
const HARMLESS_VALUE = /^[A-Za-z0-9._-]{0,32}$/;
/** A parameter name is shown only when it looks like a name, not like a token. */
const PLAIN_NAME = /^[A-Za-z0-9_.~%[\]-]{1,64}$/;
const HIDDEN = '***';

/** A string that starts (after trimming) with `scheme://`. */
const URL_START = /^[a-z][a-z0-9+.-]*:\/\//i;
/**
 * WHATWG's special schemes take their authority without the `//` too: `http:u:p@h/?k=v`,
 * `https:/h`, `http:\\h` all parse as `http(s)://...` (and are fetched so), so they are
 * redacted as such (URL Standard, "special scheme" and "special authority ignore slashes state").
 */
const SPECIAL_START = /^(https?|wss?|ftp|file):[\\/]*(?=[^\s\\/])/i;
/**
 * URLs inside longer text: from `scheme://` up to the next whitespace, leaving out up to three
 * closing characters before it (`(see https://h/?k=v).`), which are shown as they are.
 */
const URL_IN_TEXT = /(?:[a-z][a-z0-9+.-]*:\/\/|\b(?:https?|wss?|ftp|file):(?=[^\s])[\\/]*)\S*?(?=[)\]}>'",;:.!?]{0,3}(?:\s|$))/gi;

/** `http:h`, `https:/h`, `http:\\h` as `http://h`: one spelling for the redactor to take apart. */
function withSlashes(url: string): string {
  return url.replace(SPECIAL_START, (_m, scheme: string) => `${scheme}://`);
}

function decoded(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

function redactQueryPart(part: string): string {
  if (part === '') return part;
  const eq = part.indexOf('=');
  const name = eq < 0 ? part : part.slice(0, eq);
  const allowed = HARMLESS_QUERY_PARAMS.has(decoded(name).toLowerCase());
  if (eq < 0) return allowed ? part : HIDDEN; // `?<token>` alone is a value too
  const value = part.slice(eq + 1);
  if (allowed && HARMLESS_VALUE.test(value)) return part;
  return `${PLAIN_NAME.test(name) ? name : HIDDEN}=${HIDDEN}`;
}

/** One URL, `scheme://` first: userinfo, query values and fragment hidden. */
function redactWholeUrl(url: string): string {
  const scheme = URL_START.exec(url)?.[0] ?? '';
  const rest = url.slice(scheme.length);
  const authorityEnd = rest.search(/[/\\?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  let tail = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  const at = authority.lastIndexOf('@');
  const host = at < 0 ? authority : `${HIDDEN}@${authority.slice(at + 1)}`;
  let fragment = '';
  const hash = tail.indexOf('#');
  if (hash >= 0) {
    fragment = hash === tail.length - 1 ? '#' : `#${HIDDEN}`;
    tail = tail.slice(0, hash);
  }
  const q = tail.indexOf('?');
  if (q >= 0) tail = `${tail.slice(0, q)}?${tail.slice(q + 1).split('&').map(redactQueryPart).join('&')}`;
  return `${scheme}${host}${tail}${fragment}`;
}

/**
 * Every URL inside `text` (an error message from a library, a log line) redacted; the rest of
 * the text unchanged. A URL is taken to end at the next whitespace.
 */
export function redactText(text: string): string {
  if (!text.includes(':')) return text;
  return text.replace(URL_IN_TEXT, (url) => redactWholeUrl(withSlashes(url)));
}

/**
 * A URL as it may be shown: trimmed, then userinfo, every query value (but the harmless ones)
 * and the fragment hidden. Something that does not start with `scheme://` is treated as text
 * (see redactText), so a URL inside it is still hidden.
 */
export function redactUrl(url: string | URL): string {
  const text = withSlashes(String(url).trim());
  return URL_START.test(text) ? redactWholeUrl(text) : redactText(text);
}

/**
 * A value as it may be recorded. A string that is a URL once trimmed is redacted as a whole
 * (its query may hold spaces); a string with a URL inside has that URL redacted; other strings
 * (paths) are kept as given. Arrays and objects are redacted member by member.
 */
export function redactValue<T>(value: T): T {
  if (typeof value === 'string') {
    const trimmed = withSlashes(value.trim());
    if (URL_START.test(trimmed)) return redactWholeUrl(trimmed) as T;
    return redactText(value) as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => redactValue(v)) as T;
  if (value !== null && typeof value === 'object') return redactParameters(value as Record<string, unknown>) as T;
  return value;
}

/** Record-safe copy of a parameter map (see redactValue). */
export function redactParameters<T extends Record<string, unknown>>(params: T): T {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, redactValue(v)])) as T;
}
