// Server-side sessions, in memory: a restart logs everyone out, which is the safe default for
// a single-user tool. Ids are 32 random bytes (base64url); each login makes a new one. A session
// ends after `idleMs` without a request or `absoluteMs` after login, whichever comes first.
// The map is keyed by the SHA-256 of the id, so lookup timing says nothing about valid ids and
// the ids themselves are not kept.
import { createHash, randomBytes } from 'node:crypto';
import type { Session } from '../api/contract.ts';

export const DEFAULT_IDLE_MS = 30 * 60 * 1000;
export const DEFAULT_ABSOLUTE_MS = 12 * 3600 * 1000;
const ID_BYTES = 32;

export interface SessionTimeouts {
  idleMs: number;
  absoluteMs: number;
}

interface SessionRecord {
  user: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

export interface LiveSession {
  /** The map key (hash of the id); never sent anywhere. */
  key: string;
  record: Readonly<SessionRecord>;
}

const keyOf = (id: string): string => createHash('sha256').update(id).digest('hex');

export class SessionStore {
  readonly #sessions = new Map<string, SessionRecord>();

  constructor(
    private readonly timeouts: SessionTimeouts,
    private readonly now: () => number,
  ) {}

  /** A new session; the id goes into the cookie and nowhere else. */
  create(user: string): { id: string; session: LiveSession } {
    this.#sweep();
    const id = randomBytes(ID_BYTES).toString('base64url');
    const t = this.now();
    const record = { user, csrfToken: randomBytes(ID_BYTES).toString('base64url'), createdAt: t, lastSeenAt: t };
    const key = keyOf(id);
    this.#sessions.set(key, record);
    return { id, session: { key, record } };
  }

  /** The live session of `id` with its idle timer renewed; undefined (and forgotten) when unknown or expired. */
  touch(id: string): LiveSession | undefined {
    const key = keyOf(id);
    const record = this.#sessions.get(key);
    if (!record) return undefined;
    const t = this.now();
    if (this.#expired(record, t)) {
      this.#sessions.delete(key);
      return undefined;
    }
    record.lastSeenAt = t;
    return { key, record };
  }

  delete(key: string): void {
    this.#sessions.delete(key);
  }

  /** Deletes the session of a cookie value, if any (a new login replaces the old session). */
  deleteById(id: string): void {
    this.#sessions.delete(keyOf(id));
  }

  view(session: LiveSession): Session {
    const { record } = session;
    const expiresAt = record.createdAt + this.timeouts.absoluteMs;
    return {
      user: record.user,
      csrfToken: record.csrfToken,
      idleExpiresAt: new Date(Math.min(record.lastSeenAt + this.timeouts.idleMs, expiresAt)).toISOString(),
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  #expired(record: SessionRecord, t: number): boolean {
    return t >= record.lastSeenAt + this.timeouts.idleMs || t >= record.createdAt + this.timeouts.absoluteMs;
  }

  /** Drops expired sessions; run at each login, so the map never outgrows the logins of 12 hours. */
  #sweep(): void {
    const t = this.now();
    for (const [key, record] of this.#sessions) if (this.#expired(record, t)) this.#sessions.delete(key);
  }
}
