// Turns any error into one stderr line `sealed: <message>` and an exit code: a SealedError's
// own (2 for usage errors, 1 otherwise), 1 for anything unexpected. The stack is shown only
// with SEALED_DEBUG=1.
import { isSealedError } from '../core/index.ts';
import type { CliIo } from './io.ts';

export function reportError(error: unknown, io: Pick<CliIo, 'stderr' | 'env'>): number {
  const message = isSealedError(error) ? error.message : error instanceof Error ? error.message || error.name : String(error);
  io.stderr.write(`sealed: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  if (io.env.SEALED_DEBUG === '1' && error instanceof Error && error.stack) io.stderr.write(error.stack + '\n');
  return isSealedError(error) ? error.exitCode : 1;
}
