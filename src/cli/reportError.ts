// Turns any error into one stderr line `sealed: <message>` and an exit code: a SealedError's
// own (2 for usage errors, 1 otherwise), 1 for anything unexpected. URLs in the message are
// redacted and control characters escaped (a message may quote a data file or a server). The
// stack is shown only in debug mode (--debug or SEALED_DEBUG=1).
import { debugEnabled, errorDetail, errorLine, isSealedError, printable } from '../core/index.ts';
import type { CliIo } from './io.ts';

export function reportError(error: unknown, io: Pick<CliIo, 'stderr' | 'env'>): number {
  io.stderr.write(`sealed: ${printable(errorLine(error))}\n`);
  if (debugEnabled(io.env) && error instanceof Error && error.stack) io.stderr.write(terminalLines(errorDetail(error)));
  return isSealedError(error) ? error.exitCode : 1;
}

/** Any text as terminal lines: each line's control characters escaped. */
export function terminalLines(text: string): string {
  return text.replace(/\r?\n$/, '').split(/\r?\n/).map(printable).join('\n') + '\n';
}

/** A one-line `sealed: <text>` for a message that is not an error object (e.g. commander's). */
export function reportLine(text: string, io: Pick<CliIo, 'stderr'>): void {
  io.stderr.write(`sealed: ${printable(errorLine(text))}\n`);
}
