// Where the KFP API lives. Through the Kubeflow ingress it is `https://<host>/pipeline`; through
// a port-forward to ml-pipeline it is `http://127.0.0.1:8888`. Whatever base path the user gives
// is kept, and the API path is appended to it.
import { UsageError } from '../../core/errors.ts';
import { redactUrl } from '../../core/redact.ts';

export interface KfpHost {
  /** Base URL without a trailing slash, e.g. `https://kubeflow.example.com/pipeline`. */
  base: string;
  /** The same, safe to show. */
  shown: string;
}

export function parseKfpHost(host: string): KfpHost {
  const bad = (reason: string): UsageError => new UsageError('kfp.badHost', { host: redactUrl(host), reason });
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw bad('use an http:// or https:// URL, e.g. https://kubeflow.example.com/pipeline');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad('use an http:// or https:// URL, e.g. https://kubeflow.example.com/pipeline');
  // A password in the URL would show in `ps` and in shell history.
  if (url.username !== '' || url.password !== '') throw bad('credentials in the URL are not accepted; use KFP_TOKEN or KFP_COOKIE');
  if (url.search !== '' || url.hash !== '') throw bad('a query or fragment is not accepted');
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return { base, shown: base };
}

export type QueryValue = string | number | undefined;

/** `<base>/apis/<version>/<path>?<query>`; undefined query values are left out. */
export function apiUrl(host: KfpHost, path: string, query: Record<string, QueryValue> = {}, version = 'v2beta1'): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const search = params.size > 0 ? `?${params.toString().replace(/\+/g, '%20')}` : '';
  return `${host.base}/apis/${version}/${path}${search}`;
}

/** The run's page in the KFP UI, which is served under the same base path as the API. */
export function runPageUrl(host: KfpHost, runId: string): string {
  return `${host.base}/#/runs/details/${encodeURIComponent(runId)}`;
}
