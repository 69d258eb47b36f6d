// The browser app: the Vite build in `dir` (default the package's dist/dashboard). index.html answers `/` and
// every unknown page path (the app routes in the browser), always revalidated; the hashed files
// under assets/ are cached for a year. A missing file with an extension is a plain 404, not the
// app — except under the app's own routes, whose last segment is a run id that may hold a dot
// (`sealed run --run-dir runs/v1.2`). Without a build, pages answer 503 with the command that makes one.
import { existsSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatMessage } from '../../core/index.ts';

/**
 * dist/dashboard of this package (where `npm run build:dashboard` writes), wherever the command runs from:
 * three folders up from src/dashboard/server, five from the built copy in dist/app/src/dashboard/server.
 */
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL(/\/dist\/app\/src\/dashboard\/server\/[^/]+$/.test(import.meta.url) ? '../../../../../dist/dashboard' : '../../../dist/dashboard', import.meta.url));
const LONG_CACHE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
/** Paths the browser app routes itself (see src/dashboard/web/src/lib/router.ts). */
const APP_ROUTES = ['/runs/', '/compare/'];

export async function registerStaticApp(app: FastifyInstance, dir: string, notFound: (req: FastifyRequest, reply: FastifyReply) => unknown): Promise<void> {
  const built = existsSync(join(dir, 'index.html'));
  const page = (req: FastifyRequest, reply: FastifyReply): unknown => {
    if (!built) return reply.code(503).type('text/plain; charset=utf-8').send(formatMessage('dashboard.appNotBuilt', { dir }) + '\n');
    return reply.header('cache-control', REVALIDATE).sendFile('index.html');
  };
  if (built) {
    const assets = join(dir, 'assets') + sep;
    await app.register(fastifyStatic, {
      root: dir,
      index: false,
      dotfiles: 'deny',
      cacheControl: false,
      setHeaders: (reply, path) => void reply.header('cache-control', path.startsWith(assets) ? LONG_CACHE : REVALIDATE),
    });
  }
  app.get('/', page);
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    const appRoute = APP_ROUTES.some((prefix) => path.startsWith(prefix));
    const isPage = (req.method === 'GET' || req.method === 'HEAD') && !path.startsWith('/api/') && path !== '/api' && (extname(path) === '' || appRoute);
    return isPage ? page(req, reply) : notFound(req, reply);
  });
}
