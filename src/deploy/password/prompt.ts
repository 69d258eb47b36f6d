// Reading the Dex password from the person at the terminal, or from a script through stdin.
// - A terminal: raw mode, so nothing typed is echoed (not even as stars: the length stays
//   private too); Backspace/DEL deletes a character, Ctrl-U the line, arrow keys and other escape
//   sequences (and bracketed-paste markers) are dropped; Ctrl-C and Ctrl-D cancel. It is asked
//   twice and both must match. Raw mode also turns off ISIG, so Ctrl-C arrives here as \x03
//   instead of killing the process with the terminal left without echo. Whatever happens (Enter,
//   cancel, end of input, a stream error, a bad entry), the terminal's previous mode is restored
//   and stdin is paused and let go in one `finally`.
// - Not a terminal: one line read to end of input, at most STDIN_LIMIT bytes (`yes | ...` cannot
//   fill the memory), strict UTF-8, one trailing line break dropped, several lines refused.
// Prompts go to stderr: stdout carries only the hash.
import { StringDecoder } from 'node:string_decoder';
import { IoError, SealedError, UsageError } from '../../core/index.ts';
import { decodeUtf8, oneLine } from './passwordFile.ts';

export const STDIN_LIMIT = 4096;
/** Characters accepted on one terminal line before giving up (a password is at most 72 bytes). */
const TERMINAL_CHAR_LIMIT = 1024;

/** The parts of process.stdin used here; a test passes a stream with a fake setRawMode. */
export interface PasswordStdin extends NodeJS.ReadableStream {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

export interface PasswordPromptIo {
  stdin: PasswordStdin;
  /** Where prompts go: the terminal's stderr. */
  stderr: NodeJS.WritableStream;
}

export interface PasswordPromptOptions {
  /** First prompt; default "Password for the Kubeflow (Dex) user: ". */
  prompt?: string;
}

/** The user cancelled the entry (Ctrl-C, Ctrl-D, or the terminal went away): exit code 130, like a shell's SIGINT. */
export class PasswordEntryAborted extends SealedError<'deploy.password.aborted'> {
  override readonly exitCode = 130;
}

/** The new password: typed twice without echo on a terminal, else one line of stdin. */
export async function readPasswordNoEcho(io: PasswordPromptIo, options: PasswordPromptOptions = {}): Promise<string> {
  if (io.stdin.isTTY !== true) return readStdinLine(io.stdin);
  const [first, second] = await readFromTerminal(io.stdin, io.stderr, [options.prompt ?? 'Password for the Kubeflow (Dex) user: ', 'Repeat it: ']);
  if (first !== second) throw new UsageError('deploy.password.mismatch', {});
  return first;
}

async function readFromTerminal(stdin: PasswordStdin, stderr: NodeJS.WritableStream, prompts: string[]): Promise<string[]> {
  if (typeof stdin.setRawMode !== 'function') throw new UsageError('deploy.password.noTerminalEcho', {});
  const wasRaw = stdin.isRaw === true;
  const decoder = new StringDecoder('utf8');
  const lines: string[] = [];
  let current: string[] = [];
  let escape: 'none' | 'esc' | 'sequence' = 'none';
  let afterCr = false;
  let onData: (chunk: Buffer | string) => void = () => {};
  let onEnd: () => void = () => {};
  let onError: (e: Error) => void = () => {};
  stdin.setRawMode(true);
  try {
    stderr.write(prompts[0]);
    return await new Promise<string[]>((resolve, reject) => {
      const abort = (key: string): void => {
        stderr.write('\n');
        reject(new PasswordEntryAborted('deploy.password.aborted', { key }));
      };
      onData = (chunk) => {
        const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
        for (const ch of text) {
          const wasCr = afterCr;
          afterCr = ch === '\r';
          if (escape === 'esc') {
            // CSI (ESC [) and SS3 (ESC O) sequences run to a final byte; Alt+key is ESC and one key.
            escape = ch === '[' || ch === 'O' ? 'sequence' : 'none';
            continue;
          }
          if (escape === 'sequence') {
            const code = ch.codePointAt(0)!;
            if (code >= 0x40 && code <= 0x7e) escape = 'none';
            continue;
          }
          if (ch === '\r' || ch === '\n') {
            if (ch === '\n' && wasCr) continue; // the \n of a pasted \r\n
            lines.push(current.join(''));
            current = [];
            stderr.write('\n');
            if (lines.length === prompts.length) return resolve(lines);
            stderr.write(prompts[lines.length]);
            continue;
          }
          switch (ch) {
            case '\x03':
              return abort('Ctrl-C');
            case '\x04':
              return abort('Ctrl-D');
            case '\x7f':
            case '\b':
              current.pop();
              break;
            case '\x15': // Ctrl-U
              current = [];
              break;
            case '\x1b':
              escape = 'esc';
              break;
            default:
              // Other control characters are kept: the policy then says the password holds one.
              current.push(ch);
              if (current.length > TERMINAL_CHAR_LIMIT) {
                stderr.write('\n');
                return reject(new UsageError('deploy.password.inputTooLarge', { source: 'the terminal', limit: TERMINAL_CHAR_LIMIT }));
              }
          }
        }
      };
      onEnd = () => abort('end of input');
      onError = (e) => reject(new IoError('io.readFailed', { path: 'stdin', reason: e.message }, { cause: e }));
      stdin.on('data', onData);
      stdin.on('end', onEnd);
      stdin.on('error', onError);
      stdin.resume();
    });
  } finally {
    stdin.removeListener('data', onData);
    stdin.removeListener('end', onEnd);
    stdin.removeListener('error', onError);
    try {
      stdin.setRawMode(wasRaw);
    } finally {
      stdin.pause();
    }
  }
}

async function readStdinLine(stdin: PasswordStdin): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  let onData: (chunk: Buffer | string) => void = () => {};
  let onEnd: () => void = () => {};
  let onError: (e: Error) => void = () => {};
  try {
    const bytes = await new Promise<Buffer>((resolve, reject) => {
      if ((stdin as { readableEnded?: boolean }).readableEnded === true) return resolve(Buffer.alloc(0));
      onData = (chunk) => {
        const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        size += b.length;
        chunks.push(b);
        if (size > STDIN_LIMIT) reject(new UsageError('deploy.password.inputTooLarge', { source: 'stdin', limit: STDIN_LIMIT }));
      };
      onEnd = () => resolve(Buffer.concat(chunks));
      onError = (e) => reject(new IoError('io.readFailed', { path: 'stdin', reason: e.message }, { cause: e }));
      stdin.on('data', onData);
      stdin.on('end', onEnd);
      stdin.on('error', onError);
      stdin.resume();
    });
    try {
      return oneLine(decodeUtf8(bytes, 'stdin'), 'stdin');
    } finally {
      bytes.fill(0);
    }
  } finally {
    stdin.removeListener('data', onData);
    stdin.removeListener('end', onEnd);
    stdin.removeListener('error', onError);
    stdin.pause();
    for (const c of chunks) c.fill(0);
  }
}
