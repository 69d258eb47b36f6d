// Names and endpoints of remote stores, checked before any request is made.
//   S3 bucket names: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
//   Azure containers and accounts: https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata
//   and https://learn.microsoft.com/azure/storage/common/storage-account-overview#storage-account-name
import { PipelineError, printable, redactUrl } from '../../core/index.ts';

const MAX_URL_CHARS = 2048;

/** Why `name` is not a valid S3 general purpose bucket name, or undefined. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be 3 to 63 characters long';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'may hold only lowercase letters, digits, dots and hyphens';
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'must begin and end with a letter or digit';
  if (name.includes('..')) return 'must not hold two adjacent dots';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not be formatted as an IP address';
  for (const p of ['xn--', 'sthree-', 'amzn-s3-demo-']) if (name.startsWith(p)) return `must not start with '${p}'`;
  for (const s of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) if (name.endsWith(s)) return `must not end with '${s}'`;
  return undefined;
}

/** Why `name` is not a valid Azure blob container name, or undefined. */
export function containerNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be 3 to 63 characters long';
  if (!/^[a-z0-9-]+$/.test(name)) return 'may hold only lowercase letters, digits and hyphens';
  if (!/^[a-z0-9]/.test(name) || name.endsWith('-')) return 'must begin and end with a letter or digit';
  if (name.includes('--')) return 'must not hold two hyphens in a row';
  return undefined;
}

/** Why `name` is not a valid Azure storage account name, or undefined. */
export function accountNameProblem(name: string): string | undefined {
  return /^[a-z0-9]{3,24}$/.test(name) ? undefined : 'must be 3 to 24 lowercase letters and digits';
}

export function checkBucketName(name: string): string {
  const problem = bucketNameProblem(name);
  if (problem) throw new PipelineError('store.badOption', { option: 'bucket', value: printable(name.slice(0, 100)), reason: problem });
  return name;
}

export function checkContainerName(name: string): string {
  const problem = containerNameProblem(name);
  if (problem) throw new PipelineError('store.badOption', { option: 'container', value: printable(name.slice(0, 100)), reason: problem });
  return name;
}

export interface EndpointOptions {
  /** Accept plain http:// to a host that is not loopback (traffic and signatures unprotected). */
  allowInsecureHttp?: boolean;
}

/** Whether `hostname` (as WHATWG URL gives it) is this machine: localhost, 127.0.0.0/8, [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * An endpoint URL: http(s) only, no user name or password (credentials come from the
 * environment), no query or fragment; plain http only to a loopback host unless
 * `allowInsecureHttp`. Returns it without a trailing '/'.
 */
export function checkEndpoint(value: string, option: string, options: EndpointOptions = {}): string {
  const bad = (reason: string): PipelineError => new PipelineError('store.badOption', { option, value: printable(redactUrl(value).slice(0, 200)), reason });
  if (value.length > MAX_URL_CHARS) throw bad(`is longer than ${MAX_URL_CHARS} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad('is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad('must be an http:// or https:// URL');
  if (url.username !== '' || url.password !== '' || /^[a-z]+:\/*[^/?#]*@/i.test(value)) throw bad('must not carry a user name or password (credentials come from the environment)');
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(value)) throw bad('must not have a query or fragment');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && options.allowInsecureHttp !== true) {
    throw bad('is plain http to a host that is not this machine; use https (plain http is accepted only for 127.0.0.1, ::1 and localhost unless insecure http is allowed explicitly)');
  }
  return url.href.replace(/\/+$/, '');
}
