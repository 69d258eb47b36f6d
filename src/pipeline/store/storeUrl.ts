// `--store` values: `s3://bucket/prefix`, `az://container/prefix`, or a folder path.
// Credentials come from the environment only, never from the URL, a file or a metadata service:
//   S3:    AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, optional AWS_SESSION_TOKEN (the variables of
//          the SDK's fromEnv provider, read here and passed to the client, so its default chain
//          never reads ~/.aws or asks an instance metadata service);
//   Azure: AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY
//          (connection string format: https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string).
// The URL is cut by hand, not by WHATWG URL, which would resolve 'a/../b' to 'b' and
// percent-decode: the prefix is used exactly as written or refused.
import { PipelineError, printable, redactUrl } from '../../core/index.ts';
import type { ArtifactStore } from './artifactStore.ts';
import { AzureBlobArtifactStore, type AzureCredentials } from './azureBlobArtifactStore.ts';
import { LocalArtifactStore } from './localArtifactStore.ts';
import { S3ArtifactStore, type S3Credentials } from './s3ArtifactStore.ts';
import { keyProblem } from './storeKey.ts';
import { accountNameProblem, bucketNameProblem, checkEndpoint, containerNameProblem } from './storeNames.ts';

export interface StoreUrlOptions {
  /** The S3-compatible endpoint (`--s3-endpoint URL`); AWS itself when omitted. */
  s3Endpoint?: string;
  /** S3 region; default AWS_REGION, then 'us-east-1'. */
  region?: string;
  /** The Azure account's blob endpoint; overrides the connection string's and the default https://<account>.blob.core.windows.net. */
  azureBlobEndpoint?: string;
  /** Accept plain http:// endpoints on hosts other than this machine (nothing protects the traffic). */
  allowInsecureHttp?: boolean;
  /** Tuning passed to the store (tests use small values). */
  partSize?: number;
  blockSize?: number;
  listPageSize?: number;
  maxAttempts?: number;
  retryDelayMs?: number;
  maxAppendBytes?: number;
  maxGetBytes?: number;
  scratchDir?: string;
}

/** A store URL taken apart (no credentials, no I/O). */
export type StoreLocation = { kind: 's3'; bucket: string; prefix: string } | { kind: 'az'; container: string; prefix: string } | { kind: 'local'; path: string };

const MAX_URL_CHARS = 2048;
/** Azurite's and the storage emulator's documented account (public, not a secret): https://learn.microsoft.com/azure/storage/common/storage-use-azurite#http-connection-strings */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

/** Takes a store URL apart, refusing anything ambiguous; never makes a request. */
export function parseStoreLocation(text: string): StoreLocation {
  let shown = typeof text === 'string' ? text : '';
  const bad = (reason: string): PipelineError => new PipelineError('store.badUrl', { url: printable(redactUrl(shown).slice(0, 200)), reason });
  if (typeof text !== 'string' || text.trim() === '') throw bad('it is empty');
  if (text.length > MAX_URL_CHARS) throw bad(`it is longer than ${MAX_URL_CHARS} characters`);
  if (CONTROL.test(text)) throw bad('it contains a control character');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (!scheme) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[a-z]:[\\/]/i.test(text)) throw bad('a URL needs scheme:// (s3://bucket/prefix or az://container/prefix)');
    return { kind: 'local', path: text };
  }
  const kind = scheme[1].toLowerCase();
  if (kind !== 's3' && kind !== 'az') throw bad(`scheme '${scheme[1]}' is not a store (use s3://bucket/prefix, az://container/prefix or a folder path)`);
  const rest = text.slice(scheme[0].length);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  if (authority.includes('@') || authority.includes(':')) {
    // `s3://KEY:SECRET/x` has no '@' for the redactor to find: the whole authority is hidden.
    if (!authority.includes('@')) shown = `${scheme[0]}***${slash < 0 ? '' : rest.slice(slash)}`;
    throw bad(`it must not carry credentials; they come from the environment (${kind === 's3' ? 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY' : 'AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY'})`);
  }
  if (/[?#]/.test(rest)) throw bad('it must not have a query or fragment (a SAS token or key belongs in the environment)');
  const nameProblem = kind === 's3' ? bucketNameProblem(authority) : containerNameProblem(authority);
  if (nameProblem) throw bad(`${kind === 's3' ? 'bucket' : 'container'} name '${authority}' ${nameProblem}`);
  let prefix = slash < 0 ? '' : rest.slice(slash + 1);
  if (prefix.endsWith('/')) prefix = prefix.slice(0, -1);
  if (prefix !== '') {
    if (prefix.includes('%')) throw bad("the prefix must not contain '%' (it is used as written, never percent-decoded)");
    const problem = keyProblem(prefix);
    if (problem) throw bad(`the prefix is not usable: ${problem}`);
  } else if (slash >= 0 && rest.length > slash + 1) {
    throw bad("the prefix must not start with '/'");
  }
  return kind === 's3' ? { kind, bucket: authority, prefix } : { kind, container: authority, prefix };
}

/**
 * The store `text` names, with credentials from `env`. Bad input is one line naming what is
 * wrong (a missing variable by name); no message holds a credential.
 */
export function parseStoreUrl(text: string, env: NodeJS.ProcessEnv = process.env, options: StoreUrlOptions = {}): ArtifactStore {
  const where = parseStoreLocation(text);
  const tuning = {
    ...pick(options, ['partSize', 'blockSize', 'listPageSize', 'maxAttempts', 'retryDelayMs', 'maxAppendBytes', 'maxGetBytes', 'scratchDir'] as const),
  };
  if (where.kind === 'local') return new LocalArtifactStore(where.path);
  const endpointOptions = { allowInsecureHttp: options.allowInsecureHttp === true };
  if (where.kind === 's3') {
    const store = `s3://${where.bucket}`;
    const credentials = s3Credentials(env, store);
    const region = options.region ?? nonEmpty(env.AWS_REGION) ?? 'us-east-1';
    if (!/^[a-z0-9-]{1,32}$/.test(region)) throw new PipelineError('store.badOption', { option: 'region', value: printable(region.slice(0, 40)), reason: 'is not an AWS region name' });
    return new S3ArtifactStore({
      bucket: where.bucket,
      prefix: where.prefix,
      region,
      credentials,
      ...(options.s3Endpoint !== undefined ? { endpoint: checkEndpoint(options.s3Endpoint, '--s3-endpoint', endpointOptions) } : {}),
      ...tuning,
    });
  }
  const { credentials, endpoint } = azureAccount(env, `az://${where.container}`, options.azureBlobEndpoint, endpointOptions);
  return new AzureBlobArtifactStore({ container: where.container, prefix: where.prefix, endpoint, credentials, ...tuning });
}

function s3Credentials(env: NodeJS.ProcessEnv, store: string): S3Credentials {
  const accessKeyId = required(env, 'AWS_ACCESS_KEY_ID', store);
  const secretAccessKey = required(env, 'AWS_SECRET_ACCESS_KEY', store);
  const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
  if (sessionToken !== undefined) checkSecret(sessionToken, 'AWS_SESSION_TOKEN');
  return { accessKeyId, secretAccessKey, ...(sessionToken !== undefined ? { sessionToken } : {}) };
}

function azureAccount(env: NodeJS.ProcessEnv, store: string, endpointOption: string | undefined, endpointOptions: { allowInsecureHttp: boolean }): { credentials: AzureCredentials; endpoint: string } {
  const connection = nonEmpty(env.AZURE_STORAGE_CONNECTION_STRING);
  const checked = (value: string, option: string): string => checkEndpoint(value, option, endpointOptions);
  if (connection !== undefined) {
    const c = parseConnectionString(connection);
    const endpoint = endpointOption !== undefined ? checked(endpointOption, 'blob endpoint') : checked(c.endpoint, 'BlobEndpoint of AZURE_STORAGE_CONNECTION_STRING');
    return { credentials: c.credentials, endpoint };
  }
  if (nonEmpty(env.AZURE_STORAGE_ACCOUNT) === undefined) {
    throw new PipelineError('store.missingCredentials', { store, variable: 'AZURE_STORAGE_CONNECTION_STRING (or AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY)' });
  }
  const accountName = required(env, 'AZURE_STORAGE_ACCOUNT', store);
  const problem = accountNameProblem(accountName);
  if (problem) throw new PipelineError('store.badCredentials', { variable: 'AZURE_STORAGE_ACCOUNT', reason: `the account name ${problem}` });
  const accountKey = required(env, 'AZURE_STORAGE_KEY', store);
  checkAccountKey(accountKey, 'AZURE_STORAGE_KEY');
  const endpoint = checked(endpointOption ?? `https://${accountName}.blob.core.windows.net`, 'blob endpoint');
  return { credentials: { accountName, accountKey }, endpoint };
}

/** AccountName/AccountKey or SharedAccessSignature, and the blob endpoint, of a connection string; its text is never quoted in an error. */
function parseConnectionString(text: string): { credentials: AzureCredentials; endpoint: string } {
  const variable = 'AZURE_STORAGE_CONNECTION_STRING';
  const bad = (reason: string): PipelineError => new PipelineError('store.badCredentials', { variable, reason });
  const fields = new Map<string, string>();
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw bad('a part is not Name=Value');
    fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  if (fields.get('usedevelopmentstorage')?.toLowerCase() === 'true') {
    return { credentials: { accountName: DEV_ACCOUNT, accountKey: DEV_KEY }, endpoint: `http://127.0.0.1:10000/${DEV_ACCOUNT}` };
  }
  const accountName = fields.get('accountname');
  const accountKey = fields.get('accountkey');
  const sas = fields.get('sharedaccesssignature');
  if (accountName !== undefined && accountNameProblem(accountName)) throw bad(`AccountName ${accountNameProblem(accountName)}`);
  let endpoint = fields.get('blobendpoint');
  if (endpoint === undefined) {
    if (accountName === undefined) throw bad('it has neither BlobEndpoint nor AccountName');
    const protocol = (fields.get('defaultendpointsprotocol') ?? 'https').toLowerCase();
    if (protocol !== 'https' && protocol !== 'http') throw bad('DefaultEndpointsProtocol is neither https nor http');
    const suffix = fields.get('endpointsuffix') ?? 'core.windows.net';
    if (!/^[a-z0-9.-]+$/i.test(suffix)) throw bad('EndpointSuffix is not a host name');
    endpoint = `${protocol}://${accountName}.blob.${suffix}`;
  }
  if (accountKey !== undefined) {
    if (accountName === undefined) throw bad('it has AccountKey but no AccountName');
    checkAccountKey(accountKey, variable);
    return { credentials: { accountName, accountKey }, endpoint };
  }
  if (sas !== undefined && sas !== '') {
    checkSecret(sas, variable);
    return { credentials: { sasToken: sas.replace(/^\?/, '') }, endpoint };
  }
  throw bad('it has neither AccountKey nor SharedAccessSignature');
}

function required(env: NodeJS.ProcessEnv, variable: string, store: string): string {
  const value = nonEmpty(env[variable]);
  if (value === undefined) throw new PipelineError('store.missingCredentials', { store, variable });
  checkSecret(value, variable);
  return value;
}

/** A credential with a control character or space is a paste error; it is refused without quoting it. */
function checkSecret(value: string, variable: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(value)) throw new PipelineError('store.badCredentials', { variable, reason: 'it contains white space or a control character' });
}

function checkAccountKey(value: string, variable: string): void {
  checkSecret(value, variable);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) throw new PipelineError('store.badCredentials', { variable, reason: 'the account key is not base64' });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
