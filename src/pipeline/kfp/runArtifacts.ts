// `sealed runs artifacts <run> --out DIR`: downloads a KFP v2 run's output artifacts the way the
// KFP UI finds and serves them. The KFP REST API does not list v2 outputs; they are recorded in
// ML Metadata by the driver and launcher (backend/src/v2/metadata/client.go@HEAD and @2.0.5):
//  - the run is a context of type `system.PipelineRun` named by the run id (GetPipeline), with
//    custom properties `namespace` and `pipeline_root` (= <root>/<pipeline name>/<run id>);
//  - each task is an execution in that context with custom properties `display_name` and
//    `task_name` (CreateExecution);
//  - each output is an artifact tied to its execution by an OUTPUT event whose path's first
//    step key is the output name (PublishExecution, eventPath); its URI lies under the root.
// The UI reads them in this order (frontend/src/mlmd/MlmdUtils.ts@HEAD: getKfpV2RunContext,
// getExecutionsFromContext, getEventsByExecutions, getLinkedArtifactsByEvents, with
// ExecutionHelpers.getName for the task and getArtifactNameFromEvent for the output) over
// gRPC-web (mlmd/grpcWeb.ts), and downloads with its Download link
// (frontend/src/lib/Apis.ts@HEAD buildReadFileUrl isDownload, Utils.tsx generateMinioArtifactUrl):
//   GET <host>/artifacts/<source>/<bucket>/<key>?namespace=<ns>
// served under /pipeline as at the root (frontend/server/app.ts: registerHandler@2.0.5-2.16, the
// `${basePath}/artifacts/...` routes@2.17+). That route sends the object as it is
// (tryExtract false); `/artifacts/get` is the preview route and gunzips and untars what it serves
// (minio-helper.ts getObjectStream, gunzip-maybe + maybeTarball), which would change the bytes.
// A folder output (a key prefix) comes back as `application/gzip` with an attachment named
// <name>.tar.gz (handlers/artifacts.ts@2.17.0 streamDirectoryAsTarGz); it is unpacked into
// DIR/<task>/<output>/. Before 2.17 the UI cannot serve folders (NoSuchKey, HTTP 500).
//
// Everything from the servers is checked before use: names become paths only after
// checkSegment; a URI must be under the run's pipeline root (same scheme and bucket, no `..`), so a
// forged record cannot make the UI fetch another bucket, a file or a URL; downloads are written
// under a temporary name and renamed, never over an existing file, within --max-bytes in all.
import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, open, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError, IoError, PipelineError, SealedError, UsageError } from '../../core/errors.ts';
import { printable } from '../../core/terminalText.ts';
import { parseKfpHost } from './kfpHost.ts';
import type { KfpClient } from './kfpClient.ts';
import { GRPC_NOT_FOUND, GrpcStatusError, grpcWebCall } from './mlmd/grpcWeb.ts';
import {
  decodeArtifactsResponse,
  decodeContextResponse,
  decodeEventsResponse,
  decodeExecutionsResponse,
  EVENT_OUTPUT,
  getArtifactsById,
  getContextByTypeAndName,
  getEventsByExecutionIds,
  getExecutionsByContext,
  stringProperty,
  type MlmdExecution,
} from './mlmd/mlmdMessages.ts';
import { ProtoDecodeError } from './mlmd/protoReader.ts';
import { extractTarGz, type Budget } from './tarExtract.ts';

/** One output of one task, as ML Metadata records it. */
export interface ArtifactRef {
  /** Directory under DIR: the task's display name. */
  task: string;
  /** File or folder name: the output's name. */
  output: string;
  uri: string;
  source: 'minio' | 's3' | 'gcs';
  bucket: string;
  key: string;
  artifactId: number;
}

export interface RunArtifacts {
  artifacts: ArtifactRef[];
  /** The run's namespace as the launcher recorded it, sent with each download. */
  namespace?: string;
}

export interface ListOptions {
  /** Base URL of the gRPC-web route (default: the KFP host's origin, where the Kubeflow ingress serves /ml_metadata). */
  mlmdUrl?: string;
  /** Also the `executor-logs` outputs the KFP >= 2.5 launcher adds to every task. */
  logs?: boolean;
  task?: string;
  output?: string;
  signal?: AbortSignal;
}

export interface DownloadOptions {
  /** Most bytes written in all (folders counted unpacked). */
  maxBytes: number;
  /** Longest time for one artifact, connect to last byte (default 30 min; a stall is caught sooner, by the client's timeout between two chunks). */
  transferTimeoutMs?: number;
  report?: (line: string) => void;
  signal?: AbortSignal;
}

// backend/src/v2/metadata/client.go@HEAD: pipelineRunContextTypeName, keyDisplayName, keyTaskName,
// keyNamespace, keyPipelineRoot; execution type names of the importer (no run output of its own).
const RUN_CONTEXT_TYPE = 'system.PipelineRun';
const IMPORTER_TYPES = new Set(['system.ImporterExecution', 'system.ImporterWorkspaceExecution']);
// backend/src/v2/config/env.go@HEAD defaultPipelineRoot: the root when the run records none.
const DEFAULT_PIPELINE_ROOT = 'minio://mlpipeline/v2/artifacts';
// backend/src/v2/driver/driver.go@HEAD provisionOutputs (KFP >= 2.5): the log output of every task.
const LOGS_OUTPUT = 'executor-logs';
// URI schemes the launcher writes outputs to (backend/src/v2/objectstore), as the UI names the source.
const SOURCES: Record<string, ArtifactRef['source']> = { minio: 'minio', s3: 's3', gs: 'gcs' };
const MLMD_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_TRANSFER_MS = 30 * 60_000;
// frontend/server/utils.ts isAllowedResourceName / the UI's key length limit (handlers/artifacts.ts).
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const MAX_KEY = 1024;

/** The run's outputs, with the task and output name each belongs to, checked before anything is fetched. */
export async function listRunArtifacts(client: KfpClient, runId: string, options: ListOptions = {}): Promise<RunArtifacts> {
  const baseUrl = options.mlmdUrl !== undefined ? parseKfpHost(options.mlmdUrl).base : new URL(client.hostBase).origin;
  const grpc = { baseUrl, maxBytes: MLMD_MAX_BYTES, signal: options.signal };
  const shown = `${baseUrl}/ml_metadata.MetadataStoreService`;
  const decode = <T>(method: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof ProtoDecodeError) throw new DataError('kfp.badResponse', { host: shown, action: `calling ML Metadata ${method}`, reason: `not a ${method} answer (${e.message})` });
      throw e;
    }
  };

  const contextAnswer = await grpcWebCall(client, 'GetContextByTypeAndName', getContextByTypeAndName(RUN_CONTEXT_TYPE, runId), grpc).catch((e: unknown) => {
    if (e instanceof GrpcStatusError && e.grpcCode === GRPC_NOT_FOUND) throw new PipelineError('kfp.noRunContext', { runId: printable(runId), host: shown });
    throw e;
  });
  const context = decode('GetContextByTypeAndName', () => decodeContextResponse(contextAnswer));
  if (context?.id === undefined) throw new PipelineError('kfp.noRunContext', { runId: printable(runId), host: shown });

  const executionsAnswer = await grpcWebCall(client, 'GetExecutionsByContext', getExecutionsByContext(context.id), grpc);
  const { executions } = decode('GetExecutionsByContext', () => decodeExecutionsResponse(executionsAnswer));
  // Importers record the artifact they import, not an output of the run; DAG executions have none.
  const tasks = new Map<number, MlmdExecution>();
  for (const e of executions) if (e.id !== undefined && !IMPORTER_TYPES.has(e.type ?? '')) tasks.set(e.id, e);
  if (tasks.size === 0) return { artifacts: [], namespace: runNamespace(context.customProperties) };

  const eventsAnswer = await grpcWebCall(client, 'GetEventsByExecutionIDs', getEventsByExecutionIds([...tasks.keys()]), grpc);
  const events = decode('GetEventsByExecutionIDs', () => decodeEventsResponse(eventsAnswer));
  const outputs: { artifactId: number; execution: MlmdExecution; output: string }[] = [];
  const seen = new Set<number>();
  for (const event of events) {
    if (event.type !== EVENT_OUTPUT || event.artifactId === undefined || event.executionId === undefined) continue;
    const execution = tasks.get(event.executionId);
    const output = event.path[0];
    if (execution === undefined || typeof output !== 'string' || seen.has(event.artifactId)) continue;
    seen.add(event.artifactId);
    outputs.push({ artifactId: event.artifactId, execution, output });
  }
  const wanted = outputs.filter(
    (o) => (options.logs === true || o.output !== LOGS_OUTPUT) && (options.task === undefined || taskName(o.execution) === options.task) && (options.output === undefined || o.output === options.output),
  );
  if (wanted.length === 0) return { artifacts: [], namespace: runNamespace(context.customProperties) };

  const artifactsAnswer = await grpcWebCall(client, 'GetArtifactsByID', getArtifactsById(wanted.map((o) => o.artifactId)), grpc);
  const byId = new Map(decode('GetArtifactsByID', () => decodeArtifactsResponse(artifactsAnswer)).map((a) => [a.id, a]));
  const root = pipelineRoot(stringProperty(context.customProperties, 'pipeline_root'), runId);
  const refs: ArtifactRef[] = [];
  for (const o of wanted) {
    const task = taskName(o.execution);
    checkSegment(task);
    checkSegment(o.output);
    const shownName = `${printable(task)}/${printable(o.output)}`;
    const uri = byId.get(o.artifactId)?.uri;
    if (uri === undefined || uri === '') throw new DataError('kfp.unsafeArtifactUri', { name: shownName, uri: "''", reason: 'is missing (the output was never written)' });
    refs.push({ task, output: o.output, uri, artifactId: o.artifactId, ...checkUri(uri, root, shownName) });
  }
  // Outputs of a task that ran more than once (loop iterations) keep apart by execution.
  const count = new Map<string, number>();
  for (const r of refs) count.set(`${r.task}/${r.output}`, (count.get(`${r.task}/${r.output}`) ?? 0) + 1);
  for (const [i, r] of refs.entries()) {
    if ((count.get(`${r.task}/${r.output}`) ?? 0) > 1) refs[i] = { ...r, task: `${r.task}-${wanted[i].execution.id}` };
  }
  return { artifacts: refs, namespace: runNamespace(context.customProperties) };
}

/** The task of an execution as the UI names it (MlmdUtils.ts ExecutionHelpers.getName: display_name, then task_name). */
function taskName(e: MlmdExecution): string {
  return stringProperty(e.customProperties, 'display_name') || stringProperty(e.customProperties, 'task_name') || `execution-${e.id}`;
}

function runNamespace(properties: Parameters<typeof stringProperty>[0]): string | undefined {
  const ns = stringProperty(properties, 'namespace');
  if (ns === undefined || ns === '') return undefined;
  if (!NAMESPACE.test(ns)) throw new DataError('kfp.unsafeArtifactName', { name: JSON.stringify(printable(ns)), reason: 'the run namespace ML Metadata records is not a Kubernetes namespace name' });
  return ns;
}

interface Root {
  scheme: string;
  bucket: string;
  /** Key prefix every output key starts with, ending in '/' (or '' for the whole bucket). */
  prefix: string;
  shown: string;
}

// The configured pipeline root: the run context's pipeline_root without its `<pipeline>/<run id>`
// tail (client.go GenerateOutputURI) and any query (`?region=...` of an s3 root). Outputs of
// cached tasks were written by an earlier run under the same root, so the run id is not required.
function pipelineRoot(recorded: string | undefined, runId: string): Root {
  let uri = (recorded ?? '').split('?')[0].replace(/\/+$/, '');
  if (uri.endsWith(`/${runId}`)) uri = uri.slice(0, -runId.length - 1).replace(/\/[^/]*$/, '');
  else if (uri === '') uri = DEFAULT_PIPELINE_ROOT;
  const m = /^([a-z0-9]+):\/\/([^/]+)(\/.*)?$/.exec(uri);
  if (!m) return { scheme: '', bucket: '', prefix: '', shown: uri };
  const prefix = (m[3] ?? '').replace(/^\/+/, '');
  return { scheme: m[1], bucket: m[2], prefix: prefix === '' ? '' : `${prefix}/`, shown: uri };
}

function checkUri(uri: string, root: Root, name: string): Pick<ArtifactRef, 'source' | 'bucket' | 'key'> {
  const refuse = (reason: string): DataError => new DataError('kfp.unsafeArtifactUri', { name, uri: JSON.stringify(printable(uri.length > 300 ? `${uri.slice(0, 300)}…` : uri)), reason });
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f-\x9f]/.test(uri)) throw refuse('holds control characters');
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)\/?([^?#]*)(\?[^#]*)?$/.exec(uri);
  if (!m) throw refuse('is not scheme://bucket/key');
  const [, scheme, bucket, key] = m;
  const source = SOURCES[scheme];
  if (source === undefined) throw refuse(`has scheme '${printable(scheme)}', not one KFP writes outputs to (minio, s3, gs)`);
  if (root.scheme === '') throw refuse(`cannot be checked: the run's pipeline_root ${JSON.stringify(printable(root.shown))} is not a URI`);
  if (scheme !== root.scheme || bucket !== root.bucket) throw refuse(`is outside the run's pipeline root ${printable(root.shown)}`);
  if (key === '' || key.length > MAX_KEY) throw refuse(key === '' ? 'names no object' : `has a key longer than ${MAX_KEY} characters`);
  if (key.includes('\\') || key.split('/').some((s) => s === '' || s === '.' || s === '..')) throw refuse('has an empty, `.` or `..` path segment');
  if (!key.startsWith(root.prefix)) throw refuse(`is outside the run's pipeline root ${printable(root.shown)}`);
  return { source, bucket, key };
}

/** Downloads every artifact into `dir/<task>/<output>` (a file, or a folder for a folder output); returns the paths written, relative to dir. */
export async function downloadArtifacts(client: KfpClient, run: RunArtifacts, dir: string, options: DownloadOptions): Promise<string[]> {
  const { maxBytes, report = () => {}, signal } = options;
  // Refuse before anything is fetched when any target exists already.
  for (const ref of run.artifacts) if (await exists(join(dir, ref.task, ref.output))) throw new UsageError('kfp.outDirNotEmpty', { path: printable(join(dir, ref.task, ref.output)) });
  await mkdir(dir, { recursive: true });
  const budget: Budget = { left: maxBytes, limit: maxBytes, name: '' };
  const written: string[] = [];
  for (const ref of run.artifacts) {
    const shown = `${printable(ref.task)}/${printable(ref.output)}`;
    budget.name = shown;
    const taskDir = join(dir, ref.task);
    await mkdir(taskDir, { recursive: true });
    // A symlink planted in DIR must not redirect the write elsewhere.
    if (!(await lstat(taskDir)).isDirectory()) throw new IoError('io.writeFailed', { path: join(dir, printable(ref.task)), reason: 'not a directory (a symlink?)' });
    const target = join(taskDir, ref.output);
    const temp = join(taskDir, `.${randomBytes(6).toString('hex')}.partial`);
    try {
      const { bytes, folder } = await fetchArtifact(client, ref, run.namespace, temp, budget, options.transferTimeoutMs ?? DEFAULT_TRANSFER_MS, signal);
      if (await exists(target)) throw new UsageError('kfp.outDirNotEmpty', { path: printable(target) });
      if (folder) await rename(temp, target);
      else {
        // link() fails when the target exists: a file appearing meanwhile is not replaced.
        await link(temp, target);
        await unlink(temp);
      }
      written.push(`${ref.task}/${ref.output}`);
      report(`${shown}: ${bytes} bytes${folder ? ' (folder)' : ''} from ${printable(ref.uri)}`);
    } catch (e) {
      await rm(temp, { recursive: true, force: true });
      if (e instanceof SealedError || signal?.aborted) throw e;
      throw new IoError('io.writeFailed', { path: printable(target), reason: (e as Error).message }, { cause: e });
    }
  }
  return written;
}

async function fetchArtifact(
  client: KfpClient,
  ref: ArtifactRef,
  namespace: string | undefined,
  temp: string,
  budget: Budget,
  transferTimeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<{ bytes: number; folder: boolean }> {
  const shown = `${printable(ref.task)}/${printable(ref.output)}`;
  const path = [ref.source, ref.bucket, ...ref.key.split('/')].map(encodeURIComponent).join('/');
  const query = namespace !== undefined ? `?namespace=${encodeURIComponent(namespace)}` : '';
  const answer = await client
    .open({ method: 'GET', url: `${client.hostBase}/artifacts/${path}${query}`, action: `downloading ${shown}`, deadlineMs: transferTimeoutMs, headers: { accept: '*/*' }, rbac: { verb: 'get', resource: 'viewers' } }, signal)
    .catch((e: unknown) => {
      // The UI answers a missing object with 404 (a folder: "No objects found") or, before 2.17, 500 NoSuchKey.
      if (e instanceof SealedError && e.code === 'kfp.httpStatus') {
        const { status, text } = e.args as { status: number; text: string };
        if (status === 404 || status === 500) throw new IoError('kfp.artifactMissing', { host: client.host, name: shown, uri: printable(ref.uri), status, text }, { cause: e });
      }
      throw e;
    });
  const header = (name: string): string => {
    const v = answer.headers[name];
    return (Array.isArray(v) ? v[0] : v) ?? '';
  };
  const announced = header('content-length') === '' ? undefined : Number(header('content-length'));
  const folder = /^application\/(x-)?gzip\b/.test(header('content-type')) && /^attachment;.*\.tar\.gz"?(;|$)/.test(header('content-disposition'));
  if (announced !== undefined && Number.isFinite(announced) && announced > budget.left && !folder) {
    answer.body.destroy();
    throw new UsageError('kfp.artifactsTooLarge', { limit: budget.limit, name: shown });
  }
  // Counts what arrives: more than announced, or more than the budget even compressed, stops the transfer.
  let received = 0;
  const body = answer.body;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of body) {
      received += chunk.length;
      if (announced !== undefined && received > announced) throw new DataError('kfp.artifactCutShort', { name: shown, reason: `the server sent more than the ${announced} bytes it announced` });
      if (received > budget.limit) throw new UsageError('kfp.artifactsTooLarge', { limit: budget.limit, name: shown });
      yield chunk;
    }
  }
  try {
    let bytes: number;
    if (folder) {
      await mkdir(temp);
      bytes = await extractTarGz(counted(), temp, budget, shown);
    } else {
      const file = await open(temp, 'wx');
      bytes = 0;
      try {
        for await (const chunk of counted()) {
          if (chunk.length > budget.left) throw new UsageError('kfp.artifactsTooLarge', { limit: budget.limit, name: shown });
          await file.write(chunk);
          budget.left -= chunk.length;
          bytes += chunk.length;
        }
      } finally {
        await file.close();
      }
    }
    if (announced !== undefined && received < announced) throw new DataError('kfp.artifactCutShort', { name: shown, reason: `${received} of ${announced} bytes arrived` });
    return { bytes, folder };
  } catch (e) {
    body.destroy();
    if (e instanceof SealedError) throw e;
    throw answer.failure(e);
  }
}

// One path segment from the server: no separators, no `.`/`..`, no control characters (which
// would also garble a terminal), no leading `~` or drive letters, and a length a file system takes.
function checkSegment(name: string): void {
  const refuse = (reason: string): DataError => new DataError('kfp.unsafeArtifactName', { name: JSON.stringify(printable(name)), reason });
  if (name === '' || name === '.' || name === '..') throw refuse('not a file name');
  if (/[/\\]/.test(name)) throw refuse('it holds a path separator');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f-\x9f]/.test(name)) throw refuse('it holds control characters');
  if (/^~|^[A-Za-z]:/.test(name)) throw refuse('it looks like a home or drive path');
  if (name.startsWith('.')) throw refuse('a hidden name (temporary files start with a dot)');
  if (Buffer.byteLength(name) > 255) throw refuse('longer than 255 bytes');
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
