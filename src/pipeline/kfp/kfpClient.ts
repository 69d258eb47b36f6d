// A client for the KFP REST API v2beta1 (backend/api/v2beta1 in kubeflow/pipelines): pipelines
// and their versions, experiments and runs. One method per API call, plus the finds by display
// name that KFP has no single call for. `namespace` (multi-user Kubeflow) goes to every call
// that takes one; versions and runs inherit theirs from the pipeline and the experiment.
import { Blob } from 'node:buffer';
import { FormData } from 'undici';
import type { z } from 'zod';
import { DataError, PipelineError } from '../../core/errors.ts';
import {
  emptySchema,
  experimentSchema,
  healthzSchema,
  listExperimentsSchema,
  listPipelinesSchema,
  listPipelineVersionsSchema,
  listRunsSchema,
  pipelineSchema,
  pipelineVersionSchema,
  runSchema,
  type KfpExperiment,
  type KfpPipeline,
  type KfpPipelineVersion,
  type KfpRun,
} from './apiSchemas.ts';
import { runPageUrl } from './kfpHost.ts';
import { KfpTransport, type ApiCall, type KfpConnectionOptions, type RawAnswer, type RawRequest } from './kfpTransport.ts';

export interface KfpClientOptions extends KfpConnectionOptions {
  /** Kubernetes namespace (profile) of the user in multi-user Kubeflow. */
  namespace?: string;
}

/** A compiled pipeline as uploaded: the file's bytes, unchanged, under a name ending in .yaml. */
export interface PipelineUpload {
  fileName: string;
  bytes: Uint8Array;
}

export interface Page {
  pageSize?: number;
  pageToken?: string;
  /** "field" or "field desc", e.g. "created_at desc". */
  sortBy?: string;
}

export interface RunsPage {
  runs: KfpRun[];
  nextPageToken?: string;
  totalSize?: number;
}

export interface NewRun {
  displayName: string;
  experimentId: string;
  pipelineId: string;
  pipelineVersionId: string;
  /** Values already of the JSON types the pipeline declares (runtimeParameters.ts). */
  parameters: Record<string, unknown>;
  description?: string;
}

// Enough for every realistic account; a server that keeps answering with a next page token
// beyond this is not followed further.
const MAX_PAGES = 100;
// The API server's tokens are base64 of a small JSON object (backend/src/apiserver/list/list.go,
// token.marshal); a much longer one is not sent back in a URL.
const MAX_PAGE_TOKEN = 2048;

export class KfpClient {
  readonly namespace: string | undefined;
  private readonly transport: KfpTransport;

  constructor(options: KfpClientOptions) {
    this.transport = new KfpTransport(options);
    this.transport.namespace = options.namespace;
    this.namespace = options.namespace;
  }

  /** One API call, for the resource modules (kfpCatalog.ts, kfpRecurringRuns.ts, kfpRunActions.ts). */
  call<T>(call: ApiCall<T>, signal?: AbortSignal): Promise<T> {
    return this.transport.call(call, signal);
  }

  /** A request outside the REST API, its body left to stream (runArtifacts.ts: MLMD and artifact downloads). */
  open(request: RawRequest, signal?: AbortSignal): Promise<RawAnswer> {
    return this.transport.open(request, signal);
  }

  /** The KFP host as the user gave it (base URL with any ingress prefix). */
  get hostBase(): string {
    return this.transport.host.base;
  }

  /**
   * Whether the server runs in multi-user mode: GET /apis/v2beta1/healthz answers `multi_user`
   * (backend/src/apiserver/main.go), which is how the KFP SDK decides it (sdk/python/kfp/client/
   * client.py, Client.__init__). Undefined when the answer says nothing (a proxy in the way).
   */
  async isMultiUser(signal?: AbortSignal): Promise<boolean | undefined> {
    return (await this.serverInfo(signal)).multi_user;
  }

  /** GET /apis/v2beta1/healthz: `multi_user` and the release (`tag_name`, "unknown" when the image does not say). */
  serverInfo(signal?: AbortSignal): Promise<{ multi_user?: boolean; tag_name?: string }> {
    return this.transport.call({ method: 'GET', path: 'healthz', schema: healthzSchema, action: 'reading healthz' }, signal);
  }

  /** A version with its pipeline_spec. */
  getPipelineVersion(pipelineId: string, versionId: string, signal?: AbortSignal): Promise<KfpPipelineVersion> {
    return this.transport.call(
      {
        method: 'GET',
        path: `pipelines/${encodeURIComponent(pipelineId)}/versions/${encodeURIComponent(versionId)}`,
        schema: pipelineVersionSchema,
        action: `reading version ${versionId} of pipeline ${pipelineId}`,
        rbac: { verb: 'get', resource: 'pipelines' },
      },
      signal,
    );
  }

  /** Deletes one version (pipeline.proto DeletePipelineVersion). */
  async deletePipelineVersion(pipelineId: string, versionId: string, signal?: AbortSignal): Promise<void> {
    await this.transport.call(
      {
        method: 'DELETE',
        path: `pipelines/${encodeURIComponent(pipelineId)}/versions/${encodeURIComponent(versionId)}`,
        schema: emptySchema,
        action: `deleting version ${versionId} of pipeline ${pipelineId}`,
        rbac: { verb: 'delete', resource: 'pipelines' },
      },
      signal,
    );
  }

  /** Deletes a pipeline that has no versions left (resource_manager.go DeletePipeline refuses one that has, before 2.4's cascade). */
  async deletePipeline(pipelineId: string, signal?: AbortSignal): Promise<void> {
    await this.transport.call(
      { method: 'DELETE', path: `pipelines/${encodeURIComponent(pipelineId)}`, schema: emptySchema, action: `deleting pipeline ${pipelineId}`, rbac: { verb: 'delete', resource: 'pipelines' } },
      signal,
    );
  }

  /** Deletes an experiment (experiment.proto@2.0.5..HEAD DeleteExperiment: DELETE /apis/v2beta1/experiments/{experiment_id}). */
  async deleteExperiment(experimentId: string, signal?: AbortSignal): Promise<void> {
    await this.transport.call(
      { method: 'DELETE', path: `experiments/${encodeURIComponent(experimentId)}`, schema: emptySchema, action: `deleting experiment ${experimentId}`, rbac: { verb: 'delete', resource: 'experiments' } },
      signal,
    );
  }

  /** The API base URL as given, safe to print. */
  get host(): string {
    return this.transport.host.shown;
  }

  /** The run's page in the KFP UI. */
  runUrl(runId: string): string {
    return runPageUrl(this.transport.host, runId);
  }

  /** Creates a pipeline and its first version (named like the pipeline) from a compiled file. */
  uploadPipeline(name: string, upload: PipelineUpload, options: { description?: string } = {}, signal?: AbortSignal): Promise<KfpPipeline> {
    return this.transport.call(
      {
        method: 'POST',
        path: 'pipelines/upload',
        query: { name, display_name: name, description: options.description, namespace: this.namespace },
        form: uploadForm(upload),
        schema: pipelineSchema,
        action: `uploading pipeline '${name}'`,
        rbac: { verb: 'create', resource: 'pipelines' },
      },
      signal,
    );
  }

  /** Adds a version to an existing pipeline. */
  uploadPipelineVersion(pipelineId: string, name: string, upload: PipelineUpload, options: { description?: string } = {}, signal?: AbortSignal): Promise<KfpPipelineVersion> {
    return this.transport.call(
      {
        method: 'POST',
        path: 'pipelines/upload_version',
        query: { pipelineid: pipelineId, name, display_name: name, description: options.description },
        form: uploadForm(upload),
        schema: pipelineVersionSchema,
        action: `uploading version '${name}' of pipeline ${pipelineId}`,
        rbac: { verb: 'create', resource: 'pipelines' },
      },
      signal,
    );
  }

  /** The pipeline with this display name in the namespace, if there is one. */
  async findPipeline(name: string, signal?: AbortSignal): Promise<KfpPipeline | undefined> {
    return this.findByDisplayName('pipeline', name, 'pipelines', listPipelinesSchema, (page) => page.pipelines, signal);
  }

  async listPipelineVersions(pipelineId: string, page: Page = {}, signal?: AbortSignal): Promise<{ versions: KfpPipelineVersion[]; nextPageToken?: string }> {
    const answer = await this.transport.call(
      {
        method: 'GET',
        path: `pipelines/${encodeURIComponent(pipelineId)}/versions`,
        query: { page_size: page.pageSize, page_token: page.pageToken, sort_by: page.sortBy },
        schema: listPipelineVersionsSchema,
        action: `listing versions of pipeline ${pipelineId}`,
      },
      signal,
    );
    return { versions: answer.pipeline_versions, nextPageToken: answer.next_page_token || undefined };
  }

  /** The experiment with this display name in the namespace, if there is one. */
  async findExperiment(name: string, signal?: AbortSignal): Promise<KfpExperiment | undefined> {
    return this.findByDisplayName('experiment', name, 'experiments', listExperimentsSchema, (page) => page.experiments, signal);
  }

  createExperiment(name: string, signal?: AbortSignal): Promise<KfpExperiment> {
    return this.transport.call(
      {
        method: 'POST',
        path: 'experiments',
        json: { display_name: name, ...(this.namespace !== undefined ? { namespace: this.namespace } : {}) },
        schema: experimentSchema,
        action: `creating experiment '${name}'`,
        rbac: { verb: 'create', resource: 'experiments' },
      },
      signal,
    );
  }

  /** The experiment of this name, created when missing. */
  async findOrCreateExperiment(name: string, signal?: AbortSignal): Promise<{ experiment: KfpExperiment; created: boolean }> {
    const existing = await this.findExperiment(name, signal);
    if (existing) return { experiment: existing, created: false };
    return { experiment: await this.createExperiment(name, signal), created: true };
  }

  createRun(run: NewRun, signal?: AbortSignal): Promise<KfpRun> {
    return this.transport.call(
      {
        method: 'POST',
        path: 'runs',
        json: {
          display_name: run.displayName,
          ...(run.description !== undefined ? { description: run.description } : {}),
          experiment_id: run.experimentId,
          pipeline_version_reference: { pipeline_id: run.pipelineId, pipeline_version_id: run.pipelineVersionId },
          runtime_config: { parameters: run.parameters },
        },
        schema: runSchema,
        action: `creating run '${run.displayName}'`,
        rbac: { verb: 'create', resource: 'runs' },
      },
      signal,
    );
  }

  getRun(runId: string, signal?: AbortSignal): Promise<KfpRun> {
    return this.transport.call(
      {
        method: 'GET',
        path: `runs/${encodeURIComponent(runId)}`,
        schema: runSchema,
        action: `reading run ${runId}`,
        rbac: { verb: 'get', resource: 'runs' },
        notFound: () => new PipelineError('kfp.noRun', { runId }),
      },
      signal,
    );
  }

  /** One page of runs, newest first unless `sortBy` says otherwise; by experiment, else by the client's namespace. */
  async listRuns(options: Page & { experimentId?: string } = {}, signal?: AbortSignal): Promise<RunsPage> {
    const answer = await this.transport.call(
      {
        method: 'GET',
        path: 'runs',
        query: {
          namespace: options.experimentId === undefined ? this.namespace : undefined,
          experiment_id: options.experimentId,
          page_size: options.pageSize,
          page_token: options.pageToken,
          sort_by: options.sortBy ?? 'created_at desc',
        },
        schema: listRunsSchema,
        action: 'listing runs',
        rbac: { verb: 'list', resource: 'runs' },
      },
      signal,
    );
    return { runs: answer.runs, nextPageToken: answer.next_page_token || undefined, totalSize: answer.total_size };
  }

  /** Asks KFP to stop a run; it goes through CANCELING to CANCELED. */
  async terminateRun(runId: string, signal?: AbortSignal): Promise<void> {
    await this.transport.call(
      {
        method: 'POST',
        path: `runs/${encodeURIComponent(runId)}:terminate`,
        schema: emptySchema,
        action: `terminating run ${runId}`,
        rbac: { verb: 'terminate', resource: 'runs' },
        notFound: () => new PipelineError('kfp.noRun', { runId }),
      },
      signal,
    );
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  /** The one item of a list named `name` (KFP filters by name; the match is checked here too). */
  private async findByDisplayName<P extends { next_page_token?: string }, I extends { display_name?: string }>(
    what: string,
    name: string,
    path: string,
    schema: z.ZodType<P>,
    items: (page: P) => I[],
    signal?: AbortSignal,
  ): Promise<I | undefined> {
    const query = (pageToken: string | undefined) => ({ namespace: this.namespace, filter: displayNameFilter(name), page_token: pageToken, page_size: 100 });
    const found = await this.collect(
      (pageToken) => this.transport.call({ method: 'GET', path, query: query(pageToken), schema, action: `looking up ${what} '${name}'` }, signal),
      (page) => items(page).filter((x) => x.display_name === name),
    );
    return unique(what, name, found);
  }

  /**
   * Items of every page, following next_page_token: at most MAX_PAGES pages or `limit` items; a
   * token seen before ends the walk (a server going round in circles), an oversized one is refused.
   */
  async collect<P extends { next_page_token?: string }, I>(fetch: (pageToken: string | undefined) => Promise<P>, pick: (page: P) => I[], limit = Infinity): Promise<I[]> {
    const items: I[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    for (let i = 0; ; i++) {
      if (i === MAX_PAGES) throw new DataError('kfp.badResponse', { host: this.host, action: 'listing', reason: `still a next_page_token after ${MAX_PAGES} pages; stopped` });
      const page = await fetch(token);
      items.push(...pick(page));
      if (items.length >= limit) return items.slice(0, limit);
      token = page.next_page_token || undefined;
      if (token === undefined || seen.has(token)) break;
      if (token.length > MAX_PAGE_TOKEN) throw new DataError('kfp.badResponse', { host: this.host, action: 'listing', reason: `next_page_token of ${token.length} characters` });
      seen.add(token);
    }
    return items;
  }
}

/** KFP's list filter (a JSON-serialized Filter message) for an exact display name. */
function displayNameFilter(name: string): string {
  return JSON.stringify({ predicates: [{ key: 'display_name', operation: 'EQUALS', string_value: name }] });
}

function unique<T>(what: string, name: string, found: T[]): T | undefined {
  if (found.length > 1) throw new PipelineError('kfp.ambiguousName', { what, name, count: found.length });
  return found[0];
}

function uploadForm(upload: PipelineUpload): FormData {
  const form = new FormData();
  form.append('uploadfile', new Blob([upload.bytes], { type: 'application/x-yaml' }), upload.fileName);
  return form;
}
