// A task's log as text, capped at its last MiB: a long training log stays readable in the app
// without sending megabytes on every refresh. The cut is moved to the next line start so no
// line (or UTF-8 character) is shown half.
// URLs in it are redacted on the way out (src/core/redact.ts), for logs written before the runner redacted them.
import { redactText } from '../../core/index.ts';
import type { OpenedFile } from './runSource.ts';

export const LOG_TAIL_BYTES = 1024 * 1024;

export async function readLogTail(file: OpenedFile, limit = LOG_TAIL_BYTES): Promise<string> {
  if (file.size <= limit) {
    const parts: Buffer[] = [];
    for await (const chunk of file.chunks()) parts.push(Buffer.from(chunk));
    return redactText(Buffer.concat(parts).toString('utf8'));
  }
  const tail = Buffer.alloc(limit);
  const bytesRead = await file.random.read(tail, file.size - limit);
  const newline = tail.subarray(0, bytesRead).indexOf(10);
  const from = newline >= 0 ? newline + 1 : 0;
  return `[${file.size - bytesRead + from} earlier bytes not shown]\n` + redactText(tail.subarray(from, bytesRead).toString('utf8'));
}
