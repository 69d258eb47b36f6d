// An in-process fake of the KFP REST API v2beta1, as /work/shared/docs/kfp-contract.md section 4
// describes it, for the client and CLI tests. It listens on 127.0.0.1 (http or https), optionally
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
  pipeline_id: string;
  pipeline_version_id: string;
  display_name: string;
  created_at: string;
  parameters: Record<string, Param>;
  tasks: string[];
}

interface Run {
  run_id: string;
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

/** grpc-gateway's error body. */
const grpcError = (status: number, code: number, message: string): HttpProblem => new HttpProblem(status, { error: message, code, message, details: [] });
/** The upload endpoints' error body. */
const uploadError = (status: number, message: string): HttpProblem => new HttpProblem(status, { error_message: message, error_details: message });

export class FakeKfp {
  url = '';
  readonly requests: RecordedRequest[] = [];
  readonly pipelines: { pipeline_id: string; display_name: string; namespace?: string; created_at: string }[] = [];
  readonly versions: Version[] = [];
  readonly experiments: { experiment_id: string; display_name: string; namespace?: string }[] = [];
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
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
      return;
    }
    const body = await readBody(req);
    const record: RecordedRequest = { method: req.method ?? '', path: url.pathname.slice(prefix.length), query: Object.fromEntries(url.searchParams), headers: req.headers };
    this.requests.push(record);
    const injected = this.injected.findIndex((a) => a.method === record.method && a.path.test(record.path));
    if (injected >= 0) {
      const [answer] = this.injected.splice(injected, 1);
      if (!answer.hang) res.writeHead(answer.status ?? 500, { 'content-type': 'application/json', ...answer.headers }).end(answer.body ?? '{}');
      return;
    }
    try {
      if (!this.authorized(req.headers)) throw grpcError(401, 16, NO_IDENTITY);
      const answer = await this.route(record, req.headers['content-type'] ?? '', body);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    } catch (e) {
      if (!(e instanceof HttpProblem)) throw e;
      res.writeHead(e.status, { 'content-type': 'application/json' }).end(JSON.stringify(e.body));
    }
  }

  private authorized(headers: IncomingHttpHeaders): boolean {
    const { token, cookie } = this.options;
    if (token === undefined && cookie === undefined) return true;
    if (token !== undefined && headers.authorization === `Bearer ${token}`) return true;
    return cookie !== undefined && (headers.cookie ?? '').split(/;\s*/).includes(cookie);
  }

  private async route(r: RecordedRequest, contentType: string, body: Buffer): Promise<unknown> {
    const route = `${r.method} ${r.path}`;
    if (route === 'POST /pipelines/upload') return this.uploadPipeline(r, await readUpload(r, contentType, body));
    if (route === 'POST /pipelines/upload_version') return this.uploadVersion(r, await readUpload(r, contentType, body));
    if (route === 'GET /pipelines') return this.listPipelines(r);
    const versions = /^\/pipelines\/([^/]+)\/versions$/.exec(r.path);
    if (r.method === 'GET' && versions) return this.listVersions(decodeURIComponent(versions[1]), r);
    if (route === 'GET /experiments') return this.listExperiments(r);
    if (route === 'POST /experiments') return this.createExperiment(r, body);
    if (route === 'POST /runs') return this.createRun(r, body);
    if (route === 'GET /runs') return this.listRuns(r);
    const terminate = /^\/runs\/([^/]+):terminate$/.exec(r.path);
    if (r.method === 'POST' && terminate) return this.terminate(decodeURIComponent(terminate[1]));
    const run = /^\/runs\/([^/:]+)$/.exec(r.path);
    if (r.method === 'GET' && run) return this.getRun(decodeURIComponent(run[1]));
    throw grpcError(404, 5, `Not Found: ${r.method} ${r.path}`);
  }

  private uploadPipeline(r: RecordedRequest, spec: ParsedSpec): unknown {
    const name = r.query.name || r.query.display_name;
    const namespace = r.query.namespace || undefined;
    if (this.pipelines.some((p) => p.display_name === name && p.namespace === namespace)) throw uploadError(409, 'Failed to create a pipeline and a pipeline version');
    const pipeline = { pipeline_id: randomUUID(), display_name: name, namespace, created_at: new Date().toISOString() };
    this.pipelines.push(pipeline);
    this.addVersion(pipeline.pipeline_id, name, spec);
    return { ...pipeline, name, description: r.query.description ?? '' };
  }

  private uploadVersion(r: RecordedRequest, spec: ParsedSpec): unknown {
    const pipelineId = r.query.pipelineid;
    if (!this.pipelines.some((p) => p.pipeline_id === pipelineId)) throw uploadError(400, 'Failed to create a pipeline version');
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
    const namespace = r.query.namespace || undefined;
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
    const namespace = r.query.namespace || undefined;
    const wanted = displayNameFilter(r.query.filter);
    const matching = this.experiments.filter((e) => e.namespace === namespace && (wanted === undefined || e.display_name === wanted));
    const { items, next } = page(matching, r.query);
    return items.length > 0 ? { experiments: items, total_size: matching.length, next_page_token: next } : {};
  }

  private createExperiment(r: RecordedRequest, body: Buffer): unknown {
    const json = strictJson(r, body, EXPERIMENT_FIELDS);
    if (typeof json.display_name !== 'string' || json.display_name === '') throw grpcError(400, 3, 'Invalid input error: Experiment name is empty. Please specify a valid experiment name');
    const experiment = { experiment_id: randomUUID(), display_name: json.display_name, namespace: typeof json.namespace === 'string' ? json.namespace : undefined };
    if (this.experiments.some((e) => e.display_name === experiment.display_name && e.namespace === experiment.namespace)) throw grpcError(409, 6, 'Already exist error: experiment name is taken');
    this.experiments.push(experiment);
    return { ...experiment, created_at: new Date().toISOString(), storage_state: 'AVAILABLE' };
  }

  private createRun(r: RecordedRequest, body: Buffer): unknown {
    const json = strictJson(r, body, RUN_FIELDS);
    const ref = json.pipeline_version_reference as { pipeline_id?: string; pipeline_version_id?: string } | undefined;
    const version = this.versions.find((v) => v.pipeline_id === ref?.pipeline_id && v.pipeline_version_id === ref?.pipeline_version_id);
    if (!version) throw grpcError(404, 5, 'Failed to create a run: pipeline version not found');
    const experiment = this.experiments.find((e) => e.experiment_id === json.experiment_id);
    if (!experiment) throw grpcError(400, 3, 'Failed to create a run: Invalid input error: experiment_id is required in multi-user mode');
    const config = (json.runtime_config ?? {}) as { parameters?: Record<string, unknown> };
    for (const [name, value] of Object.entries(config.parameters ?? {})) {
      const declared = version.parameters[name];
      if (!declared) throw grpcError(400, 3, `Failed to create a run: Invalid input error: Unrecognized input parameter: ${name}`);
      if (!matchesType(declared.parameterType, value)) throw grpcError(400, 3, `Failed to create a run: Invalid input error: input parameter ${name} requires type ${declared.parameterType}, got ${JSON.stringify(value)}`);
    }
    const run: Run = {
      run_id: randomUUID(),
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
    const namespace = r.query.namespace || undefined;
    const experimentId = r.query.experiment_id || undefined;
    if (namespace === undefined && experimentId === undefined) throw grpcError(400, 3, 'Invalid input error: ListRuns must filter by namespace or experiment in multi-user mode');
    let matching = this.runs.filter((run) => (experimentId === undefined || run.experiment_id === experimentId) && (namespace === undefined || run.namespace === namespace));
    if (r.query.sort_by === 'created_at desc') matching = [...matching].reverse();
    const { items, next } = page(matching, r.query);
    return items.length > 0 ? { runs: items.map((run) => this.view(run)), total_size: matching.length, next_page_token: next } : {};
  }

  private getRun(id: string): unknown {
    const run = this.findRun(id);
    const view = this.view(run);
    run.polls++;
    return view;
  }

  private terminate(id: string): unknown {
    const run = this.findRun(id);
    run.terminatedAtPoll ??= run.polls;
    return {};
  }

  private findRun(id: string): Run {
    const run = this.runs.find((r) => r.run_id === id);
    if (!run) throw grpcError(404, 5, `Failed to get run: ResourceNotFoundError: Run ${id} not found`);
    return run;
  }

  /** The run as the GET after `polls` earlier ones shows it: PENDING first, then each GET finishes one task and starts the next. */
  private view(run: Run): unknown {
    const clock = run.terminatedAtPoll ?? run.polls;
    const step = clock - 1; // index of the running task
    const failIndex = run.failAt ? run.tasks.indexOf(run.failAt.task) : -1;
    const tasks: unknown[] = [];
    let failed = false;
    for (const [i, name] of run.tasks.entries()) {
      if (clock === 0 || i > step) break;
      const time = run.times.get(name) ?? {};
      time.start ??= new Date().toISOString();
      let taskState = 'RUNNING';
      if (i === failIndex && i < step) taskState = 'FAILED';
      else if (i < step) taskState = 'SUCCEEDED';
      else if (run.terminatedAtPoll !== undefined) taskState = 'CANCELED';
      if (taskState !== 'RUNNING') time.end ??= new Date().toISOString();
      run.times.set(name, time);
      tasks.push({ run_id: run.run_id, task_id: `${run.run_id}-${name}`, display_name: name, create_time: time.start, start_time: time.start, end_time: time.end ?? '1970-01-01T00:00:00Z', state: taskState, ...(taskState === 'FAILED' ? { error: { code: 2, message: run.failAt?.message } } : {}) });
      if (taskState === 'FAILED') {
        failed = true;
        break;
      }
    }
    let state = clock === 0 ? 'PENDING' : 'RUNNING';
    if (failed) state = 'FAILED';
    else if (clock > 0 && step >= run.tasks.length) state = 'SUCCEEDED';
    else if (run.terminatedAtPoll !== undefined) state = 'CANCELED';
    const ended = state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELED';
    if (ended) run.finished_at ??= new Date().toISOString();
    return {
      run_id: run.run_id,
      display_name: run.display_name,
      experiment_id: run.experiment_id,
      storage_state: 'AVAILABLE',
      pipeline_version_reference: run.pipeline_version_reference,
      runtime_config: run.runtime_config,
      service_account: 'default-editor',
      created_at: run.created_at,
      scheduled_at: run.created_at,
      finished_at: ended ? run.finished_at : '1970-01-01T00:00:00Z',
      state,
      ...(state === 'FAILED' ? { error: { code: 2, message: run.failAt?.message } } : {}),
      run_details: { task_details: tasks },
    };
  }
}

export async function startFakeKfp(options: FakeKfpOptions = {}): Promise<FakeKfp> {
  return new FakeKfp(options).listen();
}

interface ParsedSpec {
  parameters: Record<string, Param>;
  tasks: string[];
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
  return { parameters: root?.inputDefinitions?.parameters ?? {}, tasks: Object.keys(root?.dag?.tasks ?? {}) };
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

/** page_size / page_token paging; the token is an opaque offset. */
function page<T>(items: T[], query: Record<string, string>): { items: T[]; next?: string } {
  const size = query.page_size ? Number(query.page_size) : 20;
  const offset = query.page_token ? Number(Buffer.from(query.page_token, 'base64url').toString()) : 0;
  const next = offset + size < items.length ? Buffer.from(String(offset + size)).toString('base64url') : undefined;
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
