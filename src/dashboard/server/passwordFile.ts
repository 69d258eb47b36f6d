// The one dashboard account, kept as an htpasswd line `user:$2y$12$...` in the state folder
// (mode 0600, written atomically). bcryptjs writes $2b$ hashes; they are stored as $2y$, the
// same algorithm under the prefix Dex and Apache expect, and all three prefixes verify.
// bcrypt reads only the first 72 bytes of a password, so longer ones are refused outright
// instead of being silently truncated.
import bcrypt from 'bcryptjs';
import { DataError, UsageError, writeFileAtomic } from '../../core/index.ts';
import { PRIVATE_FILE_MODE, readPrivateFile } from './privateFile.ts';

export const PASSWORD_FILE = 'htpasswd';
export const DEFAULT_USER = 'admin';
export const DEFAULT_BCRYPT_COST = 12;
/** bcrypt's own floor; costs below DEFAULT_BCRYPT_COST are for tests only. */
const LOWEST_BCRYPT_COST = 4;
export const PASSWORD_MAX_BYTES = 72;
export const PASSWORD_MIN_CHARS = 8;

export interface PasswordRecord {
  user: string;
  /** bcrypt hash, $2y$. */
  hash: string;
}

/** Refuses a password that is too short or that bcrypt would truncate; `source` names where it came from. */
export function checkNewPassword(password: string, source: string): void {
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes > PASSWORD_MAX_BYTES) throw new UsageError('dashboard.passwordTooLong', { source, bytes });
  if ([...password].length < PASSWORD_MIN_CHARS) throw new UsageError('dashboard.passwordTooShort', { source, min: PASSWORD_MIN_CHARS });
}

export async function hashPassword(password: string, cost: number): Promise<string> {
  if (!Number.isInteger(cost) || cost < LOWEST_BCRYPT_COST || cost > 31) throw new UsageError('dashboard.badBcryptCost', { cost, min: LOWEST_BCRYPT_COST });
  const hash = await bcrypt.hash(password, cost);
  return hash.replace(/^\$2[ab]\$/, '$2y$');
}

/**
 * True when `password` matches. bcrypt's comparison costs the same for every wrong password;
 * an over-long one is still compared (so it takes as long) but never accepted.
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const matches = await bcrypt.compare(password, hash.replace(/^\$2y\$/, '$2b$'));
  return matches && Buffer.byteLength(password, 'utf8') <= PASSWORD_MAX_BYTES;
}

/** The stored account; undefined when no password was set yet. */
export async function readPasswordFile(path: string, warn: (message: string) => void): Promise<PasswordRecord | undefined> {
  const text = await readPrivateFile(path, warn);
  if (text === undefined) return undefined;
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length !== 1) throw new DataError('dashboard.badPasswordFile', { path, reason: `expected one line user:hash, found ${lines.length}` });
  const colon = lines[0].indexOf(':');
  const user = lines[0].slice(0, colon);
  const hash = lines[0].slice(colon + 1).trim();
  if (colon < 1 || !/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) throw new DataError('dashboard.badPasswordFile', { path, reason: 'expected user:<bcrypt hash>' });
  return { user, hash };
}

export async function writePasswordFile(path: string, record: PasswordRecord): Promise<void> {
  await writeFileAtomic(path, `${record.user}:${record.hash}\n`, { mode: PRIVATE_FILE_MODE });
}
