// Entry point of a KFP container: `sealed-executor --component <name> --executor-input '{{$}}'`
// (the command the compiler writes into every executor). Runs the component through
// executeComponent, which also writes the ExecutorOutput to outputs.outputFile for KFP.
// Same exit codes and one-line errors as `sealed`; `--debug` (or SEALED_DEBUG=1) adds the stack.
// Data sources follow SEALED_DATA_POLICY when the pod sets it, else EXECUTOR_SOURCE_POLICY: no local
// file at all (a pod must not read its own service-account token through data_url) and no private
// network address (the cluster's services, the node's cloud metadata endpoint).
import { tmpdir } from 'node:os';
import { excerpt, UsageError } from '../core/index.ts';
import { EXECUTOR_SOURCE_POLICY, sourcePolicyFromEnv } from '../data/source/sourcePolicy.ts';
import { executeComponent, kfpTaskIdentity, type ArtifactCodec, type CodecRead, type JsonValue } from '../pipeline/index.ts';
import { keyProviderFromEnv, SEAL_RECORD_KEY, SealingCodec } from '../seal/index.ts';
import { defaultIo, type MainDeps } from './io.ts';
import { defaultCatalog } from './pipelineCatalog.ts';
import { plainReporter } from './progress/plainReporter.ts';
import { reportError } from './reportError.ts';

export async function executorMain(argv: string[], deps: MainDeps = {}): Promise<number> {
  const io = defaultIo(deps);
  try {
    const args = parseArgs(argv);
    if (args.debug) io.env = { ...io.env, SEALED_DEBUG: '1' };
    const { registry } = await (deps.catalog ?? defaultCatalog)();
    const component = registry.get(args.component);
    const reporter = plainReporter(io.stderr);
    const dataPolicy = sourcePolicyFromEnv(io.env, EXECUTOR_SOURCE_POLICY);
    const sealing = await sealingFromEnv(io.env, component.name, args.executorInput);
    const output = await executeComponent(component, args.executorInput, {
      ...sealing,
      // In an enclave (the Gramine manifest sets SEALED_ENCLAVE=gramine and TMPDIR=/sealed-tmp, an in-enclave
      // tmpfs) scratch files stay in the enclave's own temporary folder, not beside the host-visible outputs.
      ...(io.env.SEALED_ENCLAVE ? { scratchDir: tmpdir() } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      runtime: { dataPolicy },
      reporter: {
        log: (text) => reporter.taskLog({ task: component.name, text }),
        progress: (u) => reporter.taskProgress({ task: component.name, ...u }),
      },
    });
    io.stdout.write(JSON.stringify(output) + '\n');
    return 0;
  } catch (e) {
    return reportError(e, io);
  }
}

/**
 * A sealed Kubeflow task (SEALED_SEAL=1, set by `sealed compile --seal-*`): the key provider the
 * pod's environment configures (src/seal/keyProviderFromEnv.ts) and the run id and task name read
 * from the output URIs the KFP driver provisioned (runIdFromUris.ts), which bind every artifact.
 */
async function sealingFromEnv(env: NodeJS.ProcessEnv, component: string, executorInput: string): Promise<{ codec?: ArtifactCodec; identity?: { runId: string; task: string } }> {
  if (env.SEALED_SEAL === undefined || env.SEALED_SEAL === '' || env.SEALED_SEAL === '0') return {};
  if (env.SEALED_SEAL !== '1') throw new UsageError('cli.usage', { reason: `SEALED_SEAL must be 1 or 0, not ${excerpt(env.SEALED_SEAL)}` });
  const { provider } = await keyProviderFromEnv(env);
  const id = kfpTaskIdentity(executorInput, { component });
  return { codec: readingMlmdRecords(new SealingCodec(provider, { runId: id.runId })), identity: { runId: id.runId, task: id.task } };
}

/**
 * KFP hands an upstream output's metadata to the next task through MLMD, which wraps every struct value: the launcher's
 * RecordArtifact stores `{"sealed": {...}}` as the custom property `{"struct": {...}}` (StructValueToMLMDValue) and the
 * driver passes it on as is (toRuntimeArtifact), in backend/src/v2/metadata/converter.go of every 2.x release. The seal
 * record is unwrapped here, at the KFP boundary, so the codec checks what the producer recorded.
 */
function readingMlmdRecords(codec: ArtifactCodec): ArtifactCodec {
  const unwrap = <R extends CodecRead>(read: R): R => {
    const wrapped = read.metadata[SEAL_RECORD_KEY];
    if (typeof wrapped !== 'object' || wrapped === null || Array.isArray(wrapped) || Object.keys(wrapped).length !== 1) return read;
    const inner = (wrapped as Record<string, JsonValue>).struct;
    if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) return read;
    return { ...read, metadata: { ...read.metadata, [SEAL_RECORD_KEY]: inner } };
  };
  return {
    sealed: codec.sealed,
    sizeHint: (read) => codec.sizeHint(unwrap(read)),
    open: (read) => codec.open(unwrap(read)),
    write: (write, chunks) => codec.write(write, chunks),
    finishOutput: (write, through) => codec.finishOutput(write, through),
  };
}

function parseArgs(argv: string[]): { component: string; executorInput: string; debug: boolean } {
  const values: Record<string, string> = {};
  let debug = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--debug') {
      debug = true;
      continue;
    }
    const m = /^--(component|executor-input)(?:=(.*))?$/s.exec(argv[i]);
    if (!m) throw new UsageError('cli.unknownOption', { option: argv[i], command: 'sealed-executor', known: ['--component', '--executor-input', '--debug'] });
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new UsageError('cli.usage', { reason: `option --${m[1]} needs a value` });
    values[m[1]] = value;
  }
  if (!values.component) throw new UsageError('cli.missingOption', { option: '--component <name>', command: 'sealed-executor' });
  if (!values['executor-input']) throw new UsageError('cli.missingOption', { option: "--executor-input '{{$}}'", command: 'sealed-executor' });
  return { component: values.component, executorInput: values['executor-input'], debug };
}
