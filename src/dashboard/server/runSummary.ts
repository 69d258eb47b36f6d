// RunSummary of a run.json: its state and times, the data_size parameter, AUC and accuracy
// from batch-inference's metrics metadata once that task has written them, and whether the run
// is sealed (and, without the dashboard's keys, locked).
//
// withLiveState gives the state a run has now: run.json says `running` until the run records its
// end, which a run killed with SIGKILL never does; effectiveRunState (src/pipeline/local) tells
// from run.json's owner record (pid and start time on this host, heartbeat from another one)
// whether the owner is gone, and then the run and its running tasks are `interrupted`. It is
// applied on every read, not cached with the parsed run.json: an owner can die without
// run.json changing.
import type { RunSummary } from '../api/contract.ts';
import { effectiveRunState, effectiveTaskState, localProbe, type ProcessProbe } from '../../pipeline/index.ts';
import { METRICS_LAYOUT, own } from './metricsLayout.ts';
import { isSealedRun } from './storedArtifacts.ts';
import type { StoredManifest } from './storedRun.ts';

/** The run as shown now (see above); unchanged unless it is a `running` run whose owner is gone. */
export function withLiveState<R extends { manifest: StoredManifest; summary: RunSummary }>(run: R, now: number = Date.now(), probe: ProcessProbe = localProbe()): R {
  if (run.manifest.state !== 'running') return run;
  const { state } = effectiveRunState(run.manifest, now, probe);
  if (state === 'running') return run;
  const tasks = Object.fromEntries(Object.entries(run.manifest.tasks).map(([name, task]) => [name, { ...task, state: effectiveTaskState(task, state) }]));
  return { ...run, manifest: { ...run.manifest, state, tasks }, summary: { ...run.summary, state } };
}

const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * `id` is the run's folder name, which is how the API addresses it (run.json's id may differ when
 * --run-dir chose the folder). `hasKeys`: the dashboard can open sealed runs.
 */
export function summariseRun(id: string, manifest: StoredManifest, hasKeys = false): RunSummary {
  const { task, metrics } = METRICS_LAYOUT.inference;
  const metadata = own(own(manifest.tasks, task)?.outputs, metrics)?.metadata;
  const auc = finite(metadata?.AUC);
  const accuracy = finite(metadata?.Accuracy);
  const dataSize = finite(manifest.parameters.data_size);
  const sealed = isSealedRun(manifest);
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
    sealed,
    ...(sealed && !hasKeys ? { locked: true as const } : {}),
  };
}
