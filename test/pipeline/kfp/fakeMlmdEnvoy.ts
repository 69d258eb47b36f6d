// A fake of ML Metadata behind metadata-envoy, as the KFP UI reaches it through the Kubeflow
// ingress: POST /ml_metadata.MetadataStoreService/<Method> with gRPC-web framing. It follows:
//  - third_party/ml-metadata/ml_metadata/proto/metadata_store.proto and
//    metadata_store_service.proto@HEAD for every field number (written here by hand, not with the
//    client's decoder, so a wrong number on either side shows);
//  - third_party/metadata_envoy/envoy.yaml@HEAD (grpc_web filter): data frames then one trailers
//    frame `grpc-status:0\r\ngrpc-message:\r\n`, content-type application/grpc-web+proto;
//  - backend/src/v2/metadata/client.go@HEAD for what a KFP v2 run leaves in the store: a
//    `system.PipelineRun` context named by the run id with custom properties namespace,
//    resource_name, pipeline_root (= <root>/<pipeline>/<run id>, GetPipeline + GenerateOutputURI);
//    a root `system.DAGExecution`; one `system.ContainerExecution` per task with display_name and
//    task_name (CreateExecution); each output artifact with display_name (RecordArtifact) and an
//    OUTPUT event whose path step key is the output name (PublishExecution, eventPath); a
//    downstream task's INPUT event on the same artifact; the URI
//    <run root>/<task>/<salt>/<output> (driver/driver.go@HEAD provisionOutputs);
//  - ML Metadata's GetContextByTypeAndName, which answers OK with no context for an unknown name
//    (the UI then fails with "Cannot find specified context", frontend/src/mlmd/MlmdUtils.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProtoWriter } from '../../../src/gbdt/onnx/protobufWriter.ts';
import { ProtoReader } from '../../../src/pipeline/kfp/mlmd/protoReader.ts';

export interface FakeOutput {
  name: string;
  /** A file output: its bytes. */
  data?: Buffer;
  /** A folder output: relative path -> bytes (objects under the prefix). */
  files?: Record<string, Buffer>;
  /** Replaces the URI the driver would generate (hostile records). */
  uri?: string;
}

export interface FakeTask {
  name: string;
  outputs: FakeOutput[];
  /** Execution type (default system.ContainerExecution). */
  type?: string;
  /** Inputs: artifacts of earlier tasks, as task/output. */
  inputs?: string[];
  /** Replaces display_name (hostile records). */
  displayName?: string;
}

export interface FakeRunRecord {
  runId: string;
  pipelineName?: string;
  namespace?: string;
  /** Configured pipeline root (backend/src/v2/config/env.go@HEAD defaultPipelineRoot). */
  root?: string;
  tasks: FakeTask[];
}

type Value = { int: number } | { string: string };
interface Ctx {
  id: number;
  name: string;
  type: string;
  props: Record<string, Value>;
}
interface Exec {
  id: number;
  type: string;
  contextId: number;
  props: Record<string, Value>;
}
interface Art {
  id: number;
  uri: string;
  type: string;
  props: Record<string, Value>;
}
interface Ev {
  artifactId: number;
  executionId: number;
  key: string;
  type: number;
}

/** A canned raw answer for the next gRPC-web call (framing attacks). */
export interface RawGrpcAnswer {
  status?: number;
  headers?: Record<string, string>;
  body: Buffer;
}

const OUTPUT = 4;
const INPUT = 3;

export class FakeMlmd {
  private readonly contexts: Ctx[] = [];
  private readonly executions: Exec[] = [];
  private readonly artifacts: Art[] = [];
  private readonly events: Ev[] = [];
  private nextId = 1;
  private readonly raw: RawGrpcAnswer[] = [];
  /** Every call: method and request headers. */
  readonly calls: { method: string; headers: IncomingMessage['headers'] }[] = [];
  /** The object store the artifacts live in: `bucket/key` -> bytes (as the launcher uploads them). */
  readonly objects = new Map<string, Buffer>();

  /** Records a finished run as the driver and launcher do; returns the artifact URIs by task/output. */
  addRun(run: FakeRunRecord): Record<string, string> {
    const root = run.root ?? 'minio://mlpipeline/v2/artifacts';
    const pipeline = run.pipelineName ?? 'toy-kfp';
    const runRoot = `${root}/${pipeline}/${run.runId}`;
    const ctx: Ctx = { id: this.nextId++, name: run.runId, type: 'system.PipelineRun', props: { namespace: { string: run.namespace ?? '' }, resource_name: { string: `${pipeline}-abcde` }, pipeline_root: { string: runRoot }, store_session_info: { string: '{"Provider":"minio","Params":{"fromEnv":"false"}}' } } };
    this.contexts.push(ctx);
    this.executions.push({ id: this.nextId++, type: 'system.DAGExecution', contextId: ctx.id, props: { display_name: { string: '' }, task_name: { string: '' } } });
    const uris: Record<string, string> = {};
    const byName = new Map<string, number>();
    for (const task of run.tasks) {
      const exec: Exec = { id: this.nextId++, type: task.type ?? 'system.ContainerExecution', contextId: ctx.id, props: { display_name: { string: task.displayName ?? task.name }, task_name: { string: task.name }, pod_name: { string: `${pipeline}-abcde-system-container-impl-${exec_suffix(task.name)}` }, namespace: { string: run.namespace ?? '' } } };
      this.executions.push(exec);
      for (const input of task.inputs ?? []) {
        const id = byName.get(input);
        if (id !== undefined) this.events.push({ artifactId: id, executionId: exec.id, key: input.split('/')[1], type: INPUT });
      }
      for (const out of task.outputs) {
        const uri = out.uri ?? `${runRoot}/${task.name}/${exec.id}${salt(task.name)}/${out.name}`;
        const art: Art = { id: this.nextId++, uri, type: 'system.Artifact', props: { display_name: { string: out.name }, store_session_info: { string: '{"Provider":"minio","Params":{"fromEnv":"false"}}' } } };
        this.artifacts.push(art);
        this.events.push({ artifactId: art.id, executionId: exec.id, key: out.name, type: OUTPUT });
        byName.set(`${task.name}/${out.name}`, art.id);
        uris[`${task.name}/${out.name}`] = uri;
        const m = /^[a-z0-9]+:\/\/([^/]+)\/(.*)$/.exec(uri);
        if (m && out.data) this.objects.set(`${m[1]}/${m[2]}`, out.data);
        if (m && out.files) for (const [rel, bytes] of Object.entries(out.files)) this.objects.set(`${m[1]}/${m[2]}/${rel}`, bytes);
      }
    }
    return uris;
  }

  /** The namespace of the run whose outputs include this URI (the UI's IDOR check asks MLMD the same). */
  namespaceOf(uri: string): string | undefined {
    const art = this.artifacts.find((a) => uri === a.uri || uri.startsWith(`${a.uri}/`));
    const ev = art && this.events.find((e) => e.artifactId === art.id && e.type === OUTPUT);
    const exec = ev && this.executions.find((x) => x.id === ev.executionId);
    const ctx = exec && this.contexts.find((c) => c.id === exec.contextId);
    const ns = ctx?.props.namespace;
    return ns && 'string' in ns ? ns.string : undefined;
  }

  /** The next call gets this answer instead. */
  injectRaw(answer: RawGrpcAnswer): void {
    this.raw.push(answer);
  }

  /** The next call fails with this status in the trailers frame. */
  failNext(status: number, message: string): void {
    this.raw.push({ body: frame(0x80, Buffer.from(`grpc-status:${status}\r\ngrpc-message:${encodeURIComponent(message)}\r\n`)) });
  }

  /** Serves one request if it is for ML Metadata; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): boolean {
    const m = /^\/ml_metadata\.MetadataStoreService\/([A-Za-z]+)$/.exec(path);
    if (!m) return false;
    this.calls.push({ method: m[1], headers: req.headers });
    const raw = this.raw.shift();
    if (raw) {
      res.writeHead(raw.status ?? 200, { 'content-type': 'application/grpc-web+proto', ...raw.headers }).end(raw.body);
      return true;
    }
    if (req.method !== 'POST' || !/^application\/grpc-web(\+proto)?$/.test(req.headers['content-type'] ?? '')) {
      res.writeHead(415, { 'content-type': 'text/plain' }).end('unsupported media type');
      return true;
    }
    const reply = (status: number, message: string, payload?: Uint8Array): void => {
      const parts = payload ? [frame(0x00, Buffer.from(payload))] : [];
      parts.push(frame(0x80, Buffer.from(`grpc-status:${status}\r\ngrpc-message:${encodeURIComponent(message)}\r\n`)));
      res.writeHead(200, { 'content-type': 'application/grpc-web+proto' }).end(Buffer.concat(parts));
    };
    if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5) {
      reply(13, 'malformed gRPC-web request frame');
      return true;
    }
    const request = body.subarray(5);
    const fields = [...new ProtoReader(request).fields()];
    const str = (n: number): string => Buffer.from(fields.find((f) => f.field === n)?.bytes ?? []).toString('utf8');
    const ints = (n: number): number[] => fields.filter((f) => f.field === n).map((f) => f.int);
    switch (m[1]) {
      // GetContextByTypeAndNameRequest { type_name = 1; context_name = 2; } -> { Context context = 1; }
      case 'GetContextByTypeAndName': {
        const ctx = this.contexts.find((c) => c.type === str(1) && c.name === str(2));
        reply(0, '', ctx ? new ProtoWriter().message(1, encodeContext(ctx)).finish() : new Uint8Array(0));
        return true;
      }
      // GetExecutionsByContextRequest { context_id = 1; } -> { repeated Execution executions = 1; }
      case 'GetExecutionsByContext': {
        const w = new ProtoWriter();
        for (const e of this.executions.filter((x) => x.contextId === ints(1)[0])) w.message(1, encodeExecution(e));
        reply(0, '', w.finish());
        return true;
      }
      // GetEventsByExecutionIDsRequest { repeated int64 execution_ids = 1; } -> { repeated Event events = 1; }
      case 'GetEventsByExecutionIDs': {
        const ids = new Set(ints(1));
        const w = new ProtoWriter();
        for (const e of this.events.filter((x) => ids.has(x.executionId))) w.message(1, encodeEvent(e));
        reply(0, '', w.finish());
        return true;
      }
      // GetArtifactsByIDRequest { repeated int64 artifact_ids = 1; } -> { repeated Artifact artifacts = 1; }
      case 'GetArtifactsByID': {
        const ids = new Set(ints(1));
        const w = new ProtoWriter();
        for (const a of this.artifacts.filter((x) => ids.has(x.id))) w.message(1, encodeArtifact(a));
        reply(0, '', w.finish());
        return true;
      }
      default:
        reply(12, `Method ${m[1]} is not implemented by the fake`);
        return true;
    }
  }
}

function exec_suffix(name: string): string {
  return String(name.length * 7919).padStart(10, '0');
}

function salt(name: string): string {
  return name.replace(/[^a-z]/g, '').slice(0, 4);
}

/** gRPC-web frame: flag, 4-byte big-endian length, payload. */
export function frame(flag: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head[0] = flag;
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

// Value { int_value = 1; string_value = 3; }; map entries { key = 1; value = 2; }.
function props(w: ProtoWriter, field: number, values: Record<string, Value>): void {
  for (const [key, v] of Object.entries(values)) {
    const value = 'int' in v ? new ProtoWriter().int(1, v.int) : new ProtoWriter().string(3, v.string);
    w.message(field, new ProtoWriter().string(1, key).message(2, value));
  }
}

// Context { id = 1; type_id = 2; name = 3; custom_properties = 5; type = 6; create_time_since_epoch = 7; }
function encodeContext(c: Ctx): ProtoWriter {
  const w = new ProtoWriter().int(1, c.id).int(2, 11).string(3, c.name);
  props(w, 5, c.props);
  return w.string(6, c.type).int(7, 1_700_000_000_000);
}

// Execution { id = 1; type_id = 2; last_known_state = 3 (COMPLETE); custom_properties = 5; type = 7; }
function encodeExecution(e: Exec): ProtoWriter {
  const w = new ProtoWriter().int(1, e.id).int(2, e.type === 'system.DAGExecution' ? 12 : 13).int(3, 3);
  props(w, 5, e.props);
  return w.string(7, e.type).int(8, 1_700_000_000_000);
}

// Event { artifact_id = 1; execution_id = 2; path = 3 { steps = 1 { key = 2 } }; type = 4; milliseconds_since_epoch = 5; }
function encodeEvent(e: Ev): ProtoWriter {
  return new ProtoWriter()
    .int(1, e.artifactId)
    .int(2, e.executionId)
    .message(3, new ProtoWriter().message(1, new ProtoWriter().string(2, e.key)))
    .int(4, e.type)
    .int(5, 1_700_000_000_000);
}

// Artifact { id = 1; type_id = 2; uri = 3; custom_properties = 5; state = 6 (LIVE); type = 8; }
function encodeArtifact(a: Art): ProtoWriter {
  const w = new ProtoWriter().int(1, a.id).int(2, 14).string(3, a.uri);
  props(w, 5, a.props);
  return w.int(6, 2).string(8, a.type);
}
