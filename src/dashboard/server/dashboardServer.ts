// The dashboard's HTTP(S) server: the JSON API of src/dashboard/api/contract.ts and the browser
// app. Layout of a request:
//
//   connection limits               timeouts and caps of serverLimits.ts (408 / closed socket)
//   onRequest: security headers (all responses; router and parser errors get them through
//              frameworkErrors / clientErrorHandler, securityHeaders.ts)
//   /api/login                      throttle -> bcrypt -> session cookie
//   /api/* (others)                 no-store -> session guard (401) -> CSRF on POST (403) -> route
//   /, /assets/*, other page paths  the Vite build (SPA fallback), or 503 without one
//   errors                          {error} with the status of errorReplies.ts
//
// Runs come from a runs folder (runIndex.ts, runFiles.ts; runs can be started) or, read-only, from
// a prefix of an object store (storeRuns.ts); the routes read both through runSource.ts.
// createDashboardServer builds it from files already in place (the password file must exist);
// startDashboard (startDashboard.ts) prepares those files and listens.
import { join, resolve } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { formatMessage, UsageError } from '../../core/index.ts';
import { limitConnectionsPerAddress } from '../../core/net/connectionsPerAddress.ts';
import type { PipelineEntry } from '../../cli/pipelineCatalog.ts';
import type { ArtifactStore } from '../../pipeline/index.ts';
import type { KeyProvider, Verifier } from '../../seal/index.ts';
import { API_LIMITS } from '../api/contract.ts';
import { registerArtifactRoutes } from './artifactRoutes.ts';
import { registerLogin, registerSessionRoutes, sessionGuard, type AuthContext } from './authRoutes.ts';
import { errorReply } from './errorReplies.ts';
import { FileCache } from './fileCache.ts';
import { DEFAULT_LOGIN_ATTEMPTS, DEFAULT_LOGIN_WINDOW_MS, LoginThrottle } from './loginThrottle.ts';
import { PASSWORD_FILE, readPasswordFile } from './passwordFile.ts';
import { pipelineInfo } from './pipelineInfo.ts';
import { RunIndex } from './runIndex.ts';
import { RunLauncher, type DashboardDataPolicy, type RunLimits } from './runLauncher.ts';
import { registerRunRoutes } from './runRoutes.ts';
import { addSecurityHeaders, clientErrorReply, frameworkErrorReply } from './securityHeaders.ts';
import { fastifyServerOptions, nodeServerOptions, serverLimits, type ServerLimits } from './serverLimits.ts';
import type { TlsCredentials } from './selfSignedCertificate.ts';
import { sessionCookie } from './sessionCookie.ts';
import { DEFAULT_ABSOLUTE_MS, DEFAULT_IDLE_MS, SessionStore } from './sessionStore.ts';
import { DEFAULT_STATIC_DIR, registerStaticApp } from './staticApp.ts';
import { StoredArtifacts } from './storedArtifacts.ts';
import { StoreRunIndex } from './storeRuns.ts';

/** Each failed login waits this long on top of bcrypt's own time: a brake for scripted guessing. */
export const DEFAULT_LOGIN_FAILURE_DELAY_MS = 1000;

export interface DashboardServerOptions {
  /** The runs folder: every `<runsDir>/<id>/run.json` is a run; runs started here go there too. Required unless runStore is given. */
  runsDir?: string;
  /**
   * Runs kept in an object store (`sealed ui --runs s3://bucket/prefix`): every `<prefix>/<id>/run.json`
   * is a run, read-only (storeRuns.ts); runsDir is not used and no run can be started here.
   */
  runStore?: ArtifactStore;
  /** Runs of runStore listed at most, the newest by id (default storeRuns.ts DEFAULT_MAX_STORE_RUNS). */
  maxStoreRuns?: number;
  /** Holds the password file (and, for startDashboard, the TLS certificate and key). */
  stateDir: string;
  /** The pipeline runs are started with, e.g. `await loanDefaultCatalog()`. */
  pipeline: PipelineEntry;
  /** Certificate and key to serve HTTPS with; absent in tests that only inject requests. */
  tls?: TlsCredentials;
  /** Plain HTTP: no HSTS, cookie without Secure and without the __Host- prefix. */
  insecureHttp?: boolean;
  /** The Vite build of the app (default dist/dashboard). */
  staticDir?: string;
  /** Milliseconds since the epoch; tests move it to expire sessions. */
  now?: () => number;
  sessionIdleMs?: number;
  sessionAbsoluteMs?: number;
  loginAttempts?: number;
  loginWindowMs?: number;
  loginFailureDelayMs?: number;
  /** Server-side failures (500s, background runs); never given secrets. Default: stderr. */
  onError?: (error: unknown) => void;
  /** Connection timeouts and caps (serverLimits.ts); defaults DEFAULT_SERVER_LIMITS. */
  serverLimits?: Partial<ServerLimits>;
  /** Limits of runs started here (runLauncher.ts); defaults DEFAULT_RUN_LIMITS. */
  runLimits?: Partial<RunLimits>;
  /** Where runs started here may read data from (none but public http(s) by default). */
  dataPolicy?: Partial<DashboardDataPolicy>;
  /** A module exporting the PipelineCatalog the run processes load (tests); default: `sealed run`'s pipeline. */
  childCatalog?: { module: string; export: string };
  /** Deadline of one run.json read in the runs list (ms). */
  readDeadlineMs?: number;
  /**
   * `sealed ui --keys DIR`: the key folder, opened (sealed runs are read with it), and its path,
   * which runs started here get to seal with (by IPC, never on a command line or in the environment).
   * Without it sealed runs are listed and `locked`.
   */
  keys?: DashboardKeys;
  /** Largest decrypted download held in memory until checked (artifactRoutes.ts DOWNLOAD_BUFFER_BYTES); tests lower it. */
  downloadBufferBytes?: number;
}

export interface DashboardKeys {
  provider: KeyProvider;
  /** Absolute path of the key folder. */
  dir: string;
}

export async function createDashboardServer(options: DashboardServerOptions): Promise<FastifyInstance> {
  const now = options.now ?? Date.now;
  const onError = options.onError ?? ((e: unknown) => process.stderr.write(`dashboard: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
  if (options.runStore === undefined && options.runsDir === undefined) throw new TypeError('createDashboardServer needs runsDir or runStore');
  const passwordPath = join(options.stateDir, PASSWORD_FILE);
  const account = await readPasswordFile(passwordPath, (m) => onError(m));
  if (!account) throw new UsageError('dashboard.noPassword', { path: passwordPath });
  const https = !options.insecureHttp;

  const limits = serverLimits(options.serverLimits);
  const common = {
    bodyLimit: API_LIMITS.bodyBytes,
    logger: false,
    // Our own 503 while closing (below): fastify's is written before any hook, without the security headers.
    return503OnClosing: false,
    ...fastifyServerOptions(limits),
    frameworkErrors: frameworkErrorReply(https),
    clientErrorHandler: clientErrorReply(https),
  } as const;
  // The HTTPS instance has the same API; its type differs only in the raw server type.
  // https.createServer takes http.createServer's options too (headersTimeout, connectionsCheckingInterval).
  const app = (
    options.tls
      ? Fastify({ ...common, https: { key: options.tls.key, cert: options.tls.cert, ...nodeServerOptions(limits) } })
      : Fastify({ ...common, http: nodeServerOptions(limits) })
  ) as unknown as FastifyInstance;
  app.server.headersTimeout = limits.headersTimeoutMs;
  app.server.maxConnections = limits.maxConnections;
  limitConnectionsPerAddress(app.server, limits.maxConnectionsPerAddress);
  // JSON bodies only: a form or text/plain post (what a cross-site page can send without CORS) is 415.
  app.removeContentTypeParser(['text/plain']);
  app.setErrorHandler(errorReply(onError));
  addSecurityHeaders(app, https);
  // Requests that arrive while the server closes get 503, with the headers above and Connection: close.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_req, reply) => {
    if (closing) await reply.code(503).header('retry-after', '5').header('connection', 'close').send({ error: formatMessage('dashboard.closing', {}) });
  });
  await app.register(fastifyCookie);

  const auth: AuthContext = {
    account,
    sessions: new SessionStore({ idleMs: options.sessionIdleMs ?? DEFAULT_IDLE_MS, absoluteMs: options.sessionAbsoluteMs ?? DEFAULT_ABSOLUTE_MS }, now),
    throttle: new LoginThrottle(options.loginAttempts ?? DEFAULT_LOGIN_ATTEMPTS, options.loginWindowMs ?? DEFAULT_LOGIN_WINDOW_MS, now),
    cookie: sessionCookie(https),
    failureDelayMs: options.loginFailureDelayMs ?? DEFAULT_LOGIN_FAILURE_DELAY_MS,
  };
  const hasKeys = options.keys !== undefined;
  const store = options.runStore;
  const runsDir = store === undefined && options.runsDir !== undefined ? resolve(options.runsDir) : undefined;
  const runs =
    store !== undefined
      ? new StoreRunIndex(store, { hasKeys, ...(options.readDeadlineMs !== undefined ? { readDeadlineMs: options.readDeadlineMs } : {}), ...(options.maxStoreRuns !== undefined ? { maxRuns: options.maxStoreRuns } : {}) })
      : new RunIndex(runsDir ?? '', options.readDeadlineMs, hasKeys);
  // The key folder's signing key (LocalKeyProvider) vouches for sealed runs' run.json (storedArtifacts.ts).
  const provider = options.keys?.provider as (KeyProvider & { verifier?: () => Verifier }) | undefined;
  const artifacts = new StoredArtifacts(provider, provider?.verifier?.());
  // Runs start only into a runs folder; a dashboard on a store refuses them (runRoutes.ts).
  const launcher =
    runsDir === undefined
      ? undefined
      : new RunLauncher({
          runsDir,
          entry: options.pipeline,
          now,
          onError,
          ...(options.runLimits ? { limits: options.runLimits } : {}),
          ...(options.dataPolicy ? { dataPolicy: options.dataPolicy } : {}),
          ...(options.childCatalog ? { childCatalog: options.childCatalog } : {}),
          ...(options.keys ? { keysDir: options.keys.dir } : {}),
        });
  if (launcher) app.addHook('onClose', async () => launcher.close());
  // The form shows the dashboard's own data_size cap, not the pipeline's wider one.
  const info = pipelineInfo(options.pipeline.pipeline, hasKeys);
  if (launcher) for (const p of info.parameters) if (p.name === 'data_size') p.max = Math.min(p.max ?? Infinity, launcher.limits.maxDataSize);

  await app.register(
    async (api) => {
      // Answers hold run data and session tokens: never stored by the browser or a proxy.
      api.addHook('onRequest', async (_req, reply) => void reply.header('cache-control', 'no-store'));
      registerLogin(api, auth);
      await api.register(async (guarded) => {
        guarded.addHook('onRequest', sessionGuard(auth));
        registerSessionRoutes(guarded, auth);
        registerRunRoutes(guarded, { runs, launcher, ...(store ? { readOnlyStore: store.location } : {}), pipeline: info, confusion: new FileCache(), artifacts });
        registerArtifactRoutes(guarded, { runs, rowCounts: new FileCache(), artifacts, verified: new FileCache(), ...(options.downloadBufferBytes !== undefined ? { downloadBufferBytes: options.downloadBufferBytes } : {}) });
      });
    },
    { prefix: '/api' },
  );

  await registerStaticApp(app, resolve(options.staticDir ?? DEFAULT_STATIC_DIR), (req, reply) =>
    reply.code(404).send({ error: formatMessage('dashboard.noRoute', { method: req.method, url: req.url.split('?')[0].slice(0, 200) }) }),
  );
  return app;
}
