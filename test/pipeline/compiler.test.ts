import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PipelineError } from '../../src/core/index.ts';
import { compilePipeline, definePipeline, integerParam, stringParam, type PipelineDefinition, type TaskDefinition } from '../../src/pipeline/index.ts';
import { evaluate, fitModel, makeNumbers, splitNumbers, toyPipeline } from './fixtures/toyComponents.ts';

const goldenPath = fileURLToPath(new URL('./golden/toy-pipeline.json', import.meta.url));

test('the toy pipeline compiles to the golden IR (UPDATE_GOLDEN=1 rewrites it)', () => {
  const actual = JSON.stringify(compilePipeline(toyPipeline), null, 2) + '\n';
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(goldenPath, actual);
  assert.equal(actual, readFileSync(goldenPath, 'utf8'));
});

test('compiled IR has KFP shape: components, executors, DAG wiring, run parameters', () => {
  const spec = compilePipeline(toyPipeline, { image: 'reg.example/sealed:1', command: ['node', '/x/exec'] });
  assert.equal(spec.schemaVersion, '2.1.0');
  assert.deepEqual(spec.pipelineInfo, { name: 'toy-pipeline', description: 'Numbers in, a score out' });
  assert.deepEqual(Object.keys(spec.components), ['comp-make-numbers', 'comp-split-numbers', 'comp-fit-model', 'comp-evaluate']);
  assert.deepEqual(spec.deploymentSpec.executors['exec-fit-model'].container, {
    image: 'reg.example/sealed:1',
    command: ['node', '/x/exec'],
    args: ['--component', 'fit-model', '--executor-input', '{{$}}'],
  });
  // The range rides in the description, where `sealed submit` reads it (ir/parameterConstraints.ts).
  assert.deepEqual(spec.components['comp-make-numbers'].inputDefinitions?.parameters?.count, { parameterType: 'NUMBER_INTEGER', defaultValue: 5, isOptional: true, description: '[range: >= 1, <= 1000]' });
  assert.deepEqual(spec.components['comp-evaluate'].inputDefinitions?.artifacts?.notes, {
    artifactType: { schemaTitle: 'system.Markdown', schemaVersion: '0.0.1' },
    isOptional: true,
  });
  const evalTask = spec.root.dag.tasks.evaluate;
  assert.deepEqual(evalTask.dependentTasks, ['fit-model', 'split-numbers']);
  assert.deepEqual(evalTask.inputs?.artifacts?.test, { taskOutputArtifact: { producerTask: 'split-numbers', outputArtifactKey: 'test' } });
  assert.deepEqual(evalTask.cachingOptions, {});
  const fit = spec.root.dag.tasks['fit-model'];
  assert.deepEqual(fit.inputs?.parameters, { mode: { componentInputParameter: 'mode' }, fail: { componentInputParameter: 'fail_fit' } });
  assert.deepEqual(spec.root.dag.tasks['make-numbers'].inputs?.parameters?.start, { runtimeValue: { constant: 1 } });
  assert.deepEqual(spec.root.inputDefinitions?.parameters?.fail_fit, { parameterType: 'BOOLEAN', defaultValue: false, isOptional: true });
});

test('compilePipeline is pure: same output twice, definition untouched', () => {
  const before = JSON.stringify(toyPipeline.tasks.map((t) => [t.name, t.inputs, t.params, t.after]));
  assert.deepEqual(compilePipeline(toyPipeline), compilePipeline(toyPipeline));
  assert.equal(JSON.stringify(toyPipeline.tasks.map((t) => [t.name, t.inputs, t.params, t.after])), before);
});

// Hand-built definitions reach states the typed DSL prevents (as plain JS callers could).
function task(name: string, component: TaskDefinition['component'], extra: Partial<TaskDefinition> = {}): TaskDefinition {
  return { name, component, inputs: {}, params: {}, after: [], caching: true, ...extra };
}
function pipeline(tasks: TaskDefinition[], parameters: PipelineDefinition['parameters'] = {}): PipelineDefinition {
  return { kind: 'pipeline', name: 'bad', description: '', parameters, tasks };
}
const out = (t: string, output: string, type = 'system.Dataset') => ({ kind: 'taskOutput', task: t, output, type });

test('compile errors name the task and field', () => {
  const cases: [PipelineDefinition, RegExp][] = [
    [
      pipeline([task('a', splitNumbers, { inputs: { data: out('b', 'train') } }), task('b', splitNumbers, { inputs: { data: out('a', 'train') } })]),
      /tasks depend on each other in a cycle: (a -> b -> a|b -> a -> b)/,
    ],
    [pipeline([task('m', makeNumbers), task('s', splitNumbers, { inputs: { data: out('m', 'nums') } })]), /input 'data' of task 's': task 'm' has no output 'nums' \(outputs: numbers\)/],
    [pipeline([task('s', splitNumbers, { inputs: { data: out('ghost', 'x') } })]), /task 's' refers to unknown task 'ghost'/],
    [
      pipeline([task('m', makeNumbers), task('s', splitNumbers, { inputs: { data: out('m', 'numbers') } }), task('f', fitModel, { inputs: { train: out('s', 'train') } }), task('e', evaluate, { inputs: { model: out('s', 'train'), test: out('s', 'test') } })]),
      /input 'model' of task 'e' expects system.Model but output 'train' of task 's' is system.Dataset/,
    ],
    [pipeline([task('s', splitNumbers)]), /task 's' does not connect its required input 'data'/],
    [pipeline([task('m', makeNumbers, { inputs: { extra: out('m', 'numbers') } })]), /task 'm' has no input 'extra' \(inputs: none\)/],
    [pipeline([task('m', makeNumbers, { params: { size: 3 } })]), /task 'm' has no parameter 'size' \(known: count, start\)/],
    [pipeline([task('m', makeNumbers, { params: { count: 0 } })]), /parameter 'count' of task 'm' must be >= 1, got 0/],
    [pipeline([task('m', makeNumbers, { params: { count: { kind: 'pipelineParam', name: 'nope', type: 'NUMBER_INTEGER' } } })]), /pipeline 'bad' has no parameter 'nope'/],
    [
      pipeline([task('m', makeNumbers, { params: { count: { kind: 'pipelineParam', name: 'label', type: 'STRING' } } })], { label: stringParam('x') }),
      /parameter 'count' of task 'm' is an integer but pipeline parameter 'label' is a string/,
    ],
    [pipeline([task('m', makeNumbers, { after: ['zzz'] })]), /task 'm' refers to unknown task 'zzz'/],
    [pipeline([task('m', makeNumbers), task('m', makeNumbers)]), /two tasks named 'm'/],
  ];
  for (const [def, re] of cases) {
    assert.throws(() => compilePipeline(def), (e: unknown) => e instanceof PipelineError && re.test(e.message), `expected ${re}`);
  }
});

test('a required component parameter without a binding is a compile error; integer feeds double', () => {
  const needs = definePipeline({
    name: 'needs',
    parameters: { n: integerParam(2) },
    build: (p, params) => void p.task(splitNumbers, { inputs: { data: p.task(makeNumbers, { params: { count: params.n } }).outputs.numbers }, params: { test_fraction: 0.5 } }),
  });
  assert.ok(compilePipeline(needs));
  const widened = pipeline([task('m', makeNumbers), task('s', splitNumbers, { inputs: { data: out('m', 'numbers') }, params: { test_fraction: { kind: 'pipelineParam', name: 'n', type: 'NUMBER_INTEGER' } } })], { n: integerParam(0) });
  assert.equal(compilePipeline(widened).root.dag.tasks.s.inputs?.parameters?.test_fraction !== undefined, true);
});
