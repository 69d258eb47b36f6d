// `sealed ui`: the dashboard (src/dashboard/server) on the runs folder. HTTPS with a self-signed
// certificate kept in the state folder, unless --cert/--key give one or --insecure-http asks
// for plain HTTP. The first start sets the password (SEALED_UI_PASSWORD, --password-file, or a
// generated one printed once). Stops on SIGINT or SIGTERM after the requests in flight; a run
// started from the dashboard is cancelled. Runs started from the dashboard execute in child
// processes (runLauncher.ts) with the limits of the --max-*/--run-memory options, and may read
// local data only under a --data-root (none by default) and private addresses only with
// --allow-private-networks. With --keys DIR (a folder from `sealed keys init`, checked at
// start) the dashboard opens sealed runs, decrypting in memory only, and runs started from it
// are sealed with the same folder; without it sealed runs are listed as locked.
// `--runs s3://bucket/prefix [--s3-endpoint URL]` or `--runs az://container/prefix` browses the
// runs `sealed run --store` kept there, read-only (credentials from the environment only, as for
// `sealed run --store`); runs cannot be started from such a dashboard.
import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { printable, UsageError } from '../../core/index.ts';
import { DEFAULT_HOST, DEFAULT_PORT, PASSWORD_ENV, startDashboard } from '../../dashboard/server/index.ts';
import { parseStoreLocation, parseStoreUrl, type ArtifactStore } from '../../pipeline/index.ts';
import { LocalKeyProvider } from '../../seal/index.ts';
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
  /** Folders runs started from the dashboard may read local data from (none by default). */
  dataRoot?: string[];
  allowPrivateNetworks?: boolean;
  maxDataSize?: number;
  /** MiB. */
  runMemory?: number;
  maxConcurrentRuns?: number;
  maxQueuedRuns?: number;
  maxRunsPerUser?: number;
  maxConnections?: number;
  /** Key folder: open sealed runs, seal the runs started here. */
  keys?: string;
  /** S3-compatible server of `--runs s3://...`. */
  s3Endpoint?: string;
}

export async function uiCommand(options: UiOptions, io: CliIo, catalog: PipelineCatalog, signal: AbortSignal): Promise<number> {
  const port = options.port ?? DEFAULT_PORT;
  if (port > 65535) throw new UsageError('cli.badInteger', { option: '--port', value: String(port), rule: 'an integer from 0 to 65535' });
  const at = (path: string): string => resolve(io.cwd, path);
  const env = io.env[PASSWORD_ENV];
  const dataRoots = await Promise.all((options.dataRoot ?? []).map((dir) => dataRoot(at(dir), dir)));
  const runLimits = {
    ...(options.maxDataSize !== undefined ? { maxDataSize: options.maxDataSize } : {}),
    ...(options.runMemory !== undefined ? { memoryMb: options.runMemory } : {}),
    ...(options.maxConcurrentRuns !== undefined ? { maxConcurrent: options.maxConcurrentRuns } : {}),
    ...(options.maxQueuedRuns !== undefined ? { maxQueued: options.maxQueuedRuns } : {}),
    ...(options.maxRunsPerUser !== undefined ? { maxPerUser: options.maxRunsPerUser } : {}),
  };
  // Checked before anything listens: a folder with loose modes or a bad key fails the start.
  const keysDir = options.keys !== undefined ? at(options.keys) : undefined;
  const keys = keysDir !== undefined ? { provider: await LocalKeyProvider.open(keysDir), dir: keysDir } : undefined;
  const runs = options.runs ?? DEFAULT_RUNS_DIR;
  const runStore = runsStore(runs, options, io);
  const dashboard = await startDashboard({
    ...(runStore ? { runStore } : { runsDir: at(runs) }),
    stateDir: at(options.stateDir ?? DEFAULT_STATE_DIR),
    pipeline: await catalog(),
    host: options.host ?? DEFAULT_HOST,
    port,
    ...(options.cert !== undefined ? { certFile: at(options.cert) } : {}),
    ...(options.key !== undefined ? { keyFile: at(options.key) } : {}),
    insecureHttp: options.insecureHttp === true,
    ...(options.idleTimeout !== undefined ? { sessionIdleMs: options.idleTimeout * 1000 } : {}),
    runLimits,
    ...(keys ? { keys } : {}),
    dataPolicy: { dataRoots, allowPrivateNetworks: options.allowPrivateNetworks === true },
    ...(options.maxConnections !== undefined ? { serverLimits: { maxConnections: options.maxConnections } } : {}),
    password: { ...(env !== undefined ? { env } : {}), ...(options.passwordFile !== undefined ? { file: at(options.passwordFile) } : {}) },
    print: (line) => void io.stderr.write(line + '\n'),
  });
  if (runStore) io.stderr.write(`dashboard: browsing the runs in ${printable(runStore.location)} (read-only: start runs with sealed run --store)\n`);
  if (keys) io.stderr.write(`dashboard: sealed runs are opened with the keys in ${printable(keys.dir)}${runStore ? '' : '; runs started here are sealed with them'}\n`);
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

/**
 * The object store `--runs` names (s3:// or az://, credentials from the environment only); undefined
 * for a folder. Only text with a scheme:// is taken apart, so every folder name keeps working.
 */
function runsStore(runs: string, options: UiOptions, io: CliIo): ArtifactStore | undefined {
  const location = /^[a-z][a-z0-9+.-]*:\/\//i.test(runs) ? parseStoreLocation(runs) : { kind: 'local' as const };
  if (options.s3Endpoint !== undefined && location.kind !== 's3') throw new UsageError('cli.usage', { reason: '--s3-endpoint is for --runs s3://...' });
  if (location.kind === 'local') return undefined;
  // The AWS SDK warns on every start that its 2027 releases need Node 22: not the user's concern here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return parseStoreUrl(runs, io.env, options.s3Endpoint !== undefined ? { s3Endpoint: options.s3Endpoint } : {});
}

/** A --data-root as the real path of an existing folder, so the policy compares real paths. */
async function dataRoot(path: string, given: string): Promise<string> {
  const real = await realpath(path).catch(() => undefined);
  if (real === undefined || !(await stat(real)).isDirectory()) {
    throw new UsageError('cli.badValue', { option: '--data-root', value: printable(given.slice(0, 80)), expected: 'an existing folder' });
  }
  return real;
}
