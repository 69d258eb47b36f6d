// The loan-default pipeline's compiled IR, pinned by a golden file (UPDATE_GOLDEN=1 rewrites
// it): the IR is what both the local runner and Kubeflow execute, so any change shows here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compilePipeline } from '../../../src/pipeline/index.ts';
import { loanDefaultPipeline } from '../../../src/pipelines/loan-default/index.ts';

const goldenPath = fileURLToPath(new URL('./golden/loan-default.ir.json', import.meta.url));

test('the loan-default pipeline compiles to the golden IR', () => {
  const actual = JSON.stringify(compilePipeline(loanDefaultPipeline), null, 2) + '\n';
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(goldenPath, actual);
  assert.equal(actual, readFileSync(goldenPath, 'utf8'));
});

test('seven tasks named as the reference steps, wired by artifact flow', () => {
  const spec = compilePipeline(loanDefaultPipeline);
  const tasks = spec.root.dag.tasks;
  assert.deepEqual(Object.keys(tasks).sort(), [
    'batch-inference', 'compile-model', 'create-train-test-set', 'load-data', 'plot-roc-curve', 'preprocess-features', 'train-model',
  ]);
  assert.deepEqual(tasks['batch-inference'].dependentTasks?.sort(), ['compile-model', 'create-train-test-set', 'preprocess-features', 'train-model']);
  assert.deepEqual(tasks['train-model'].inputs?.artifacts?.y_train, { taskOutputArtifact: { producerTask: 'create-train-test-set', outputArtifactKey: 'y_train_data' } });
  assert.deepEqual(Object.keys(spec.root.inputDefinitions?.parameters ?? {}).sort(), ['data_size', 'data_url', 'explain', 'seed', 'split', 'threads']);
});
