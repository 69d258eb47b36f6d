// Optional artifact inputs: of a component (KFP `isOptional`, absent from ExecutorInput, the
// component sees undefined) and of a whole pipeline (root.inputDefinitions.artifacts bound as
// componentInputArtifact; the local runner imports a given file into the run directory).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IoError, PipelineError, UsageError, sha256 } from '../../src/core/index.ts';
import {
  ComponentRegistry,
  artifactInput,
  artifactOutput,
  compilePipeline,
  defineComponent,
  definePipeline,
  executeComponent,
  runPipeline,
  stringParam,
  type PipelineDefinition,
} from '../../src/pipeline/index.ts';
import { evaluate, fitModel, makeNumbers, toyComponents, toyPipeline } from './fixtures/toyComponents.ts';
import { listTree, tempDir } from './helpers/tempDir.ts';

const markdown = { schemaTitle: 'system.Markdown', schemaVersion: '0.0.1' };

test('an optional component input compiles to isOptional; a run input to root artifacts bound by componentInputArtifact', () => {
  const spec = compilePipeline(toyPipeline);
  assert.deepEqual(spec.components['comp-evaluate'].inputDefinitions?.artifacts?.notes, { artifactType: markdown, isOptional: true });
  assert.equal(spec.components['comp-evaluate'].inputDefinitions?.artifacts?.model.isOptional, undefined);
  assert.deepEqual(spec.root.inputDefinitions?.artifacts, { notes: { artifactType: markdown, isOptional: true } });
  assert.deepEqual(spec.root.dag.tasks.evaluate.inputs?.artifacts?.notes, { componentInputArtifact: 'notes' });
  // A run input is no task dependency.
  assert.deepEqual(spec.root.dag.tasks.evaluate.dependentTasks, ['fit-model', 'split-numbers']);
});

test('the component sees undefined for an absent optional input, the artifact when given', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'notes.md'), '# hi\n');
  const seen: (string | undefined)[] = [];
  const reader = defineComponent({
    name: 'reader',
    inputs: { notes: artifactInput('system.Markdown', { optional: true }) },
    outputs: { out: artifactOutput('system.Artifact') },
    run: async (ctx) => {
      // Typed InputArtifact | undefined: using .path without a check does not compile.
      // @ts-expect-error optional inputs may be undefined
      const unchecked = (): string => ctx.inputs.notes.path;
      void unchecked;
      seen.push(ctx.inputs.notes?.path);
      writeFileSync(ctx.outputs.out.path, 'x');
    },
  });
  const outputs = { artifacts: { out: { artifacts: [{ uri: join(dir, 'out') }] } } };
  await executeComponent(reader, { outputs });
  await executeComponent(reader, { inputs: { artifacts: {} }, outputs });
  await executeComponent(reader, { inputs: { artifacts: { notes: { artifacts: [{ uri: join(dir, 'notes.md'), type: markdown }] } } }, outputs });
  assert.deepEqual(seen, [undefined, undefined, join(dir, 'notes.md')]);
  // A required input is still required.
  await assert.rejects(
    executeComponent(evaluate, { outputs: { artifacts: { metrics: { artifacts: [{ uri: join(dir, 'm') }] }, report: { artifacts: [{ uri: join(dir, 'r') }] } } } }),
    (e: unknown) => e instanceof UsageError && /required input artifact 'model' is missing/.test(e.message),
  );
});

test('a run without the optional run input: nothing imported, the task gets no artifact', async () => {
  const runDir = join(tempDir(), 'run');
  const manifest = await runPipeline(compilePipeline(toyPipeline), new ComponentRegistry(toyComponents), { runDir, runId: 'r0' });
  assert.equal(manifest.state, 'succeeded', manifest.error);
  assert.equal(manifest.inputs, undefined);
  assert.deepEqual(Object.keys(manifest.tasks.evaluate.inputs ?? {}).sort(), ['model', 'test']);
  assert.match(readFileSync(join(runDir, 'evaluate/report.md'), 'utf8'), /notes: none/);
  assert.ok(!listTree(runDir).includes('inputs/'));
});

test('a run with the run input imports it into inputs/ with its sha256 and hands it to the task', async () => {
  const dir = tempDir();
  const runDir = join(dir, 'run');
  writeFileSync(join(dir, 'my-notes.md'), '# notes\n');
  const manifest = await runPipeline(compilePipeline(toyPipeline), new ComponentRegistry(toyComponents), {
    runDir,
    runId: 'r1',
    artifacts: { notes: join(dir, 'my-notes.md') },
  });
  assert.equal(manifest.state, 'succeeded', manifest.error);
  assert.deepEqual(manifest.inputs, {
    notes: { path: 'inputs/notes.md', sha256: sha256('# notes\n'), size: 8, type: 'system.Markdown', source: join(dir, 'my-notes.md') },
  });
  assert.equal(manifest.tasks.evaluate.inputs?.notes, 'inputs/notes.md');
  assert.equal(readFileSync(join(runDir, 'inputs/notes.md'), 'utf8'), '# notes\n');
  assert.match(readFileSync(join(runDir, 'evaluate/report.md'), 'utf8'), /notes: yes/);
  assert.deepEqual(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).inputs, manifest.inputs);
  assert.deepEqual(
    listTree(runDir).filter((p) => p.startsWith('inputs')),
    ['inputs/', 'inputs/notes.md'],
  );
});

test('bad run inputs are refused before anything is written', async () => {
  const dir = tempDir();
  const spec = compilePipeline(toyPipeline);
  const registry = new ComponentRegistry(toyComponents);
  await assert.rejects(
    runPipeline(spec, registry, { runDir: join(dir, 'a'), artifacts: { model: join(dir, 'x') } }),
    (e: unknown) => e instanceof UsageError && e.message === "pipeline 'toy-pipeline' has no input artifact 'model' (inputs: notes)",
  );
  await assert.rejects(
    runPipeline(spec, registry, { runDir: join(dir, 'b'), artifacts: { notes: join(dir, 'missing.md') } }),
    (e: unknown) => e instanceof IoError && e.message === `file not found: ${join(dir, 'missing.md')}`,
  );
  const required = definePipeline({
    name: 'needs-notes',
    inputs: { notes: artifactInput('system.Markdown') },
    build: (p, _params, inputs) => {
      const n = p.task(makeNumbers);
      p.task(evaluate, { inputs: { model: p.task(fitModel, { inputs: { train: n.outputs.numbers } }).outputs.model, test: n.outputs.numbers, notes: inputs.notes } });
    },
  });
  const requiredSpec = compilePipeline(required);
  assert.deepEqual(requiredSpec.root.inputDefinitions?.artifacts?.notes, { artifactType: markdown });
  await assert.rejects(
    runPipeline(requiredSpec, registry, { runDir: join(dir, 'c') }),
    (e: unknown) => e instanceof UsageError && e.message === "input artifact 'notes' of pipeline 'needs-notes' is required",
  );
  assert.deepEqual(listTree(dir), []);
});

test('pipeline inputs: wiring is checked by TypeScript and by the compiler', () => {
  const reader = defineComponent({
    name: 'reader',
    inputs: { model: artifactInput('system.Model'), maybe: artifactInput('system.Model', { optional: true }) },
    outputs: { out: artifactOutput('system.Artifact') },
    run: () => {},
  });
  definePipeline({
    name: 'typed',
    inputs: { opt: artifactInput('system.Model', { optional: true }), req: artifactInput('system.Model'), data: artifactInput('system.Dataset') },
    build: (p, _params, inputs) => {
      p.task(reader, { name: 'ok', inputs: { model: inputs.req, maybe: inputs.opt } });
      // @ts-expect-error an optional run input cannot feed a required component input
      p.task(reader, { name: 'bad-optional', inputs: { model: inputs.opt } });
      // @ts-expect-error a Dataset cannot feed a Model input
      p.task(reader, { name: 'bad-type', inputs: { model: inputs.data } });
    },
  });
  const base = { kind: 'pipeline', name: 'bad', description: '', parameters: {} } as const;
  const task = (inputs: Record<string, unknown>) => ({ name: 'r', component: reader, inputs, params: {}, after: [], caching: true });
  const ref = (name: string, type: string, optional: boolean) => ({ kind: 'pipelineInput', name, type, optional });
  const cases: [PipelineDefinition, string][] = [
    [
      { ...base, inputs: { m: artifactInput('system.Model', { optional: true }) }, tasks: [task({ model: ref('m', 'system.Model', true) })] },
      "task 'r': required input 'model' cannot take the optional pipeline input 'm'",
    ],
    [{ ...base, tasks: [task({ model: ref('ghost', 'system.Model', false) })] }, "task 'r': input 'model' refers to unknown pipeline input 'ghost' (pipeline inputs: none)"],
    [
      { ...base, inputs: { d: artifactInput('system.Dataset') }, tasks: [task({ model: ref('d', 'system.Dataset', false) })] },
      "task 'r': input 'model' expects system.Model but pipeline input 'd' is system.Dataset",
    ],
  ];
  for (const [def, message] of cases) {
    assert.throws(
      () => compilePipeline(def),
      (e: unknown) => e instanceof PipelineError && e.message === message,
      message,
    );
  }
  assert.throws(
    () => definePipeline({ name: 'clash', parameters: { x: stringParam('a') }, inputs: { x: artifactInput('system.Model') }, build: () => {} }),
    /declares 'x' more than once/,
  );
});
