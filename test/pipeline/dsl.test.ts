import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PipelineError, UsageError } from '../../src/core/index.ts';
import {
  artifactInput,
  artifactOutput,
  booleanParam,
  defineComponent,
  definePipeline,
  doubleParam,
  integerParam,
  metadataProblem,
  stringParam,
  validateParameter,
  validateParameters,
} from '../../src/pipeline/index.ts';
import { evaluate, fitModel, makeNumbers, splitNumbers, toyPipeline } from './fixtures/toyComponents.ts';

// Type-level checks: `tsc --noEmit` fails if an expectation below stops holding.
export function typeChecks(): void {
  defineComponent({
    name: 'typed',
    inputs: { x: artifactInput('system.Dataset'), maybe: artifactInput('system.Model', { optional: true }) },
    parameters: { seed: integerParam(0), rate: doubleParam(0.5), split: stringParam('random', { enum: ['random', 'grouped'] }), flag: booleanParam(false) },
    outputs: { y: artifactOutput('system.Model', { extension: '.json' }) },
    run: (ctx) => {
      const seed: number = ctx.parameters.seed;
      const split: 'random' | 'grouped' = ctx.parameters.split;
      const flag: boolean = ctx.parameters.flag;
      const path: string = ctx.inputs.x.path;
      // @ts-expect-error optional inputs may be undefined
      const maybePath: string = ctx.inputs.maybe.path;
      ctx.outputs.y.setMetadata({ seed, split, flag, path, maybePath, nested: { list: [1, 'a', true] } });
      // @ts-expect-error a string parameter is not a number
      const wrong: number = ctx.parameters.split;
      // @ts-expect-error unknown parameter
      void ctx.parameters.nope;
      void wrong;
    },
  });
  definePipeline({
    name: 'typed-pipeline',
    parameters: { n: integerParam(3), label: stringParam('x') },
    build: (p, params) => {
      const a = p.task(makeNumbers, { params: { count: params.n } });
      // @ts-expect-error a string pipeline parameter cannot feed an integer parameter
      p.task(makeNumbers, { name: 'b', params: { count: params.label } });
      // @ts-expect-error a Dataset cannot feed a Model input
      p.task(evaluate, { inputs: { model: a.outputs.numbers, test: a.outputs.numbers } });
      // @ts-expect-error the required input 'data' is missing
      p.task(splitNumbers, { name: 'c', inputs: {} });
      // @ts-expect-error enum parameters only take their literals
      p.task(fitModel, { name: 'd', inputs: { train: a.outputs.numbers }, params: { mode: 'median' } });
    },
  });
}

test('defineComponent records specs, defaults and descriptions', () => {
  assert.equal(makeNumbers.name, 'make-numbers');
  assert.deepEqual(makeNumbers.parameters.count, { kind: 'parameter', type: 'NUMBER_INTEGER', min: 1, max: 1000, default: 5 });
  assert.deepEqual(splitNumbers.inputs.data, { kind: 'artifactInput', type: 'system.Dataset', optional: false });
  assert.equal(evaluate.inputs.notes.optional, true);
  assert.equal(fitModel.outputs.model.extension, '.json');
  assert.ok(Object.isFrozen(makeNumbers));
});

test('defineComponent rejects bad names, shared keys, bad defaults and bad declarations', () => {
  const run = (): void => {};
  assert.throws(() => defineComponent({ name: 'Load_Data', run }), /component name 'Load_Data' is invalid/);
  assert.throws(
    () => defineComponent({ name: 'a', inputs: { x: artifactInput('system.Dataset') }, outputs: { x: artifactOutput('system.Dataset') }, run }),
    (e: unknown) => e instanceof PipelineError && /component 'a' declares 'x' more than once/.test(e.message),
  );
  assert.throws(() => defineComponent({ name: 'a', parameters: { n: integerParam(-1, { min: 0 }) }, run }), /default of 'n' is invalid: .*must be >= 0, got -1/);
  assert.throws(() => defineComponent({ name: 'a', parameters: { s: stringParam('z' as never, { enum: ['x', 'y'] }) }, run }), /must be one of x, y/);
  assert.throws(() => defineComponent({ name: 'a', parameters: { '1x': integerParam(0) }, run }), /name '1x' is invalid/);
  assert.throws(() => defineComponent({ name: 'a', parameters: { n: 3 as never }, run }), /'n' must be declared with integerParam/);
  assert.throws(() => artifactInput('system.Table' as never), /artifact type name 'system.Table' is invalid/);
  assert.throws(() => artifactOutput('system.Dataset', { extension: 'csv' }), /artifact extension name 'csv'/);
});

test('validateParameter checks type, integer-ness, bounds and enums with a UsageError naming owner and key', () => {
  const owner = "component 'split'";
  const is = (re: RegExp) => (e: unknown) => e instanceof UsageError && e.exitCode === 2 && re.test(e.message);
  const frac = doubleParam(0.25, { exclusiveMin: 0, exclusiveMax: 1 });
  assert.equal(validateParameter(owner, 'test_size', frac, undefined), 0.25);
  assert.equal(validateParameter(owner, 'test_size', frac, 0.5), 0.5);
  assert.throws(() => validateParameter(owner, 'test_size', frac, 1), is(/parameter 'test_size' of component 'split' must be < 1, got 1/));
  assert.throws(() => validateParameter(owner, 'test_size', frac, 0), is(/must be > 0, got 0/));
  assert.throws(() => validateParameter(owner, 'test_size', frac, Number.NaN), is(/must be a finite number, got NaN/));
  assert.throws(() => validateParameter(owner, 'test_size', frac, '0.5'), is(/must be a finite number, got '0.5'/));
  assert.throws(() => validateParameter(owner, 'seed', integerParam(0), 1.5), is(/parameter 'seed' .* must be an integer, got 1.5/));
  assert.throws(() => validateParameter(owner, 'seed', integerParam(), undefined), is(/parameter 'seed' of component 'split' is required/));
  assert.throws(() => validateParameter(owner, 'flag', booleanParam(false), 'true'), is(/must be a boolean/));
  assert.throws(() => validateParameter(owner, 'mode', stringParam('a', { enum: ['a', 'b'] }), 'c'), is(/must be one of a, b, got 'c'/));
  assert.deepEqual(validateParameters(owner, { a: integerParam(1), b: stringParam('x') }, { b: 'y' }), { a: 1, b: 'y' });
  assert.throws(() => validateParameters(owner, { a: integerParam(1) }, { c: 1 }), is(/has no parameter 'c' \(known: a\)/));
});

test('definePipeline records the task graph as data', () => {
  assert.deepEqual(
    toyPipeline.tasks.map((t) => t.name),
    ['make-numbers', 'split-numbers', 'fit-model', 'evaluate'],
  );
  const split = toyPipeline.tasks[1];
  assert.deepEqual(split.inputs.data, { kind: 'taskOutput', task: 'make-numbers', output: 'numbers', type: 'system.Dataset' });
  assert.deepEqual(toyPipeline.tasks[0].params.count, { kind: 'pipelineParam', name: 'count', type: 'NUMBER_INTEGER' });
  assert.equal(toyPipeline.tasks[3].caching, false);
  assert.deepEqual(toyPipeline.summary, { task: 'evaluate', output: 'metrics' });
});

test('definePipeline rejects duplicate task names and a summary pointing nowhere', () => {
  assert.throws(
    () => definePipeline({ name: 'dup', build: (p) => { p.task(makeNumbers); p.task(makeNumbers); } }),
    /pipeline 'dup' has two tasks named 'make-numbers'/,
  );
  const twice = definePipeline({ name: 'twice', build: (p) => { p.task(makeNumbers); p.task(makeNumbers, { name: 'again' }); } });
  assert.deepEqual(twice.tasks.map((t) => t.name), ['make-numbers', 'again']);
  assert.throws(
    () => definePipeline({ name: 'sum', summary: { task: 'make-numbers', output: 'metrics' }, build: (p) => void p.task(makeNumbers) }),
    /summary refers to unknown output 'metrics' of task 'make-numbers'/,
  );
});

test('metadataProblem accepts JSON and names the path of null, NaN or Infinity', () => {
  assert.equal(metadataProblem({ AUC: 0.9, list: [{ a: 1 }], s: 'x', b: false }), undefined);
  assert.match(metadataProblem({ a: { b: [1, Number.NaN] } })!, /non-finite number at 'a.b\[1\]'/);
  assert.match(metadataProblem({ a: null })!, /null at 'a'/);
  assert.match(metadataProblem({ a: Infinity })!, /non-finite/);
  assert.match(metadataProblem({ d: new Date() })!, /non-JSON value/);
});
