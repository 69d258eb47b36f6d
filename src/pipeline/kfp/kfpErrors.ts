// Turns what can go wrong talking to KFP into one-line typed errors: the network (refused, DNS,
// timeouts, TLS) and HTTP error answers (credentials refused, not found, anything else with the
// server's own text). Server text is scrubbed of the credentials we sent, in case a proxy
// echoes a header back.
import { IoError, PipelineError, type SealedError } from '../../core/errors.ts';
import { networkReason } from '../../core/networkReason.ts';
import { printable } from '../../core/terminalText.ts';

const TLS_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown issuer',
  UNABLE_TO_GET_ISSUER_CERT: 'unknown issuer',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate is for another host name',
};

export interface Timeouts {
  connectTimeoutMs: number;
  timeoutMs: number;
}

/** A request that never got an HTTP answer. */
export function transportError(e: unknown, host: string, timeouts: Timeouts): SealedError {
  const err = e as { name?: string; code?: string; message?: string };
  const code = err.code ?? '';
  if (TLS_REASONS[code] !== undefined) return new IoError('kfp.tlsUntrusted', { host, reason: TLS_REASONS[code] }, { cause: e });
  let reason = networkReason(code);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') reason = `no connection within ${timeouts.connectTimeoutMs} ms`;
  if (err.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') reason = `no answer within ${timeouts.timeoutMs} ms`;
  return new IoError('kfp.unreachable', { host, reason: reason ?? (err.message || code || 'network error') }, { cause: e });
}

export interface FailedAnswer {
  status: number;
  statusText: string;
  body: string;
  host: string;
  action: string;
  /** What credentials were sent, as describeCredentials says it. */
  sent: string;
  secrets: readonly string[];
  /** The Location header of a redirect. */
  location?: string;
  /** The error for a 404, when the caller knows what was missing (e.g. "no run <id>"). */
  notFound?: () => SealedError;
  /** The RBAC verb and resource of the call, named in a 403 message when the server does not. */
  rbac?: { verb: string; resource: string };
  /** The namespace of the call, when known. */
  namespace?: string;
}

/** An HTTP answer outside 2xx. */
export function statusError(answer: FailedAnswer): SealedError {
  const { status, host } = answer;
  if (status >= 300 && status < 400) return redirectError(answer);
  const text = serverText(answer.body, answer.statusText, answer.secrets);
  // backend/src/apiserver/resource/resource_manager.go (IsAuthorized): no identity from any
  // authenticator is Unauthenticated (HTTP 401); a known user whom the SubjectAccessReview
  // denies is PermissionDenied (HTTP 403). Only the first is a credentials problem.
  if (status === 401) return new IoError('kfp.authRefused', { host, status, sent: answer.sent, text });
  if (status === 403) return forbidden(answer, text);
  if (status === 404 && answer.notFound) return answer.notFound();
  const args = { host, action: answer.action, status, text };
  // 4xx: KFP refused what we sent (spec, parameters, names); 5xx: the server or a proxy failed.
  return status >= 400 && status < 500 ? new PipelineError('kfp.httpStatus', args) : new IoError('kfp.httpStatus', args);
}

// Istio's own 403 body: the mesh refused the request before KFP saw an identity (a token
// without the pipelines.kubeflow.org audience, or no kubeflow-userid header).
const MESH_DENIED = /^RBAC: access denied$/;
// PermissionDenied text names the request as Go prints authorizationv1.ResourceAttributes.
const RESOURCE_ATTRIBUTES = /ResourceAttributes\{([^}]*)\}/;

function forbidden(answer: FailedAnswer, text: string): SealedError {
  const { host, sent } = answer;
  if (MESH_DENIED.test(text)) return new IoError('kfp.authRefused', { host, status: 403, sent, text: `${text}; the Kubeflow ingress did not accept the identity` });
  const fields = new Map<string, string>();
  for (const part of RESOURCE_ATTRIBUTES.exec(text)?.[1]?.split(',') ?? []) {
    const colon = part.indexOf(':');
    if (colon > 0) fields.set(part.slice(0, colon).trim(), part.slice(colon + 1).trim());
  }
  const verb = fields.get('Verb') || answer.rbac?.verb || 'this request';
  const resource = fields.get('Resource') || answer.rbac?.resource || 'this resource';
  const namespace = fields.get('Namespace') || answer.namespace;
  return new IoError('kfp.forbidden', { host, sent, verb, resource, namespace, text });
}

// API calls are never redirected by KFP itself: a redirect comes from the ingress, either to the
// login page (no valid session) or to another address (wrong --host).
const LOGIN_PAGE = /oauth2|dex|login|auth/i;

function redirectError(answer: FailedAnswer): SealedError {
  const { status, host } = answer;
  let target = answer.location ?? '';
  try {
    const url = new URL(target, host);
    target = `${url.origin}${url.pathname}`;
  } catch {
    target = 'an invalid Location';
  }
  if (LOGIN_PAGE.test(target)) return new IoError('kfp.authRefused', { host, status, sent: answer.sent, text: `redirected to the login page ${target}` });
  return new IoError('kfp.httpStatus', { host, action: answer.action, status, text: `redirected to ${target}; give that address as the host` });
}

const MAX_TEXT = 400;

/**
 * The message in an error body on one line: grpc-gateway answers `{error, code, message}`, the
 * upload endpoints `{error_message, error_details}`, proxies plain text or HTML.
 */
export function serverText(body: string, statusText: string, secrets: readonly string[]): string {
  let text = body.trim();
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const field = [json.error, json.message, json.error_message].find((v) => typeof v === 'string' && v.trim() !== '');
    if (typeof field === 'string') text = field;
  } catch {
    // not JSON: keep the text
  }
  for (const secret of secrets) if (secret !== '') text = text.split(secret).join('***');
  text = printable(text.replace(/\s+/g, ' ').trim());
  if (text.length > MAX_TEXT) text = `${text.slice(0, MAX_TEXT)}…`;
  return text || statusText || 'no message';
}
