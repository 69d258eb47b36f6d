// RunSummary of a run.json: its state and times, the data_size parameter, and AUC and accuracy
// from batch-inference's metrics metadata once that task has written them.
import type { RunSummary } from '../api/contract.ts';
import { METRICS_LAYOUT, own } from './metricsLayout.ts';
import type { StoredManifest } from './storedRun.ts';

const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** `id` is the run's folder name, which is how the API addresses it (run.json's id may differ when --run-dir chose the folder). */
export function summariseRun(id: string, manifest: StoredManifest): RunSummary {
  const { task, metrics } = METRICS_LAYOUT.inference;
  const metadata = own(own(manifest.tasks, task)?.outputs, metrics)?.metadata;
  const auc = finite(metadata?.AUC);
  const accuracy = finite(metadata?.Accuracy);
  const dataSize = finite(manifest.parameters.data_size);
  const durationMs = manifest.finishedAt !== undefined ? Date.parse(manifest.finishedAt) - Date.parse(manifest.createdAt) : undefined;
  return {
    id,
    pipeline: manifest.pipeline,
    state: manifest.state,
    createdAt: manifest.createdAt,
    ...(manifest.finishedAt !== undefined ? { finishedAt: manifest.finishedAt } : {}),
    ...(durationMs !== undefined && Number.isFinite(durationMs) ? { durationMs } : {}),
    ...(dataSize !== undefined ? { dataSize } : {}),
    ...(auc !== undefined ? { auc } : {}),
    ...(accuracy !== undefined ? { accuracy } : {}),
    parameters: manifest.parameters,
  };
}
