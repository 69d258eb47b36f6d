// An in-process fake of the KFP REST API v2beta1 for the client and CLI tests, its shapes taken
// from kubeflow/pipelines (each place names the file, path@tag, it follows). It listens on 127.0.0.1 (http or https), optionally
// under the ingress prefix /pipeline, requires a bearer token or a session cookie like
// multi-user Kubeflow, parses uploads strictly (an unknown top-level field rejects the file),
// checks run parameters against the uploaded spec, and moves a run PENDING -> RUNNING ->
// SUCCEEDED one task per GET. Every request is recorded so tests can assert what was sent.
import { randomUUID } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { parseAllDocuments } from 'yaml';

export interface FakeKfpOptions {
  /** Path the API is served under, e.g. '/pipeline' (the Kubeflow ingress). */
  prefix?: string;
  /** Accepted bearer token. With neither token nor cookie, no credentials are needed. */
  token?: string;
  /** Accepted session cookie as name=value. */
  cookie?: string;
  tls?: { cert: string; key: string };
  /**
   * Multi-user mode (backend/src/apiserver/common/config.go MULTIUSER): namespaces are kept and
   * authorized; single-user mode drops them (resource_manager.go@HEAD, ReplaceNamespace).
   */
  multiUser?: boolean;
  /** healthz `tag_name` (the release; "unknown" when the image does not say). Default 2.5.0. */
  tagName?: string;
  /** Who each credential value is and the namespaces the SubjectAccessReview allows ('*': all). */
  identities?: Record<string, { user: string; namespaces: string[] }>;
  /** Error bodies: grpc-gateway v1 (KFP 2.0.5-2.5: {error, code, message, details}) or v2 (HEAD: {code, message, details}); go.mod at each tag. */
  gateway?: 'v1' | 'v2';
  /**
   * What the Kubeflow ingress routes beside the API (fakeMlmdEnvoy.ts, fakeArtifactsUi.ts): called
   * for paths outside /apis after the ingress's own authentication; true when it answered.
   */
  ingress?: (req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, identity: { user: string; namespaces: string[] }) => boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path under /apis/v2beta1, e.g. '/runs'. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  json?: unknown;
  upload?: { fileName: string; text: string };
}

/** A one-shot canned answer for the next matching request. */
export interface InjectedAnswer {
  method: string;
  path: RegExp;
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Never answer (for timeout tests). */
  hang?: boolean;
}

interface Param {
  parameterType: string;
  defaultValue?: unknown;
}

interface Version {
  spec: Record<string, unknown>;
  pipeline_id: string;
  pipeline_version_id: string;
  display_name: string;
  created_at: string;
  parameters: Record<string, Param>;
  tasks: string[];
}

interface Run {
  run_id: string;
  storage_state: 'AVAILABLE' | 'ARCHIVED';
  /** Argo workflow name (argocompiler/argo.go@HEAD: GenerateName = pipeline name + '-'). */
  workflow: string;
  display_name: string;
  experiment_id: string;
  namespace?: string;
  created_at: string;
  pipeline_version_reference: { pipeline_id: string; pipeline_version_id: string };
  runtime_config: unknown;
  tasks: string[];
  /** GETs served so far: the run's clock. */
  polls: number;
  failAt?: { task: string; message: string };
  terminatedAtPoll?: number;
  times: Map<string, { start?: string; end?: string }>;
  finished_at?: string;
}

const API = '/apis/v2beta1';
const SPEC_FIELDS = new Set(['pipelineInfo', 'schemaVersion', 'sdkVersion', 'deploymentSpec', 'components', 'root', 'defaultPipelineRoot']);
const RUN_FIELDS = new Set(['display_name', 'description', 'experiment_id', 'pipeline_version_reference', 'runtime_config', 'service_account', 'pipeline_spec']);
// backend/api/v2beta1/recurring_run.proto@HEAD, RecurringRun (input fields).
const RECURRING_FIELDS = new Set(['display_name', 'description', 'pipeline_version_reference', 'runtime_config', 'service_account', 'max_concurrency', 'trigger', 'mode', 'no_catchup', 'namespace', 'experiment_id']);
const EXPERIMENT_FIELDS = new Set(['display_name', 'description', 'namespace']);
const NO_IDENTITY = 'Failed to authorize with API: Unauthenticated: Request header error: there is no user identity header.';

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

/** grpc-gateway's error body; `error` only from gateway v1 (runtime/errors.go of each). */
const grpcError = (status: number, code: number, message: string): HttpProblem => new HttpProblem(status, { error: message, code, message, details: [] });
/** The upload endpoints' error body. */
const uploadError = (status: number, message: string): HttpProblem => new HttpProblem(status, { error_message: message, error_details: message });

export class FakeKfp {
  url = '';
  readonly requests: RecordedRequest[] = [];
  readonly pipelines: { pipeline_id: string; display_name: string; namespace?: string; created_at: string }[] = [];
  readonly recurringRuns: Record<string, unknown>[] = [];
  /** Pipelines and versions deleted, by id, in order. */
  readonly deleted: string[] = [];
  readonly versions: Version[] = [];
  readonly experiments: { experiment_id: string; display_name: string; namespace?: string; created_at?: string; storage_state?: string }[] = [];
  readonly runs: Run[] = [];
  private readonly server: http.Server;
  private readonly injected: InjectedAnswer[] = [];
  private nextFailure: { task: string; message: string } | undefined;

  constructor(private readonly options: FakeKfpOptions) {
    const handler = (req: IncomingMessage, res: ServerResponse): void => void this.handle(req, res);
    this.server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, handler) : http.createServer(handler);
  }

  async listen(): Promise<this> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    const { port } = this.server.address() as AddressInfo;
    this.url = `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}${this.options.prefix ?? ''}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  /** The next run created fails when it reaches `task`, with `message` as the run's error. */
  failNextRun(task: string, message: string): void {
    this.nextFailure = { task, message };
  }

  inject(answer: InjectedAnswer): void {
    this.injected.push(answer);
  }

  /** Requests of one kind, e.g. calls('POST', '/runs'). */
  calls(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const prefix = `${this.options.prefix ?? ''}${API}`;
    if (!url.pathname.startsWith(prefix + '/')) {
      if (this.options.ingress) {
        const body = await readBody(req);
        // kubeflow/manifests v1.11.0 common/oauth2-proxy/base/oauth2_proxy.cfg: without a session,
        // api_routes ("^/ml_metadata") answer 401 and other paths redirect to the login page.
        if (!this.authorized(req.headers)) {
          if (url.pathname.startsWith('/ml_metadata')) res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized');
          else res.writeHead(302, { location: `/oauth2/start?rd=${encodeURIComponent(url.pathname)}` }).end();
          return;
        }
        if (this.options.ingress(req, res, url, body, this.identityOf(req.headers))) return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
      return;
    }
    const body = await readBody(req);
    const path = url.pathname.slice(prefix.length);
    const record: RecordedRequest = { method: req.method ?? '', path, query: Object.fromEntries(url.searchParams), headers: req.headers };
    this.requests.push(record);
    const injected = this.injected.findIndex((a) => a.method === record.method && a.path.test(record.path));
    if (injected >= 0) {
      const [answer] = this.injected.splice(injected, 1);
      if (!answer.hang) res.writeHead(answer.status ?? 500, { 'content-type': 'application/json', ...answer.headers }).end(answer.body ?? '{}');
      return;
    }
    try {
      if (!this.authorized(req.headers)) throw grpcError(401, 16, NO_IDENTITY);
      this.identity = this.identityOf(req.headers);
      const answer = await this.route(record, req.headers['content-type'] ?? '', body);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    } catch (e) {
      if (!(e instanceof HttpProblem)) throw e;
      const errorBody = this.options.gateway === 'v2' && typeof e.body === 'object' && e.body !== null && 'error' in e.body ? { ...(e.body as object), error: undefined } : e.body;
      res.writeHead(e.status, { 'content-type': 'application/json' }).end(JSON.stringify(errorBody));
    }
  }

  private identity: { user: string; namespaces: string[] } = { user: 'user@example.com', namespaces: ['*'] };

  private identityOf(headers: IncomingHttpHeaders): { user: string; namespaces: string[] } {
    const ids = this.options.identities ?? {};
    const token = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    if (token !== undefined && ids[token]) return ids[token];
    for (const c of (headers.cookie ?? '').split(/;\s*/)) if (ids[c]) return ids[c];
    return { user: 'user@example.com', namespaces: ['*'] };
  }

  /** The namespace as the server keeps it: dropped in single-user mode (resource_manager.go@HEAD, ReplaceNamespace). */
  private ns(namespace: string | undefined): string | undefined {
    return this.options.multiUser ? namespace || undefined : undefined;
  }

  /**
   * resource_manager.go@HEAD IsAuthorized: a SubjectAccessReview for the user; a denial is
   * PermissionDenied (HTTP 403) with the request printed as authorizationv1.ResourceAttributes,
   * wrapped by the server's own context (e.g. run_server.go@HEAD createRun, canAccessRun).
   */
  private authorize(namespace: string | undefined, verb: string, resource: string, context: string): void {
    if (!this.options.multiUser || namespace === undefined) return;
    const { user, namespaces } = this.identity;
    if (namespaces.includes('*') || namespaces.includes(namespace)) return;
    const attributes = `&ResourceAttributes{Namespace:${namespace},Verb:${verb},Group:pipelines.kubeflow.org,Version:v1beta1,Resource:${resource},Subresource:,Name:,}`;
    throw grpcError(403, 7, `${context}: PermissionDenied: User '${user}' is not authorized with reason:  (request: ${attributes}): Unauthorized access`);
  }

  private authorized(headers: IncomingHttpHeaders): boolean {
    const { token, cookie } = this.options;
    if (token === undefined && cookie === undefined) return true;
    if (token !== undefined && headers.authorization === `Bearer ${token}`) return true;
    const ids = this.options.identities ?? {};
    if (Object.keys(ids).some((k) => headers.authorization === `Bearer ${k}` || (headers.cookie ?? '').split(/;\s*/).includes(k))) return true;
    return cookie !== undefined && (headers.cookie ?? '').split(/;\s*/).includes(cookie);
  }

  private async route(r: RecordedRequest, contentType: string, body: Buffer): Promise<unknown> {
    const route = `${r.method} ${r.path}`;
    const id = (re: RegExp): string | undefined => {
      const m = re.exec(r.path);
      return m ? decodeURIComponent(m[1]) : undefined;
    };
    // backend/src/apiserver/main.go@HEAD: {commit_sha, tag_name, multi_user, pipeline_store}.
    if (route === 'GET /healthz') return { commit_sha: 'unknown', tag_name: this.options.tagName ?? '2.5.0', multi_user: this.options.multiUser === true };
    if (route === 'POST /pipelines/upload') return this.uploadPipeline(r, await readUpload(r, contentType, body));
    if (route === 'POST /pipelines/upload_version') return this.uploadVersion(r, await readUpload(r, contentType, body));
    if (route === 'GET /pipelines') return this.listPipelines(r);
    const versions = /^\/pipelines\/([^/]+)\/versions$/.exec(r.path);
    if (r.method === 'GET' && versions) return this.listVersions(decodeURIComponent(versions[1]), r);
    const version = /^\/pipelines\/([^/]+)\/versions\/([^/]+)$/.exec(r.path);
    if (version) return this.version(r.method, decodeURIComponent(version[1]), decodeURIComponent(version[2]));
    const pipeline = id(/^\/pipelines\/([^/]+)$/);
    if (pipeline !== undefined) return this.pipeline(r.method, pipeline);
    if (route === 'GET /experiments') return this.listExperiments(r);
    if (route === 'POST /experiments') return this.createExperiment(r, body);
    // experiment.proto DeleteExperiment: DELETE /apis/v2beta1/experiments/{experiment_id}.
    const experimentId = id(/^\/experiments\/([^/:]+)$/);
    if (r.method === 'DELETE' && experimentId !== undefined) return this.deleteExperiment(experimentId);
    if (route === 'POST /runs') return this.createRun(r, body);
    if (route === 'GET /runs') return this.listRuns(r);
    const action = /^\/runs\/([^/:]+):(terminate|retry|archive)$/.exec(r.path);
    if (r.method === 'POST' && action) return this.runAction(decodeURIComponent(action[1]), action[2]);
    const run = id(/^\/runs\/([^/:]+)$/);
    if (r.method === 'GET' && run !== undefined) return this.getRun(run);
    if (r.method === 'DELETE' && run !== undefined) return this.runAction(run, 'delete');
    if (route === 'POST /recurringruns') return this.createRecurringRun(r, body);
    if (route === 'GET /recurringruns') return this.listRecurringRuns(r);
    const recurring = /^\/recurringruns\/([^/:]+)(?::(enable|disable))?$/.exec(r.path);
    if (recurring && (r.method === 'DELETE' || (r.method === 'POST' && recurring[2]))) return this.changeRecurringRun(decodeURIComponent(recurring[1]), recurring[2] ?? 'delete');
    throw grpcError(404, 5, `Not Found: ${r.method} ${r.path}`);
  }

  private uploadPipeline(r: RecordedRequest, spec: ParsedSpec): unknown {
    const name = r.query.name || r.query.display_name;
    const namespace = this.ns(r.query.namespace);
    // pipeline_upload_server.go@HEAD canUploadVersionedPipeline: an empty namespace (a shared
    // pipeline) is not authorized at all, even in multi-user mode.
    this.authorize(namespace, 'create', 'pipelines', 'Failed to create a pipeline due to authorization error');
    if (this.pipelines.some((p) => p.display_name === name && p.namespace === namespace)) throw uploadError(409, 'Failed to create a pipeline and a pipeline version');
    const pipeline = { pipeline_id: randomUUID(), display_name: name, namespace, created_at: new Date().toISOString() };
    this.pipelines.push(pipeline);
    this.addVersion(pipeline.pipeline_id, name, spec);
    return { ...pipeline, name, description: r.query.description ?? '' };
  }

  private uploadVersion(r: RecordedRequest, spec: ParsedSpec): unknown {
    const pipelineId = r.query.pipelineid;
    const parent = this.pipelines.find((p) => p.pipeline_id === pipelineId);
    if (!parent) throw uploadError(400, 'Failed to create a pipeline version');
    this.authorize(parent.namespace, 'create', 'pipelines', 'Failed to create a pipeline version due to authorization error');
    const name = r.query.name || r.query.display_name;
    if (this.versions.some((v) => v.pipeline_id === pipelineId && v.display_name === name)) throw uploadError(409, 'Failed to create a pipeline version');
    const version = this.addVersion(pipelineId, name, spec);
    return { pipeline_id: version.pipeline_id, pipeline_version_id: version.pipeline_version_id, display_name: name, name, created_at: version.created_at, package_url: {}, pipeline_spec: { pipelineInfo: { name } } };
  }

  private addVersion(pipelineId: string, name: string, spec: ParsedSpec): Version {
    // Creation times strictly increase, so "newest first" is well defined within one millisecond.
    const last = this.versions.at(-1)?.created_at;
    const now = new Date(Math.max(Date.now(), last ? Date.parse(last) + 1 : 0)).toISOString();
    const version = { pipeline_id: pipelineId, pipeline_version_id: randomUUID(), display_name: name, created_at: now, ...spec };
    this.versions.push(version);
    return version;
  }

  private listPipelines(r: RecordedRequest): unknown {
    const namespace = this.ns(r.query.namespace);
    this.authorize(namespace, 'list', 'pipelines', `Failed to list pipelines in namespace ${namespace}`);
    const wanted = displayNameFilter(r.query.filter);
    const matching = this.pipelines.filter((p) => p.namespace === namespace && (wanted === undefined || p.display_name === wanted));
    const { items, next } = page(matching, r.query);
    return items.length > 0 ? { pipelines: items, total_size: matching.length, next_page_token: next } : {};
  }

  private listVersions(pipelineId: string, r: RecordedRequest): unknown {
    if (!this.pipelines.some((p) => p.pipeline_id === pipelineId)) throw grpcError(404, 5, `Pipeline ${pipelineId} not found`);
    let matching = this.versions.filter((v) => v.pipeline_id === pipelineId).map(({ pipeline_id, pipeline_version_id, display_name, created_at }) => ({ pipeline_id, pipeline_version_id, display_name, created_at }));
    if (r.query.sort_by === 'created_at desc') matching = matching.reverse();
    const { items, next } = page(matching, r.query);
    return { pipeline_versions: items, total_size: matching.length, next_page_token: next };
  }

  private listExperiments(r: RecordedRequest): unknown {
    const namespace = this.ns(r.query.namespace);
    this.authorize(namespace, 'list', 'experiments', 'Failed to list experiments due to authorization error');
    const wanted = displayNameFilter(r.query.filter);
    const matching = this.experiments.filter((e) => e.namespace === namespace && (wanted === undefined || e.display_name === wanted));
    const { items, next } = page(matching, r.query);
    return items.length > 0 ? { experiments: items, total_size: matching.length, next_page_token: next } : {};
  }

  private createExperiment(r: RecordedRequest, body: Buffer): unknown {
    const json = strictJson(r, body, EXPERIMENT_FIELDS);
    if (typeof json.display_name !== 'string' || json.display_name === '') throw grpcError(400, 3, 'Invalid input error: Experiment name is empty. Please specify a valid experiment name');
    const experiment = { experiment_id: randomUUID(), display_name: json.display_name, namespace: this.ns(typeof json.namespace === 'string' ? json.namespace : undefined), created_at: new Date().toISOString(), storage_state: 'AVAILABLE' };
    // experiment_server.go@HEAD canAccessExperiment.
    if (this.options.multiUser && experiment.namespace === undefined) throw grpcError(400, 3, 'Failed to create an experiment due to authorization error: Invalid input error: An experiment cannot have an empty namespace in multi-user mode');
    this.authorize(experiment.namespace, 'create', 'experiments', 'Failed to create an experiment due to authorization error');
    if (this.experiments.some((e) => e.display_name === experiment.display_name && e.namespace === experiment.namespace)) throw grpcError(409, 6, 'Already exist error: experiment name is taken');
    this.experiments.push(experiment);
    return experiment;
  }

  private createRun(r: RecordedRequest, body: Buffer): unknown {
    const json = strictJson(r, body, RUN_FIELDS);
    const ref = json.pipeline_version_reference as { pipeline_id?: string; pipeline_version_id?: string } | undefined;
    const version = this.versions.find((v) => v.pipeline_id === ref?.pipeline_id && v.pipeline_version_id === ref?.pipeline_version_id);
    if (!version) throw grpcError(404, 5, 'Failed to create a run: pipeline version not found');
    const experiment = this.experiments.find((e) => e.experiment_id === json.experiment_id);
    if (!experiment) throw grpcError(400, 3, 'Failed to create a run: Invalid input error: experiment_id is required in multi-user mode');
    // run_server.go@HEAD createRun -> canAccessRun.
    this.authorize(experiment.namespace, 'create', 'runs', `Failed to create a run due to authorization error. Check if you have write permissions to namespace ${experiment.namespace}: Failed to access run . Check if you have access to namespace ${experiment.namespace}`);
    const config = (json.runtime_config ?? {}) as { parameters?: Record<string, unknown> };
    for (const [name, value] of Object.entries(config.parameters ?? {})) {
      const declared = version.parameters[name];
      if (!declared) throw grpcError(400, 3, `Failed to create a run: Invalid input error: Unrecognized input parameter: ${name}`);
      if (!matchesType(declared.parameterType, value)) throw grpcError(400, 3, `Failed to create a run: Invalid input error: input parameter ${name} requires type ${declared.parameterType}, got ${JSON.stringify(value)}`);
    }
    const pipelineName = this.pipelines.find((p) => p.pipeline_id === version.pipeline_id)?.display_name ?? 'pipeline';
    const run: Run = {
      run_id: randomUUID(),
      storage_state: 'AVAILABLE',
      workflow: `${pipelineName}-${randomUUID().slice(0, 5)}`,
      display_name: String(json.display_name ?? ''),
      experiment_id: experiment.experiment_id,
      namespace: experiment.namespace,
      created_at: new Date(Date.now() + this.runs.length).toISOString(),
      pipeline_version_reference: { pipeline_id: version.pipeline_id, pipeline_version_id: version.pipeline_version_id },
      runtime_config: json.runtime_config,
      tasks: version.tasks,
      polls: 0,
      failAt: this.nextFailure,
      times: new Map(),
    };
    this.nextFailure = undefined;
    this.runs.push(run);
    return this.view(run);
  }

  private listRuns(r: RecordedRequest): unknown {
    const namespace = this.ns(r.query.namespace);
    const experimentId = r.query.experiment_id || undefined;
    this.authorize(namespace ?? this.experiments.find((e) => e.experiment_id === experimentId)?.namespace, 'list', 'runs', 'Failed to list runs due to authorization error');
    if (this.options.multiUser && namespace === undefined && experimentId === undefined) throw grpcError(400, 3, 'Invalid input error: ListRuns must filter by namespace or experiment in multi-user mode');
    let matching = this.runs.filter((run) => (experimentId === undefined || run.experiment_id === experimentId) && (namespace === undefined || run.namespace === namespace));
    if (r.query.sort_by === 'created_at desc') matching = [...matching].reverse();
    const { items, next } = page(matching, r.query);
    return items.length > 0 ? { runs: items.map((run) => this.view(run)), total_size: matching.length, next_page_token: next } : {};
  }

  private getRun(id: string): unknown {
    const run = this.findRun(id);
    this.authorize(run.namespace, 'get', 'runs', `Failed to authorize the request: Failed to access run ${id}. Check if you have access to namespace ${run.namespace}`);
    const view = this.view(run);
    run.polls++;
    return view;
  }

  private pipeline(method: string, id: string): unknown {
    const index = this.pipelines.findIndex((p) => p.pipeline_id === id);
    if (index < 0) throw grpcError(404, 5, `Failed to get pipeline ${id}: ResourceNotFoundError: Pipeline ${id} not found`);
    const pipeline = this.pipelines[index];
    this.authorize(pipeline.namespace, method === 'DELETE' ? 'delete' : 'get', 'pipelines', `Failed to authorize with the pipeline ID ${id}`);
    if (method === 'GET') return pipeline;
    if (method !== 'DELETE') throw grpcError(405, 12, 'Method Not Allowed');
    // resource_manager.go@2.0.5 DeletePipeline: refused while versions exist.
    const left = this.versions.find((v) => v.pipeline_id === id);
    if (left) throw grpcError(400, 3, `Failed to delete pipeline with id ${id} as it has existing pipeline versions (e.g. ${left.pipeline_version_id})`);
    this.pipelines.splice(index, 1);
    this.deleted.push(id);
    return {};
  }

  /** GetPipelineVersion carries pipeline_spec as api_util.go@HEAD YamlStringToPipelineSpecStruct builds it. */
  private version(method: string, pipelineId: string, versionId: string): unknown {
    const index = this.versions.findIndex((v) => v.pipeline_id === pipelineId && v.pipeline_version_id === versionId);
    if (index < 0) throw grpcError(404, 5, `Failed to get pipeline version ${versionId}: ResourceNotFoundError: PipelineVersion ${versionId} not found`);
    const v = this.versions[index];
    if (method === 'DELETE') {
      this.versions.splice(index, 1);
      this.deleted.push(versionId);
      return {};
    }
    return { pipeline_id: v.pipeline_id, pipeline_version_id: v.pipeline_version_id, display_name: v.display_name, created_at: v.created_at, pipeline_spec: v.spec };
  }

  private runAction(id: string, action: string): unknown {
    const run = this.findRun(id);
    this.authorize(run.namespace, action, 'runs', `Failed to ${action} a run due to authorization error`);
    if (action === 'terminate') run.terminatedAtPoll ??= run.polls;
    if (action === 'archive') run.storage_state = 'ARCHIVED';
    if (action === 'delete') this.runs.splice(this.runs.indexOf(run), 1);
    // run_server.go@HEAD RetryRun -> resource_manager.go RetryRun: only a failed or errored run.
    if (action === 'retry') {
      const state = (this.view(run) as { state: string }).state;
      if (state !== 'FAILED') throw grpcError(400, 3, `Failed to retry a run: Failed to retry run ${id} as it does not have a failed or errored state`);
      run.failAt = undefined;
      run.polls = 0;
    }
    return {};
  }

  private deleteExperiment(experimentId: string): unknown {
    const at = this.experiments.findIndex((e) => e.experiment_id === experimentId);
    if (at < 0) throw grpcError(404, 5, `Failed to delete an experiment: ResourceNotFoundError: Experiment ${experimentId} not found`);
    this.authorize(this.experiments[at].namespace, 'delete', 'experiments', 'Failed to delete an experiment due to authorization error');
    this.experiments.splice(at, 1);
    return {};
  }

  private createRecurringRun(r: RecordedRequest, body: Buffer): unknown {
    const json = strictJson(r, body, RECURRING_FIELDS);
    const experiment = this.experiments.find((e) => e.experiment_id === json.experiment_id);
    // job_server.go@HEAD: "A recurring run cannot have an empty namespace in multi-user mode".
    if (this.options.multiUser && !experiment?.namespace) throw grpcError(400, 3, 'Failed to create a recurring run: Invalid input error: A recurring run cannot have an empty namespace in multi-user mode');
    this.authorize(experiment?.namespace, 'create', 'jobs', 'Failed to create a recurring run due to authorization error');
    // api_converter.go@HEAD toModelJob: max concurrency 1..10 (an int64: a JSON string or number).
    const max = Number(json.max_concurrency ?? 0);
    if (!(max >= 1 && max <= 10)) throw grpcError(400, 3, `Invalid input error: Max concurrency of a recurring run must be at least 1 and at most 10. Received ${max}`);
    const created = { ...json, recurring_run_id: randomUUID(), namespace: experiment?.namespace, max_concurrency: String(max), status: json.mode === 'DISABLE' ? 'DISABLED' : 'ENABLED', created_at: new Date().toISOString() };
    this.recurringRuns.push(created);
    return created;
  }

  private listRecurringRuns(r: RecordedRequest): unknown {
    const namespace = this.ns(r.query.namespace);
    const experimentId = r.query.experiment_id || undefined;
    const matching = this.recurringRuns.filter((j) => (experimentId === undefined || j.experiment_id === experimentId) && (namespace === undefined || j.namespace === namespace));
    const { items, next } = page(matching, r.query);
    // The proto field is named recurringRuns (recurring_run.proto@HEAD ListRecurringRunsResponse).
    return items.length > 0 ? { recurringRuns: items, total_size: matching.length, next_page_token: next } : {};
  }

  private changeRecurringRun(id: string, change: string): unknown {
    const index = this.recurringRuns.findIndex((j) => j.recurring_run_id === id);
    if (index < 0) throw grpcError(404, 5, `Failed to fetch a recurring run: ResourceNotFoundError: RecurringRun ${id} not found`);
    if (change === 'delete') this.recurringRuns.splice(index, 1);
    else Object.assign(this.recurringRuns[index], { mode: change === 'enable' ? 'ENABLE' : 'DISABLE', status: change === 'enable' ? 'ENABLED' : 'DISABLED' });
    return {};
  }

  private findRun(id: string): Run {
    const run = this.runs.find((r) => r.run_id === id);
    if (!run) throw grpcError(404, 5, `Failed to get run: ResourceNotFoundError: Run ${id} not found`);
    return run;
  }

  /** Task and run states after `polls` earlier GETs: PENDING first, then each GET finishes one task and starts the next. */
  private progress(run: Run): { state: string; tasks: { name: string; state: string; start: string; end?: string }[] } {
    const clock = run.terminatedAtPoll ?? run.polls;
    const step = clock - 1; // index of the running task
    const failIndex = run.failAt ? run.tasks.indexOf(run.failAt.task) : -1;
    const tasks: { name: string; state: string; start: string; end?: string }[] = [];
    let failed = false;
    for (const [i, name] of run.tasks.entries()) {
      if (clock === 0 || i > step) break;
      const time = run.times.get(name) ?? {};
      time.start ??= seconds(new Date());
      let taskState = 'RUNNING';
      if (i === failIndex && i < step) taskState = 'FAILED';
      else if (i < step) taskState = 'SUCCEEDED';
      // Argo marks the nodes of a terminated workflow Failed (model.RuntimeState ToV2: FAILED).
      else if (run.terminatedAtPoll !== undefined) taskState = 'FAILED';
      if (taskState !== 'RUNNING') time.end ??= seconds(new Date());
      run.times.set(name, time);
      tasks.push({ name, state: taskState, start: time.start, end: time.end });
      if (taskState === 'FAILED' && run.terminatedAtPoll === undefined) {
        failed = true;
        break;
      }
    }
    let state = clock === 0 ? 'PENDING' : 'RUNNING';
    if (failed) state = 'FAILED';
    else if (clock > 0 && step >= run.tasks.length) state = 'SUCCEEDED';
    else if (run.terminatedAtPoll !== undefined) state = 'CANCELED';
    return { state, tasks };
  }

  /**
   * The Argo nodes of the run's workflow as backend/src/v2/compiler/argocompiler (dag.go,
   * container.go @2.0.5 and @HEAD) lays them out: the workflow node (entrypoint DAG) with
   * children `root-driver` and `root`; under `root`, per task a `<task>-driver` pod and a DAG
   * node named like the task, whose child is the `executor` pod. Node ids are
   * `<workflow>-<number>`, the workflow node's id is the workflow name.
   */
  private nodes(run: Run): { id: string; displayName: string; type: string; children: string[]; task?: string; state: string; start: string; end?: string }[] {
    const { state, tasks } = this.progress(run);
    if (tasks.length === 0 && state === 'PENDING') return [];
    const nodeState = state === 'CANCELED' ? 'FAILED' : state;
    const created = seconds(new Date(run.created_at));
    const id = (key: string): string => `${run.workflow}-${nodeNumber(key)}`;
    const done = nodeState === 'RUNNING' ? undefined : (run.finished_at ?? seconds(new Date()));
    const nodes: ReturnType<FakeKfp['nodes']> = [
      { id: run.workflow, displayName: run.workflow, type: 'DAG', children: [id('root-driver'), id('root')], state: nodeState, start: created, end: done },
      { id: id('root-driver'), displayName: 'root-driver', type: 'Pod', children: [], state: 'SUCCEEDED', start: created, end: created },
      { id: id('root'), displayName: 'root', type: 'DAG', children: tasks.flatMap((t) => [id(`${t.name}-driver`), id(t.name)]), state: nodeState, start: created, end: done },
    ];
    for (const t of tasks) {
      nodes.push({ id: id(`${t.name}-driver`), displayName: `${t.name}-driver`, type: 'Pod', children: [], state: 'SUCCEEDED', start: t.start, end: t.start });
      nodes.push({ id: id(t.name), displayName: t.name, type: 'DAG', children: [id(`${t.name}/executor`)], task: t.name, state: t.state, start: t.start, end: t.end });
      nodes.push({ id: id(`${t.name}/executor`), displayName: 'executor', type: 'Pod', children: [], task: t.name, state: t.state, start: t.start, end: t.end });
    }
    return nodes;
  }

  /** The run as the GET after `polls` earlier ones shows it (api_converter.go toApiRunV2 / toApiPipelineTaskDetail). */
  private view(run: Run): unknown {
    const { state } = this.progress(run);
    const ended = state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELED';
    if (ended) run.finished_at ??= seconds(new Date());
    // toModelTasks@HEAD sorts the nodes by id; each task gets the workflow's creation time,
    // no error of its own and no pod_name, its children as child_tasks[].pod_name.
    const tasks = this.nodes(run)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((n) => ({
        run_id: run.run_id,
        task_id: this.taskId(n.id),
        display_name: n.displayName,
        create_time: seconds(new Date(run.created_at)),
        start_time: n.start,
        end_time: n.end ?? '1970-01-01T00:00:00Z',
        state: n.state,
        ...(n.children.length > 0 ? { child_tasks: n.children.map((c) => ({ pod_name: c })) } : {}),
      }));
    return {
      run_id: run.run_id,
      display_name: run.display_name,
      experiment_id: run.experiment_id,
      storage_state: run.storage_state,
      pipeline_version_reference: run.pipeline_version_reference,
      runtime_config: run.runtime_config,
      service_account: 'default-editor',
      created_at: run.created_at,
      scheduled_at: run.created_at,
      finished_at: ended ? run.finished_at : '1970-01-01T00:00:00Z',
      state,
      ...(state === 'FAILED' ? { error: { code: 2, message: run.failAt?.message } } : {}),
      ...(tasks.length > 0 ? { run_details: { task_details: tasks } } : { run_details: {} }),
    };
  }

  private readonly taskIds = new Map<string, string>();

  /** Task ids are UUIDs the task store makes once per node (storage/task_store.go@HEAD CreateTask). */
  private taskId(nodeId: string): string {
    let id = this.taskIds.get(nodeId);
    if (id === undefined) this.taskIds.set(nodeId, (id = randomUUID()));
    return id;
  }
}

/** RFC 3339 in whole seconds: task times go through Unix seconds (api_converter.go, timestamppb.New(time.Unix(s, 0))). */
function seconds(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Argo's node ids end in a number derived from the node's name; any stable number will do here. */
function nodeNumber(key: string): number {
  let h = 2166136261;
  for (const c of key) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return 1000000000 + (h % 1000000000);
}

export async function startFakeKfp(options: FakeKfpOptions = {}): Promise<FakeKfp> {
  return new FakeKfp(options).listen();
}

interface ParsedSpec {
  parameters: Record<string, Param>;
  tasks: string[];
  /** The pipeline_spec Struct: the spec, or {pipeline_spec, platform_spec} with a platform doc (api_util.go@HEAD). */
  spec: Record<string, unknown>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The multipart field `uploadfile`, parsed as KFP does: by file name, then strictly. */
async function readUpload(r: RecordedRequest, contentType: string, body: Buffer): Promise<ParsedSpec> {
  let file: File | string | null = null;
  try {
    file = (await new Response(body, { headers: { 'content-type': contentType } }).formData()).get('uploadfile');
  } catch {
    // not multipart
  }
  if (file === null || typeof file === 'string') throw uploadError(400, 'Failed to read pipeline from file');
  const text = await file.text();
  r.upload = { fileName: file.name, text };
  if (!/\.ya?ml$/.test(file.name)) throw uploadError(400, 'Failed to create a pipeline and a pipeline version: Invalid input error: unexpected format of the pipeline file');
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
  const spec = docs[0];
  const invalid = (why: string): HttpProblem => uploadError(400, `Failed to create a pipeline and a pipeline version: Invalid input error: pipeline spec is invalid: ${why}`);
  if (typeof spec !== 'object' || spec === null) throw invalid('empty document');
  const unknown = Object.keys(spec).find((k) => !SPEC_FIELDS.has(k));
  if (unknown !== undefined) throw invalid(`proto: unknown field "${unknown}"`);
  const info = spec.pipelineInfo as { name?: unknown } | undefined;
  if (typeof info?.name !== 'string' || spec.schemaVersion !== '2.1.0') throw invalid('pipelineInfo.name and schemaVersion 2.1.0 are required');
  if (docs.length > 1 && Object.keys(docs[1] ?? {}).some((k) => k !== 'platforms')) throw invalid('platform spec: unknown field');
  const root = spec.root as { inputDefinitions?: { parameters?: Record<string, Param> }; dag?: { tasks?: Record<string, unknown> } };
  const struct = docs.length > 1 ? { pipeline_spec: spec, platform_spec: docs[1] } : spec;
  return { parameters: root?.inputDefinitions?.parameters ?? {}, tasks: Object.keys(root?.dag?.tasks ?? {}), spec: struct };
}

/** A JSON body as protojson reads it: unknown fields are an error. */
function strictJson(r: RecordedRequest, body: Buffer, fields: Set<string>): Record<string, unknown> {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw grpcError(400, 3, 'proto: syntax error (line 1:1): unexpected token');
  }
  r.json = json;
  const unknown = Object.keys(json).find((k) => !fields.has(k));
  if (unknown !== undefined) throw grpcError(400, 3, `proto: (line 1:2): unknown field "${unknown}"`);
  return json;
}

/** The display name an EQUALS filter asks for (KFP's JSON Filter message). */
function displayNameFilter(filter: string | undefined): string | undefined {
  if (filter === undefined) return undefined;
  const parsed = JSON.parse(filter) as { predicates?: { key?: string; operation?: string; string_value?: string }[] };
  const predicate = parsed.predicates?.find((p) => p.key === 'display_name');
  if (predicate?.operation !== 'EQUALS' || typeof predicate.string_value !== 'string') throw grpcError(400, 3, `Invalid input error: bad filter ${filter}`);
  return predicate.string_value;
}

/** page_size / page_token paging; tokens are base64 of a small JSON object (list/list.go@HEAD, token.marshal). */
function page<T>(items: T[], query: Record<string, string>): { items: T[]; next?: string } {
  const size = query.page_size ? Number(query.page_size) : 20;
  const offset = query.page_token ? (JSON.parse(Buffer.from(query.page_token, 'base64').toString()) as { Offset: number }).Offset : 0;
  const next = offset + size < items.length ? Buffer.from(JSON.stringify({ Offset: offset + size })).toString('base64') : undefined;
  return { items: items.slice(offset, offset + size), next };
}

function matchesType(type: string, value: unknown): boolean {
  switch (type) {
    case 'STRING':
      return typeof value === 'string';
    case 'NUMBER_INTEGER':
      return Number.isInteger(value);
    case 'NUMBER_DOUBLE':
      return typeof value === 'number';
    case 'BOOLEAN':
      return typeof value === 'boolean';
    case 'LIST':
      return Array.isArray(value);
    case 'STRUCT':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return false;
  }
}
