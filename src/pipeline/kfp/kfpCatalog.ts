// Pipelines, their versions and experiments as `sealed pipelines` and `sealed experiments` list
// them (backend/api/v2beta1/pipeline.proto and experiment.proto: ListPipelines,
// GetPipeline, ListPipelineVersions, ListExperiments; snake_case JSON, paged by next_page_token).
import type { z } from 'zod';
import { PipelineError } from '../../core/errors.ts';
import {
  listExperimentsSchema,
  listPipelinesSchema,
  listPipelineVersionsSchema,
  pipelineSchema,
  type KfpExperiment,
  type KfpPipeline,
  type KfpPipelineVersion,
} from './apiSchemas.ts';
import type { KfpClient } from './kfpClient.ts';

const PAGE_SIZE = 100;
// KFP ids are UUIDs (backend/src/apiserver/storage: uuid.NewRandom); anything else is a name.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One list call of the v2beta1 API, newest first, page after page up to `limit` items. */
function listNewestFirst<P extends { next_page_token?: string }, T>(
  client: KfpClient,
  list: { path: string; namespaced: boolean; schema: z.ZodType<P>; items: (page: P) => T[]; what: string; resource: string },
  limit: number,
  signal: AbortSignal | undefined,
): Promise<T[]> {
  return client.collect(
    (pageToken) =>
      client.call(
        {
          method: 'GET',
          path: list.path,
          query: { ...(list.namespaced ? { namespace: client.namespace } : {}), page_size: Math.min(limit, PAGE_SIZE), page_token: pageToken, sort_by: 'created_at desc' },
          schema: list.schema,
          action: `listing ${list.what}`,
          rbac: { verb: 'list', resource: list.resource },
        },
        signal,
      ),
    list.items,
    limit,
  );
}

/** Pipelines of the client's namespace (shared ones when it has none), newest first. */
export function listPipelines(client: KfpClient, limit: number, signal?: AbortSignal): Promise<KfpPipeline[]> {
  return listNewestFirst(client, { path: 'pipelines', namespaced: true, schema: listPipelinesSchema, items: (p) => p.pipelines, what: 'pipelines', resource: 'pipelines' }, limit, signal);
}

/** Versions of a pipeline, newest first. */
export function listVersions(client: KfpClient, pipelineId: string, limit: number, signal?: AbortSignal): Promise<KfpPipelineVersion[]> {
  const path = `pipelines/${encodeURIComponent(pipelineId)}/versions`;
  return listNewestFirst(client, { path, namespaced: false, schema: listPipelineVersionsSchema, items: (p) => p.pipeline_versions, what: `versions of pipeline ${pipelineId}`, resource: 'pipelines' }, limit, signal);
}

/** Experiments of the client's namespace, newest first. */
export function listExperiments(client: KfpClient, limit: number, signal?: AbortSignal): Promise<KfpExperiment[]> {
  return listNewestFirst(client, { path: 'experiments', namespaced: true, schema: listExperimentsSchema, items: (p) => p.experiments, what: 'experiments', resource: 'experiments' }, limit, signal);
}

/** A pipeline by id, or by display name in the client's namespace. */
export async function getPipeline(client: KfpClient, idOrName: string, signal?: AbortSignal): Promise<KfpPipeline> {
  const missing = (): PipelineError => new PipelineError('kfp.noPipeline', { name: idOrName, namespace: client.namespace });
  if (UUID.test(idOrName)) {
    return client.call(
      { method: 'GET', path: `pipelines/${encodeURIComponent(idOrName)}`, schema: pipelineSchema, action: `reading pipeline ${idOrName}`, rbac: { verb: 'get', resource: 'pipelines' }, notFound: missing },
      signal,
    );
  }
  const found = await client.findPipeline(idOrName, signal);
  if (!found) throw missing();
  return found;
}

