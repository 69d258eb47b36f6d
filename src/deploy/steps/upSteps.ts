// The steps of `sealed deploy up` and `down`, as data. Every value in a command comes from the
// validated configuration or from an earlier step; nothing secret is ever an argument (the Dex
// password hash goes into the overlay's 0600 files, which `kubectl apply` reads from its stdin pipe).
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError, writeFileAtomic } from '../../core/index.ts';
import { PULUMI_CONFIG_FILE_KEY, PULUMI_CONFIG_NAMESPACE } from '../config/index.ts';
import { checkTools } from './tools.ts';
import { applyWithRetry, certificateReady, DEFAULT_KUBEFLOW_TIMING, loadBalancerIp, waitForPods, type KubeflowTiming } from './kubeflow.ts';
import type { Step, StepCommand } from './types.ts';

/** Where the deploy points; every field validated before any step is built. */
export interface DeployTarget {
  stack: string;
  location: string;
  resourceGroup: string;
  clusterName: string;
  acrName: string;
}

export interface KubeflowInputs {
  manifests: string;
  dexUser: string;
  /** bcrypt hash (already checked by the password module); only its digest reaches the state file. */
  passwordHash: string;
  domain?: string;
  /** The load balancer IP is learnt during `up` when no domain is given. */
  issuer?: string;
}

export interface RenderRequest {
  manifests: string;
  out: string;
  dexUser: string;
  passwordHash: string;
  ip?: string;
  domain?: string;
  issuer?: string;
}

export interface UpInputs {
  target: DeployTarget;
  /** The validated configuration, written by us (0600) in the state folder, that the Pulumi program reads. */
  configFile: string;
  /** sha256 of the validated configuration: a change reruns `pulumi up`. */
  configDigest: string;
  repoRoot: string;
  stateDir: string;
  imageTag: string;
  kubeflow: KubeflowInputs;
  passwordDigest: string;
  /** sha256 of deploy/azure/package-lock.json ('none' without one). */
  programLockDigest: string;
  render: (request: RenderRequest) => Promise<unknown>;
  timing?: KubeflowTiming;
}

const PEM_CERTIFICATE = /^-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*$/;

export const IMAGE_REPOSITORY = 'sealed-pipelines';
export const CERTIFICATE = { name: 'istio-ingressgateway-certs', namespace: 'istio-system' } as const;
/** A name that never resolves (RFC 2606 `.invalid`): the overlay's first certificate, replaced once the load balancer has its IP. */
export const PROVISIONAL_DOMAIN = 'kubeflow.invalid';
/** `pulumi up --config sealed:configFile=...`: how the program (deploy/azure) finds the validated configuration (src/deploy/config/pulumiContract.ts). */
export const PULUMI_CONFIG_FILE = `${PULUMI_CONFIG_NAMESPACE}:${PULUMI_CONFIG_FILE_KEY}`;

export function upSteps(inp: UpInputs): Step[] {
  const t = inp.target;
  const program = join(inp.repoRoot, 'deploy', 'azure');
  const kubeconfig = join(inp.stateDir, 'kubeconfig');
  const overlay = join(inp.stateDir, 'overlay');
  const kc = ['--kubeconfig', kubeconfig];
  const timing = inp.timing ?? DEFAULT_KUBEFLOW_TIMING;
  const pulumi = (...args: string[]): string[] => ['pulumi', ...args, '--stack', t.stack, '--cwd', program, '--non-interactive'];
  const image = `${IMAGE_REPOSITORY}:${inp.imageTag}`;
  const loginServer = `${t.acrName.toLowerCase()}.azurecr.io`;
  const apply: StepCommand = { pipe: [['kubectl', 'kustomize', overlay], ['kubectl', ...kc, 'apply', '--server-side', '--force-conflicts', '-f', '-']], timeoutMs: 10 * 60_000 };
  const kf = inp.kubeflow;
  // What recreates the cluster (and so its credentials, load balancer and Kubeflow): a node count does not.
  const cluster = `${t.location}/${t.resourceGroup}/${t.clusterName}`;
  const renderShown = { manifests: kf.manifests, out: overlay, 'dex user': kf.dexUser, 'dex password': '<redacted>', issuer: kf.issuer ?? 'kubeflow-self-signing-issuer' };
  const render = (where: { ip: string } | { domain: string }): Promise<unknown> =>
    inp.render({ manifests: kf.manifests, out: overlay, dexUser: kf.dexUser, passwordHash: kf.passwordHash, ...where, ...(kf.issuer !== undefined ? { issuer: kf.issuer } : {}) });

  const stackCmd: StepCommand = { argv: pulumi('stack', 'select', '--create') };
  const upCmd: StepCommand = { argv: pulumi('up', '--yes', '--skip-preview', '--config', `${PULUMI_CONFIG_FILE}=${inp.configFile}`), timeoutMs: 90 * 60_000 };
  const outputCmd: StepCommand = { argv: pulumi('stack', 'output', '--json') };
  const credsCmd: StepCommand = { argv: ['az', 'aks', 'get-credentials', '--resource-group', t.resourceGroup, '--name', t.clusterName, '--file', kubeconfig, '--overwrite-existing', '--only-show-errors'] };
  const tagsCmd: StepCommand = { argv: ['az', 'acr', 'repository', 'show-tags', '--name', t.acrName, '--repository', IMAGE_REPOSITORY, '--output', 'json'] };
  const buildCmd: StepCommand = { argv: ['az', 'acr', 'build', '--registry', t.acrName, '--image', image, '--file', join(inp.repoRoot, 'Dockerfile'), inp.repoRoot], timeoutMs: 60 * 60_000 };
  const podsCmd: StepCommand = { argv: ['kubectl', ...kc, 'get', 'pods', '--all-namespaces', '--output', 'json'] };
  // Pods are polled for progress; then every Deployment must be Available, so a moment when the
  // ReplicaSets have not made their pods yet cannot pass for "all ready".
  const deploymentsCmd: StepCommand = { argv: ['kubectl', ...kc, 'wait', '--for=condition=Available', 'deployment', '--all', '--all-namespaces', `--timeout=${Math.round(timing.podsMs / 1000)}s`], timeoutMs: timing.podsMs + 60_000 };
  const serviceCmd: StepCommand = { argv: ['kubectl', ...kc, 'get', 'service', 'istio-ingressgateway', '--namespace', 'istio-system', '--output', 'json'] };
  const deleteCertCmd: StepCommand = { argv: ['kubectl', ...kc, 'delete', 'certificate', CERTIFICATE.name, '--namespace', CERTIFICATE.namespace, '--ignore-not-found'] };
  const deleteSecretCmd: StepCommand = { argv: ['kubectl', ...kc, 'delete', 'secret', CERTIFICATE.name, '--namespace', CERTIFICATE.namespace, '--ignore-not-found'] };
  // Only the CA certificate of the secret (jsonpath): its private key never passes through this process.
  const caCmd: StepCommand = { argv: ['kubectl', ...kc, 'get', 'secret', CERTIFICATE.name, '--namespace', CERTIFICATE.namespace, '--output=jsonpath={.data.ca\\.crt}'] };
  const caFile = join(inp.stateDir, 'ingress-ca.crt');
  const waitCertCmd: StepCommand = { argv: ['kubectl', ...kc, 'wait', '--for=condition=Ready', `certificate/${CERTIFICATE.name}`, '--namespace', CERTIFICATE.namespace, `--timeout=${Math.round(timing.certificateMs / 1000)}s`], timeoutMs: timing.certificateMs + 60_000 };

  return [
    {
      id: 'tools',
      title: 'Check az, pulumi and kubectl',
      always: true,
      commands: [
        { argv: ['az', 'version', '--output', 'json'] },
        { argv: ['pulumi', 'version'] },
        { argv: ['kubectl', 'version', '--client', '--output', 'json'] },
      ],
      run: async (ctx) => checkTools(ctx),
    },
    {
      id: 'overlay',
      title: 'Render the Kubeflow overlay',
      commands: [],
      applies: { ...renderShown, [kf.domain !== undefined ? 'domain' : 'certificate for']: kf.domain ?? `${PROVISIONAL_DOMAIN} until the load balancer IP is known` },
      // A local step, first after the tool check: a bad email, domain or checkout stops the deploy before Azure is touched.
      inputs: { manifests: kf.manifests, dexUser: kf.dexUser, password: inp.passwordDigest, domain: kf.domain ?? '', issuer: kf.issuer ?? '' },
      run: async () => void (await render({ domain: kf.domain ?? PROVISIONAL_DOMAIN })),
    },
    {
      id: 'login',
      title: 'Check the Azure and Pulumi logins',
      always: true,
      commands: [{ argv: ['az', 'account', 'show', '--output', 'json'] }, { argv: ['pulumi', 'whoami', '--non-interactive'] }],
      run: async (ctx) => {
        const account = await ctx.probe({ argv: ['az', 'account', 'show', '--output', 'json'] });
        if (account.code !== 0) throw new UsageError('deploy.notLoggedIn', { tool: 'az', fix: 'az login (then az account set --subscription ID)' });
        const a = parseObject(account.stdout) as { id?: unknown; name?: unknown; state?: unknown };
        if (typeof a.id !== 'string') throw new UsageError('deploy.badOutput', { command: 'az account show', reason: "no subscription 'id'" });
        if (a.state !== undefined && a.state !== 'Enabled') throw new UsageError('deploy.notLoggedIn', { tool: 'az', fix: `subscription ${a.id} is ${String(a.state)}; pick an enabled one with az account set` });
        const who = await ctx.probe({ argv: ['pulumi', 'whoami', '--non-interactive'] });
        if (who.code !== 0) throw new UsageError('deploy.notLoggedIn', { tool: 'pulumi', fix: 'pulumi login (or pulumi login --local with PULUMI_CONFIG_PASSPHRASE set)' });
        ctx.progress(`  subscription ${a.id}${typeof a.name === 'string' ? ` (${a.name})` : ''}`);
        return { subscription: a.id };
      },
    },
    {
      id: 'program',
      title: 'Install the Pulumi program dependencies',
      commands: [{ argv: ['npm', 'ci', '--prefix', program, '--no-audit', '--no-fund'], timeoutMs: 20 * 60_000 }],
      // An updated deploy/azure/package-lock.json installs again.
      inputs: { lock: inp.programLockDigest },
      run: async (ctx) => void (await ctx.exec({ argv: ['npm', 'ci', '--prefix', program, '--no-audit', '--no-fund'], timeoutMs: 20 * 60_000 })),
    },
    {
      id: 'infrastructure',
      title: 'Create the resource group, AKS cluster, node pools and registry (pulumi up)',
      commands: [stackCmd, upCmd, outputCmd],
      applies: { configuration: `the one above, as validated (copy read by the program: ${inp.configFile})` },
      inputs: { config: inp.configDigest },
      run: async (ctx) => {
        await ctx.exec(stackCmd);
        await ctx.exec(upCmd);
        const out = await ctx.exec(outputCmd);
        // `pulumi stack output --json` prints the stack's outputs as one JSON object (secrets as "[secret]").
        const outputs = parseObject(out.stdout);
        return Object.fromEntries(Object.entries(outputs).filter((e): e is [string, string] => typeof e[1] === 'string'));
      },
    },
    {
      id: 'credentials',
      title: 'Get the cluster credentials (kubeconfig, mode 600, in the state folder)',
      commands: [credsCmd],
      inputs: { cluster },
      run: async (ctx) => {
        await ctx.exec(credsCmd);
        // az writes the file with the process umask; it is an admin credential.
        await chmod(kubeconfig, 0o600);
      },
    },
    {
      id: 'image',
      title: `Build and push the pipeline image ${loginServer}/${image} (az acr build, no local Docker)`,
      commands: [tagsCmd, buildCmd],
      check: async (ctx) => {
        const r = await ctx.probe(tagsCmd);
        if (r.code !== 0) return false;
        const tags: unknown = safeJson(r.stdout);
        return Array.isArray(tags) && tags.includes(inp.imageTag);
      },
      run: async (ctx) => {
        await ctx.exec(buildCmd);
        return { image: `${loginServer}/${image}` };
      },
    },
    {
      id: 'kubeflow',
      title: 'Apply Kubeflow (kubectl kustomize | kubectl apply --server-side, retried while its CRDs register)',
      commands: [apply],
      applies: { attempts: String(timing.applyAttempts), 'delay between attempts': `${timing.applyDelayMs / 1000} s` },
      inputs: { cluster, overlay: JSON.stringify({ ...renderShown, password: inp.passwordDigest, domain: kf.domain ?? '' }) },
      run: async (ctx) => void (await applyWithRetry(ctx, apply, timing)),
    },
    {
      id: 'pods',
      title: 'Wait for every pod to be ready',
      commands: [podsCmd, deploymentsCmd],
      applies: { timeout: `${timing.podsMs / 1000} s` },
      inputs: { cluster, overlay: JSON.stringify({ ...renderShown, password: inp.passwordDigest }) },
      run: async (ctx) => {
        await waitForPods(ctx, podsCmd, timing);
        await ctx.exec(deploymentsCmd);
      },
    },
    {
      id: 'address',
      title: 'Read the load balancer IP of istio-ingressgateway',
      commands: [serviceCmd],
      inputs: { cluster },
      run: async (ctx) => ({ ip: await loadBalancerIp(ctx, serviceCmd, timing) }),
    },
    {
      id: 'certificate',
      title: `Issue the TLS certificate ${CERTIFICATE.namespace}/${CERTIFICATE.name}`,
      commands: kf.domain !== undefined ? [deleteCertCmd, apply, waitCertCmd, caCmd] : [deleteCertCmd, deleteSecretCmd, apply, waitCertCmd, caCmd],
      applies: kf.domain !== undefined ? { 'dns name': kf.domain } : { 'ip address': '<load balancer IP>' },
      inputs: { cluster, overlay: JSON.stringify({ ...renderShown, password: inp.passwordDigest, domain: kf.domain ?? '' }) },
      run: async (ctx): Promise<Record<string, string>> => {
        if (kf.domain === undefined) {
          // The first certificate named the provisional domain: render for the IP now, and remove the old
          // certificate and its secret so that `Ready` below is the new certificate's, not the old one's.
          const ip = ctx.outputs['address']?.['ip'];
          if (ip === undefined) throw new UsageError('deploy.badOutput', { command: 'address step', reason: 'no load balancer IP recorded' });
          await render({ ip });
          await ctx.exec(deleteCertCmd);
          await ctx.exec(deleteSecretCmd);
          await applyWithRetry(ctx, apply, timing);
        } else {
          // The Kubeflow step applied the certificate for the name, but an older one may still say Ready
          // (cert-manager has not looked at the new spec yet). A re-created Certificate has no condition
          // until cert-manager decides, so the wait below sees its verdict. The secret stays: a public
          // issuer's certificate that still fits is kept (no rate-limited re-issue, no HTTPS outage).
          await ctx.exec(deleteCertCmd);
          await applyWithRetry(ctx, apply, timing);
        }
        await certificateReady(ctx, waitCertCmd);
        // A self-signed issuer's ca.crt is what `sealed submit --ca-file` must trust; a public issuer may leave it empty.
        const ca = await ctx.probe(caCmd);
        const pem = ca.code === 0 ? Buffer.from(ca.stdout.trim(), 'base64').toString('utf8') : '';
        if (!PEM_CERTIFICATE.test(pem)) return {};
        await writeFileAtomic(caFile, pem, { mode: 0o644 });
        return { caFile };
      },
    },
  ];
}

export function downSteps(target: DeployTarget, repoRoot: string): Step[] {
  const program = join(repoRoot, 'deploy', 'azure');
  const destroy: StepCommand = { argv: ['pulumi', 'destroy', '--yes', '--skip-preview', '--stack', target.stack, '--cwd', program, '--non-interactive'], timeoutMs: 90 * 60_000 };
  return [
    {
      id: 'tools',
      title: 'Check az, pulumi and kubectl',
      always: true,
      commands: [{ argv: ['az', 'version', '--output', 'json'] }, { argv: ['pulumi', 'version'] }, { argv: ['kubectl', 'version', '--client', '--output', 'json'] }],
      run: async (ctx) => checkTools(ctx),
    },
    {
      id: 'destroy',
      title: `Delete every resource of stack ${target.stack} (pulumi destroy)`,
      always: true,
      commands: [destroy],
      applies: { 'resource group': target.resourceGroup, cluster: target.clusterName, registry: target.acrName },
      run: async (ctx) => void (await ctx.exec(destroy)),
    },
  ];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseObject(text: string): Record<string, unknown> {
  const v = safeJson(text);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UsageError('deploy.badOutput', { command: 'a tool', reason: 'expected one JSON object' });
  return v as Record<string, unknown>;
}
