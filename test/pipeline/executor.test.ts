import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineError, UsageError } from '../../src/core/index.ts';
import { ComponentRegistry, artifactOutput, defineComponent, executeComponent, uriToPath } from '../../src/pipeline/index.ts';
import { evaluate, makeNumbers, splitNumbers, toyComponents } from './fixtures/toyComponents.ts';
import { tempDir } from './helpers/tempDir.ts';

const dataset = { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' };

test('uriToPath maps object-store URIs to the launcher mounts and leaves others alone', () => {
  assert.equal(uriToPath('minio://mlpipeline/v2/artifacts/p/r/t/1/data'), '/minio/mlpipeline/v2/artifacts/p/r/t/1/data');
  assert.equal(uriToPath('s3://bucket/k/x.csv'), '/s3/bucket/k/x.csv');
  assert.equal(uriToPath('gs://b/k'), '/gcs/b/k');
  assert.equal(uriToPath('/tmp/a/b'), '/tmp/a/b');
  assert.equal(uriToPath('relative/x'), 'relative/x');
});

test('executeComponent runs a component from KFP-shaped ExecutorInput JSON and writes the executor output', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'in.csv'), '1\n2\n3\n4\n5\n6\n7\n8\n');
  const outputFile = join(dir, 'kfp', 'outputs', 'output_metadata.json');
  const executorInput = {
    inputs: {
      parameterValues: {},
      artifacts: { data: { artifacts: [{ name: 'load/data', type: dataset, uri: join(dir, 'in.csv'), metadata: { rows: 8 } }] } },
    },
    outputs: {
      artifacts: {
        train: { artifacts: [{ name: 'train', type: dataset, uri: join(dir, 'out', 'train.csv') }] },
        test: { artifacts: [{ name: 'test', type: dataset, uri: join(dir, 'out', 'test.csv') }] },
      },
      outputFile,
    },
  };
  const result = await executeComponent(splitNumbers, JSON.stringify(executorInput));
  // Default test_fraction 0.25 of 8 rows -> 2 test rows.
  assert.equal(readFileSync(join(dir, 'out', 'test.csv'), 'utf8'), '1\n2\n');
  assert.equal(readFileSync(join(dir, 'out', 'train.csv'), 'utf8'), '3\n4\n5\n6\n7\n8\n');
  assert.deepEqual(result, { parameterValues: {}, artifacts: { train: { artifacts: [{ name: 'train', metadata: {} }] }, test: { artifacts: [{ name: 'test', metadata: {} }] } } });
  assert.deepEqual(JSON.parse(readFileSync(outputFile, 'utf8')), result);
});

test('executeComponent passes metadata, logs and progress through', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ weight: 10 }));
  writeFileSync(join(dir, 'test.csv'), '2\n3\n');
  const logs: string[] = [];
  const progress: number[] = [];
  const result = await executeComponent(
    evaluate,
    {
      inputs: {
        artifacts: {
          model: { artifacts: [{ uri: join(dir, 'model.json'), type: { schemaTitle: 'system.Model' } }] },
          test: { artifacts: [{ uri: join(dir, 'test.csv') }] },
        },
      },
      outputs: { artifacts: { metrics: { artifacts: [{ uri: join(dir, 'm') }] }, report: { artifacts: [{ uri: join(dir, 'r.md') }] } } },
    },
    { reporter: { log: (t) => logs.push(t), progress: (p) => progress.push(p.current) } },
  );
  assert.deepEqual(result.artifacts.metrics.artifacts[0], { name: 'metrics', metadata: { score: 0.5, count: 2 } });
  assert.match(readFileSync(join(dir, 'r.md'), 'utf8'), /notes: none/);

  await executeComponent(makeNumbers, { inputs: { parameterValues: { count: 3 } }, outputs: { artifacts: { numbers: { artifacts: [{ uri: join(dir, 'n.csv') }] } } } }, {
    reporter: { log: (t) => logs.push(t), progress: (p) => progress.push(p.current) },
  });
  assert.deepEqual(logs, ['made 3 numbers']);
  assert.deepEqual(progress, [1, 2, 3]);
});

test('executeComponent rejects bad executor input naming component and field', async () => {
  const dir = tempDir();
  const outputs = { artifacts: { numbers: { artifacts: [{ uri: join(dir, 'n.csv') }] } } };
  const usage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test(e.message);
  await assert.rejects(executeComponent(makeNumbers, '{not json'), usage(/invalid executor input for component 'make-numbers': not JSON/));
  // An empty list is "not given" (sdk/python/kfp/dsl/executor.py@HEAD assign_input_and_output_artifacts skips it).
  await assert.rejects(executeComponent(makeNumbers, { outputs: { artifacts: { numbers: { artifacts: [] } } } }), usage(/output artifact 'numbers' has no uri/));
  await assert.rejects(executeComponent(makeNumbers, { inputs: {} }), usage(/output artifact 'numbers' has no uri/));
  await assert.rejects(executeComponent(makeNumbers, { inputs: { parameterValues: { count: '3' } }, outputs }), usage(/parameter 'count' of component 'make-numbers' must be an integer, got '3'/));
  await assert.rejects(executeComponent(makeNumbers, { inputs: { parameterValues: { count: 0 } }, outputs }), usage(/parameter 'count' of component 'make-numbers' must be >= 1, got 0/));
  await assert.rejects(executeComponent(makeNumbers, { inputs: { parameterValues: { size: 3 } }, outputs }), usage(/component 'make-numbers' has no parameter 'size'/));
  await assert.rejects(
    executeComponent(makeNumbers, { inputs: { artifacts: { data: { artifacts: [{ uri: '/x' }] } } }, outputs }),
    usage(/unknown artifact 'data' in inputs.artifacts \(declared: none\)/),
  );
  await assert.rejects(executeComponent(splitNumbers, { outputs: { artifacts: {} } }), usage(/required input artifact 'data' is missing/));
  await assert.rejects(
    executeComponent(makeNumbers, { outputs: { artifacts: { numbers: { artifacts: [{ uri: join(dir, 'n.csv'), type: { schemaTitle: 'system.Model' } }] } } } }),
    usage(/outputs.artifacts.numbers is system.Model, expected system.Dataset/),
  );
  assert.equal(existsSync(join(dir, 'n.csv')), false, 'nothing ran');
});

test('a component that skips an output or sets non-finite metadata fails', async () => {
  const dir = tempDir();
  const lazy = defineComponent({ name: 'lazy', outputs: { out: artifactOutput('system.Dataset') }, run: () => {} });
  await assert.rejects(
    executeComponent(lazy, { outputs: { artifacts: { out: { artifacts: [{ uri: join(dir, 'o') }] } } } }),
    (e: unknown) => e instanceof PipelineError && /component 'lazy' finished without writing its output 'out'/.test(e.message),
  );
  const nan = defineComponent({
    name: 'nan',
    outputs: { m: artifactOutput('system.Metrics') },
    run: (ctx) => ctx.outputs.m.setMetadata({ AUC: Number.NaN }),
  });
  await assert.rejects(
    executeComponent(nan, { outputs: { artifacts: { m: { artifacts: [{ uri: join(dir, 'm') }] } } } }),
    /metadata of output 'm' of component 'nan' has a non-finite number at 'AUC'/,
  );
});

test('ComponentRegistry looks components up by name and lists the valid names', () => {
  const registry = new ComponentRegistry(toyComponents);
  assert.equal(registry.get('fit-model').name, 'fit-model');
  assert.deepEqual(registry.names(), ['evaluate', 'fit-model', 'make-numbers', 'split-numbers']);
  assert.throws(() => registry.get('fit'), (e: unknown) => e instanceof UsageError && /unknown component 'fit' \(components: evaluate, fit-model, make-numbers, split-numbers\)/.test(e.message));
  assert.throws(() => registry.register(defineComponent({ name: 'evaluate', run: () => {} })), /two different components are named 'evaluate'/);
  assert.equal(new ComponentRegistry({ a: makeNumbers }).has('make-numbers'), true);
});
