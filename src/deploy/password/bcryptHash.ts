// bcrypt hashes for the Dex user, made with bcryptjs and checked against what Dex accepts.
//
// Why "$2y$": $2a$, $2b$ and $2y$ name the same algorithm for every password bcrypt accepts here
// (at most 72 bytes). $2y$ is crypt_blowfish's (PHP, htpasswd -B, passlib ident="2y") name for the
// fixed algorithm, $2b$ OpenBSD's; bcryptjs computes all three identically (it only adds the
// trailing NUL for minor >= 'a'), and Go's golang.org/x/crypto/bcrypt, which Dex uses, reads the
// minor letter and ignores it (bcrypt.go decodeVersion: any byte but '$' after the major '2' is
// kept as `minor` and never looked at again). The Kubeflow manifests ship "$2y$12$..." hashes, so
// that is what this writes. $2x$ is refused: it marks crypt_blowfish's old sign-extension bug
// mode, which Go does not implement, so such a hash of a non-ASCII password would never match.
//
// Cost: Dex refuses a hash whose cost is below bcrypt.DefaultCost (10) or above 16 (dexidp/dex
// server/api.go checkCost, upBoundCost = 16, recCost = 12); this project asks for at least 12,
// the cost of the Kubeflow manifests' own hash and OWASP's current advice.
import bcrypt from 'bcryptjs';
import { UsageError } from '../../core/index.ts';
import { PASSWORD_MAX_BYTES } from './policy.ts';

export const BCRYPT_COST = 12;
export const MIN_BCRYPT_COST = 12;
/** Dex's upBoundCost: it refuses costlier hashes to keep logins cheap for the server. */
export const MAX_BCRYPT_COST = 16;

/** The hashes published with kubeflow/manifests (both of known or public passwords): never accepted. */
export const PUBLISHED_HASHES: ReadonlyMap<string, string> = new Map([
  // common/dex/base/config-map.yaml (1.8) and dex-passwords.yaml (1.9+): the hash of 12341234.
  ['$2y$12$4K/VkmDd1q1Orb3xAt82zu8gk7Ad6ReFR4LCP9UeYE90NLiN9Df72', "the Kubeflow manifests' default hash (of 12341234)"],
  // README.md "Change Default User Password": the example output a reader may paste as is.
  ['$2y$12$vIm8CANhuWui0J1p3jYeGeuM28Qcn76IFMaFWvZCG5ZkKZ4MjTF4u', "the example hash printed in the Kubeflow manifests' README"],
]);

// Modular crypt format: $2<minor>$<2-digit cost>$<22 chars salt><31 chars hash>, bcrypt's own base64.
const BCRYPT_SHAPE = /^\$2([a-z]?)\$(\d\d)\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/;
const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface BcryptHash {
  /** The same hash with the "$2y$" prefix. */
  hash: string;
  cost: number;
}

/** True when the text is meant as a bcrypt hash (so it is validated as one, never used as a password). */
export function looksLikeBcrypt(text: string): boolean {
  return text.startsWith('$2');
}

/**
 * Validates a bcrypt hash for the Dex user: $2a$/$2b$/$2y$, cost 12..16, exact length and
 * alphabet, canonical salt and hash encodings (unused low bits zero, as every bcrypt writes them:
 * anything else was edited or cut), and not a hash published with Kubeflow.
 */
export function parseBcryptHash(text: string, source: string): BcryptHash {
  const bad = (reason: string): never => {
    throw new UsageError('deploy.password.badHash', { source, reason });
  };
  const m = BCRYPT_SHAPE.exec(text);
  if (!m) return bad('expected $2y$NN$ followed by 53 characters of ./A-Za-z0-9 (60 in all)');
  const [, minor, costText, salt, digest] = m;
  if (minor === 'x') bad("$2x$ is crypt_blowfish's legacy bug mode, which Dex (Go bcrypt) does not implement; hash the password again");
  if (minor !== 'a' && minor !== 'b' && minor !== 'y') bad(`unknown bcrypt version $2${minor}$ (expected $2a$, $2b$ or $2y$)`);
  const cost = Number(costText);
  if (cost < MIN_BCRYPT_COST) bad(`cost ${cost} is below ${MIN_BCRYPT_COST}; hash the password again with cost ${BCRYPT_COST}`);
  if (cost > MAX_BCRYPT_COST) bad(`cost ${cost} is above ${MAX_BCRYPT_COST}, the most Dex accepts`);
  // 16 salt bytes take 21⅓ characters: the last one carries 2 bits (index a multiple of 16);
  // 23 hash bytes take 30⅔: the last carries 4 bits (index a multiple of 4).
  if (BCRYPT_ALPHABET.indexOf(salt[21]) % 16 !== 0 || BCRYPT_ALPHABET.indexOf(digest[30]) % 4 !== 0) {
    bad('its salt or digest is not as bcrypt writes it (edited or damaged)');
  }
  const hash = `$2y$${text.slice(4)}`;
  const published = PUBLISHED_HASHES.get(hash);
  if (published !== undefined) bad(`it is ${published}; anyone can log in with it`);
  return { hash, cost };
}

/** bcrypt of `password` at cost 12 with a fresh random salt, as "$2y$12$...". */
export async function hashPassword(password: string): Promise<string> {
  // Defence in depth: even a caller that skipped checkPasswordPolicy cannot get a truncated hash.
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes > PASSWORD_MAX_BYTES) throw new UsageError('deploy.password.tooLong', { source: 'the input', bytes, max: PASSWORD_MAX_BYTES });
  // bcryptjs writes "$2b$" salts; "$2y$" is the same algorithm (see the top of this file), so the
  // salt is relabelled before hashing and the result carries "$2y$" from the start.
  const salt = (await bcrypt.genSalt(BCRYPT_COST)).replace(/^\$2b\$/, '$2y$');
  return bcrypt.hash(password, salt);
}

/** True when `password` matches `hash` (bcryptjs reads $2a$, $2b$ and $2y$ alike). */
export async function passwordMatches(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}
