// Login, logout and the session check, plus the guard every other API route sits behind.
//
//   POST /api/login   throttle (429) -> bcrypt compare (every attempt costs the same) -> new
//                     session (the one the browser had, if any, is ended) -> cookie + Session
//   guard             cookie -> live session (401) -> on POST, x-csrf-token (403)
//   POST /api/logout  ends the session server-side, expires the cookie -> 204
//   GET  /api/session the Session (its idle timer was just renewed by the guard)
import { createHash, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Session } from '../api/contract.ts';
import { ApiError } from './apiError.ts';
import { parseBody } from './requestInput.ts';
import type { LoginThrottle } from './loginThrottle.ts';
import { verifyPassword, type PasswordRecord } from './passwordFile.ts';
import type { CookiePolicy } from './sessionCookie.ts';
import type { LiveSession, SessionStore } from './sessionStore.ts';

export interface AuthContext {
  account: PasswordRecord;
  sessions: SessionStore;
  throttle: LoginThrottle;
  cookie: CookiePolicy;
  /** Added to every failed login, on top of bcrypt's own cost. */
  failureDelayMs: number;
}

const loginBody = z.strictObject({ username: z.string().max(256), password: z.string().max(4096) });

/** Equality of two secrets in time that depends on neither (hashes first, so lengths do not leak). */
export function sameSecret(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export function registerLogin(api: FastifyInstance, auth: AuthContext): void {
  api.post('/login', async (req, reply) => {
    const address = req.ip;
    const wait = auth.throttle.retryAfterSeconds(address);
    if (wait > 0) {
      const error = new ApiError(429, 'dashboard.tooManyLogins', { seconds: wait });
      return reply.code(429).header('retry-after', String(wait)).send({ error: error.message });
    }
    const { username, password } = parseBody(loginBody, req.body);
    // Counted as failed until proven right: attempts sent in parallel, while bcrypt works on
    // the first ones, still meet the limit.
    auth.throttle.recordFailure(address);
    // Both checks always run, so a wrong user name takes as long as a wrong password.
    const passwordOk = await verifyPassword(password, auth.account.hash);
    if (!(sameSecret(username, auth.account.user) && passwordOk)) {
      await sleep(auth.failureDelayMs);
      throw new ApiError(401, 'dashboard.badLogin', {});
    }
    auth.throttle.reset(address);
    const previous = req.cookies[auth.cookie.name];
    if (previous !== undefined) auth.sessions.deleteById(previous);
    const { id, session } = auth.sessions.create(auth.account.user);
    void reply.setCookie(auth.cookie.name, id, auth.cookie.options);
    const view: Session = auth.sessions.view(session);
    return view;
  });
}

const liveSessions = new WeakMap<FastifyRequest, LiveSession>();

/** onRequest hook of the protected routes: 401 without a live session, 403 for a POST without its CSRF token. */
export function sessionGuard(auth: AuthContext) {
  return async (req: FastifyRequest): Promise<void> => {
    const id = req.cookies[auth.cookie.name];
    const session = id !== undefined ? auth.sessions.touch(id) : undefined;
    if (!session) throw new ApiError(401, 'dashboard.notLoggedIn', {});
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const token = req.headers['x-csrf-token'];
      if (typeof token !== 'string' || !sameSecret(token, session.record.csrfToken)) throw new ApiError(403, 'dashboard.badCsrfToken', {});
    }
    liveSessions.set(req, session);
  };
}

/** The account name of the request's session (behind the guard). */
export function sessionUser(req: FastifyRequest): string {
  return sessionOf(req).record.user;
}

function sessionOf(req: FastifyRequest): LiveSession {
  const session = liveSessions.get(req);
  // The guard runs before every protected route; reaching here without it is a wiring bug.
  if (!session) throw new Error('session guard did not run');
  return session;
}

export function registerSessionRoutes(api: FastifyInstance, auth: AuthContext): void {
  api.post('/logout', async (req, reply: FastifyReply) => {
    auth.sessions.delete(sessionOf(req).key);
    void reply.clearCookie(auth.cookie.name, auth.cookie.options);
    return reply.code(204).send();
  });
  api.get('/session', async (req): Promise<Session> => auth.sessions.view(sessionOf(req)));
}
