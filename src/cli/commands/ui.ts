// `sealed ui`: the dashboard (src/dashboard/server) on the runs folder. HTTPS with a self-signed
// certificate kept in the state folder, unless --cert/--key give one or --insecure-http asks
// for plain HTTP. The first start sets the password (SEALED_UI_PASSWORD, --password-file, or a
// generated one printed once). Stops on SIGINT or SIGTERM after the requests in flight; a run
// started from the dashboard is cancelled.
import { resolve } from 'node:path';
import { UsageError } from '../../core/index.ts';
import { DEFAULT_HOST, DEFAULT_PORT, PASSWORD_ENV, startDashboard } from '../../dashboard/server/index.ts';
import type { CliIo } from '../io.ts';
import type { PipelineCatalog } from '../pipelineCatalog.ts';

export const DEFAULT_RUNS_DIR = 'runs';
export const DEFAULT_STATE_DIR = '.sealed-ui';

export interface UiOptions {
  runs?: string;
  port?: number;
  host?: string;
  stateDir?: string;
  cert?: string;
  key?: string;
  insecureHttp?: boolean;
  passwordFile?: string;
  /** Seconds a session may go without a request (default 30 minutes). */
  idleTimeout?: number;
}

export async function uiCommand(options: UiOptions, io: CliIo, catalog: PipelineCatalog, signal: AbortSignal): Promise<number> {
  const port = options.port ?? DEFAULT_PORT;
  if (port > 65535) throw new UsageError('cli.badInteger', { option: '--port', value: String(port), rule: 'an integer from 0 to 65535' });
  const at = (path: string): string => resolve(io.cwd, path);
  const env = io.env[PASSWORD_ENV];
  const dashboard = await startDashboard({
    runsDir: at(options.runs ?? DEFAULT_RUNS_DIR),
    stateDir: at(options.stateDir ?? DEFAULT_STATE_DIR),
    pipeline: await catalog(),
    host: options.host ?? DEFAULT_HOST,
    port,
    ...(options.cert !== undefined ? { certFile: at(options.cert) } : {}),
    ...(options.key !== undefined ? { keyFile: at(options.key) } : {}),
    insecureHttp: options.insecureHttp === true,
    ...(options.idleTimeout !== undefined ? { sessionIdleMs: options.idleTimeout * 1000 } : {}),
    password: { ...(env !== undefined ? { env } : {}), ...(options.passwordFile !== undefined ? { file: at(options.passwordFile) } : {}) },
    print: (line) => void io.stderr.write(line + '\n'),
  });
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
  await dashboard.close();
  io.stderr.write('dashboard stopped\n');
  return 0;
}
