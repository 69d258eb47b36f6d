// Reading a compiled pipeline before upload: what the client takes from it, that the bytes stay
// unchanged, and one-line errors that name the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IoError, PipelineError } from '../../../src/core/errors.ts';
import { readCompiledPipeline } from '../../../src/pipeline/kfp/index.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { TOY_PIPELINE_YAML, writePipelineFile } from './toyPipelineYaml.ts';

const dir = tempDir('sealed-kfp-file-');

test('name, run parameters and tasks come from the first document; the bytes are kept', async () => {
  const path = writePipelineFile(dir, TOY_PIPELINE_YAML, 'toy.yml');
  const compiled = await readCompiledPipeline(path, 'toy.yml');
  assert.equal(compiled.name, 'toy-kfp');
  assert.equal(compiled.description, 'Three tasks and typed run parameters');
  assert.deepEqual(compiled.tasks, ['make-data', 'train', 'evaluate']);
  assert.deepEqual(Object.keys(compiled.parameters), ['data_size', 'learning_rate', 'data_url', 'explain', 'features', 'options']);
  assert.deepEqual(compiled.parameters.features, { parameterType: 'LIST', defaultValue: ['age', 'income'] });
  assert.equal(compiled.upload.fileName, 'toy.yaml');
  assert.deepEqual(Buffer.from(compiled.upload.bytes), readFileSync(path));
});

async function rejects(text: string, message: string): Promise<void> {
  const path = writePipelineFile(dir, text, 'bad.yaml');
  await assert.rejects(readCompiledPipeline(path, 'bad.yaml'), (e: unknown) => e instanceof PipelineError && e.message === message);
}

test('a file that is not a compiled pipeline is refused, naming the file and the problem', async () => {
  await rejects('', 'bad.yaml is not a compiled KFP pipeline: the file holds no YAML document');
  await rejects('pipelineInfo: {name: x\n', 'bad.yaml is not a compiled KFP pipeline: invalid YAML at line 2, column 1: Flow map in block collection must be sufficiently indented and end with a }');
  await rejects('- a\n- b\n', 'bad.yaml is not a compiled KFP pipeline: the first YAML document is not a mapping');
  await rejects('schemaVersion: 2.1.0\nroot: {}\n', 'bad.yaml is not a compiled KFP pipeline: pipelineInfo: Invalid input: expected object, received undefined');
  await rejects('pipelineInfo: {}\nschemaVersion: 2.1.0\nroot: {}\n', 'bad.yaml is not a compiled KFP pipeline: pipelineInfo.name: Invalid input: expected string, received undefined');
  await rejects('pipelineInfo: {name: x}\nroot: {}\n', 'bad.yaml is not a compiled KFP pipeline: schemaVersion: Invalid input: expected string, received undefined');
  await rejects(
    'pipelineInfo: {name: x}\nschemaVersion: 2.1.0\nroot: {inputDefinitions: {parameters: {n: {parameterType: NUMBER}}}}\n',
    'bad.yaml is not a compiled KFP pipeline: root.inputDefinitions.parameters.n.parameterType: Invalid option: expected one of "STRING"|"NUMBER_INTEGER"|"NUMBER_DOUBLE"|"BOOLEAN"|"LIST"|"STRUCT"',
  );
  await rejects('pipelineInfo: {name: x}\nschemaVersion: 2.1.0\nroot: {}\n---\nkubernetes: {}\n', 'bad.yaml is not a compiled KFP pipeline: the second YAML document is not a platform config (it has no platforms key)');
  await rejects('a: 1\n---\nb: 2\n---\nc: 3\n', 'bad.yaml is not a compiled KFP pipeline: it has 3 YAML documents; expected the PipelineSpec and at most a platform config');
});

test('a missing file is an IoError naming the path as given', async () => {
  await assert.rejects(readCompiledPipeline(join(dir, 'nope.yaml'), 'nope.yaml'), (e: unknown) => e instanceof IoError && e.message === 'file not found: nope.yaml');
});

test("a constraint tag is ours only in files we compiled: in another compiler's file '[range: ...]' is prose", async () => {
  const dir = tempDir();
  const withDescription = (sdk: string) =>
    TOY_PIPELINE_YAML.replace('sdkVersion: sealed-0.1.0', `sdkVersion: ${sdk}`).replace(
      'data_size: {parameterType: NUMBER_INTEGER, defaultValue: 100}',
      'data_size: {parameterType: NUMBER_INTEGER, defaultValue: 100, description: "rows [range: >= 1, <= 10]"}',
    );
  const ours = await readCompiledPipeline(writePipelineFile(dir, withDescription('sealed-0.1.0 kfp>=2.0.5'), 'ours.yaml'), 'ours.yaml');
  const theirs = await readCompiledPipeline(writePipelineFile(dir, withDescription('kfp-2.8.0'), 'theirs.yaml'), 'theirs.yaml');
  assert.equal(ours.parameters.data_size?.description, 'rows [range: >= 1, <= 10]');
  assert.equal(theirs.parameters.data_size?.description, undefined);
});
