// ctx.runtime.sharedProcess tells a step whether the run's later tasks execute in its process:
// batch-inference starts the ROC drawing for plot-roc-curve only then (issue 17). A KFP pod or
// `sealed component` runs one step per process, where that drawing would be thrown away
// (attack: every single-step batch-inference process loading resvg and drawing a PNG for nobody).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ComponentRegistry, compilePipeline, defineComponent, definePipeline, executeComponent, runPipeline } from '../../src/pipeline/index.ts';
import { tempDir } from './helpers/tempDir.ts';

const seen: boolean[] = [];
const probe = defineComponent({
  name: 'probe',
  run: async (ctx) => {
    seen.push(ctx.runtime.sharedProcess);
  },
});

test('the local runner tells its steps that later tasks share the process', async () => {
  seen.length = 0;
  const pipeline = definePipeline({ name: 'shared', build: (p) => void p.task(probe, {}) });
  const manifest = await runPipeline(compilePipeline(pipeline), new ComponentRegistry([probe]), { runDir: join(tempDir(), 'run') });
  assert.equal(manifest.state, 'succeeded');
  assert.deepEqual(seen, [true]);
});

test('a step executed alone (KFP executor, sealed component) is told it does not share the process', async () => {
  seen.length = 0;
  await executeComponent(probe, { inputs: {}, outputs: { outputFile: join(tempDir(), 'out.json') } });
  assert.deepEqual(seen, [false]);
});
