// Public API of data sources: fetch a URL or path to a local file, with limits, atomically.
export {
  fetchDataSource,
  DEFAULT_FETCH_TIMEOUT_MS,
  DEFAULT_FETCH_TOTAL_TIMEOUT_MS,
  DEFAULT_FETCH_MAX_BYTES,
  DEFAULT_FETCH_MAX_REDIRECTS,
  type FetchOptions,
  type FetchResult,
} from './fetchDataSource.ts';
export { redactUrl } from '../../core/redact.ts';
export { resolveSource, type SourceLocation } from './resolveSource.ts';
