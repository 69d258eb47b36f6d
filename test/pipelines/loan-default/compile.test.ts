// The loan-default pipeline's compiled YAML (IR + Kubernetes platform config), pinned by a
// golden file (UPDATE_GOLDEN=1 rewrites it): the IR is what both the local runner and Kubeflow
// execute, so any change shows here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { compilePipeline, compilePipelineDocuments, toPipelineYaml, validatePipelineIr } from '../../../src/pipeline/index.ts';
import { loanDefaultPipeline } from '../../../src/pipelines/loan-default/index.ts';
import { loanDefaultCatalog } from '../../../src/cli/pipelineCatalog.ts';
import { runCli } from '../../cli/helpers.ts';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';

const goldenPath = fileURLToPath(new URL('./golden/loan-default.pipeline.yaml', import.meta.url));

test('the loan-default pipeline compiles to the golden YAML (the Kubeflow form: no init_model unless a URI is given)', () => {
  const actual = toPipelineYaml(compilePipelineDocuments(loanDefaultPipeline, { inputArtifacts: 'importer' }));
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
  assert.deepEqual(Object.keys(spec.root.inputDefinitions?.parameters ?? {}).sort(), ['artifact_format', 'data_size', 'data_url', 'explain', 'seed', 'split', 'threads']);
});

test('every task is pinned to the SGX node pool, every parameter is typed, and the file passes the IR schema', () => {
  const text = readFileSync(goldenPath, 'utf8');
  const [spec, platform, ...rest] = parseAllDocuments(text).map((d) => d.toJS() as unknown);
  assert.equal(rest.length, 0);
  validatePipelineIr(spec, platform);
  const executors = (platform as { platforms: { kubernetes: { deploymentSpec: { executors: Record<string, { nodeSelector: unknown }> } } } }).platforms.kubernetes.deploymentSpec.executors;
  const compiled = compilePipeline(loanDefaultPipeline);
  assert.equal(Object.keys(executors).length, 7);
  for (const task of Object.values(compiled.root.dag.tasks)) {
    const exec = compiled.components[task.componentRef.name].executorLabel;
    assert.deepEqual(executors[exec].nodeSelector, { labels: { intelvm: 'sgx' } }, task.taskInfo.name);
  }
  const typed = (params: Record<string, { parameterType: string }> | undefined) => Object.values(params ?? {}).every((p) => /^(STRING|NUMBER_INTEGER|NUMBER_DOUBLE|BOOLEAN)$/.test(p.parameterType));
  assert.ok(typed(compiled.root.inputDefinitions?.parameters));
  for (const c of Object.values(compiled.components)) assert.ok(typed(c.inputDefinitions?.parameters));
});

test('artifact_format flows from the run parameter into every data task; `sealed compile --artifact-format parquet` sets its default', async () => {
  const spec = compilePipeline(loanDefaultPipeline);
  const bound = Object.entries(spec.root.dag.tasks)
    .filter(([, t]) => t.inputs?.parameters?.artifact_format !== undefined)
    .map(([name, t]) => [name, t.inputs?.parameters?.artifact_format]);
  assert.deepEqual(Object.fromEntries(bound), {
    'load-data': { componentInputParameter: 'artifact_format' },
    'create-train-test-set': { componentInputParameter: 'artifact_format' },
    'preprocess-features': { componentInputParameter: 'artifact_format' },
    'batch-inference': { componentInputParameter: 'artifact_format' },
  });
  const cwd = tempDir();
  const ok = await runCli(['compile', '--output', 'p.yaml', '--image', 'example.com/sealed:1', '--artifact-format', 'parquet'], { catalog: loanDefaultCatalog, cwd });
  assert.equal(ok.code, 0, ok.stderr);
  const [doc] = parseAllDocuments(readFileSync(`${cwd}/p.yaml`, 'utf8')).map((d) => d.toJS() as { root: { inputDefinitions: { parameters: Record<string, { defaultValue: unknown }> } } });
  assert.equal(doc.root.inputDefinitions.parameters.artifact_format.defaultValue, 'parquet');
  const bad = await runCli(['compile', '--output', 'q.yaml', '--image', 'example.com/sealed:1', '--artifact-format', 'arrow'], { catalog: loanDefaultCatalog, cwd });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /artifact_format/);
  assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
});
