// `sealed component <component> --<key>=<path-or-value> ...`: runs one component outside a
// pipeline through the same executor entry as the runner. Each output is written to a
// temporary name beside its target and renamed into place only if the component succeeds.
import { rename, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { IoError, UsageError, tempPathFor } from '../../core/index.ts';
import type { AnyComponent, ExecutorInput } from '../../pipeline/index.ts';
import type { ComponentHelpSource } from '../componentHelp.ts';
import type { CliIo } from '../io.ts';
import type { PipelineCatalog } from '../pipelineCatalog.ts';
import { describeComponent, parseComponentArgs } from '../componentArgs.ts';

/**
 * `help`, when given, answers the help requests without loading the catalog (the build's copy of
 * the default catalog's help, componentHelp.ts); anything it does not know goes to the catalog.
 */
export async function componentCommand(
  name: string | undefined,
  tokens: string[],
  io: CliIo,
  catalog: PipelineCatalog,
  signal: AbortSignal,
  help?: ComponentHelpSource,
): Promise<number> {
  const wantsHelp = name === undefined || name === '--help' || name === '-h' || tokens.includes('--help') || tokens.includes('-h');
  const known = wantsHelp && help ? await help() : undefined;
  const names = async () => known?.names ?? (await catalog()).registry.names();
  if (name === undefined) throw new UsageError('cli.missingOption', { option: `a component name (${(await names()).join(', ')})`, command: 'sealed component' });
  if (name === '--help' || name === '-h') {
    io.stdout.write(['usage: sealed component <component> --<key>=<path-or-value> ...', `components: ${(await names()).join(', ')}`, ''].join('\n'));
    return 0;
  }
  if (name.startsWith('-')) throw new UsageError('cli.usage', { reason: `give the component name first: sealed component <component> ${name} ...` });
  if (wantsHelp && known !== undefined && Object.hasOwn(known.describe, name)) {
    io.stdout.write(known.describe[name]);
    return 0;
  }
  const { registry } = await catalog();
  const component = registry.get(name);
  if (wantsHelp) {
    io.stdout.write(describeComponent(component));
    return 0;
  }
  const args = parseComponentArgs(component, tokens);
  for (const path of Object.values(args.inputs)) {
    const s = await stat(resolve(io.cwd, path)).catch(() => undefined);
    if (!s) throw new IoError('io.notFound', { path });
  }
  // The executor, data sources and progress output load only when a component runs, not for help.
  const [{ executeComponent }, { cliSourcePolicy }, { plainReporter }] = await Promise.all([
    import('../../pipeline/index.ts'),
    import('../../data/source/index.ts'),
    import('../progress/plainReporter.ts'),
  ]);
  const targets = Object.fromEntries(Object.entries(args.outputs).map(([k, p]) => [k, resolve(io.cwd, p)]));
  const staged = Object.fromEntries(Object.entries(targets).map(([k, p]) => [k, tempPathFor(p)]));
  const reporter = plainReporter(io.stderr);
  try {
    const output = await executeComponent(component, executorInput(component, args.inputs, args.parameters, staged, io.cwd), {
      signal,
      // The same data-source policy as `sealed run` without flags (or the parent's SEALED_DATA_POLICY).
      runtime: { dataPolicy: cliSourcePolicy(io.env, {}, io.cwd) },
      reporter: {
        log: (text) => reporter.taskLog({ task: name, text }),
        progress: (u) => reporter.taskProgress({ task: name, ...u }),
      },
    });
    for (const [k, target] of Object.entries(targets)) {
      await rename(staged[k], target);
      io.stderr.write(`wrote ${args.outputs[k]}\n`);
    }
    io.stdout.write(JSON.stringify(output) + '\n');
    return 0;
  } finally {
    await Promise.all(Object.values(staged).map((p) => rm(p, { recursive: true, force: true })));
  }
}

function executorInput(
  component: AnyComponent,
  inputs: Record<string, string>,
  parameterValues: Record<string, unknown>,
  outputUris: Record<string, string>,
  cwd: string,
): ExecutorInput {
  const type = (schemaTitle: string) => ({ schemaTitle, schemaVersion: '0.0.1' });
  const compIn = component.inputs as Record<string, { type: string }>;
  const compOut = component.outputs as Record<string, { type: string }>;
  return {
    inputs: {
      parameterValues,
      artifacts: Object.fromEntries(Object.entries(inputs).map(([k, p]) => [k, { artifacts: [{ name: k, type: type(compIn[k].type), uri: resolve(cwd, p), metadata: {} }] }])),
    },
    outputs: { artifacts: Object.fromEntries(Object.entries(outputUris).map(([k, uri]) => [k, { artifacts: [{ name: k, type: type(compOut[k].type), uri }] }])) },
  };
}
