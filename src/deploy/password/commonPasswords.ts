// The common-password check behind checkPasswordPolicy. The list is the ranked "passwords-common"
// dictionary of @zxcvbn-ts/language-common (MIT; derived from Mark Burnett's ten-million-password
// corpus, the list the original Dropbox zxcvbn ships; see its NOTICE.md): the maintained successor
// of zxcvbn's data, installed alone, without the zxcvbn scoring engine. Rather than a score, the
// rule is one that can be explained in a message: refused when the password, lower-cased and also
// with l33t digits and symbols read as letters (p4ssw0rd) or read backwards, is on the list or is
// at least half made of one entry (password2024!!, Dragon#Dragon1). The list is loaded on the
// first check only, so commands that never check a password do not pay for it.
import { dictionary } from '@zxcvbn-ts/language-common';

/** Entries shorter than this are ignored inside a longer password ("abc" is in too much). */
const MIN_ENTRY_CHARS = 4;
const LEET_I: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', $: 's', '!': 'i', '|': 'i', '+': 't' };
const LEET_L: Readonly<Record<string, string>> = { ...LEET_I, '1': 'l', '|': 'l', '!': 'l' };

let common: Set<string> | undefined;

function commonSet(): Set<string> {
  common ??= new Set((dictionary['passwords-common'] as readonly string[]).map((w) => w.toLowerCase()));
  return common;
}

/** How many entries the list has (for tests and the report). */
export function commonPasswordCount(): number {
  return commonSet().size;
}

/** Why the lower-cased password counts as a common one, or undefined; never names the entry found. */
export function commonPasswordIn(lower: string): string | undefined {
  const words = commonSet();
  const forwards = unique([lower, unleet(lower, LEET_I), unleet(lower, LEET_L)]);
  const backwards = forwards.map((v) => [...v].reverse().join(''));
  for (const v of [...forwards, ...backwards]) if (words.has(v)) return 'it is on the list of common passwords';
  for (const v of [...forwards, ...backwards]) if (halfCommon(v, words)) return 'at least half of it is a common password';
  return undefined;
}

/** True when some run of at least half the characters (and at least MIN_ENTRY_CHARS) is on the list. */
function halfCommon(text: string, words: Set<string>): boolean {
  const chars = [...text];
  const shortest = Math.max(MIN_ENTRY_CHARS, Math.ceil(chars.length / 2));
  for (let length = chars.length; length >= shortest; length--) {
    for (let start = 0; start + length <= chars.length; start++) {
      if (words.has(chars.slice(start, start + length).join(''))) return true;
    }
  }
  return false;
}

function unleet(text: string, table: Readonly<Record<string, string>>): string {
  return [...text].map((c) => table[c] ?? c).join('');
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
