// `sealed serve`: the scoring service (src/serve) on a finished run's artifacts (--run-dir) or on
// a model and a preprocessor given one by one. Listens on 127.0.0.1 unless --host says otherwise
// and prints the address it really bound; stops on SIGINT or SIGTERM after answering the
// requests in flight (new ones get 503 meanwhile).
//
// Checked before listening: --host and --port, the model against the preprocessor (feature
// count and names), the token file (a regular file, not a symbolic link, mode 0600 or stricter).
// Listening on a non-loopback address without --token-file prints a warning: the service has
// no other authentication.
//
// A sealed run needs --keys DIR (src/serve/runScorer.ts: decrypted and checked against run.json's
// seal records, in memory only); --keys with a plain run is refused, and --model/--preprocessor
// take plain files only (a sealed one is refused with the --run-dir --keys hint).
import { constants } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { UsageError } from '../../core/index.ts';
import { printable } from '../../core/terminalText.ts';
import { createScoringServer, type ServeLimits } from '../../serve/scoringServer.ts';
import { LoanScorer, type ScorerFiles } from '../../serve/loanScorer.ts';
import { loadRunScorer } from '../../serve/runScorer.ts';
import { isSealed, LocalKeyProvider } from '../../seal/index.ts';
import type { CliIo } from '../io.ts';

export interface ServeOptions {
  runDir?: string;
  model?: string;
  preprocessor?: string;
  host?: string;
  port?: number;
  tokenFile?: string;
  allowUnknownCategories?: boolean;
  /** Seconds. */
  requestTimeout?: number;
  maxConnections?: number;
  maxQueue?: number;
  /** Key folder of a sealed --run-dir. */
  keys?: string;
}

/** Shortest bearer token accepted from --token-file. */
export const MIN_TOKEN_CHARS = 16;
const MAX_TOKEN_FILE_BYTES = 4096;

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** --host: an IPv4/IPv6 address (no brackets) or a DNS host name. */
export function checkHost(host: string): string {
  if (isIP(host) === 0 && !HOST_NAME.test(host)) throw new UsageError('serve.badHost', { value: printable(host.slice(0, 80)) });
  return host;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  const v6 = host.toLowerCase();
  return v6 === '::1' || v6.startsWith('::ffff:127.');
}

/** The token in `path`: opened without following a symbolic link or blocking on a FIFO, then checked on the descriptor. */
export async function readTokenFile(path: string): Promise<string> {
  const refuse = (reason: string) => new UsageError('serve.badTokenFile', { path: printable(path), reason });
  let fd;
  try {
    fd = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw refuse(code === 'ELOOP' ? 'it is a symbolic link' : code === 'ENOENT' ? 'no such file' : `cannot open it (${code ?? String(e)})`);
  }
  try {
    const st = await fd.stat();
    if (!st.isFile()) throw refuse('not a regular file');
    if ((st.mode & 0o077) !== 0) throw refuse(`its mode is 0${(st.mode & 0o777).toString(8)}; make it readable by its owner only (chmod 600)`);
    if (st.size > MAX_TOKEN_FILE_BYTES) throw refuse(`it is larger than ${MAX_TOKEN_FILE_BYTES} bytes`);
    const token = (await fd.readFile('utf8')).trim();
    if (token.length < MIN_TOKEN_CHARS) throw refuse(`the token must be at least ${MIN_TOKEN_CHARS} characters`);
    if (/\s/.test(token)) throw refuse('the token must be one word (no spaces or line breaks)');
    return token;
  } finally {
    await fd.close();
  }
}

/** --model and --preprocessor: plain files; a sealed one is refused with the way to serve it. */
async function loadFiles(files: ScorerFiles, given: ScorerFiles): Promise<LoanScorer> {
  const [model, preprocessor] = await Promise.all([readFile(files.model), readFile(files.preprocessor)]);
  if (isSealed(model)) throw new UsageError('serve.sealedFile', { option: '--model', path: printable(given.model) });
  if (isSealed(preprocessor)) throw new UsageError('serve.sealedFile', { option: '--preprocessor', path: printable(given.preprocessor) });
  return LoanScorer.fromBytes({ model: new Uint8Array(model), preprocessor, names: files });
}

export async function serveCommand(options: ServeOptions, io: CliIo, signal: AbortSignal): Promise<number> {
  const byFile = options.model !== undefined || options.preprocessor !== undefined;
  if ((options.runDir !== undefined) === byFile || (byFile && (options.model === undefined || options.preprocessor === undefined))) {
    throw new UsageError('cli.serveInputs', {});
  }
  const host = checkHost(options.host ?? '127.0.0.1');
  const port = options.port ?? 8080;
  if (options.keys !== undefined && options.runDir === undefined) throw new UsageError('cli.usage', { reason: '--keys is for --run-dir (a sealed run); --model and --preprocessor take plain files' });
  const token = options.tokenFile !== undefined ? await readTokenFile(resolve(io.cwd, options.tokenFile)) : undefined;
  const keys = options.keys !== undefined ? await LocalKeyProvider.open(resolve(io.cwd, options.keys)) : undefined;
  // Refuses a model that does not fit the preprocessor, or a sealed run without its keys (before listening).
  const scorer =
    options.runDir !== undefined
      ? await loadRunScorer(resolve(io.cwd, options.runDir), { ...(keys ? { keys, verifier: keys.verifier() } : {}), shown: printable(options.runDir) })
      : await loadFiles({ model: resolve(io.cwd, options.model!), preprocessor: resolve(io.cwd, options.preprocessor!) }, { model: options.model!, preprocessor: options.preprocessor! });
  const limits: Partial<ServeLimits> = {
    ...(options.requestTimeout !== undefined ? { requestTimeoutMs: options.requestTimeout * 1000 } : {}),
    ...(options.maxConnections !== undefined ? { maxConnections: options.maxConnections } : {}),
    ...(options.maxQueue !== undefined ? { maxQueue: options.maxQueue } : {}),
  };
  const app = createScoringServer(scorer, {
    token,
    allowUnknownCategories: options.allowUnknownCategories === true,
    limits,
    onInternalError: (e) => {
      io.stderr.write(`sealed serve: internal error: ${printable(e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ')}\n`);
      if (io.env.SEALED_DEBUG === '1' && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
    },
  });
  try {
    await app.warmUp();
    await app.listen({ host, port });
  } catch (e) {
    await app.close();
    scorer.dispose();
    throw e;
  }
  // The addresses really bound (fastify's listen() answers 127.0.0.1 for 0.0.0.0).
  const bound = app.addresses().map((a) => (typeof a === 'string' ? a : `http://${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}`));
  io.stderr.write(`scoring service listening on ${bound.join(' and ')} (POST /v1/score, GET /healthz)${token ? '; bearer token required' : ''}\n`);
  if (!token && !isLoopback(host)) {
    io.stderr.write(`WARNING: the scoring service listens on ${printable(host)}, beyond this machine, and needs no login: anyone who can reach it can score; start it with --token-file PATH\n`);
  }
  await new Promise<void>((done) => {
    if (signal.aborted) return done();
    const stop = (): void => {
      signal.removeEventListener('abort', stop);
      process.removeListener('SIGTERM', stop);
      done();
    };
    signal.addEventListener('abort', stop, { once: true });
    process.once('SIGTERM', stop);
  });
  await app.stop();
  scorer.dispose();
  io.stderr.write('scoring service stopped\n');
  return 0;
}
