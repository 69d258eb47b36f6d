// Headers every response carries, pages, API answers and errors alike. The CSP allows only this
// origin's scripts and styles (the Vite build has no inline script) and forbids framing; HSTS is
// sent only over HTTPS, where browsers honour it (a year, as ASVS asks).
import type { FastifyInstance } from 'fastify';

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
