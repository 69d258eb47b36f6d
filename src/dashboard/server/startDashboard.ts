// What `sealed ui` runs: prepare the state folder (password on first start, TLS certificate),
// build the server and listen. HTTPS unless insecureHttp is asked for explicitly; then the
// session cookie cannot be Secure, which is said at start.
import { promises as fsp } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { IoError, UsageError } from '../../core/index.ts';
import { createDashboardServer, type DashboardServerOptions } from './dashboardServer.ts';
import { ensurePassword, type PasswordSources } from './initialPassword.ts';
import { DEFAULT_BCRYPT_COST, DEFAULT_USER } from './passwordFile.ts';
import { checkOwnDir, makeStateDir } from './privateFile.ts';
import { selfSignedCertificate, type TlsCredentials } from './selfSignedCertificate.ts';
import { loadUserCertificate } from './userCertificate.ts';

export const DEFAULT_PORT = 8443;
export const DEFAULT_HOST = '127.0.0.1';

export interface StartDashboardOptions extends Omit<DashboardServerOptions, 'tls' | 'onError'> {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The user's own certificate and key (PEM files); both or neither. */
  certFile?: string;
  keyFile?: string;
  password?: PasswordSources;
  /** The account name when the password is first set (default admin). */
  user?: string;
  /** bcrypt cost of a new password hash (default 12); lower values are for tests only. */
  bcryptCost?: number;
  /** Notices, warnings and the one-time generated password. */
  print: (line: string) => void;
}

export interface RunningDashboard {
  app: FastifyInstance;
  /** e.g. https://127.0.0.1:8443 */
  url: string;
  close(): Promise<void>;
}

export async function startDashboard(options: StartDashboardOptions): Promise<RunningDashboard> {
  const userTls = options.certFile !== undefined || options.keyFile !== undefined;
  if (userTls && (options.certFile === undefined || options.keyFile === undefined)) throw new UsageError('dashboard.certAndKey', {});
  if (userTls && options.insecureHttp) throw new UsageError('dashboard.tlsWithInsecureHttp', {});
  const stateDir = resolve(options.stateDir);
  await makeStateDir(stateDir);
  // A runs folder is made and must be private; runs in an object store are only read (runStore).
  const runsDir = options.runStore === undefined ? options.runsDir : undefined;
  if (runsDir !== undefined) {
    await fsp.mkdir(resolve(runsDir), { recursive: true }).catch((e: Error) => {
      throw new IoError('io.writeFailed', { path: runsDir, reason: e.message }, { cause: e });
    });
    await checkOwnDir(resolve(runsDir), 'runs folder');
  }
  const warn = (m: string): void => options.print(`warning: ${m}`);
  await ensurePassword({ stateDir, user: options.user ?? DEFAULT_USER, sources: options.password ?? {}, bcryptCost: options.bcryptCost ?? DEFAULT_BCRYPT_COST, print: options.print });

  let tls: TlsCredentials | undefined;
  if (userTls) tls = await loadUserCertificate(options.certFile!, options.keyFile!);
  else if (!options.insecureHttp) {
    const made = await selfSignedCertificate({ stateDir, hostname: hostname(), now: new Date((options.now ?? Date.now)()), warn });
    if (made.generated) options.print(`dashboard: made a self-signed TLS certificate (${stateDir}/tls-cert.pem); browsers warn about it until you trust it or pass --cert/--key`);
    tls = made;
  }

  const app = await createDashboardServer({ ...options, stateDir, tls, onError: (e) => options.print(`dashboard error: ${e instanceof Error ? e.message : String(e)}`) });
  const host = options.host ?? DEFAULT_HOST;
  await app.listen({ host, port: options.port ?? DEFAULT_PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? DEFAULT_PORT);
  const url = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (options.insecureHttp) {
    options.print('warning: serving plain HTTP (--insecure-http): passwords and session cookies cross the network unencrypted, and the cookie cannot be Secure; use it only on a trusted loopback');
  }
  options.print(`dashboard listening on ${url}`);
  return { app, url, close: () => app.close() };
}
