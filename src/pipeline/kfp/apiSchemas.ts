// The parts of KFP REST v2beta1 answers we read (backend/api/v2beta1/*.proto, snake_case JSON).
// Only fields we use are declared; unknown fields are dropped. protojson leaves out fields that
// hold their default value, so a list with no items is `{}` and most fields are optional.
import { z } from 'zod';

/** google.rpc.Status as KFP embeds it in runs and tasks. */
const status = z.object({ code: z.number().optional(), message: z.string().optional() });

export const pipelineSchema = z.object({
  pipeline_id: z.string().min(1),
  display_name: z.string().optional(),
  namespace: z.string().optional(),
});
export type KfpPipeline = z.infer<typeof pipelineSchema>;

export const listPipelinesSchema = z.object({
  pipelines: z.array(pipelineSchema).default([]),
  next_page_token: z.string().optional(),
});

export const pipelineVersionSchema = z.object({
  pipeline_id: z.string().min(1),
  pipeline_version_id: z.string().min(1),
  display_name: z.string().optional(),
  created_at: z.string().optional(),
});
export type KfpPipelineVersion = z.infer<typeof pipelineVersionSchema>;

export const listPipelineVersionsSchema = z.object({
  pipeline_versions: z.array(pipelineVersionSchema).default([]),
  next_page_token: z.string().optional(),
});

export const experimentSchema = z.object({
  experiment_id: z.string().min(1),
  display_name: z.string().optional(),
  namespace: z.string().optional(),
});
export type KfpExperiment = z.infer<typeof experimentSchema>;

export const listExperimentsSchema = z.object({
  experiments: z.array(experimentSchema).default([]),
  next_page_token: z.string().optional(),
});

/** RuntimeState names; a newer server may send others, which are shown as they are. */
export const TERMINAL_STATES = ['SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELED'] as const;

export function isTerminalState(state: string | undefined): boolean {
  return (TERMINAL_STATES as readonly string[]).includes(state ?? '');
}

export const taskDetailSchema = z.object({
  task_id: z.string().optional(),
  display_name: z.string().optional(),
  state: z.string().optional(),
  create_time: z.string().optional(),
  start_time: z.string().optional(),
  end_time: z.string().optional(),
  error: status.optional(),
});
export type KfpTaskDetail = z.infer<typeof taskDetailSchema>;

export const runSchema = z.object({
  run_id: z.string().min(1),
  display_name: z.string().optional(),
  experiment_id: z.string().optional(),
  state: z.string().optional(),
  created_at: z.string().optional(),
  scheduled_at: z.string().optional(),
  finished_at: z.string().optional(),
  error: status.optional(),
  pipeline_version_reference: z.object({ pipeline_id: z.string().optional(), pipeline_version_id: z.string().optional() }).optional(),
  run_details: z.object({ task_details: z.array(taskDetailSchema).default([]) }).optional(),
});
export type KfpRun = z.infer<typeof runSchema>;

export const listRunsSchema = z.object({
  runs: z.array(runSchema).default([]),
  total_size: z.number().optional(),
  next_page_token: z.string().optional(),
});

/** google.protobuf.Empty. */
export const emptySchema = z.object({});
