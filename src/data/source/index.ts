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
export {
  CLI_SOURCE_POLICY,
  EXECUTOR_SOURCE_POLICY,
  DATA_POLICY_ENV,
  cliSourcePolicy,
  makeSourcePolicy,
  parseSourcePolicy,
  serializeSourcePolicy,
  sourcePolicyFromEnv,
  type SourcePolicy,
} from './sourcePolicy.ts';
export { nonPublicAddressKind } from './addressRanges.ts';
export type { NetworkHooks, Resolver, Connector, ConnectTarget, ResolvedAddress } from './networkPolicy.ts';
