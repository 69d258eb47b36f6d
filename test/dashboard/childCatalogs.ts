// Pipeline catalogs the dashboard's run processes load in the tests (runLauncher.ts spawns
// runChild.ts, which imports this module and takes the named export): runs from the dashboard
// execute in a child process, so their pipelines must be importable, not closures of a test.
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { access, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { pipelineEntry, type PipelineCatalog } from '../../src/cli/pipelineCatalog.ts';
import { artifactOutput, booleanParam, defineComponent, definePipeline, integerParam, stringParam } from '../../src/pipeline/index.ts';
import { toyComponents, toyPipeline } from '../pipeline/fixtures/toyComponents.ts';

export const CHILD_CATALOGS = fileURLToPath(import.meta.url);

export const toyCatalog: PipelineCatalog = async () => pipelineEntry(toyPipeline, toyComponents);

/**
 * One task that logs its process id and V8 heap cap, then waits until the file `gate` exists
 * (or the run is cancelled); with `hog` it allocates until its heap cap kills it.
 */
const waitForGate = defineComponent({
  name: 'wait-for-gate',
  parameters: { gate: stringParam(''), hog: booleanParam(false), data_size: integerParam(0, { min: 0, max: 100_000_000 }) },
  outputs: { done: artifactOutput('system.Artifact', { extension: '.txt' }) },
  run: async (ctx) => {
    ctx.log(`pid ${process.pid} heap-limit-mib ${Math.round(getHeapStatistics().heap_size_limit / 2 ** 20)}`);
    ctx.log(`policy ${process.env.SEALED_DATA_POLICY ?? 'none'}`);
    ctx.log('waiting');
    if (ctx.parameters.hog) {
      // Long enough for run.json and the log lines to reach the disk before the heap fills.
      await sleep(300);
      const kept: number[][] = [];
      for (;;) {
        kept.push(Array.from({ length: 100_000 }, (_, i) => i * 1.5));
        if (kept.length % 50 === 0) await sleep(1);
      }
    }
    while (ctx.parameters.gate !== '' && !(await access(ctx.parameters.gate).then(() => true, () => false))) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      await sleep(20);
    }
    await writeFile(ctx.outputs.done.path, 'opened\n');
  },
});

const gatedPipeline = definePipeline({
  name: 'gated',
  parameters: { gate: stringParam(''), hog: booleanParam(false), data_size: integerParam(0, { min: 0, max: 100_000_000 }) },
  build: (p, params) => void p.task(waitForGate, { params: { gate: params.gate, hog: params.hog, data_size: params.data_size } }),
});

export const gatedCatalog: PipelineCatalog = async () => pipelineEntry(gatedPipeline, [waitForGate]);

/**
 * One task that writes a small CSV through its output handle (so it can run sealed) and logs
 * whether its command line or environment mention `probe` (the test passes the dashboard's key
 * folder: its path must reach the child by IPC only, never by argv or the environment).
 */
const writeTable = defineComponent({
  name: 'write-table',
  parameters: { rows: integerParam(5, { min: 1, max: 100_000 }), probe: stringParam('') },
  outputs: { table: artifactOutput('system.Dataset', { extension: '.csv' }) },
  run: async (ctx) => {
    const probe = ctx.parameters.probe;
    const inArgv = probe !== '' && process.argv.some((a) => a.includes(probe));
    const inEnv = probe !== '' && Object.values(process.env).some((v) => v?.includes(probe));
    ctx.log(`probe in argv: ${inArgv}, in env: ${inEnv}`);
    const lines = ['id,secret_value', ...Array.from({ length: ctx.parameters.rows }, (_, i) => `${i},applicant-${i}-income-${1000 + i}`)];
    await ctx.outputs.table.write([lines.join('\n') + '\n']);
  },
});

const tablePipeline = definePipeline({
  name: 'table',
  parameters: { rows: integerParam(5, { min: 1, max: 100_000 }), probe: stringParam('') },
  build: (p, params) => void p.task(writeTable, { params: { rows: params.rows, probe: params.probe } }),
});

export const tableCatalog: PipelineCatalog = async () => pipelineEntry(tablePipeline, [writeTable]);
