// Turning what an object-service SDK throws into one line a user can act on, without a secret.
// SDK messages are multi-line (Azure appends RequestId and Time), may quote a request URL with a
// SAS signature, and some servers echo the string they signed; so the reason is built from the
// status and error code, a URL in it is redacted, and every credential this store holds is cut
// out of the text as a last guard.
import { IoError, isSealedError, networkReason, printable, redactText } from '../../core/index.ts';

const MAX_REASON_CHARS = 300;

interface SdkErrorShape {
  name?: string;
  code?: string;
  Code?: string;
  statusCode?: number;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Removes every secret in `secrets` from `text`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('***');
  return out;
}

/** HTTP status of an SDK error (S3 `$metadata.httpStatusCode`, Azure RestError `statusCode`). */
export function statusOf(e: unknown): number | undefined {
  const x = e as SdkErrorShape | undefined;
  return x?.$metadata?.httpStatusCode ?? x?.statusCode;
}

/**
 * A 404 that means "no such object" (HeadObject NotFound, GetObject NoSuchKey, BlobNotFound),
 * not a missing bucket or container, which is a configuration error to report.
 */
export function isMissingObject(e: unknown): boolean {
  const x = e as SdkErrorShape | undefined;
  const code = x?.Code ?? x?.code ?? x?.name;
  return statusOf(e) === 404 && code !== 'NoSuchBucket' && code !== 'ContainerNotFound';
}

/** One short line saying why a request failed. */
export function reasonOf(e: unknown, secrets: readonly string[]): string {
  const x = (e ?? {}) as SdkErrorShape;
  const status = statusOf(e);
  const code = x.Code ?? x.code ?? (x.name !== 'Error' ? x.name : undefined);
  const network = networkReason(x.code);
  const firstLine = String(x.message ?? e).split(/\r?\n/)[0].trim();
  let reason: string;
  if (network !== undefined) reason = network;
  else if (status !== undefined) reason = [`HTTP ${status}`, code, firstLine && firstLine !== code ? firstLine : undefined].filter(Boolean).join(' ');
  else reason = [code, firstLine].filter(Boolean).join(': ');
  const text = printable(scrub(redactText(reason), secrets));
  return text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS)}...` : text;
}

/**
 * The store's error for a failed `operation` on `target`; our own errors pass through unchanged.
 * The SDK error is not kept as `cause`: debug output prints causes, and a server may echo a
 * request URL (with a SAS signature) in its message.
 */
export function requestFailed(operation: string, target: string, e: unknown, secrets: readonly string[]): Error {
  if (isSealedError(e)) return e;
  return new IoError('store.requestFailed', { operation, target, reason: reasonOf(e, secrets) });
}
