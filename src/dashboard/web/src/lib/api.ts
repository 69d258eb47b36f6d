// The dashboard API client: JSON over fetch with the session cookie, the CSRF token on every
// POST, errors as ApiError carrying the server's {error} message, and one hook for 401s (the
// app sends the user to the login page).
import type {
  CsvPage,
  PipelineInfo,
  RunDetail,
  RunMetrics,
  RunSummary,
  Session,
  StartRunRequest,
} from '../../../api/contract.ts';

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

interface RequestOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  signal?: AbortSignal;
  /** Do not call the 401 handler (login and the first session check). */
  quiet401?: boolean;
}

let csrfToken = '';
let onUnauthorized: (() => void) | undefined;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

const enc = encodeURIComponent;

async function request(path: string, options: RequestOptions = {}): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9' };
  let body: string | undefined;
  if (method === 'POST') {
    if (csrfToken !== '') headers['x-csrf-token'] = csrfToken;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
  }
  const response = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: options.signal, cache: 'no-store' });
  if (response.ok) return response;
  const message = await errorMessage(response);
  if (response.status === 401 && !options.quiet401) onUnauthorized?.();
  throw new ApiError(response.status, message);
}

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string' && parsed.error !== '') return parsed.error;
  } catch {
    // not JSON: fall through
  }
  const trimmed = text.trim();
  return trimmed !== '' && trimmed.length < 300 ? trimmed : `HTTP ${response.status} ${response.statusText}`.trim();
}

async function json<T>(path: string, options?: RequestOptions): Promise<T> {
  return (await (await request(path, options)).json()) as T;
}

export function artifactPath(runId: string, task: string, output: string): string {
  return `/api/runs/${enc(runId)}/artifacts/${enc(task)}/${enc(output)}`;
}

export const api = {
  session: (signal?: AbortSignal) => json<Session>('/api/session', { signal, quiet401: true }),
  login: (username: string, password: string) =>
    json<Session>('/api/login', { method: 'POST', body: { username, password }, quiet401: true }),
  logout: async () => {
    await request('/api/logout', { method: 'POST', quiet401: true });
  },
  runs: async (signal?: AbortSignal) => (await json<{ runs: RunSummary[] }>('/api/runs', { signal })).runs,
  run: (id: string, signal?: AbortSignal) => json<RunDetail>(`/api/runs/${enc(id)}`, { signal }),
  startRun: (req: StartRunRequest) => json<{ id: string }>('/api/runs', { method: 'POST', body: req }),
  taskLog: async (id: string, task: string, signal?: AbortSignal) =>
    (await request(`/api/runs/${enc(id)}/tasks/${enc(task)}/log`, { signal })).text(),
  csvPage: (id: string, task: string, output: string, cursor: number, limit: number, signal?: AbortSignal) =>
    json<CsvPage>(`${artifactPath(id, task, output)}/preview?cursor=${cursor}&limit=${limit}`, { signal }),
  artifactJson: (id: string, task: string, output: string, signal?: AbortSignal) =>
    json<unknown>(`${artifactPath(id, task, output)}/json`, { signal }),
  /** Undefined while the run has no metrics yet (404). */
  metrics: async (id: string, signal?: AbortSignal): Promise<RunMetrics | undefined> => {
    try {
      return await json<RunMetrics>(`/api/runs/${enc(id)}/metrics`, { signal });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return undefined;
      throw e;
    }
  },
  pipeline: (signal?: AbortSignal) => json<PipelineInfo>('/api/pipeline', { signal }),
};

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
