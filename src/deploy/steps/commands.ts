// `sealed deploy plan|up|down`: load and validate everything the user gave (configuration file,
// password file, Kubeflow options, state folder) before the first command runs, then print the
// plan or run the steps. The collaborators (configuration loader, password reader, overlay
// renderer, command runner, confirmation) are injectable so tests drive the whole flow offline.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printable, UsageError, writeFileAtomic } from '../../core/index.ts';
import type { DeployIo } from './io.ts';
import { executeSteps } from './execute.ts';
import { flattenConfig, formatPlan } from './plan.ts';
import { processRunner, type CommandRunner } from './runner.ts';
import { emptyState, lockStateDir, openStateDir, readState } from './state.ts';
import { showArgv } from './types.ts';
import { CERTIFICATE, downSteps, IMAGE_REPOSITORY, upSteps, type DeployTarget, type RenderRequest } from './upSteps.ts';
import type { KubeflowTiming } from './kubeflow.ts';
import { loadDeployConfig, type LoadedDeployConfig } from '../config/index.ts';
import { renderOverlay, validateDomain, validateEmail, validateIssuer } from '../kubeflow/index.ts';

export interface DeployDeps {
  loadConfig?: (path: string) => Promise<LoadedDeployConfig>;
  /** `from: 'plain'` when the file held the password itself (then a stored hash of it is reused). */
  readPasswordFile?: (path: string, email: string) => Promise<{ hash: string; from?: 'plain' | 'hash' }>;
  render?: (request: RenderRequest) => Promise<unknown>;
  runner?: CommandRunner;
  /** Asks a question on the terminal; undefined when there is no terminal to ask on. */
  confirm?: (question: string) => Promise<string | undefined>;
  repoRoot?: string;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  timing?: KubeflowTiming;
}

export interface DeployOptions {
  config: string;
  stateDir?: string;
  yes?: boolean;
}

export interface UpOptions extends DeployOptions {
  manifests: string;
  dexUser: string;
  dexPasswordFile: string;
  domain?: string;
  issuer?: string;
}

interface Prepared {
  loaded: LoadedDeployConfig;
  target: DeployTarget;
  stateDir: string;
  configFile: string;
  repoRoot: string;
  runner: CommandRunner;
}

const STACK = /^[A-Za-z0-9_.-]{1,100}$/;

async function prepare(options: DeployOptions, io: DeployIo, deps: DeployDeps): Promise<Prepared> {
  if (typeof options.config !== 'string' || options.config.length === 0) throw new UsageError('deploy.badOption', { option: '--config', value: '', expected: 'a configuration file (JSON or YAML)' });
  const configFile = resolve(io.cwd, options.config);
  const loaded = await (deps.loadConfig ?? loadDeployConfig)(configFile);
  const c = loaded.config;
  // The cluster name names the Pulumi stack: one stack (and state folder) per cluster.
  if (!STACK.test(c.clusterName)) throw new UsageError('deploy.badOption', { option: 'clusterName', value: c.clusterName, expected: 'a Pulumi stack name (letters, digits, - _ .)' });
  const target: DeployTarget = { stack: c.clusterName, location: c.location, resourceGroup: c.resourceGroup, clusterName: c.clusterName, acrName: c.acr.name };
  const stateDir = options.stateDir !== undefined ? resolve(io.cwd, options.stateDir) : defaultStateDir(io.env, target.stack);
  const repoRoot = deps.repoRoot ?? findRepoRoot();
  const runner = deps.runner ?? processRunner({ env: io.env });
  return { loaded, target, stateDir, configFile, repoRoot, runner };
}

/** $XDG_STATE_HOME/sealed/deploy/<stack> (default ~/.local/state): outside the repository, so a kubeconfig is never committed. */
export function defaultStateDir(env: Record<string, string | undefined>, stack: string): string {
  const xdg = env['XDG_STATE_HOME'];
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'sealed', 'deploy', stack);
  const home = env['HOME'] ?? homedir();
  if (!home || !isAbsolute(home)) throw new UsageError('deploy.badOption', { option: '--state-dir', value: '', expected: 'a folder (no HOME to put the default in)' });
  return join(home, '.local', 'state', 'sealed', 'deploy', stack);
}

/** The checkout this code runs from: the folder with the Dockerfile and deploy/azure (dist/app is inside it). */
export function findRepoRoot(start = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'Dockerfile')) && existsSync(join(dir, 'deploy', 'azure'))) return dir;
    if (dirname(dir) === dir) throw new UsageError('deploy.noCheckout', { from: start });
  }
}

/** What the Dockerfile's build context holds (.dockerignore allows only these). */
const IMAGE_SOURCES = ['package.json', 'package-lock.json', '.npmrc', 'bin', 'src', 'scripts/buildApp.mjs', 'Dockerfile', '.dockerignore'];

async function imageTag(p: Prepared): Promise<string> {
  const pkg = JSON.parse(readFileSync(join(p.repoRoot, 'package.json'), 'utf8')) as { version?: unknown };
  const version = typeof pkg.version === 'string' && /^[0-9A-Za-z.+-]{1,64}$/.test(pkg.version) ? pkg.version.replace(/\+/g, '_') : '0.0.0';
  const git = (args: string[]) => p.runner.run({ argv: ['git', '-C', p.repoRoot, ...args], timeoutMs: 60_000 });
  const head = await git(['rev-parse', '--short=12', 'HEAD']);
  const commit = head.stdout.trim();
  if (head.code !== 0 || !/^[0-9a-f]{7,40}$/.test(commit)) throw new UsageError('deploy.noCommit', { repo: p.repoRoot });
  // az acr build uploads the working tree: uncommitted changes to what the image holds get a tag of their
  // own (digest of the diff and of the untracked names), so an image is never reused for other sources.
  // Only the image's sources count: a Pulumi.<stack>.yaml that pulumi up leaves in deploy/azure does not.
  const status = await git(['status', '--porcelain', '--', ...IMAGE_SOURCES]);
  if (status.code === 0 && status.stdout.trim() === '') return `${version}-${commit}`;
  const diff = await git(['diff', 'HEAD', '--binary', '--', ...IMAGE_SOURCES]);
  const digest = createHash('sha256').update(status.stdout).update(diff.stdout).digest('hex').slice(0, 8);
  return `${version}-${commit}-dirty-${digest}`;
}

function fileDigest(path: string): string {
  return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'none';
}

function configDigest(config: unknown): string {
  return createHash('sha256').update(JSON.stringify(config)).digest('hex');
}

async function buildUp(options: UpOptions, io: DeployIo, deps: DeployDeps, p: Prepared) {
  for (const [option, value] of [['--manifests', options.manifests], ['--dex-user', options.dexUser], ['--dex-password-file', options.dexPasswordFile]] as const) {
    if (typeof value !== 'string' || value.length === 0) throw new UsageError('deploy.badOption', { option, value: '', expected: 'a value (up needs the Kubeflow checkout, the Dex user and its password file)' });
  }
  // The values that go into the overlay's YAML are checked by the overlay's own rules now, before any
  // command runs (plan included): an e-mail or domain carrying YAML or a newline stops here.
  validateEmail(options.dexUser);
  if (options.domain !== undefined) validateDomain(options.domain);
  if (options.issuer !== undefined) validateIssuer(options.issuer);
  // The password file is read and checked now, before anything touches Azure; only its hash is kept.
  // Loaded here, not at the top: down and the other commands never need the password module (and its word list).
  const read = deps.readPasswordFile ?? (async (path: string, email: string) => (await import('../password/passwordFile.ts')).readPasswordFile(path, { email }));
  const passwordFile = resolve(io.cwd, options.dexPasswordFile);
  const read_ = await read(passwordFile, options.dexUser);
  const { hash, fresh } = read_.from === 'plain' ? await reuseDexHash(p.stateDir, passwordFile, read_.hash) : { hash: read_.hash, fresh: false };
  const tag = await imageTag(p);
  const steps = upSteps({
    target: p.target,
    configFile: join(p.stateDir, 'config.json'),
    configDigest: configDigest(p.loaded.config),
    repoRoot: p.repoRoot,
    stateDir: p.stateDir,
    imageTag: tag,
    kubeflow: {
      manifests: resolve(io.cwd, options.manifests),
      dexUser: options.dexUser,
      passwordHash: hash,
      ...(options.domain !== undefined ? { domain: options.domain } : {}),
      ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
    },
    passwordDigest: createHash('sha256').update(hash).digest('hex'),
    programLockDigest: fileDigest(join(p.repoRoot, 'deploy', 'azure', 'package-lock.json')),
    render: deps.render ?? renderOverlay,
    ...(deps.timing ? { timing: deps.timing } : {}),
  });
  return { steps, tag, freshHash: fresh ? hash : undefined };
}

/** Where `up` keeps the bcrypt hash it made of a plain password (0600, like the kubeconfig next to it). */
export const DEX_HASH_FILE = 'dex.bcrypt';

/**
 * A plain password is hashed with a fresh salt on every read, so its hash (and the fingerprint of
 * the Kubeflow step) would change on every `up`: re-render, re-apply, restart Dex, re-issue the
 * certificate. The hash of an earlier `up` is reused while the password still matches it; only a
 * new password gives a new hash. (No fast digest of the plain password is ever kept or compared.)
 */
async function reuseDexHash(stateDir: string, passwordFile: string, freshHash: string): Promise<{ hash: string; fresh: boolean }> {
  const stored = await readFile(join(stateDir, DEX_HASH_FILE), 'utf8').then((t) => t.trim(), () => undefined);
  if (stored === undefined) return { hash: freshHash, fresh: true };
  const { looksLikeBcrypt, passwordMatches } = await import('../password/bcryptHash.ts');
  const { decodeUtf8, oneLine } = await import('../password/passwordFile.ts');
  if (!looksLikeBcrypt(stored)) return { hash: freshHash, fresh: true };
  // The file was checked (owner, mode, no symlink, size) and its password passed the policy a moment ago.
  const bytes = await readFile(passwordFile);
  let plain: string;
  try {
    plain = oneLine(decodeUtf8(bytes, passwordFile), passwordFile);
  } finally {
    bytes.fill(0);
  }
  return (await passwordMatches(plain, stored)) ? { hash: stored, fresh: false } : { hash: freshHash, fresh: true };
}

function resumeCommand(what: 'up' | 'down', options: UpOptions | DeployOptions): string {
  const argv = ['sealed', 'deploy', what, '--config', options.config];
  if (options.stateDir !== undefined) argv.push('--state-dir', options.stateDir);
  if ('manifests' in options) {
    argv.push('--manifests', options.manifests, '--dex-user', options.dexUser, '--dex-password-file', options.dexPasswordFile);
    if (options.domain !== undefined) argv.push('--domain', options.domain);
    if (options.issuer !== undefined) argv.push('--issuer', options.issuer);
  }
  argv.push('--yes');
  return showArgv(argv);
}

export async function deployPlanCommand(options: UpOptions, io: DeployIo, deps: DeployDeps = {}): Promise<number> {
  const p = await prepare(options, io, deps);
  const { steps } = await buildUp(options, io, deps, p);
  // plan writes nothing: a missing state folder is an empty state.
  const state = existsSync(p.stateDir) ? (await openStateDir(p.stateDir), await readState(p.stateDir)) : emptyState();
  io.stdout.write(formatPlan({ what: `sealed deploy up, stack ${p.target.stack}`, stateDir: p.stateDir, configFile: p.configFile, config: flattenConfig(p.loaded.config), warnings: p.loaded.warnings.map((w) => `${w.field}: ${w.message}`) }, steps, state));
  return 0;
}

export async function deployUpCommand(options: UpOptions, io: DeployIo, deps: DeployDeps = {}): Promise<number> {
  const p = await prepare(options, io, deps);
  const { steps, tag, freshHash } = await buildUp(options, io, deps, p);
  for (const w of p.loaded.warnings) io.stderr.write(`warning: ${w.field}: ${w.message}\n`);
  await confirm(deps, options.yes === true, `Create or update the Azure resources of stack ${p.target.stack} in ${p.target.location} (they cost money while they exist)? Type yes: `, 'yes');
  await openStateDir(p.stateDir);
  const release = await lockStateDir(p.stateDir);
  let result: Awaited<ReturnType<typeof executeSteps>>;
  try {
    // The Pulumi program reads the configuration we validated (0600: it names the subscription's resources).
    await writeFileAtomic(join(p.stateDir, 'config.json'), JSON.stringify(p.loaded.config, null, 2) + '\n', { mode: 0o600 });
    // The hash a later up reuses while the password is unchanged (0600: it can be attacked offline).
    if (freshHash !== undefined) await writeFileAtomic(join(p.stateDir, DEX_HASH_FILE), freshHash + '\n', { mode: 0o600 });
    result = await executeSteps({
      steps,
      stateDir: p.stateDir,
      runner: p.runner,
      progress: (line) => void io.stderr.write(printable(line) + '\n'),
      resume: resumeCommand('up', options),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(deps.now ? { now: deps.now } : {}),
    });
  } finally {
    await release();
  }
  const host = options.domain ?? result.outputs['address']?.['ip'] ?? '<load balancer IP>';
  // The login server as Pulumi reported it (recorded in the state), else ACR's public-cloud form.
  const loginServer = result.outputs['infrastructure']?.['acrLoginServer'] ?? `${p.target.acrName.toLowerCase()}.azurecr.io`;
  const image = `${loginServer}/${IMAGE_REPOSITORY}:${tag}`;
  const kubeconfig = join(p.stateDir, 'kubeconfig');
  const caFile = result.outputs['certificate']?.['caFile'];
  io.stdout.write(
    [
      `Kubeflow dashboard: https://${host}/  (log in as ${options.dexUser})`,
      `Cluster credentials: ${kubeconfig}  (kubectl --kubeconfig ${kubeconfig} ...)`,
      `TLS: certificate ${CERTIFICATE.namespace}/${CERTIFICATE.name} from issuer ${options.issuer ?? 'kubeflow-self-signing-issuer'}`,
      'Run the loan-default pipeline on the cluster:',
      `  sealed compile --output loan-default.yaml --image ${image}`,
      `  sealed submit loan-default.yaml --host https://${host}/pipeline --namespace kubeflow-user-example-com --cookie-file COOKIE_FILE${caFile ? ` --ca-file ${caFile}` : ''}`,
      '  (COOKIE_FILE: the oauth2_proxy_kubeflow cookie of a browser session, as name=value, mode 600)',
    ]
      // Paths and names are the user's: no control character reaches the terminal as is.
      .map(printable)
      .join('\n') + '\n',
  );
  return 0;
}

export async function deployDownCommand(options: DeployOptions, io: DeployIo, deps: DeployDeps = {}): Promise<number> {
  const p = await prepare(options, io, deps);
  const steps = downSteps(p.target, p.repoRoot);
  await confirm(deps, options.yes === true, `Delete resource group ${p.target.resourceGroup}, cluster ${p.target.clusterName} and registry ${p.target.acrName} with everything in them? Type the cluster name to confirm: `, p.target.clusterName);
  await openStateDir(p.stateDir);
  const release = await lockStateDir(p.stateDir);
  try {
    await executeSteps({ steps, stateDir: p.stateDir, runner: p.runner, progress: (line) => void io.stderr.write(printable(line) + '\n'), resume: resumeCommand('down', options) });
    // The cluster is gone: its credentials and the record of finished steps go too (a later up starts afresh).
    for (const f of ['state.json', 'kubeconfig', 'config.json', 'ingress-ca.crt', DEX_HASH_FILE]) await rm(join(p.stateDir, f), { force: true });
  } finally {
    await release();
  }
  io.stdout.write(`Deleted the resources of stack ${p.target.stack}.\n`);
  return 0;
}

async function confirm(deps: DeployDeps, yes: boolean, question: string, expected: string): Promise<void> {
  if (yes) return;
  const answer = deps.confirm ? await deps.confirm(question) : undefined;
  if (answer === undefined) throw new UsageError('deploy.needsYes', {});
  if (answer.trim() !== expected) throw new UsageError('deploy.notConfirmed', {});
}
