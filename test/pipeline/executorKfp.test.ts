// The executor as the real KFP launcher drives it. Each test names the kubeflow/pipelines file (path@tag) whose
// behaviour it follows; shapes are what protojson.Marshal of the driver's ExecutorInput gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { UsageError } from '../../src/core/index.ts';
import { executeComponent } from '../../src/pipeline/index.ts';
import { makeNumbers, splitNumbers } from './fixtures/toyComponents.ts';
import { tempDir } from './helpers/tempDir.ts';

const usage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test(e.message) && !e.message.includes('\n');
const dataset = { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' };

test('executor-logs output (driver.go@2.5.0 provisionOutputs, publish_logs default "true" in cmd/driver/main.go@2.5.0) is ignored: nothing written, not in the ExecutorOutput', async () => {
  const dir = tempDir();
  const logs = join(dir, 'minio', 'executor-logs');
  const result = await executeComponent(makeNumbers, {
    inputs: { parameterValues: { count: 2 } },
    outputs: {
      artifacts: {
        numbers: { artifacts: [{ type: dataset, uri: join(dir, 'n.csv') }] },
        'executor-logs': { artifacts: [{ type: { schemaTitle: 'system.Artifact' }, uri: logs }] },
      },
      outputFile: join(dir, 'out', 'output_metadata.json'),
    },
  });
  assert.deepEqual(Object.keys(result.artifacts), ['numbers']);
  assert.equal(existsSync(logs), false);
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(join(dir, 'out', 'output_metadata.json'), 'utf8')).artifacts), ['numbers']);
});

test('upstream input typed {"instanceSchema": ""} with the MLMD id as name (metadata/client.go@HEAD ToRuntimeArtifact, converter.go toRuntimeArtifact) takes the declared type', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'in.csv'), '1\n2\n3\n4\n');
  const out = (k: string) => ({ artifacts: [{ type: dataset, uri: join(dir, `${k}.csv`) }] });
  // Output artifacts without `name` as driver.go@2.0.5..@2.5.0 provisionOutputs sends them; parameterValues with the
  // default the launcher adds (launcher_v2.go@2.0.5 addDefaultParams).
  const input = {
    inputs: {
      parameterValues: { test_fraction: 0.25 },
      artifacts: { data: { artifacts: [{ name: '1234', type: { instanceSchema: '' }, uri: join(dir, 'in.csv'), metadata: { display_name: 'credit_risk_dataset', store_session_info: '{"Provider":"minio"}' } }] } },
    },
    outputs: { parameters: {}, artifacts: { train: out('train'), test: out('test') }, outputFile: join(dir, 'o.json') },
  };
  const result = await executeComponent(splitNumbers, JSON.stringify(input));
  assert.deepEqual(result.artifacts.train.artifacts[0].name, 'train');
  assert.equal(readFileSync(join(dir, 'test.csv'), 'utf8'), '1\n');
  // ...and with no type at all (sdk/python/kfp/dsl/executor.py@HEAD create_artifact_instance falls back to the annotation).
  delete (input.inputs.artifacts.data.artifacts[0] as { type?: unknown }).type;
  await executeComponent(splitNumbers, input);
});

test('HEAD forms: output name = key, outputFile under the task root, output parameters provisioned (driver.go@HEAD provisionOutputs)', async () => {
  const dir = tempDir();
  const taskRoot = join(dir, 'minio', 'mlpipeline', 'v2', 'artifacts', 'p', 'run', 'make-numbers', 'salt');
  const result = await executeComponent(makeNumbers, {
    inputs: { parameterValues: { count: 1 }, artifacts: {} },
    outputs: {
      parameters: { unused: { outputFile: join(dir, 'tmp', 'kfp', 'outputs', 'unused') } },
      artifacts: { numbers: { artifacts: [{ name: 'numbers', type: dataset, uri: join(taskRoot, 'numbers') }] } },
      outputFile: join(taskRoot, 'output_metadata.json'),
    },
  });
  assert.deepEqual(result, { parameterValues: {}, artifacts: { numbers: { artifacts: [{ name: 'numbers', metadata: {} }] } } });
  assert.ok(existsSync(join(taskRoot, 'output_metadata.json')));
});

test('an undeclared INPUT artifact is refused (sdk/python/kfp/dsl/executor.py@HEAD: self.func.__annotations__[name] raises)', async () => {
  const dir = tempDir();
  await assert.rejects(
    executeComponent(makeNumbers, { inputs: { artifacts: { extra: { artifacts: [{ uri: join(dir, 'x') }] } } }, outputs: { artifacts: { numbers: { artifacts: [{ uri: join(dir, 'n') }] } } } }),
    usage(/unknown artifact 'extra' in inputs.artifacts/),
  );
});

test('attack: huge executor input JSON is refused in one line before parsing', async () => {
  const huge = JSON.stringify({ inputs: { parameterValues: { count: 1 }, pad: 'x'.repeat(17 * 1024 * 1024) } });
  await assert.rejects(executeComponent(makeNumbers, huge), usage(/more than the 16777216 allowed/));
});

test('attack: deeply nested executor input is refused naming where', async () => {
  const n = 100_000;
  const text = `{"inputs":{"artifacts":{}},"x":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`;
  await assert.rejects(executeComponent(makeNumbers, text), usage(/nested more than 64 levels deep/));
  const list = `{"inputs":{"parameterValues":{"count":${'['.repeat(n)}${']'.repeat(n)}}}}`;
  await assert.rejects(executeComponent(makeNumbers, list), usage(/nested more than 64 levels deep/));
});

test('attack: URIs with .. segments cannot leave the launcher mounts (launcher_v2.go@HEAD LocalPathForURI does not clean paths)', async () => {
  const dir = tempDir();
  for (const uri of ['minio://mlpipeline/../../etc/passwd', 's3://b/k/../../../root/x', `${dir}/a/../../escape`]) {
    await assert.rejects(executeComponent(makeNumbers, { outputs: { artifacts: { numbers: { artifacts: [{ uri }] } } } }), usage(/outputs.artifacts.numbers.uri has a '..' segment/), uri);
    await assert.rejects(
      executeComponent(splitNumbers, { inputs: { artifacts: { data: { artifacts: [{ uri }] } } }, outputs: { artifacts: { train: { artifacts: [{ uri: join(dir, 't') }] }, test: { artifacts: [{ uri: join(dir, 's') }] } } } }),
      usage(/inputs.artifacts.data.uri has a '..' segment/),
    );
  }
});

test('attack: NUL and control characters in a URI or the output file are refused', async () => {
  const dir = tempDir();
  await assert.rejects(executeComponent(makeNumbers, { outputs: { artifacts: { numbers: { artifacts: [{ uri: `${dir}/n\u0000.csv` }] } } } }), usage(/has a control character/));
  await assert.rejects(executeComponent(makeNumbers, { outputs: { artifacts: { numbers: { artifacts: [{ uri: `${dir}/n\n.csv` }] } } } }), usage(/has a control character/));
  await assert.rejects(executeComponent(makeNumbers, { outputs: { artifacts: { numbers: { artifacts: [{ uri: join(dir, 'n') }] } }, outputFile: `${dir}/o\u0007.json` } }), usage(/outputs.outputFile.uri has a control character/));
});

test('attack: schemes the launcher cannot mount (file://, https://, oci://) are refused; plain absolute paths are the local-engine contract', async () => {
  const dir = tempDir();
  for (const uri of ['file:///etc/passwd', 'https://evil.example/x', 'oci://registry/model']) {
    await assert.rejects(executeComponent(makeNumbers, { outputs: { artifacts: { numbers: { artifacts: [{ uri }] } } } }), usage(/unsupported scheme/), uri);
  }
  // An absolute path outside the mounts is used as is (kfp-contract §3 "any other URI is used as a path as is";
  // the local runner relies on it); the container's user (1000, Dockerfile) bounds what it can write.
  await executeComponent(makeNumbers, { inputs: { parameterValues: { count: 1 } }, outputs: { artifacts: { numbers: { artifacts: [{ uri: join(dir, 'abs', 'n.csv') }] } } } });
  assert.ok(existsSync(join(dir, 'abs', 'n.csv')));
});

test('attack: outputFile pointing at a special file (/dev/null, a FIFO, a folder) is refused before the component runs', async () => {
  const dir = tempDir();
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  mkdirSync(join(dir, 'folder'));
  for (const outputFile of ['/dev/null', fifo, join(dir, 'folder'), 'minio://b/o.json']) {
    const uri = join(dir, `n-${outputFile.length}.csv`);
    await assert.rejects(executeComponent(makeNumbers, { outputs: { artifacts: { numbers: { artifacts: [{ uri }] } }, outputFile } }), usage(/outputs.outputFile/), outputFile);
    assert.equal(existsSync(uri), false, 'the component did not run');
  }
});
