// `sealed component <component> --<key>=<path-or-value> ...`: runs one component outside a
// pipeline through the same executor entry as the runner. Each output is written to a
// temporary name beside its target and renamed into place only if the component succeeds.
import { rename, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { IoError, UsageError, tempPathFor } from '../../core/index.ts';
import { cliSourcePolicy } from '../../data/source/index.ts';
import { executeComponent, type AnyComponent, type ExecutorInput } from '../../pipeline/index.ts';
import type { CliIo } from '../io.ts';
import type { PipelineCatalog } from '../pipelineCatalog.ts';
import { plainReporter } from '../progress/plainReporter.ts';
import { describeComponent, parseComponentArgs } from '../componentArgs.ts';

export async function componentCommand(name: string | undefined, tokens: string[], io: CliIo, catalog: PipelineCatalog, signal: AbortSignal): Promise<number> {
  const { registry } = await catalog();
  if (name === undefined) throw new UsageError('cli.missingOption', { option: `a component name (${registry.names().join(', ')})`, command: 'sealed component' });
  if (name === '--help' || name === '-h') {
    io.stdout.write(['usage: sealed component <component> --<key>=<path-or-value> ...', `components: ${registry.names().join(', ')}`, ''].join('\n'));
    return 0;
  }
  if (name.startsWith('-')) throw new UsageError('cli.usage', { reason: `give the component name first: sealed component <component> ${name} ...` });
  const component = registry.get(name);
  if (tokens.includes('--help') || tokens.includes('-h')) {
    io.stdout.write(describeComponent(component));
    return 0;
  }
  const args = parseComponentArgs(component, tokens);
  for (const path of Object.values(args.inputs)) {
    const s = await stat(resolve(io.cwd, path)).catch(() => undefined);
    if (!s) throw new IoError('io.notFound', { path });
  }
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
