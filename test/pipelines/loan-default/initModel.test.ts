// Continuing a model: train-model's optional `init_model` input, fed by `sealed run
// --init-model` (the pipeline's run input artifact) or `sealed component train-model --init_model`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256File } from '../../../src/core/index.ts';
import { parseModel, serializeModel, train } from '../../../src/gbdt/index.ts';
import { compilePipeline } from '../../../src/pipeline/index.ts';
import { loanDefaultPipeline, trainModel } from '../../../src/pipelines/loan-default/index.ts';
import { runCli } from '../../cli/helpers.ts';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';
import { sealed, writeRawCsv } from './helpers.ts';

const model = { schemaTitle: 'system.Model', schemaVersion: '0.0.1' };

interface Manifest {
  inputs?: Record<string, { path: string; sha256: string; type: string; source: string }>;
  tasks: Record<string, { state: string; inputs?: Record<string, string>; log?: string; outputs: Record<string, { path: string; metadata?: Record<string, unknown> }> }>;
}
const manifestOf = (runDir: string): Manifest => JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as Manifest;

test('train-model declares init_model optional; the pipeline passes its optional run input to it', () => {
  assert.deepEqual(trainModel.inputs.init_model, { kind: 'artifactInput', type: 'system.Model', optional: true, description: 'XGBoost JSON or UBJSON model to continue training' });
  const spec = compilePipeline(loanDefaultPipeline);
  assert.deepEqual(spec.components['comp-train-model'].inputDefinitions?.artifacts?.init_model, { artifactType: model, isOptional: true });
  assert.deepEqual(spec.root.inputDefinitions?.artifacts, { init_model: { artifactType: model, isOptional: true } });
  assert.deepEqual(spec.root.dag.tasks['train-model'].inputs?.artifacts?.init_model, { componentInputArtifact: 'init_model' });
});

test('sealed run --init-model continues the given model; without it training starts afresh', async () => {
  const cwd = tempDir();
  const raw = writeRawCsv(cwd, 'raw.csv', 400, 3);
  const first = await sealed(['run', '--data-url', raw, '--run-dir', 'r1'], cwd);
  assert.equal(first.code, 0, first.stderr);
  const m1 = manifestOf(join(cwd, 'r1'));
  assert.equal(m1.inputs, undefined);
  assert.equal(m1.tasks['train-model'].inputs?.init_model, undefined);
  assert.equal(m1.tasks['train-model'].outputs.model.metadata?.trees, 500);
  const model1 = join(cwd, 'r1', m1.tasks['train-model'].outputs.model.path);

  // The model from the first run, as UBJSON: the format is read from the content.
  writeFileSync(join(cwd, 'first.ubj'), serializeModel(parseModel(readFileSync(model1), model1), 'ubj'));
  const second = await sealed(['run', '--data-url', raw, '--run-dir', 'r2', '--init-model', 'first.ubj', '--json'], cwd);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(JSON.parse(second.stdout.trimEnd().split('\n').at(-1)!).state, 'succeeded');
  const m2 = manifestOf(join(cwd, 'r2'));
  assert.deepEqual(m2.inputs?.init_model, {
    path: 'inputs/init_model.ubj',
    sha256: await sha256File(join(cwd, 'first.ubj')),
    size: readFileSync(join(cwd, 'first.ubj')).length,
    type: 'system.Model',
    source: join(cwd, 'first.ubj'),
  });
  assert.equal(m2.tasks['train-model'].inputs?.init_model, 'inputs/init_model.ubj');
  assert.deepEqual(
    { trees: m2.tasks['train-model'].outputs.model.metadata?.trees, initTrees: m2.tasks['train-model'].outputs.model.metadata?.initTrees },
    { trees: 1000, initTrees: 500 },
  );
  assert.match(readFileSync(join(cwd, 'r2', 'train-model/log.txt'), 'utf8'), /continuing the init model \(500 trees\)/);
  const continued = parseModel(readFileSync(join(cwd, 'r2', m2.tasks['train-model'].outputs.model.path)), 'model.json');
  assert.deepEqual(continued.trees.slice(0, 500), parseModel(readFileSync(model1), model1).trees);

  // The component alone, with the same optional input.
  const pre = (key: string) => join('r1', m1.tasks['preprocess-features'].outputs[key].path);
  const ytr = join('r1', m1.tasks['create-train-test-set'].outputs.y_train_data.path);
  const comp = await sealed(
    ['component', 'train-model', `--x_train=${pre('x_train_processed')}`, `--y_train=${ytr}`, '--init_model=first.ubj', '--num_boost_round=2', '--model=more.json'],
    cwd,
  );
  assert.equal(comp.code, 0, comp.stderr);
  assert.equal(parseModel(readFileSync(join(cwd, 'more.json')), 'more.json').trees.length, 502);

  // A model with another feature count fails in train-model, naming the file.
  const narrowModel = train({ data: Float64Array.from([0, 1, 2, 1, 0, 3, 2, 2, 1, 3, 1, 0]), nRows: 4, nCols: 3 }, [0, 1, 0, 1], { num_boost_round: 1 }).model;
  writeFileSync(join(cwd, 'narrow.json'), serializeModel(narrowModel, 'json'));
  const narrow = await sealed(['run', '--data-url', raw, '--run-dir', 'r3', '--init-model', 'narrow.json'], cwd);
  assert.equal(narrow.code, 1);
  assert.match(narrow.stderr, /sealed: run failed \(r3\): task 'train-model' failed: .*inputs\/init_model\.json: model expects 3 features, matrix has \d+ columns\n$/);
});

test('sealed run --init-model: a missing or corrupt model fails before any task runs', async () => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'corrupt.json'), '{"learner": 1}');
  const missing = await sealed(['run', '--run-dir', 'a', '--init-model', 'nope.json'], cwd);
  assert.deepEqual([missing.code, missing.stderr], [1, 'sealed: file not found: nope.json\n']);
  const corrupt = await sealed(['run', '--run-dir', 'b', '--init-model', 'corrupt.json'], cwd);
  assert.equal(corrupt.code, 1);
  assert.match(corrupt.stderr, /^sealed: corrupt\.json.*invalid XGBoost JSON model: .*\n$/);
  assert.equal(existsSync(join(cwd, 'a')) || existsSync(join(cwd, 'b')), false);
  // A pipeline without an init_model input says so (the toy pipeline of the CLI tests).
  const toy = await runCli(['run', '--init-model', 'corrupt.json'], { cwd });
  assert.deepEqual([toy.code, toy.stderr], [2, "sealed: option --init-model is not supported by pipeline 'toy-pipeline' (it has no input artifact for it)\n"]);
});
