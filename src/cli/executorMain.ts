// Entry point of a KFP container: `sealed-executor --component <name> --executor-input '{{$}}'`
// (the command the compiler writes into every executor). Runs the component through
// executeComponent, which also writes the ExecutorOutput to outputs.outputFile for KFP.
// Same exit codes and one-line errors as `sealed`; `--debug` (or SEALED_DEBUG=1) adds the stack.
// Data sources follow SEALED_DATA_POLICY when the pod sets it, else EXECUTOR_SOURCE_POLICY: no local
// file at all (a pod must not read its own service-account token through data_url) and no private
// network address (the cluster's services, the node's cloud metadata endpoint).
import { UsageError } from '../core/index.ts';
import { EXECUTOR_SOURCE_POLICY, sourcePolicyFromEnv } from '../data/source/sourcePolicy.ts';
import { executeComponent } from '../pipeline/index.ts';
import { defaultIo, type MainDeps } from './io.ts';
import { loanDefaultCatalog } from './pipelineCatalog.ts';
import { plainReporter } from './progress/plainReporter.ts';
import { reportError } from './reportError.ts';

export async function executorMain(argv: string[], deps: MainDeps = {}): Promise<number> {
  const io = defaultIo(deps);
  try {
    const args = parseArgs(argv);
    if (args.debug) io.env = { ...io.env, SEALED_DEBUG: '1' };
    const { registry } = await (deps.catalog ?? loanDefaultCatalog)();
    const component = registry.get(args.component);
    const reporter = plainReporter(io.stderr);
    const dataPolicy = sourcePolicyFromEnv(io.env, EXECUTOR_SOURCE_POLICY);
    const output = await executeComponent(component, args.executorInput, {
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
