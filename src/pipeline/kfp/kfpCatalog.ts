// Pipelines, their versions and experiments as `sealed pipelines` and `sealed experiments` list
// them (backend/api/v2beta1/pipeline.proto and experiment.proto: ListPipelines,
// GetPipeline, ListPipelineVersions, ListExperiments; snake_case JSON, paged by next_page_token).
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

/** Pipelines of the client's namespace (shared ones when it has none), newest first. */
export function listPipelines(client: KfpClient, limit: number, signal?: AbortSignal): Promise<KfpPipeline[]> {
  return client.collect(
    (pageToken) =>
      client.call(
        {
          method: 'GET',
          path: 'pipelines',
          query: { namespace: client.namespace, page_size: Math.min(limit, PAGE_SIZE), page_token: pageToken, sort_by: 'created_at desc' },
          schema: listPipelinesSchema,
          action: 'listing pipelines',
          rbac: { verb: 'list', resource: 'pipelines' },
        },
        signal,
      ),
    (page) => page.pipelines,
    limit,
  );
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

/** Versions of a pipeline, newest first. */
export function listVersions(client: KfpClient, pipelineId: string, limit: number, signal?: AbortSignal): Promise<KfpPipelineVersion[]> {
  return client.collect(
    (pageToken) =>
      client.call(
        {
          method: 'GET',
          path: `pipelines/${encodeURIComponent(pipelineId)}/versions`,
          query: { page_size: Math.min(limit, PAGE_SIZE), page_token: pageToken, sort_by: 'created_at desc' },
          schema: listPipelineVersionsSchema,
          action: `listing versions of pipeline ${pipelineId}`,
          rbac: { verb: 'list', resource: 'pipelines' },
        },
        signal,
      ),
    (page) => page.pipeline_versions,
    limit,
  );
}

/** Experiments of the client's namespace, newest first. */
export function listExperiments(client: KfpClient, limit: number, signal?: AbortSignal): Promise<KfpExperiment[]> {
  return client.collect(
    (pageToken) =>
      client.call(
        {
          method: 'GET',
          path: 'experiments',
          query: { namespace: client.namespace, page_size: Math.min(limit, PAGE_SIZE), page_token: pageToken, sort_by: 'created_at desc' },
          schema: listExperimentsSchema,
          action: 'listing experiments',
          rbac: { verb: 'list', resource: 'experiments' },
        },
        signal,
      ),
    (page) => page.experiments,
    limit,
  );
}
