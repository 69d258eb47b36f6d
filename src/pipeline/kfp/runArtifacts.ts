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
  /** Longest time for one artifact, connect to last byte (a stall is caught sooner, by the client's timeout between two chunks). */
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

  const { executions } = decode('GetExecutionsByContext', () => decodeExecutionsResponse(awaitable(grpcWebCall(client, 'GetExecutionsByContext', getExecutionsByContext(context.id as number), grpc))));
  void executions;
  return { artifacts: [] };
}

// Placeholder replaced below.
function awaitable<T>(p: Promise<T>): T {
  void p;
  throw new Error('unreachable');
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
