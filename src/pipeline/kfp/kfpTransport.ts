// Sends one request to the KFP REST API and returns its answer checked against a zod schema.
// Every request has a connect timeout and an overall deadline, carries the credentials, and
// fails with a typed one-line error (kfpErrors.ts). A caller's AbortSignal cancels the request;
// the AbortError is then passed through untouched so the caller can tell it from a failure.
import { STATUS_CODES } from 'node:http';
import type { Agent, FormData } from 'undici';
import { request } from 'undici';
import type { z } from 'zod';
import { DataError, type SealedError } from '../../core/errors.ts';
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
  method: 'GET' | 'POST';
  /** Path under `/apis/v2beta1/`. */
  path: string;
  query?: Record<string, QueryValue>;
  json?: unknown;
  form?: FormData;
  schema: z.ZodType<T>;
  /** What the request does, for messages: "uploading pipeline 'x'". */
  action: string;
  /** The error for a 404 answer, when it means something specific. */
  notFound?: () => SealedError;
}

export class KfpTransport {
  readonly host: KfpHost;
  private readonly agent: Agent;
  private readonly credentials: KfpCredentials | undefined;
  private readonly timeouts: Timeouts;

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
      const res = await request(apiUrl(this.host, call.path, call.query), {
        method: call.method,
        headers,
        body,
        dispatcher: this.agent,
        signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
      });
      status = res.statusCode;
      const loc = res.headers.location;
      location = Array.isArray(loc) ? loc[0] : loc;
      text = await res.body.text();
    } catch (e) {
      if (signal?.aborted) throw e;
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
      });
    }
    return this.parse(call, text);
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
