// A bounded, terminal-safe quote of outside input for an error message: a command-line value,
// a parameter name from a file, a line of a data file. An error never echoes more than
// EXCERPT_CHARS characters of what it was given (a 1 MB option value comes back as 80
// characters and an ellipsis), and control and bidi characters are escaped (`printable`), so
// a quoted value cannot forge or rewrite lines on the terminal or in a log.
import { printable } from './terminalText.ts';

/** Most characters (code points) of input an error message quotes. */
export const EXCERPT_CHARS = 80;

/** At most `max` code points of `text` (then '…'), control and bidi characters escaped. */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  // Only the head is split into code points, so a huge input costs nothing more than a short one.
  const head = Array.from(text.length > max * 2 ? text.slice(0, max * 2) : text);
  const cut = head.length > max || text.length > max * 2;
  return printable(head.slice(0, max).join('')) + (cut ? '…' : '');
}
