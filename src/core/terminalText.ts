// Text from outside (a server, a file, a command-line value) shown on a terminal: names and messages may hold escape sequences that
// would move the cursor, rewrite earlier lines or change the window title, or bidi controls
// that make a name read differently from what it is. Those are shown as \x.. / \u.... escapes.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The text with control and bidi characters written as visible escapes. */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
