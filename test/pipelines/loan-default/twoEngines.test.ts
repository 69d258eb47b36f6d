// One definition, two engines: the loan-default pipeline run locally (`sealed run`) and the
// compiled YAML run the way Kubeflow runs it (a launcher handing each task's container its
// ExecutorInput; test/pipeline/helpers/fakeLauncher.ts) produce the same artifacts, byte for
// byte, and the same metadata.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunManifest } from '../../../src/pipeline/index.ts';
import { launchPipelineFile } from '../../pipeline/helpers/fakeLauncher.ts';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';
import { sealed, writeRawCsv } from './helpers.ts';

test('a local run and a Kubeflow-style run of the compiled YAML give the same artifacts', async () => {
  const cwd = tempDir();
  const raw = writeRawCsv(cwd, 'raw.csv', 300);
  const local = await sealed(['run', '--data-url', raw, '--data-size', '600', '--seed', '4', '--threads', '1', '--run-dir', 'local'], cwd);
  assert.equal(local.code, 0, local.stderr);
  const compiled = await sealed(['compile', '--output', 'pipeline.yaml'], cwd);
  assert.equal(compiled.code, 0, compiled.stderr);

  const launched = await launchPipelineFile(join(cwd, 'pipeline.yaml'), { data_url: raw, data_size: 600, seed: 4, threads: 1 }, join(cwd, 'kfp'));
  const manifest = JSON.parse(readFileSync(join(cwd, 'local', 'run.json'), 'utf8')) as RunManifest;
  assert.deepEqual([...launched.keys()].sort(), Object.keys(manifest.tasks).sort());
  let compared = 0;
  for (const [task, record] of Object.entries(manifest.tasks)) {
    const given = (launched.get(task)!.executorInput.inputs as { parameterValues: Record<string, unknown> }).parameterValues;
    assert.deepEqual(given, record.parameters ?? {}, `${task} parameters`);
    for (const [key, out] of Object.entries(record.outputs ?? {})) {
      const kfp = launched.get(task)!.outputs[key];
      assert.ok(readFileSync(kfp.uri).equals(readFileSync(join(cwd, 'local', out.path))), `${task}/${key} differs`);
      const localMetadata = out.metadataPath ? JSON.parse(readFileSync(join(cwd, 'local', out.metadataPath), 'utf8')) : (out.metadata ?? {});
      // Timings are the only metadata that may differ.
      const { trainSeconds: _a, ...kfpRest } = kfp.metadata;
      const { trainSeconds: _b, ...localRest } = localMetadata as Record<string, unknown>;
      assert.deepEqual(kfpRest, localRest, `${task}/${key} metadata`);
      compared++;
    }
  }
  assert.equal(compared, 15);
  // What the Kubeflow UI reads: flat numeric metrics, a finite ROC and a square confusion matrix.
  const metrics = launched.get('batch-inference')!.outputs.metrics.metadata as Record<string, number>;
  assert.deepEqual(Object.keys(metrics).sort(), ['AUC', 'Accuracy']);
  assert.ok(Object.values(metrics).every(Number.isFinite));
  const roc = launched.get('plot-roc-curve')!.outputs.roc_curve.metadata as { confidenceMetrics: Record<string, number>[]; confusionMatrix: { annotationSpecs: unknown[]; rows: { row: number[] }[] } };
  assert.ok(roc.confidenceMetrics.every((p) => [p.confidenceThreshold, p.falsePositiveRate, p.recall].every(Number.isFinite)));
  assert.equal(roc.confusionMatrix.annotationSpecs.length, 2);
  assert.deepEqual(roc.confusionMatrix.rows.map((r) => r.row.length), [2, 2]);
  const testRows = readFileSync(join(cwd, 'local', manifest.tasks['create-train-test-set'].outputs!.y_test_data.path), 'utf8').trim().split('\n').length;
  assert.equal(roc.confusionMatrix.rows.flatMap((r) => r.row).reduce((a, b) => a + b, 0), testRows);
});
