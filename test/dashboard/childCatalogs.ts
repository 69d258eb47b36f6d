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
