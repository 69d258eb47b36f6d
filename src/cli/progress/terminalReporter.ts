// Chooses the progress display: live bars when stderr is a terminal, plain lines otherwise
// (CI, pipes). Everything goes to the given stream (stderr), keeping stdout for results.
import type { RunReporter } from '../../pipeline/index.ts';
import { barReporter } from './barReporter.ts';
import { plainReporter } from './plainReporter.ts';

export function terminalReporter(stream: NodeJS.WritableStream & { isTTY?: boolean }, options: { tty?: boolean } = {}): RunReporter {
  const tty = options.tty ?? stream.isTTY === true;
  return tty ? barReporter(stream) : plainReporter(stream);
}
