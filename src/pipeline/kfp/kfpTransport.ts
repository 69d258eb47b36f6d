// Sends one request to the KFP REST API and returns its answer checked against a zod schema.
// Every request has a connect timeout and an overall deadline, carries the credentials, and
// fails with a typed one-line error (kfpErrors.ts). A caller's AbortSignal cancels the request;
// the AbortError is then passed through untouched so the caller can tell it from a failure.
import { STATUS_CODES } from 'node:http';
import type { Agent, Dispatcher, FormData } from 'undici';
import { request } from 'undici';
import type { z } from 'zod';
import { DataError, IoError, SealedError } from '../../core/errors.ts';
import { credentialHeaders, describeCredentials, secretValues, type KfpCredentials } from './credentials.ts';
import { createKfpAgent } from './kfpAgent.ts';
import { statusError, transportError, type Timeouts } from './kfpErrors.ts';
import { apiUrl, parseKfpHost, type KfpHost, type QueryValue } from './kfpHost.ts';

export interface KfpConnectionOptions {
  /** KFP API base URL, with or without the ingress prefix: `https://kubeflow.example.com/pipeline`, `http://127.0.0.1:8888`. */
  host: string;
  credentials?: KfpCredentials;
  /** PEM text of CA certificates to trust besides Node's public roots. */
  caPem?: string;
  /** Accept any server certificate. Only for clusters with a throw-away certificate. */
  insecureSkipTlsVerify?: boolean;
  /** Deadline of one request, connect to last body byte (default 30 s). */
  timeoutMs?: number;
  /** Deadline of the TCP and TLS connect (default 10 s). */
  connectTimeoutMs?: number;
}

export interface ApiCall<T> {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path under `/apis/<apiVersion>/`. */
  path: string;
  /** Default v2beta1; v1beta1 only where v2beta1 has no equivalent. */
  apiVersion?: 'v1beta1' | 'v2beta1';
  query?: Record<string, QueryValue>;
  json?: unknown;
  form?: FormData;
  schema: z.ZodType<T>;
  /** What the request does, for messages: "uploading pipeline 'x'". */
  action: string;
  /** The error for a 404 answer, when it means something specific. */
  notFound?: () => SealedError;
  /** What a 403 refused, for the message: the RBAC verb and resource, e.g. create / runs. */
  rbac?: { verb: string; resource: string };
  /** Largest answer accepted (default 16 MiB); a bigger one is cut off and refused. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

/** A request `open` sends: an absolute URL, answered with a body to stream. */
export interface RawRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** What the request does, for messages. */
  action: string;
  /** The server as messages name it (default: the KFP host). */
  shown?: string;
  /** Deadline from connect to the last body byte (default: the transport's timeout). */
  deadlineMs?: number;
  notFound?: () => SealedError;
  rbac?: { verb: string; resource: string };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Uint8Array> & { destroy(): unknown };
  /** The typed error for something thrown while reading `body`. */
  failure: (e: unknown) => unknown;
  /** Credential values, to scrub from any server text shown. */
  secrets: string[];
}

export class KfpTransport {
  readonly host: KfpHost;
  private readonly agent: Agent;
  private readonly credentials: KfpCredentials | undefined;
  private readonly timeouts: Timeouts;
  /** The namespace calls are made in, for the 403 message when the server does not name it. */
  namespace: string | undefined;

  constructor(options: KfpConnectionOptions) {
    this.host = parseKfpHost(options.host);
    this.credentials = options.credentials;
    this.timeouts = { timeoutMs: options.timeoutMs ?? 30_000, connectTimeoutMs: options.connectTimeoutMs ?? 10_000 };
    this.agent = createKfpAgent({ ...this.timeouts, caPem: options.caPem, insecureSkipTlsVerify: options.insecureSkipTlsVerify });
  }

  async call<T>(call: ApiCall<T>, signal?: AbortSignal): Promise<T> {
    const deadline = AbortSignal.timeout(this.timeouts.timeoutMs);
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'sealed-pipelines', ...credentialHeaders(this.credentials) };
    let body: string | FormData | undefined;
    if (call.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.json);
    } else if (call.form !== undefined) {
      body = call.form;
    }
    let status: number;
    let text: string;
    let location: string | undefined;
    try {
      const res = await request(apiUrl(this.host, call.path, call.query, call.apiVersion), {
        method: call.method,
        headers,
        body,
        dispatcher: this.agent,
        signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
      });
      status = res.statusCode;
      const loc = res.headers.location;
      location = Array.isArray(loc) ? loc[0] : loc;
      text = await readCapped(res.body, call.maxBytes ?? DEFAULT_MAX_BYTES);
    } catch (e) {
      if (signal?.aborted) throw e;
      if (e instanceof TooLarge) throw new DataError('kfp.badResponse', { host: this.host.shown, action: call.action, reason: `answer larger than ${e.limit} bytes` });
      throw transportError(e, this.host.shown, this.timeouts);
    }
    if (status < 200 || status > 299) {
      throw statusError({
        status,
        statusText: STATUS_CODES[status] ?? '',
        body: text,
        host: this.host.shown,
        action: call.action,
        sent: describeCredentials(this.credentials),
        secrets: secretValues(this.credentials),
        location,
        notFound: call.notFound,
        rbac: call.rbac,
        namespace: this.namespace,
      });
    }
    return this.parse(call, text);
  }

  /**
   * A request outside the REST API with the same agent, credentials and timeouts, its answer
   * left unread for the caller to stream (the metadata store's gRPC-web route and the UI's
   * artifact downloads, runArtifacts.ts). An answer outside 2xx fails as `call` fails; a
   * failure while the caller reads the body is mapped with `failure`.
   */
  async open(req: RawRequest, signal?: AbortSignal): Promise<RawAnswer> {
    const shown = req.shown ?? this.host.shown;
    const deadline = AbortSignal.timeout(req.deadlineMs ?? this.timeouts.timeoutMs);
    const headers: Record<string, string> = { 'user-agent': 'sealed-pipelines', ...req.headers, ...credentialHeaders(this.credentials) };
    const failure = (e: unknown): unknown => {
      if (signal?.aborted) return e;
      if (e instanceof SealedError) return e;
      if (deadline.aborted) return new IoError('kfp.unreachable', { host: shown, reason: `${req.action} took longer than ${req.deadlineMs ?? this.timeouts.timeoutMs} ms` }, { cause: e });
      return transportError(e, shown, this.timeouts);
    };
    let res: Dispatcher.ResponseData;
    try {
      res = await request(req.url, { method: req.method, headers, body: req.body, dispatcher: this.agent, signal: signal ? AbortSignal.any([signal, deadline]) : deadline });
    } catch (e) {
      throw failure(e);
    }
    if (res.statusCode < 200 || res.statusCode > 299) {
      let text = '';
      try {
        text = await readCapped(res.body, 64 * 1024);
      } catch {
        // an unreadable error body: the status says enough
      }
      const loc = res.headers.location;
      throw statusError({
        status: res.statusCode,
        statusText: STATUS_CODES[res.statusCode] ?? '',
        body: text,
        host: shown,
        action: req.action,
        sent: describeCredentials(this.credentials),
        secrets: secretValues(this.credentials),
        location: Array.isArray(loc) ? loc[0] : loc,
        notFound: req.notFound,
        rbac: req.rbac,
        namespace: this.namespace,
      });
    }
    // Reading the body reports its errors; a body the caller destroys unread must not raise an
    // uncaught 'error' event (undici emits one for an aborted body).
    res.body.on('error', () => {});
    return { status: res.statusCode, headers: res.headers, body: res.body, failure, secrets: secretValues(this.credentials) };
  }

  private parse<T>(call: ApiCall<T>, text: string): T {
    const bad = (reason: string): SealedError => new DataError('kfp.badResponse', { host: this.host.shown, action: call.action, reason });
    let json: unknown;
    try {
      json = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      throw bad('not JSON; is the host the KFP API (e.g. https://<kubeflow>/pipeline)?');
    }
    const parsed = call.schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw bad(`${issue.path.join('.') || 'answer'}: ${issue.message}`);
    }
    return parsed.data;
  }

  /** Closes the pooled connections. */
  async close(): Promise<void> {
    await this.agent.close();
  }
}

class TooLarge extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} bytes`);
  }
}

// A hostile or broken server can send an endless body; stop reading at the limit instead of
// buffering all of it.
async function readCapped(body: AsyncIterable<Uint8Array> & { destroy(): unknown }, limit: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) {
      body.destroy();
      throw new TooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
