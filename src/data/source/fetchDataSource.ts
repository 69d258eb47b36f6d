// Brings a data source — http(s) URL, file:// URL or local path — to `destPath`, written
// atomically, and reports its size and sha256 so a run can record exactly what it read.
// Where it may come from is the caller's SourcePolicy (sourcePolicy.ts): local paths only under
// data roots, only regular files (copyLocal.ts), and network addresses checked on every hop
// (networkPolicy.ts). Without a policy, `sealed run`'s default applies: any local path, public
// addresses only.
import { UsageError } from '../../core/errors.ts';
import type { ByteSink } from '../../core/fs/byteIo.ts';
import { copyLocal, shownPath } from './copyLocal.ts';
import { csvHeaderCheck } from './contentCheck.ts';
import { httpDownload } from './httpDownload.ts';
import { redactUrl } from '../../core/redact.ts';
import type { NetworkHooks } from './networkPolicy.ts';
import { resolveSource } from './resolveSource.ts';
import { CLI_SOURCE_POLICY, type SourcePolicy } from './sourcePolicy.ts';

export interface FetchOptions {
  /** Where the content is written (atomically): a path, or a ByteSink such as a sealed scratch file. */
  destPath: string | ByteSink;
  /** Connect timeout and longest stall while waiting for data. Default 30 s. */
  timeoutMs?: number;
  /** Longest whole transfer. Default 30 min. */
  totalTimeoutMs?: number;
  /** Largest accepted size. Default 2 GiB. */
  maxBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** What may be read. Default CLI_SOURCE_POLICY (any local path; public network addresses only). */
  policy?: SourcePolicy;
  /** Relative local paths are resolved against this. Default: the process's working directory. */
  cwd?: string;
  /**
   * 'csv': refuse content whose first line is not CSV text with comma-separated names, without quoting it
   * (so a non-CSV file never shows up in a later parse error). Default: any content.
   */
  expect?: 'csv';
  /** Test hooks: a resolver and a connector (production leaves them out). */
  network?: NetworkHooks;
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
  const policy = options.policy ?? CLI_SOURCE_POLICY;
  const contentCheck = options.expect === 'csv' ? csvHeaderCheck() : undefined;
  const source = resolveSource(urlOrPath);
  const shown = redactUrl(urlOrPath);
  if (source.kind === 'file') {
    const copied = await copyLocal(source.path, options.destPath, maxBytes, { policy, ...(options.cwd !== undefined ? { cwd: options.cwd } : {}), ...(contentCheck ? { contentCheck } : {}) });
    return { path: destLabel(options.destPath), kind: 'file', source: urlOrPath.includes('://') ? shown : shownPath(urlOrPath), ...copied };
  }
  const got = await httpDownload(source.url, options.destPath, {
    timeoutMs,
    totalTimeoutMs,
    maxBytes,
    maxRedirects,
    allowPrivateNetworks: policy.allowPrivateNetworks,
    ...(options.network ? { network: options.network } : {}),
    ...(contentCheck ? { contentCheck } : {}),
  });
  return { path: destLabel(options.destPath), kind: 'http', source: shown, ...got };
}

function positive(option: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new UsageError('source.badOption', { option, value: String(value), expected: 'a positive number' });
  return value;
}

const destLabel = (dest: string | ByteSink): string => (typeof dest === 'string' ? dest : dest.label);
