// Headers every response carries, pages, API answers and errors alike. The CSP allows only this
// origin's scripts and styles (the Vite build has no inline script) and forbids framing; HSTS is
// sent only over HTTPS, where browsers honour it (a year, as ASVS asks).
//
// Two kinds of answer never reach the onRequest hook and get the headers here instead:
// - fastify's router answers a malformed URL (`/%`, FST_ERR_BAD_URL), an over-long path
//   parameter (FST_ERR_MAX_PARAM_LENGTH) and an async-constraint failure itself; the
//   `frameworkErrors` server option replaces those answers (fastify.js onBadUrl/onMaxParamLength,
//   https://fastify.dev/docs/latest/Reference/Server/#frameworkerrors).
// - Node answers a request it cannot parse (400), a header block that is too large (431) and a
//   request past headersTimeout/requestTimeout (408) on the raw socket, through the server's
//   'clientError' event (https://nodejs.org/api/http.html#event-clienterror), which fastify's
//   `clientErrorHandler` option takes (https://fastify.dev/docs/latest/Reference/Server/#clienterrorhandler).
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatMessage, printable } from '../../core/index.ts';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const HSTS = 'max-age=31536000';

export function securityHeaders(https: boolean): Record<string, string> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    ...(https ? { 'strict-transport-security': HSTS } : {}),
  };
}

/** Sets the headers in onRequest, so even a 404 or an error answer carries them. */
export function addSecurityHeaders(app: FastifyInstance, https: boolean): void {
  const headers = securityHeaders(https);
  app.addHook('onRequest', async (_req, reply) => {
    void reply.headers(headers);
  });
}

/** fastify's `frameworkErrors`: the router's own 400/414 answers, as `{error}` with the headers. */
export function frameworkErrorReply(https: boolean) {
  const headers = securityHeaders(https);
  return (error: FastifyError, req: FastifyRequest, reply: FastifyReply): void => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
    const message = error.code === 'FST_ERR_BAD_URL' ? formatMessage('dashboard.badUrl', { url: printable(String(req.raw.url ?? '').slice(0, 80)) }) : (STATUS_CODES[status] ?? 'Bad Request');
    void reply.code(status).headers(headers).header('cache-control', 'no-store').type('application/json; charset=utf-8').send({ error: message });
  };
}

/** Connection errors Node reports before any request exists: a raw answer with the headers, then the socket is closed. */
export function clientErrorReply(https: boolean) {
  const headerLines = Object.entries(securityHeaders(https))
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const body = JSON.stringify({ error: status === 408 ? 'request not received in time' : (STATUS_CODES[status] ?? 'Bad Request') });
    // As Node's own handler: answer only when no response has started on this socket.
    const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || pending?.headersSent) return void socket.destroy();
    // end() rather than write() + destroy(): over TLS the answer must be flushed before the close.
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headerLines}cache-control: no-store\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
    setTimeout(() => socket.destroy(), 1000).unref();
  };
}
