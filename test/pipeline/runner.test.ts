import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineError, UsageError, sha256 } from '../../src/core/index.ts';
import { ComponentRegistry, compilePipeline, newRunId, runPipeline, type RunReporter } from '../../src/pipeline/index.ts';
import { toyComponents, toyPipeline } from './fixtures/toyComponents.ts';
import { fanPipeline, probe, resetProbe, sleeper } from './fixtures/probeComponents.ts';
import { listTree, tempDir } from './helpers/tempDir.ts';

const spec = compilePipeline(toyPipeline);
const registry = new ComponentRegistry(toyComponents);

function recordingReporter(): { reporter: RunReporter; events: string[] } {
  const events: string[] = [];
  const reporter: RunReporter = {
    runStarted: (e) => events.push(`runStarted ${e.tasks.join(',')}`),
    taskStarted: (e) => events.push(`taskStarted ${e.task}`),
    taskProgress: (e) => events.push(`taskProgress ${e.task} ${e.current}/${e.total}`),
    taskLog: (e) => events.push(`taskLog ${e.task} ${e.text}`),
    taskFinished: (e) => events.push(`taskFinished ${e.task} ${e.state}`),
    runFinished: (e) => events.push(`runFinished ${e.state}`),
  };
  return { reporter, events };
}

test('newRunId is sortable UTC time plus a suffix', () => {
  assert.equal(newRunId(new Date(Date.UTC(2026, 10, 28, 21, 15, 0)), 'ab12cd'), '20261128-211500-ab12cd');
  assert.match(newRunId(), /^\d{8}-\d{6}-[0-9a-f]{6}$/);
});

test('a successful run leaves artifacts, logs, pipeline.json and a complete run.json', async () => {
  const runDir = join(tempDir(), 'run');
  const { reporter, events } = recordingReporter();
  const manifest = await runPipeline(spec, registry, { runDir, parameters: { count: 8 }, reporter, runId: 'r1' });
  assert.equal(manifest.state, 'succeeded');
  assert.deepEqual(listTree(runDir), [
    'evaluate/',
    'evaluate/metrics',
    'evaluate/report.md',
    'fit-model/',
    'fit-model/model.json',
    'make-numbers/',
    'make-numbers/log.txt',
    'make-numbers/numbers.csv',
    'pipeline.json',
    'run.json',
    'split-numbers/',
    'split-numbers/test.csv',
    'split-numbers/train.csv',
  ]);
  const onDisk = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
  assert.deepEqual(onDisk, manifest);
  assert.deepEqual(JSON.parse(readFileSync(join(runDir, 'pipeline.json'), 'utf8')), spec);
  assert.equal(manifest.id, 'r1');
  assert.equal(manifest.pipeline, 'toy-pipeline');
  assert.deepEqual(manifest.parameters, { count: 8, mode: 'sum', fail_fit: false });
  assert.ok(manifest.finishedAt && manifest.createdAt <= manifest.finishedAt);
  assert.equal(manifest.error, undefined);

  const fit = manifest.tasks['fit-model'];
  assert.equal(fit.state, 'succeeded');
  assert.equal(fit.component, 'fit-model');
  assert.deepEqual(fit.parameters, { mode: 'sum', fail: false });
  assert.deepEqual(fit.inputs, { train: 'split-numbers/train.csv' });
  assert.ok(typeof fit.durationMs === 'number' && fit.durationMs >= 0 && fit.startedAt && fit.finishedAt);
  const model = fit.outputs!.model;
  assert.deepEqual(model, { path: 'fit-model/model.json', sha256: sha256(readFileSync(join(runDir, 'fit-model/model.json'))), size: model.size, type: 'system.Model' });
  // numbers 1..8, test = 1,2, train = 3..8 (sum 33); score = 3 / 33.
  assert.deepEqual(manifest.tasks.evaluate.outputs!.metrics.metadata, { score: 3 / 33, count: 2 });
  assert.deepEqual(manifest.tasks['make-numbers'].parameters, { count: 8, start: 1 });
  assert.equal(manifest.tasks['make-numbers'].log, 'make-numbers/log.txt');
  assert.equal(readFileSync(join(runDir, 'make-numbers/log.txt'), 'utf8'), 'made 8 numbers\n');

  assert.equal(events[0], 'runStarted make-numbers,split-numbers,fit-model,evaluate');
  assert.equal(events.at(-1), 'runFinished succeeded');
  assert.ok(events.includes('taskProgress make-numbers 8/8'));
  assert.ok(events.includes('taskLog make-numbers made 8 numbers'));
  const started = events.filter((e) => e.startsWith('taskStarted')).map((e) => e.split(' ')[1]);
  assert.deepEqual(started, ['make-numbers', 'split-numbers', 'fit-model', 'evaluate']);
  for (const [i, name] of started.entries()) {
    if (i > 0) assert.ok(events.indexOf(`taskFinished ${started[i - 1]} succeeded`) < events.indexOf(`taskStarted ${name}`), `${name} after its dependency`);
  }
});

test('a failed task fails the run, skips its dependents and leaves earlier artifacts intact', async () => {
  const runDir = join(tempDir(), 'run');
  const { reporter, events } = recordingReporter();
  const manifest = await runPipeline(spec, registry, { runDir, parameters: { fail_fit: true }, reporter });
  assert.equal(manifest.state, 'failed');
  assert.equal(manifest.error, "task 'fit-model' failed: fit-model was asked to fail");
  assert.deepEqual(
    Object.fromEntries(Object.entries(manifest.tasks).map(([k, t]) => [k, t.state])),
    { 'make-numbers': 'succeeded', 'split-numbers': 'succeeded', 'fit-model': 'failed', evaluate: 'skipped' },
  );
  assert.equal(manifest.tasks['fit-model'].error, 'fit-model was asked to fail');
  assert.equal(manifest.tasks['fit-model'].log, 'fit-model/log.txt');
  // One line: the stack only with --debug (README Security model).
  assert.match(readFileSync(join(runDir, 'fit-model/log.txt'), 'utf8'), /^error: fit-model was asked to fail\n$/);
  // The half-written model is gone, no staging or temp files remain.
  assert.deepEqual(listTree(runDir), [
    'fit-model/',
    'fit-model/log.txt',
    'make-numbers/',
    'make-numbers/log.txt',
    'make-numbers/numbers.csv',
    'pipeline.json',
    'run.json',
    'split-numbers/',
    'split-numbers/test.csv',
    'split-numbers/train.csv',
  ]);
  assert.equal(readFileSync(join(runDir, 'split-numbers/train.csv'), 'utf8'), '3\n4\n5\n6\n7\n8\n');
  assert.deepEqual(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')), manifest);
  assert.ok(events.includes('taskFinished evaluate skipped'));
  assert.equal(events.at(-1), 'runFinished failed');
});

test('independent tasks run concurrently up to the limit, dependents wait', async () => {
  const fan = fanPipeline(3);
  const fanSpec = compilePipeline(fan);
  const fanRegistry = ComponentRegistry.fromPipeline(fan);
  for (const concurrency of [1, 2, 3]) {
    resetProbe();
    const manifest = await runPipeline(fanSpec, fanRegistry, { runDir: join(tempDir(), 'run'), concurrency });
    assert.equal(manifest.state, 'succeeded');
    assert.equal(probe.maxActive, concurrency, `concurrency ${concurrency}`);
    assert.match(probe.order.at(-1)!, /\/tail\//);
    const tail = manifest.tasks.tail;
    for (const head of ['s0', 's1', 's2']) assert.ok(manifest.tasks[head].finishedAt! <= tail.startedAt!, `${head} before tail`);
  }
});

test('cancelling a run stops it: running tasks see the signal, the rest are skipped', async () => {
  resetProbe();
  const fan = fanPipeline(2);
  const controller = new AbortController();
  const reporter = { ...recordingReporter().reporter, taskStarted: () => controller.abort() };
  const manifest = await runPipeline(compilePipeline(fan), new ComponentRegistry([sleeper]), { runDir: join(tempDir(), 'run'), concurrency: 1, signal: controller.signal, reporter });
  assert.equal(manifest.state, 'failed');
  assert.equal(manifest.tasks.s0.state, 'failed');
  assert.equal(manifest.tasks.s1.state, 'skipped');
  assert.equal(manifest.tasks.tail.state, 'skipped');
  assert.equal(manifest.error, "task 's0' failed: run cancelled");
});

test('runPipeline refuses bad run parameters, a used run directory and specs it cannot run', async () => {
  const usage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test(e.message);
  const dir = tempDir();
  await assert.rejects(runPipeline(spec, registry, { runDir: join(dir, 'a'), parameters: { size: 3 } }), usage(/pipeline 'toy-pipeline' has no parameter 'size' \(known: count, mode, fail_fit\)/));
  await assert.rejects(runPipeline(spec, registry, { runDir: join(dir, 'a'), parameters: { count: '3' } }), usage(/parameter 'count' of pipeline 'toy-pipeline' must be an integer, got '3'/));
  await assert.rejects(runPipeline(spec, registry, { runDir: join(dir, 'a'), concurrency: 0 }), usage(/concurrency/));
  assert.equal(existsSync(join(dir, 'a')), false, 'nothing written before validation passes');

  mkdirSync(join(dir, 'used'));
  writeFileSync(join(dir, 'used', 'run.json'), '{}');
  await assert.rejects(runPipeline(spec, registry, { runDir: join(dir, 'used') }), usage(/run directory already holds a run .*used\/run.json/));

  const noArgs = structuredClone(spec);
  noArgs.deploymentSpec.executors['exec-evaluate'].container!.args = ['{{$}}'];
  await assert.rejects(runPipeline(noArgs, registry, { runDir: join(dir, 'b') }), (e: unknown) => e instanceof PipelineError && /executor 'exec-evaluate' has no '--component <name>' argument/.test(e.message));
  await assert.rejects(runPipeline(spec, new ComponentRegistry([]), { runDir: join(dir, 'c') }), /unknown component 'make-numbers'/);
  const cyclic = structuredClone(spec);
  cyclic.root.dag.tasks['make-numbers'].dependentTasks = ['evaluate'];
  await assert.rejects(runPipeline(cyclic, registry, { runDir: join(dir, 'd') }), /cycle: /);
});

test('the runner executes the IR: a constant changed in the spec changes what runs', async () => {
  const edited = structuredClone(spec);
  edited.root.dag.tasks['make-numbers'].inputs!.parameters!.start = { runtimeValue: { constant: 100 } };
  const runDir = join(tempDir(), 'run');
  const manifest = await runPipeline(edited, registry, { runDir, parameters: { count: 4 } });
  assert.equal(readFileSync(join(runDir, 'make-numbers/numbers.csv'), 'utf8'), '100\n101\n102\n103\n');
  assert.deepEqual(manifest.tasks['make-numbers'].parameters, { count: 4, start: 100 });
});

test('large artifact metadata is filed beside the artifact, run.json stays small, consumers still get it', async () => {
  const { artifactInput, artifactOutput, defineComponent, definePipeline } = await import('../../src/pipeline/index.ts');
  const points = Array.from({ length: 2000 }, (_, i) => ({ x: i / 2000, y: Math.sqrt(i / 2000) }));
  const produce = defineComponent({
    name: 'produce',
    outputs: { curve: artifactOutput('system.ClassificationMetrics', { extension: '.json' }) },
    run: async (ctx) => {
      writeFileSync(ctx.outputs.curve.path, '{}');
      ctx.outputs.curve.setMetadata({ points });
    },
  });
  let seen = 0;
  const consume = defineComponent({
    name: 'consume',
    inputs: { curve: artifactInput('system.ClassificationMetrics') },
    outputs: { done: artifactOutput('system.Markdown', { extension: '.md' }) },
    run: async (ctx) => {
      seen = (ctx.inputs.curve.metadata.points as unknown[]).length;
      writeFileSync(ctx.outputs.done.path, 'ok');
    },
  });
  const pipeline = definePipeline({
    name: 'big-metadata',
    build: (p) => {
      const a = p.task(produce, {});
      p.task(consume, { inputs: { curve: a.outputs.curve } });
    },
  });
  const runDir = join(tempDir(), 'run');
  const manifest = await runPipeline(compilePipeline(pipeline), new ComponentRegistry([produce, consume]), { runDir });
  assert.equal(manifest.state, 'succeeded');
  assert.equal(seen, 2000);
  const onDisk = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
  const record = onDisk.tasks.produce.outputs.curve;
  assert.equal(record.metadata, undefined);
  assert.equal(record.metadataPath, 'produce/curve.json.metadata.json');
  assert.deepEqual(JSON.parse(readFileSync(join(runDir, record.metadataPath), 'utf8')), { points });
  assert.ok(readFileSync(join(runDir, 'run.json')).length < 16 * 1024);
});
