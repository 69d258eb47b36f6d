// What the server reads from a run folder, checked with zod: run.json (RunManifest, written by
// src/pipeline/local) and the part of pipeline.json (the compiled IR) that gives the task graph.
// Only the fields the dashboard uses are checked; a file that fails the check is no run.
import { z } from 'zod';

const parameterValue = z.union([z.string(), z.number(), z.boolean()]);
const parameters = z.record(z.string(), parameterValue);

const outputRecord = z.object({
  path: z.string(),
  sha256: z.string(),
  size: z.number(),
  type: z.string(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  metadataPath: z.string().optional(),
});

const taskRecord = z.object({
  state: z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped']),
  component: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  durationMs: z.number().optional(),
  error: z.string().optional(),
  parameters: parameters.optional(),
  outputs: z.record(z.string(), outputRecord).optional(),
  log: z.string().optional(),
});

export const runManifestSchema = z.object({
  id: z.string(),
  pipeline: z.string(),
  parameters,
  state: z.enum(['running', 'succeeded', 'failed']),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
  error: z.string().optional(),
  tasks: z.record(z.string(), taskRecord),
});

export type StoredManifest = z.infer<typeof runManifestSchema>;
export type StoredTask = z.infer<typeof taskRecord>;
export type StoredOutput = z.infer<typeof outputRecord>;

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
