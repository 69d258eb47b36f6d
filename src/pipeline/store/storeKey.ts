// Artifact keys: one rule for every store, so a key valid on the local folder is valid on S3 and
// Azure Blob and names the same object there. A key is a relative POSIX path ('task/out.csv').
// Refused, each with its reason: empty keys and segments ('a//b', trailing '/'), '.' and '..'
// segments (a local path would escape the run folder; an object store would keep them literally,
// so the two stores would disagree), a leading '/', backslashes (a Windows separator), control
// and bidi characters (they forge log lines and make a name read as another), the names the
// remote stores reserve for folder markers, and keys longer than S3's and Azure's 1,024-byte
// limit (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html,
// https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata).
import { printable } from '../../core/index.ts';
import { PipelineError } from '../../core/index.ts';

/** Object names a remote store writes inside a folder output (see remoteFolders.ts); never a key segment. */
export const FOLDER_LISTING_NAME = '.sealed-folder-listing.json';
export const FOLDER_PENDING_NAME = '.sealed-folder-pending';
const RESERVED = new Set([FOLDER_LISTING_NAME, FOLDER_PENDING_NAME]);

/** S3 object keys and Azure blob names are at most 1,024 bytes (UTF-8). */
export const MAX_KEY_BYTES = 1024;

// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Why `key` is not an acceptable artifact key, or undefined when it is. */
export function keyProblem(key: string): string | undefined {
  if (typeof key !== 'string' || key === '') return 'it is empty';
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `it is longer than ${MAX_KEY_BYTES} bytes`;
  if (UNSAFE_CHARS.test(key)) return 'it contains a control or bidi character';
  if (key.startsWith('/')) return "it is absolute (starts with '/')";
  if (key.includes('\\')) return "it contains '\\'";
  for (const segment of key.split('/')) {
    if (segment === '') return "it has an empty path segment ('//' or a trailing '/')";
    if (segment === '.' || segment === '..') return `it has a '${segment}' segment`;
    if (RESERVED.has(segment)) return `'${segment}' is reserved for folder markers`;
  }
  return undefined;
}

/** Throws the one-line 'invalid artifact key' error unless `key` is acceptable. */
export function checkKey(key: string): string {
  const problem = keyProblem(key);
  if (problem !== undefined) throw new PipelineError('store.badKey', { key: shownKey(key), reason: problem });
  return key;
}

/** A list prefix: '' (everything) or a key, with one trailing '/' allowed ('task/'). */
export function checkPrefix(prefix: string): string {
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return trimmed === '' ? '' : checkKey(trimmed);
}

/** A key as shown in a message: escaped, and cut so a 1 MB key cannot flood a terminal. */
export function shownKey(key: unknown): string {
  const text = typeof key === 'string' ? key : String(key);
  const cut = text.length > 200 ? `${text.slice(0, 200)}...` : text;
  return printable(cut);
}
