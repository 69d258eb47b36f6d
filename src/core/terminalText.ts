// Text from outside (a server, a file, a command-line value) shown on a terminal: names and messages may hold escape sequences that
// would move the cursor, rewrite earlier lines or change the window title, or bidi controls
// that make a name read differently from what it is. Those are shown as \x.. / \u.... escapes.
// Newlines and carriage returns are escaped too, so one value printed on a line cannot forge
// further lines (a fake "run succeeded") or overwrite the line it is on.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The text with control and bidi characters (C0, DEL, C1, bidi marks and overrides, line separators) written as visible escapes. */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

// JSON.stringify escapes only U+0000-U+001F; DEL, C1 and bidi controls would reach the terminal raw.
const JSON_UNSAFE = /[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON.stringify(value) with every character `printable` escapes written as a \u escape: the same JSON value, safe on a terminal. */
export function printableJson(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
