// Decides what a data source string names: an http(s) URL, a file:// URL or a local path.
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../core/errors.ts';
import { redactUrl } from '../../core/redact.ts';

export type SourceLocation = { kind: 'http'; url: URL } | { kind: 'file'; path: string };

// A scheme is at least two characters, so Windows drive letters (C:\data.csv) stay paths.
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]+):/;

export function resolveSource(given: string): SourceLocation {
  // Trimmed first: " https://..." is a URL (with its secrets redacted as one), not a file named so.
  const urlOrPath = given.trim();
  const scheme = SCHEME.exec(urlOrPath)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'file', path: urlOrPath };
  let url: URL;
  try {
    url = new URL(urlOrPath);
  } catch {
    throw new UsageError('source.badUrl', { url: redactUrl(urlOrPath) });
  }
  // `http:h`, `https:/h` and `http:\\h` parse as http(s)://h (WHATWG special schemes), but they are
  // typos at best and a way around naive checks at worst: the `//` is required.
  if ((scheme === 'http' || scheme === 'https' || scheme === 'file') && !/^[a-z]+:\/\//i.test(urlOrPath)) {
    throw new UsageError('source.badUrl', { url: redactUrl(urlOrPath) });
  }
  if (scheme === 'http' || scheme === 'https') return { kind: 'http', url };
  if (scheme === 'file') {
    try {
      return { kind: 'file', path: fileURLToPath(url) };
    } catch {
      throw new UsageError('source.badUrl', { url: redactUrl(urlOrPath) });
    }
  }
  throw new UsageError('source.unsupportedScheme', { scheme, url: redactUrl(urlOrPath) });
}
