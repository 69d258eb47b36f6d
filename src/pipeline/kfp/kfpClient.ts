// A client for the KFP REST API v2beta1 (backend/api/v2beta1 in kubeflow/pipelines): pipelines
// and their versions, experiments and runs. One method per API call, plus the finds by display
// name that KFP has no single call for. `namespace` (multi-user Kubeflow) goes to every call
// that takes one; versions and runs inherit theirs from the pipeline and the experiment.
import { Blob } from 'node:buffer';
import { FormData } from 'undici';
import type { z } from 'zod';
import { PipelineError } from '../../core/errors.ts';
import {
  emptySchema,
  experimentSchema,
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
import { KfpTransport, type KfpConnectionOptions } from './kfpTransport.ts';

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

export class KfpClient {
  readonly namespace: string | undefined;
  private readonly transport: KfpTransport;

  constructor(options: KfpClientOptions) {
    this.transport = new KfpTransport(options);
    this.namespace = options.namespace;
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
        notFound: () => new PipelineError('kfp.noRun', { runId }),
      },
      signal,
    );
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  /** Items of every page `fetch` returns that `pick` keeps. */
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

  private async collect<P extends { next_page_token?: string }, I>(fetch: (pageToken: string | undefined) => Promise<P>, pick: (page: P) => I[]): Promise<I[]> {
    const items: I[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    for (let i = 0; i < MAX_PAGES; i++) {
      const page = await fetch(token);
      items.push(...pick(page));
      token = page.next_page_token || undefined;
      if (token === undefined || seen.has(token)) break;
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
