// Which passwords the Dex user may get. Dex compares the login form's password with the stored
// bcrypt hash directly (golang.org/x/crypto/bcrypt CompareHashAndPassword), so:
// - bcrypt reads only the first 72 bytes: a longer password would be silently cut, and cannot be
//   pre-hashed either (Dex would not pre-hash what is typed at login) — it is refused instead;
// - what cannot be typed into a browser's password field (control, line-break, bidi characters)
//   would lock the user out, and a lone surrogate is UTF-8-encoded as U+FFFD, so two different
//   passwords would share a hash — both are refused.
// The rest follows OWASP ASVS 5 (length, no default account, checked against common passwords):
// at least 12 characters, not the tutorial's 12341234, not the user's own email name, and not a
// common password or one built mostly from one (see commonPasswords.ts).
// No message ever quotes the password: errors name its source (a file, stdin, the terminal).
import { UsageError } from '../../core/index.ts';
import { commonPasswordIn } from './commonPasswords.ts';

export const PASSWORD_MIN_CHARS = 12;
/** bcrypt's limit: bytes past this are ignored by every implementation, Go's included. */
export const PASSWORD_MAX_BYTES = 72;
/** The default of the Kubeflow manifests and the reference tutorial. */
export const TUTORIAL_PASSWORD = '12341234';
/** Email names shorter than this are not looked for in the password ("al" is in too many words). */
const EMAIL_NAME_MIN_CHARS = 3;
/** Fewer different characters than this is a pattern ("aaaaaaaaaaab"), whatever the length. */
const MIN_DISTINCT_CHARS = 5;

export interface PasswordContext {
  /** Where the password came from, for the message: 'the terminal', 'stdin', a file name. */
  source?: string;
  /** The Dex user's email: a password containing its name part is refused. */
  email?: string;
}

// eslint-disable-next-line no-control-regex
const UNTYPABLE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Throws a one-line UsageError when `password` may not become the Dex user's; never echoes it. */
export function checkPasswordPolicy(password: string, context: PasswordContext = {}): void {
  const source = context.source ?? 'the input';
  // The checks that cost nothing come first, and the byte limit before anything walks the text.
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes > PASSWORD_MAX_BYTES) throw new UsageError('deploy.password.tooLong', { source, bytes, max: PASSWORD_MAX_BYTES });
  if (UNTYPABLE.test(password)) throw new UsageError('deploy.password.control', { source });
  if (LONE_SURROGATE.test(password)) throw new UsageError('deploy.password.badUnicode', { source });
  if (password.includes(TUTORIAL_PASSWORD)) throw new UsageError('deploy.password.tutorialDefault', { source });
  const chars = [...password];
  if (chars.length < PASSWORD_MIN_CHARS) throw new UsageError('deploy.password.tooShort', { source, min: PASSWORD_MIN_CHARS });
  const lower = password.toLowerCase();
  if (context.email !== undefined && emailNames(context.email).some((name) => lower.includes(name))) {
    throw new UsageError('deploy.password.containsEmail', { source });
  }
  const why = weakness(lower);
  if (why !== undefined) throw new UsageError('deploy.password.common', { source, why });
}

/** The email's name part and, for "ada.lovelace", its pieces; lower case, the short ones left out. */
function emailNames(email: string): string[] {
  const at = email.lastIndexOf('@');
  const local = (at < 0 ? email : email.slice(0, at)).toLowerCase();
  const names = [local, ...local.split(/[._+-]+/)];
  return [...new Set(names)].filter((n) => [...n].length >= EMAIL_NAME_MIN_CHARS);
}

/** Why a lower-cased password of acceptable length is still easy to guess, or undefined. */
function weakness(lower: string): string | undefined {
  const chars = [...lower];
  if (new Set(chars).size < MIN_DISTINCT_CHARS) return `fewer than ${MIN_DISTINCT_CHARS} different characters`;
  if (isPeriodic(chars)) return 'one short piece repeated';
  if (longestStepRun(chars) * 2 >= chars.length) return 'mostly a run like abcd or 9876';
  const found = commonPasswordIn(lower);
  if (found !== undefined) return found;
  return undefined;
}

/** True when the text is a piece repeated (the last repeat may be cut short): "abcabcabcabc", "ab12ab12ab12". */
function isPeriodic(chars: string[]): boolean {
  for (let period = 1; period * 2 <= chars.length; period++) {
    let same = true;
    for (let i = period; i < chars.length && same; i++) same = chars[i] === chars[i - period];
    if (same) return true;
  }
  return false;
}

/** Length of the longest stretch whose characters step by +1 or -1 code point: "abcdef", "87654". */
function longestStepRun(chars: string[]): number {
  let best = 1;
  let run = 1;
  let step = 0;
  for (let i = 1; i < chars.length; i++) {
    const d = chars[i].codePointAt(0)! - chars[i - 1].codePointAt(0)!;
    if ((d === 1 || d === -1) && (run === 1 || d === step)) {
      run++;
      step = d;
    } else {
      run = d === 1 || d === -1 ? 2 : 1;
      step = d;
    }
    best = Math.max(best, run);
  }
  return best;
}
