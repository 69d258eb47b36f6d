// The `sealed` command. bin/sealed calls main(argv) and exits with the number it returns:
// 0 success, 2 usage errors, 1 anything else. Errors print as one line `sealed: <message>`
// on stderr (with the stack only with --debug or SEALED_DEBUG=1); results go to stdout, progress to stderr.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { excerpt } from '../core/index.ts';
import { defaultIo, type CliIo, type MainDeps } from './io.ts';
import { OPTION_LIMITS, parseInteger } from './parseOptions.ts';
import { reportError, reportLine } from './reportError.ts';
import type { PipelineCatalog } from './pipelineCatalog.ts';
import type { ComponentHelpSource } from './componentHelp.ts';
import type { UnsealOptions } from './commands/unseal.ts';
import { registerGbdtCommands } from './commands/gbdt.ts';
import { registerKfpCommands } from './commands/kfp.ts';
import { registerKeysCommands } from './commands/keys.ts';
import { registerEnclaveCommands } from './commands/enclave.ts';
import { registerVerifyCommand } from './commands/verify.ts';
import { registerDeployCommands } from './commands/deploy.ts';

export type { MainDeps } from './io.ts';

export async function main(argv: string[], deps: MainDeps = {}): Promise<number> {
  const io = defaultIo(deps);
  // Commands and the pipeline catalog load when a command runs, not at every start (issue 17: start-up):
  // `sealed --version` or `--help` should not load the pipeline, the servers and the cloud SDKs.
  const catalog = deps.catalog ?? (async () => (await import('./pipelineCatalog.ts')).defaultCatalog());
  // `sealed component --help` of the default catalog comes from the build, without loading the components.
  const componentHelp = deps.catalog ? undefined : async () => (await import('./componentHelp.ts')).builtComponentHelp();
  const { signal, release } = cancellation(deps.signal);
  let exitCode = 0;
  const program = buildProgram(io, catalog, componentHelp, signal, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return commanderExit(e, io);
    return reportError(e, io);
  } finally {
    release();
  }
}

function buildProgram(io: CliIo, catalog: PipelineCatalog, componentHelp: ComponentHelpSource | undefined, signal: AbortSignal, setExit: (code: number) => void): Command {
  const program = new Command('sealed')
    .description('Secure, accelerated ML pipelines: run locally, compile to Kubeflow Pipelines v2.')
    .version(packageVersion(), '-V, --version')
    .option('--debug', 'show stack traces of errors, on stderr and in task logs (same as SEALED_DEBUG=1)')
    // Program options count only before the command name, so a command may have its own
    // --version (`sealed submit --version NAME` names a pipeline version).
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s), outputError: () => {} });
  // --debug (before the command, or after `run`) is passed on as SEALED_DEBUG=1, which reportError and the runner read.
  program.hook('preAction', (self, action) => {
    if (self.opts().debug === true || action.opts().debug === true) io.env = { ...io.env, SEALED_DEBUG: '1' };
  });

  program
    .command('run')
    .description('run the pipeline locally and print where the results are')
    .option('--data-url <url-or-path>', 'CSV to load (URL or local path)')
    .option('--data-root <dir>', 'read local data only from under this folder (repeatable; default: any local path)', (v: string, previous: string[] = []) => [...previous, v])
    .option('--allow-private-networks', 'let --data-url reach loopback, private and link-local addresses (refused by default)')
    .option('--data-size <n>', 'rows after augmentation', (v) => parseInteger('--data-size', v, { min: 0 }))
    .option('--seed <n>', 'random seed', (v) => parseInteger('--seed', v, OPTION_LIMITS.seed))
    .option('--split <kind>', 'train/test split: random or grouped')
    .option('--run-dir <dir>', 'folder for this run (default runs/<run id>)')
    .option('--threads <n>', 'worker threads (default: number of cores)', (v) => parseInteger('--threads', v, OPTION_LIMITS.threads))
    .option('--explain', 'add the top 3 reasons (TreeSHAP, raw applicant fields) to every prediction')
    .option('--artifact-format <format>', 'file format of the data artifacts between steps: csv or parquet')
    .option('--init-model <path>', 'XGBoost JSON or UBJSON model that training continues (pipeline input init_model)')
    .option('--resume <dir>', 'continue the interrupted or failed run in DIR from its first task whose outputs are missing or fail their sha256, with its recorded parameters')
    .option('--seal', 'seal every artifact (AES-256-GCM, a fresh key per artifact, bound to run/task/name/type) and sign the run manifest; needs --keys')
    .option('--keys <dir>', 'key folder for --seal (sealed keys init --out DIR)')
    .option('--store <url>', 'keep the run in object storage: s3://bucket/prefix or az://container/prefix (run under <prefix>/<run id>; credentials from the environment only)')
    .option('--s3-endpoint <url>', 'S3-compatible server for --store s3://... (e.g. MinIO); default AWS')
    .option('--json', 'end stdout with one JSON line {"runDir","state","metrics"}')
    .option('--debug', 'stack traces of errors on stderr and in task logs (same as sealed --debug run)')
    .action(async (options) => setExit(await (await import('./commands/run.ts')).runCommand(options, io, catalog, signal)));

  const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
  program
    .command('compile')
    .description('compile the pipeline to a Kubeflow Pipelines v2 YAML file (IR + Kubernetes platform config)')
    .requiredOption('--output <pipeline.yaml>', 'file to write')
    .option('--pipeline <name>', 'pipeline to compile (default: loan-default)')
    .option('--image <ref>', 'container image of every task, from a registry the cluster pulls from (required)')
    .option('--kfp-version <version>', 'Kubeflow Pipelines release the file is for: fields and options it cannot take are refused (default 2.0.5)')
    .option('--input-artifact <name=uri>', 'import a run input artifact from minio://, s3:// or gs:// (e.g. init_model=...), repeatable', collect)
    .option('--display-name <text>', 'pipelineInfo.displayName')
    .option('--artifact-format <format>', "default of the run parameter artifact_format: csv or parquet (the data artifacts' file format)")
    .option('--node-selector <key=value|none>', 'pod node selector, repeatable (loan-default: intelvm=sgx); none removes it', collect)
    .option('--toleration <key=value:Effect>', 'pod toleration (key:Effect for operator Exists), repeatable', collect)
    .option('--epc <quantity>', 'SGX enclave page cache per task (sgx.intel.com/epc), e.g. 64Mi')
    .option('--cpu-request <quantity>', 'CPU request, e.g. 500m')
    .option('--cpu-limit <quantity>', 'CPU limit, e.g. 2')
    .option('--memory-request <quantity>', 'memory request, e.g. 2Gi')
    .option('--memory-limit <quantity>', 'memory limit, e.g. 4Gi')
    .option('--pod-label <key=value>', 'pod label, repeatable', collect)
    .option('--pod-annotation <key=value>', 'pod annotation, repeatable', collect)
    .option('--secret-env <secret:key=ENV>', 'a Kubernetes secret key as an environment variable, repeatable', collect)
    .option('--image-pull-secret <name>', 'image pull secret, repeatable', collect)
    .option('--deadline <seconds>', 'pod activeDeadlineSeconds')
    .option('--retries <n>', 'retries of a failed task')
    .option('--no-cache', 'turn KFP execution caching off for every task')
    .option('--deploy-config <file>', 'per-task options, JSON or YAML: {"all": {...}, "tasks": {"train-model": {...}}}')
    .option('--enclave <gramine|none>', 'run every task in an SGX enclave (image from Dockerfile.sgx; needs --epc)')
    .option('--seal-keys-secret <name>', 'sealed run with the key folder in this Kubernetes secret (kek.key, signing.key, signing.pub)')
    .option('--seal-provider <name>', 'sealed run: local, azure-keyvault or azure-skr')
    .option('--keyvault-key-id <url>', 'versioned Key Vault key id (azure-keyvault, azure-skr)')
    .option('--maa-endpoint <url>', 'Azure Attestation instance (azure-skr)')
    .option('--attestation-policy-configmap <name>', 'config map holding policy.json from sealed enclave policy (azure-skr)')
    .action(async (options) => setExit(await (await import('./commands/compile.ts')).compileCommand(options, io, catalog)));

  program
    .command('component')
    .description('run one component: sealed component <component> --<key>=<path-or-value> ...')
    .argument('[component]', 'component name')
    .argument('[options...]', 'every input, output and parameter as --<key>=<value>')
    .allowUnknownOption()
    .allowExcessArguments()
    .helpOption(false)
    .action(async (name: string | undefined, tokens: string[]) => setExit(await (await import('./commands/component.ts')).componentCommand(name, tokens, io, catalog, signal, componentHelp)));

  registerGbdtCommands(program, io, signal, setExit);
  registerKfpCommands(program, io, signal, setExit);
  registerKeysCommands(program, io, setExit);

  program
    .command('unseal')
    .description('write the plaintext of one sealed artifact (checked against its run.json when it is in a run folder)')
    .argument('<file>', 'a sealed artifact file')
    .requiredOption('--keys <dir>', 'the key folder the run was sealed with')
    .requiredOption('--out <file>', 'where the plaintext goes (mode 600; must not exist)')
    .action(async (file: string, options: UnsealOptions) => setExit(await (await import('./commands/unseal.ts')).unsealCommand(file, options, io)));
  registerEnclaveCommands(program, io, setExit);
  registerDeployCommands(program, io, setExit);
  registerVerifyCommand(program, io, setExit, {
    unsealerFor: async (dir, run) => (await import('./sealing.ts')).unsealerFor(dir, run),
    openRun: async (run, cliIo, options) => (await import('./sealing.ts')).openRunForVerify(run, cliIo, options),
  });

  program
    .command('serve')
    .description('HTTP JSON scoring service: POST /v1/score (raw applicant records), GET /healthz')
    .option('--run-dir <dir>', "a finished run's folder (its train-model and preprocess-features artifacts)")
    .option('--model <path>', 'model (XGBoost JSON/UBJSON, or compiled: no reasons then)')
    .option('--preprocessor <path>', "preprocess-features' preprocessor.json")
    .option('--host <host>', 'address to listen on (default 127.0.0.1; 0.0.0.0 or :: for every interface)')
    .option('--port <n>', 'port (default 8080; 0: any free port)', (v) => parseInteger('--port', v, OPTION_LIMITS.port))
    .option('--token-file <path>', 'require Authorization: Bearer <token> (file mode 0600, not a symbolic link); /healthz stays open')
    .option('--allow-unknown-categories', 'score categories the preprocessor never saw as unseen (answer has warnings) instead of refusing them')
    .option('--request-timeout <seconds>', 'a whole request must arrive within this (default 30)', (v) => parseInteger('--request-timeout', v, OPTION_LIMITS.timerSeconds))
    .option('--max-connections <n>', 'concurrent connections (default 256)', (v) => parseInteger('--max-connections', v, { min: 1, max: 65_535 }))
    .option('--max-queue <n>', 'explain and large-batch jobs waiting before 503 (default 32)', (v) => parseInteger('--max-queue', v, { min: 1, max: 10_000 }))
    .option('--keys <dir>', 'key folder a sealed --run-dir was sealed with (its model and preprocessor are decrypted in memory only)')
    .action(async (options) => setExit(await (await import('./commands/serve.ts')).serveCommand(options, io, signal)));

  program
    .command('ui')
    .description('dashboard: browse runs and their artifacts, start runs (HTTPS, login; first start sets the password)')
    .option('--runs <dir|url>', 'runs folder (default runs), or runs kept by sealed run --store, read-only: s3://bucket/prefix or az://container/prefix')
    .option('--s3-endpoint <url>', 'S3-compatible server for --runs s3://... (e.g. MinIO); default AWS')
    .option('--port <n>', 'port (default 8443; 0: any free port)', (v) => parseInteger('--port', v, OPTION_LIMITS.port))
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--state-dir <dir>', 'password hash and TLS certificate (default .sealed-ui)')
    .option('--cert <pem>', 'TLS certificate instead of the self-signed one (with --key)')
    .option('--key <pem>', 'private key of --cert')
    .option('--insecure-http', 'serve plain HTTP (no Secure cookie): trusted loopback only')
    .option('--password-file <path>', 'first start: read the password from this file (or set SEALED_UI_PASSWORD)')
    .option('--idle-timeout <seconds>', 'end sessions idle this long (default 1800)', (v) => parseInteger('--idle-timeout', v, OPTION_LIMITS.timerSeconds))
    .option('--data-root <dir>', 'runs started here may read local data under this folder, repeatable (default: none, http(s) only)', collect)
    .option('--allow-private-networks', 'runs started here may fetch data from loopback, private and link-local addresses')
    .option('--max-data-size <n>', 'largest data_size of a run started here (default 1000000)', (v) => parseInteger('--max-data-size', v, { min: 0, max: 100_000_000 }))
    .option('--run-memory <MiB>', 'V8 heap cap of each run process started here (default 2048)', (v) => parseInteger('--run-memory', v, { min: 64, max: 1_048_576 }))
    .option('--max-concurrent-runs <n>', 'runs started here that execute at once (default 1)', (v) => parseInteger('--max-concurrent-runs', v, { min: 1, max: 64 }))
    .option('--max-queued-runs <n>', 'runs waiting behind them; more are refused with 503 (default 4)', (v) => parseInteger('--max-queued-runs', v, { min: 0, max: 1000 }))
    .option('--max-runs-per-user <n>', 'runs one user may have running or waiting (default 3)', (v) => parseInteger('--max-runs-per-user', v, { min: 1, max: 1000 }))
    .option('--max-connections <n>', 'open connections the server accepts at once (default 256)', (v) => parseInteger('--max-connections', v, { min: 1, max: 65_535 }))
    .option('--keys <dir>', 'key folder (sealed keys init): open sealed runs, and seal the runs started here')
    .action(async (options) => setExit(await (await import('./commands/ui.ts')).uiCommand(options, io, catalog, signal)));

  program
    .command('export-onnx')
    .description('write a model as ONNX (ai.onnx.ml TreeEnsembleClassifier/Regressor; input "input": float [N, features])')
    .requiredOption('--model <model.json|model.ubj>', 'XGBoost JSON or UBJSON model')
    .requiredOption('--out <model.onnx>', 'ONNX file to write')
    .action(async (options) => setExit(await (await import('./commands/exportOnnx.ts')).exportOnnxCommand(options, io)));

  return program;
}

function commanderExit(e: CommanderError, io: CliIo): number {
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
  // 'commander.help' is help shown because no command was given; it is already printed.
  if (e.code !== 'commander.help') reportLine(excerpt(e.message.replace(/^error: /, ''), 300), io);
  return 2;
}

/** SIGINT cancels the run (tasks see an aborted signal); a second SIGINT kills the process. */
function cancellation(external: AbortSignal | undefined): { signal: AbortSignal; release: () => void } {
  if (external) return { signal: external, release: () => {} };
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  return { signal: controller.signal, release: () => process.removeListener('SIGINT', onSigint) };
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
