// `sealed deploy ...`: AKS with confidential-computing nodes and a hardened Kubeflow (issue 18).
//   hash-password [--out FILE] [--email EMAIL]   bcrypt hash of a new Dex password (asked without echo)
//   render --manifests DIR --out DIR [--base DIR] --dex-user EMAIL --dex-password-file FILE [--ip A | --domain N] [--issuer NAME]
//   plan|up --config FILE --manifests DIR --dex-user EMAIL --dex-password-file FILE [--domain N] [--issuer NAME] [--state-dir DIR] [--yes]
//   down --config FILE [--state-dir DIR] [--yes]
//   cost --config FILE [--currency USD] [--json]   hourly cost from the Azure Retail Prices API
// Registering loads none of the deploy code (lazyCommand.ts): `sealed --version` stays fast.
import type { Command } from 'commander';
import type { CliIo } from '../io.ts';
import { lazy } from '../lazyCommand.ts';

const steps = () => import('../../deploy/steps/commands.ts');
const deployPlanCommand = lazy(steps, 'deployPlanCommand');
const deployUpCommand = lazy(steps, 'deployUpCommand');
const deployDownCommand = lazy(steps, 'deployDownCommand');
const deployRenderCommand = lazy(() => import('../../deploy/steps/renderCommand.ts'), 'deployRenderCommand');
const hashPasswordCommand = lazy(() => import('../../deploy/password/index.ts'), 'hashPasswordCommand');
const deployCostCommand = lazy(() => import('../../deploy/cost/command.ts'), 'deployCostCommand');
const terminalConfirm = lazy(() => import('./deployConfirm.ts'), 'terminalConfirm');

export function registerDeployCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const deploy = program.command('deploy').description('AKS with confidential-computing nodes and a hardened Kubeflow: password hash, overlay, plan, up, down');
  deploy
    .command('hash-password')
    .description('bcrypt hash ($2y$, cost 12) of a new Dex password, asked twice without echo (or one line of stdin)')
    .option('--out <file>', 'write the hash here (mode 600) instead of to stdout')
    .option('--email <email>', 'the Dex user: a password containing its name part is refused')
    .action(async (options: { out?: string; email?: string }) => {
      await hashPasswordCommand({ stdin: process.stdin, stdout: io.stdout, stderr: io.stderr, cwd: io.cwd }, options);
      setExit(0);
    });
  deploy
    .command('render')
    .description("write a kustomize overlay for a kubeflow/manifests checkout that replaces the tutorial's hand edits")
    .requiredOption('--manifests <dir>', 'your kubeflow/manifests checkout (its release is detected from its folders)')
    .requiredOption('--out <dir>', 'overlay folder to write (new, or an overlay written before; not inside the checkout)')
    .option('--base <dir>', 'kustomization the overlay builds on (default <manifests>/example; e.g. one listing only some components)')
    .requiredOption('--dex-user <email>', 'the Dex login, replacing user@example.com')
    .requiredOption('--dex-password-file <file>', 'mode 600 file with the password or its bcrypt hash (sealed deploy hash-password --out)')
    .option('--ip <address>', 'the load balancer IP the gateway certificate is for')
    .option('--domain <name>', 'the DNS name the gateway certificate is for')
    .option('--issuer <name>', 'cert-manager ClusterIssuer (default kubeflow-self-signing-issuer)')
    .action(async (options) => setExit(await deployRenderCommand(options, io)));
  const upOptions = (c: Command): Command =>
    c
      .requiredOption('--config <file>', 'deploy configuration, YAML or JSON (location, resourceGroup, clusterName, acr, pools)')
      .requiredOption('--manifests <dir>', 'your kubeflow/manifests checkout')
      .requiredOption('--dex-user <email>', 'the Dex login, replacing user@example.com')
      .requiredOption('--dex-password-file <file>', 'mode 600 file with the password or its bcrypt hash')
      .option('--domain <name>', 'DNS name of the dashboard (default: a certificate for the load balancer IP)')
      .option('--issuer <name>', 'cert-manager ClusterIssuer (default kubeflow-self-signing-issuer)')
      .option('--state-dir <dir>', 'state folder: finished steps, kubeconfig (default ~/.local/state/sealed/deploy/<cluster>)');
  upOptions(deploy.command('plan').description('print every step of up with its exact commands and configuration; runs nothing')).action(async (options) =>
    setExit(await deployPlanCommand(options, io)),
  );
  upOptions(deploy.command('up').description('create or update the cluster, registry, image and Kubeflow; resumes where a failed run stopped'))
    .option('--yes', 'do not ask before creating billable resources')
    .action(async (options) => setExit(await deployUpCommand(options, io, { confirm: terminalConfirm })));
  deploy
    .command('down')
    .description('delete every resource of the stack (pulumi destroy); asks first unless --yes')
    .requiredOption('--config <file>', 'the deploy configuration used for up')
    .option('--state-dir <dir>', 'state folder of up')
    .option('--yes', 'do not ask for confirmation')
    .action(async (options) => setExit(await deployDownCommand(options, io, { confirm: terminalConfirm })));
  deploy
    .command('cost')
    .description("hourly cost of the configuration's pools, registry, load balancer and IPs from the Azure Retail Prices API (no login)")
    .requiredOption('--config <file>', 'deploy configuration, YAML or JSON (its location, sizes and counts are priced)')
    .option('--currency <code>', 'ISO 4217 currency code (USD is the reference; others are for estimates)', 'USD')
    .option('--json', 'print the figures as one JSON object')
    .action(async (options) => setExit(await deployCostCommand(options, io)));
}
