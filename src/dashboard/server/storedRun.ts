// What the server reads from a run folder, checked with zod: run.json, with the one schema of
// it that src/pipeline/local defines (manifestSchema.ts, tied to the RunManifest the runner
// writes), and the part of pipeline.json (the compiled IR) that gives the task graph. A file
// that fails the check is no run.
//
// The dashboard shows run.json's states except that a `running` run whose owner process is gone
// is `interrupted`, and so are its running tasks (effectiveRunState, applied on every read by
// runSummary.ts's withLiveState): the types below are run.json as shown.
import { z } from 'zod';
import {
  runManifestSchema as sharedManifestSchema,
  type EffectiveRunState,
  type EffectiveTaskState,
  type StoredManifest as RecordedManifest,
  type StoredOutput as RecordedOutput,
  type StoredTask as RecordedTask,
} from '../../pipeline/index.ts';

export const runManifestSchema = sharedManifestSchema;

export type StoredTask = Omit<RecordedTask, 'state'> & { state: EffectiveTaskState };
export type StoredManifest = Omit<RecordedManifest, 'state' | 'tasks'> & { state: EffectiveRunState; tasks: Record<string, StoredTask> };
export type StoredOutput = RecordedOutput;

const taskSpec = z.object({
  dependentTasks: z.array(z.string()).optional(),
  inputs: z
    .object({
      artifacts: z.record(z.string(), z.object({ taskOutputArtifact: z.object({ producerTask: z.string(), outputArtifactKey: z.string() }).optional() })).optional(),
      parameters: z.record(z.string(), z.object({ taskOutputParameter: z.object({ producerTask: z.string(), outputParameterKey: z.string() }).optional() })).optional(),
    })
    .optional(),
});

export const pipelineGraphSchema = z.object({ root: z.object({ dag: z.object({ tasks: z.record(z.string(), taskSpec) }) }) });

export type PipelineGraph = z.infer<typeof pipelineGraphSchema>;
