// The headline metrics of a finished run: the metadata of the output named by the pipeline's
// `summary`, else of the first system.Metrics output in task order.
// What is printed is escaped (printable): metric names, values and notices come from components, which may quote the data.
import { printable } from '../core/index.ts';
// From its own module, not src/seal's barrel, which would load the Azure clients into every run.
import { SEAL_RECORD_KEY } from '../seal/artifactCodec.ts';
import type { JsonValue, PipelineDefinition, RunManifest } from '../pipeline/index.ts';

export function summaryMetrics(pipeline: PipelineDefinition, manifest: RunManifest): Record<string, JsonValue> {
  return withoutSealRecord(findMetrics(pipeline, manifest));
}

function findMetrics(pipeline: PipelineDefinition, manifest: RunManifest): Record<string, JsonValue> {
  if (pipeline.summary) {
    return manifest.tasks[pipeline.summary.task]?.outputs?.[pipeline.summary.output]?.metadata ?? {};
  }
  for (const task of Object.values(manifest.tasks)) {
    for (const output of Object.values(task.outputs ?? {})) if (output.type === 'system.Metrics') return output.metadata ?? {};
  }
  return {};
}

/** The seal record (digests, context) is bookkeeping of a sealed run, not a metric. */
function withoutSealRecord(metadata: Record<string, JsonValue>): Record<string, JsonValue> {
  const { [SEAL_RECORD_KEY]: _record, ...rest } = metadata;
  return rest;
}

/** `  AUC       0.9466` lines; numbers shown with up to 4 decimals, non-numbers as JSON. */
export function formatMetrics(metrics: Record<string, JsonValue>): string[] {
  const width = Math.max(0, ...Object.keys(metrics).map((k) => printable(k).length));
  return Object.entries(metrics).map(([k, v]) => {
    const text = typeof v === 'number' ? String(Number.isInteger(v) ? v : Number(v.toFixed(4))) : printable(JSON.stringify(v));
    return `  ${printable(k).padEnd(width)}  ${text}`;
  });
}

/**
 * Notices a component wants the person running the pipeline to see (e.g. that the data was
 * synthetic): every output metadata key `notice` holding a string, in task order, printable.
 */
export function runNotices(manifest: RunManifest): string[] {
  const out: string[] = [];
  for (const task of Object.values(manifest.tasks)) {
    for (const output of Object.values(task.outputs ?? {})) {
      const notice = output.metadata?.notice;
      if (typeof notice === 'string') out.push(printable(notice));
    }
  }
  return out;
}
