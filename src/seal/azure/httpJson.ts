// JSON over HTTPS for the attestation side (OpenID metadata, signing keys, the MAA attest
// call). Every call has a deadline and a size limit, follows no redirect (a redirect could move
// the trust anchor to another host) and fails with one AttestationError line that names what was
// fetched and where, never the request body (it carries the quote and runtime data).
// `dispatcher` lets a caller trust an extra CA (tests with a local fake); production uses
// undici's global dispatcher and Node's public roots.
import { STATUS_CODES } from 'node:http';
import { request, type Dispatcher } from 'undici';
import { excerpt, networkReason } from '../../core/index.ts';
import { AttestationError } from './attestationErrors.ts';

export interface HttpJsonOptions {
  dispatcher?: Dispatcher;
  /** Deadline from connect to the last body byte (default 15 s). */
  timeoutMs?: number;
}

export interface JsonCall {
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
  /** What is fetched, for messages: "OpenID metadata". */
  what: string;
  maxBytes: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** The parsed JSON answer of a 200 response; anything else is an AttestationError. */
export async function httpJson(call: JsonCall, options: HttpJsonOptions = {}): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Dispatcher.ResponseData;
  try {
    response = await request(call.url, {
      method: call.method,
      headers: { accept: 'application/json', ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: call.body !== undefined ? JSON.stringify(call.body) : undefined,
      signal,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
  } catch (e) {
    const reason = signal.aborted ? `no answer within ${timeoutMs / 1000} s` : failureReason(e);
    throw new AttestationError('attest.fetchFailed', { what: call.what, url: call.url, reason }, { cause: e });
  }
  const text = await readLimited(response, call, signal);
  if (response.statusCode !== 200) {
    const status = `HTTP ${response.statusCode} ${STATUS_CODES[response.statusCode] ?? ''}`.trim();
    throw new AttestationError('attest.fetchFailed', { what: call.what, url: call.url, reason: `${status}${serviceError(text)}` });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AttestationError('attest.badResponse', { what: call.what, url: call.url, reason: 'not JSON' });
  }
}

async function readLimited(response: Dispatcher.ResponseData, call: JsonCall, signal: AbortSignal): Promise<string> {
  const parts: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body) {
      const buf = Buffer.from(chunk as Uint8Array);
      total += buf.length;
      if (total > call.maxBytes) {
        response.body.destroy();
        throw new AttestationError('attest.badResponse', { what: call.what, url: call.url, reason: `larger than ${call.maxBytes} bytes` });
      }
      parts.push(buf);
    }
  } catch (e) {
    if (e instanceof AttestationError) throw e;
    const reason = signal.aborted ? 'the answer did not finish in time' : failureReason(e);
    throw new AttestationError('attest.fetchFailed', { what: call.what, url: call.url, reason }, { cause: e });
  }
  return Buffer.concat(parts, total).toString('utf8');
}

/** A network or TLS failure in words: the known code's meaning, else the error's own message (bounded). */
export function failureReason(e: unknown): string {
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.cause?.code ?? err.code;
  return networkReason(code) ?? excerpt(err.cause?.message ?? err.message ?? String(e), 160);
}

/** `: <code>` of an Azure error body ({"error":{"code":...}}), which is safe to show; its free text is not shown. */
function serviceError(text: string): string {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? ` (${code})` : '';
  } catch {
    return '';
  }
}
