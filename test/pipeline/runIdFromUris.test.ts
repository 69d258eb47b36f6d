// runIdFromExecutorInput (src/pipeline/executor/runIdFromUris.ts): the KFP run id read from the output URIs the driver
// provisions, checked against ExecutorInputs built by the backend emulation's driver for every modelled release
// (test/pipeline/helpers/kfpLauncher/driver.ts: provisionOutputs of driver.go@2.0.5 / @2.3.0 plain, @2.5.0 / HEAD salted,
// pipeline root from metadata/client.go GetPipeline), and hostile inputs refused with one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { PipelineError } from '../../src/core/index.ts';
import { compilePipelineDocuments, toPipelineYaml } from '../../src/pipeline/index.ts';
import { kfpTaskIdentity, runIdFromExecutorInput } from '../../src/pipeline/executor/runIdFromUris.ts';
import { KFP_VERSIONS, PROFILES, runtimeParameters, uploadPipeline } from './helpers/kfpLauncher/index.ts';
import { buildExecutorInput } from './helpers/kfpLauncher/driver.ts';
import { Mlmd } from './helpers/kfpLauncher/mlmd.ts';
import { toyPipeline } from './fixtures/toyComponents.ts';

for (const v of KFP_VERSIONS) {
  for (const pipelineRoot of ['minio://mlpipeline/v2/artifacts', 's3://bucket', 'gs://b/deep/er/root?region=x']) {
    test(`KFP ${v}, root ${pipelineRoot}: the run id, task and pipeline from the driver's ExecutorInput`, () => {
      const uploaded = uploadPipeline(toPipelineYaml(compilePipelineDocuments(toyPipeline, { kfpVersion: v === 'HEAD' ? '2.17' : v })), v);
      const runId = randomUUID();
      const ctx = { pipelineRoot, runId, rootParameters: runtimeParameters(uploaded, {}), rootArtifacts: {}, mlmd: new Mlmd() };
      const input = buildExecutorInput(uploaded, 'make-numbers', ctx);
      assert.equal(runIdFromExecutorInput(input), runId);
      assert.deepEqual(kfpTaskIdentity(JSON.stringify(input), { task: 'make-numbers', pipelineName: 'toy-pipeline' }), {
        pipelineName: 'toy-pipeline',
        runId,
        task: 'make-numbers',
        layout: PROFILES[v].outputUriSalt ? 'salted' : 'plain',
      });
    });
  }
}

const RUN = '6f1c2a4e-9b7d-4c3e-8a2f-1d0e9c8b7a65';
const SALT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const inputWith = (uris: Record<string, string>) => ({ inputs: {}, outputs: { artifacts: Object.fromEntries(Object.entries(uris).map(([k, uri]) => [k, { artifacts: [{ uri }] }])), outputFile: '/tmp/kfp_outputs/output_metadata.json' } });
const refused = (input: unknown, reason: RegExp, options = {}) =>
  assert.throws(
    () => runIdFromExecutorInput(input, { component: 'train-model', ...options }),
    (e: unknown) => e instanceof PipelineError && e.code === 'pipeline.badExecutorInput' && reason.test(e.message) && e.message.startsWith("invalid executor input for component 'train-model'"),
    reason.source,
  );

test('attack: outputs that disagree on the run (an input stitched from two runs) are refused', () => {
  refused(inputWith({ model: `minio://b/p/loan-default/${RUN}/train-model/model`, metrics: `minio://b/p/loan-default/${randomUUID()}/train-model/metrics` }), /the output URIs disagree/);
  refused(inputWith({ model: `minio://b/loan-default/${RUN}/train-model/${SALT}/model`, metrics: `minio://b/loan-default/${RUN}/batch-inference/${SALT}/metrics` }), /disagree/);
});

test('attack: another task\'s or pipeline\'s outputs, when the caller says which it is', () => {
  const input = inputWith({ model: `minio://b/loan-default/${RUN}/train-model/${SALT}/model` });
  assert.equal(runIdFromExecutorInput(input, { task: 'train-model', pipelineName: 'loan-default' }), RUN);
  refused(input, /belongs to task 'train-model', not 'compile-model'/, { task: 'compile-model' });
  refused(input, /belongs to pipeline 'loan-default', not 'other'/, { pipelineName: 'other' });
});

test('attack: URIs without a run id where the driver puts it, with dot segments, queries, or a wrong file name', () => {
  for (const [uri, reason] of [
    ['minio://b/loan-default/not-a-uuid/train-model/model', /no KFP run id/],
    [`minio://b/loan-default/${RUN}/../train-model/model`, /dot segment/],
    [`minio://b/loan-default/${RUN}//model`, /empty or dot segment/],
    [`minio://b/loan-default/${RUN}/train-model/model?x=1`, /not a KFP artifact URI/],
    [`/minio/b/loan-default/${RUN}/train-model/model`, /not a KFP artifact URI/],
    [`minio://b/loan-default/${RUN}/train-model/other`, /does not end with \/model/],
    [`minio://${RUN}/train-model/model`, /no KFP run id/],
    [`minio://b/x/${RUN.toUpperCase()}/train-model/model`, /no KFP run id/],
    [`minio://b/${'a/'.repeat(3000)}model`, /longer than 4096/],
  ] as const) {
    refused(inputWith({ model: uri }), reason);
  }
  refused({ inputs: {} }, /no output artifacts/);
  refused({ outputs: { artifacts: {} } }, /no output artifacts/);
  refused({ outputs: { artifacts: { model: { artifacts: [{}] } } } }, /output 'model' has no URI/);
  refused('{not json', /not JSON/);
  refused(null, /no output artifacts/);
});
