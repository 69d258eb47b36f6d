// How an error is written where it leaves the process (stderr, a task's log.txt, run.json, the
// dashboard): by default one line, its message only, URLs redacted. The stack, with the paths
// of our source files, only in debug mode (`--debug`, SEALED_DEBUG=1): it helps whoever fixes a
// bug and tells anyone else who reads a log how the installation is laid out.
import { isSealedError } from './errors.ts';
import { redactText } from './redact.ts';

/** The error's message (a SealedError's own, else message or name), URLs redacted, on one line. */
export function errorLine(error: unknown): string {
  const message = isSealedError(error) ? error.message : error instanceof Error ? error.message || error.name : String(error);
  // Line breaks become spaces (a multi-line message stays one record); a lone CR is left for `printable` to show.
  return redactText(message).replace(/[ \t]*(?:\r?\n)+[ \t]*/g, ' ');
}

/** For debug mode: the stack (and those of the causes), URLs redacted; the message line when there is no stack. */
export function errorDetail(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e !== undefined; depth++) {
    parts.push(e instanceof Error && e.stack ? (depth > 0 ? `caused by: ${e.stack}` : e.stack) : errorLine(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return redactText(parts.join('\n'));
}

/** Whether debug output (stacks) is wanted: SEALED_DEBUG=1 (which `--debug` sets). */
export function debugEnabled(env: Record<string, string | undefined>): boolean {
  return env.SEALED_DEBUG === '1';
}
