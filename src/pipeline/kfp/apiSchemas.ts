// The parts of KFP REST v2beta1 answers we read (backend/api/v2beta1/*.proto, snake_case JSON).
// Only fields we use are declared; unknown fields are dropped. protojson leaves out fields that
// hold their default value, so a list with no items is `{}` and most fields are optional.
import { z } from 'zod';

/** google.rpc.Status as KFP embeds it in runs and tasks. */
const status = z.object({ code: z.number().optional(), message: z.string().optional() });

export const pipelineSchema = z.object({
  pipeline_id: z.string().min(1),
  display_name: z.string().optional(),
  description: z.string().optional(),
  created_at: z.string().optional(),
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
  description: z.string().optional(),
  created_at: z.string().optional(),
  // A google.protobuf.Struct: the PipelineSpec, or {pipeline_spec, platform_spec} when the file
  // had a platform config (backend/src/apiserver/server/api_util.go, YamlStringToPipelineSpecStruct).
  pipeline_spec: z.record(z.string(), z.unknown()).optional(),
});
export type KfpPipelineVersion = z.infer<typeof pipelineVersionSchema>;

export const listPipelineVersionsSchema = z.object({
  pipeline_versions: z.array(pipelineVersionSchema).default([]),
  next_page_token: z.string().optional(),
});

export const experimentSchema = z.object({
  experiment_id: z.string().min(1),
  display_name: z.string().optional(),
  description: z.string().optional(),
  created_at: z.string().optional(),
  namespace: z.string().optional(),
  storage_state: z.string().optional(),
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
  // api_converter.go (toApiPipelineTaskDetail): the Argo node's children, by node id (pod name).
  child_tasks: z.array(z.object({ task_id: z.string().optional(), pod_name: z.string().optional() })).optional(),
  parent_task_id: z.string().optional(),
  pod_name: z.string().optional(),
});
export type KfpTaskDetail = z.infer<typeof taskDetailSchema>;

export const runSchema = z.object({
  run_id: z.string().min(1),
  display_name: z.string().optional(),
  experiment_id: z.string().optional(),
  storage_state: z.string().optional(),
  recurring_run_id: z.string().optional(),
  pipeline_spec: z.record(z.string(), z.unknown()).optional(),
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

/** GET /apis/v2beta1/healthz (backend/src/apiserver/main.go: commit_sha, tag_name, multi_user). */
export const healthzSchema = z.object({ multi_user: z.boolean().optional(), tag_name: z.string().optional() });

/** backend/api/v2beta1/recurring_run.proto, RecurringRun. int64 fields arrive as JSON strings. */
export const recurringRunSchema = z.object({
  recurring_run_id: z.string().min(1),
  display_name: z.string().optional(),
  max_concurrency: z.union([z.string(), z.number()]).optional(),
  trigger: z
    .object({
      cron_schedule: z.object({ cron: z.string().optional(), start_time: z.string().optional(), end_time: z.string().optional() }).optional(),
      periodic_schedule: z.object({ interval_second: z.union([z.string(), z.number()]).optional() }).optional(),
    })
    .optional(),
  mode: z.string().optional(),
  status: z.string().optional(),
  namespace: z.string().optional(),
  experiment_id: z.string().optional(),
  created_at: z.string().optional(),
  pipeline_version_reference: z.object({ pipeline_id: z.string().optional(), pipeline_version_id: z.string().optional() }).optional(),
  error: status.optional(),
});
export type KfpRecurringRun = z.infer<typeof recurringRunSchema>;

// The proto field itself is named `recurringRuns` (recurring_run.proto, ListRecurringRunsResponse),
// so that is the JSON key grpc-gateway writes.
export const listRecurringRunsSchema = z.object({
  recurringRuns: z.array(recurringRunSchema).default([]),
  next_page_token: z.string().optional(),
});

