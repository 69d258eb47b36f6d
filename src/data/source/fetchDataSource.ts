// Brings a data source — http(s) URL, file:// URL or local path — to `destPath`, written
// atomically, and reports its size and sha256 so a run can record exactly what it read.
import { UsageError } from '../../core/errors.ts';
import { copyLocal } from './copyLocal.ts';
import { httpDownload } from './httpDownload.ts';
import { redactUrl } from '../../core/redact.ts';
import { resolveSource } from './resolveSource.ts';

export interface FetchOptions {
  /** Where the content is written (atomically). */
  destPath: string;
  /** Connect timeout and longest stall while waiting for data. Default 30 s. */
  timeoutMs?: number;
  /** Longest whole transfer. Default 30 min. */
  totalTimeoutMs?: number;
  /** Largest accepted size. Default 2 GiB. */
  maxBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
}

export interface FetchResult {
  path: string;
  bytes: number;
  sha256: string;
  kind: 'http' | 'file';
  /** The source as given, credentials and signatures redacted; safe to log. */
  source: string;
  /** For http: the URL the content came from after redirects, redacted. */
  finalUrl?: string;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
export const DEFAULT_FETCH_TOTAL_TIMEOUT_MS = 30 * 60_000;
export const DEFAULT_FETCH_MAX_BYTES = 2 * 1024 ** 3;
export const DEFAULT_FETCH_MAX_REDIRECTS = 5;

export async function fetchDataSource(urlOrPath: string, options: FetchOptions): Promise<FetchResult> {
  const timeoutMs = positive('timeoutMs', options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS);
  const totalTimeoutMs = positive('totalTimeoutMs', options.totalTimeoutMs ?? DEFAULT_FETCH_TOTAL_TIMEOUT_MS);
  const maxBytes = positive('maxBytes', options.maxBytes ?? DEFAULT_FETCH_MAX_BYTES);
  const maxRedirects = options.maxRedirects ?? DEFAULT_FETCH_MAX_REDIRECTS;
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0) {
    throw new UsageError('source.badOption', { option: 'maxRedirects', value: String(maxRedirects), expected: 'a non-negative integer' });
  }
  const source = resolveSource(urlOrPath);
  const shown = redactUrl(urlOrPath);
  if (source.kind === 'file') {
    const copied = await copyLocal(source.path, options.destPath, maxBytes);
    return { path: options.destPath, kind: 'file', source: urlOrPath.includes('://') ? shown : urlOrPath, ...copied };
  }
  const got = await httpDownload(source.url, options.destPath, { timeoutMs, totalTimeoutMs, maxBytes, maxRedirects });
  return { path: options.destPath, kind: 'http', source: shown, ...got };
}

function positive(option: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new UsageError('source.badOption', { option, value: String(value), expected: 'a positive number' });
  return value;
}
