// A unary gRPC-web call to ML Metadata's MetadataStoreService, as the KFP UI makes it in the
// browser: frontend/src/mlmd/Api.ts@HEAD builds MetadataStoreServicePromiseClient('') (the page's
// own origin) from code generated with `mode=grpcweb` (frontend/scripts/gen_grpc_web_protos.js,
// format 'binary'), so each call is
//   POST <origin>/ml_metadata.MetadataStoreService/<Method>
//   content-type: application/grpc-web+proto, x-grpc-web: 1
// and the body is one frame: flag byte 0x00, 4-byte big-endian length, the message. The answer
// (envoy's grpc_web filter, third_party/metadata_envoy/envoy.yaml) is data frames (flag 0x00) and
// one trailers frame (flag 0x80) holding `grpc-status: N\r\ngrpc-message: ...\r\n`; an error
// without a message may instead come "trailers-only", with grpc-status in the HTTP headers.
// The Kubeflow ingress routes `/ml_metadata` at the root of the host (not under /pipeline) to
// metadata-envoy-service:9090 (manifests/kustomize/base/metadata/options/istio/virtual-service.yaml
// at 2.0.5 and HEAD), and the UI server proxies `/ml_metadata.*` to the same envoy
// (frontend/server/app.ts), so a port-forwarded UI answers there too.
import { DataError, IoError } from '../../../core/errors.ts';
import { printable } from '../../../core/terminalText.ts';
import type { KfpClient } from '../kfpClient.ts';

export const MLMD_SERVICE_PATH = '/ml_metadata.MetadataStoreService';

export interface GrpcWebOptions {
  /** Where `/ml_metadata.MetadataStoreService/...` is served: the ingress origin by default. */
  baseUrl: string;
  /** Largest answer accepted, all frames together. */
  maxBytes: number;
  signal?: AbortSignal;
}

const FRAME_HEADER = 5;
const DATA = 0x00;
const TRAILERS = 0x80;

/** One frame around a message. */
export function grpcWebFrame(message: Uint8Array, flag = DATA): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER + message.length);
  out[0] = flag;
  new DataView(out.buffer).setUint32(1, message.length);
  out.set(message, FRAME_HEADER);
  return out;
}

/** Calls `method` with a request message; returns the answer message. */
export async function grpcWebCall(client: KfpClient, method: string, request: Uint8Array, options: GrpcWebOptions): Promise<Uint8Array> {
  const url = `${options.baseUrl}${MLMD_SERVICE_PATH}/${method}`;
  const shown = `${options.baseUrl}${MLMD_SERVICE_PATH}`;
  const action = `calling ML Metadata ${method}`;
  const bad = (reason: string): DataError => new DataError('kfp.badResponse', { host: shown, action, reason });
  const answer = await client.open(
    {
      method: 'POST',
      url,
      shown,
      action,
      headers: { 'content-type': 'application/grpc-web+proto', accept: 'application/grpc-web+proto', 'x-grpc-web': '1', 'x-user-agent': 'grpc-web-javascript/0.1' },
      body: grpcWebFrame(request),
      rbac: { verb: 'get', resource: 'ML Metadata' },
    },
    options.signal,
  );
  const type = header(answer.headers, 'content-type') ?? '';
  // A login page or an HTML error from a proxy, not the envoy.
  if (!/^application\/grpc(-web)?(\+proto)?\b/.test(type)) {
    answer.body.destroy();
    throw bad(`content-type '${printable(type)}' is not gRPC-web; is ${options.baseUrl} the Kubeflow host (use --mlmd-url if ML Metadata is elsewhere)?`);
  }
  // Trailers-only answer: the status is in the headers and the body is empty.
  const headerStatus = header(answer.headers, 'grpc-status');
  if (headerStatus !== undefined && headerStatus !== '0') {
    answer.body.destroy();
    throw grpcStatusError(shown, method, headerStatus, header(answer.headers, 'grpc-message') ?? '', answer.secrets);
  }

  const frames = new FrameReader(options.maxBytes, bad);
  try {
    for await (const chunk of answer.body) {
      frames.push(chunk);
    }
  } catch (e) {
    answer.body.destroy();
    throw answer.failure(e);
  }
  const { data, trailers } = frames.finish();
  if (trailers === undefined) {
    if (headerStatus === '0') return data ?? new Uint8Array(0);
    throw bad('no trailers frame (the answer was cut short)');
  }
  const fields = parseTrailers(trailers);
  const status = fields.get('grpc-status');
  if (status === undefined) throw bad('trailers without grpc-status');
  if (status !== '0') throw grpcStatusError(shown, method, status, fields.get('grpc-message') ?? '', answer.secrets);
  if (data === undefined) throw bad('no message frame');
  return data;
}

// Frames arrive split across chunks in any way; the announced length is checked against the
// limit before anything of the frame is kept, so a frame header announcing 4 GiB costs nothing.
class FrameReader {
  private pending: Uint8Array = new Uint8Array(0);
  private total = 0;
  data: Uint8Array | undefined;
  trailers: Uint8Array | undefined;

  constructor(
    private readonly maxBytes: number,
    private readonly bad: (reason: string) => DataError,
  ) {}

  push(chunk: Uint8Array): void {
    this.total += chunk.length;
    if (this.total > this.maxBytes + FRAME_HEADER * 4) throw this.bad(`answer larger than ${this.maxBytes} bytes`);
    this.pending = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    while (this.pending.length >= FRAME_HEADER) {
      const flag = this.pending[0];
      const length = new DataView(this.pending.buffer, this.pending.byteOffset, FRAME_HEADER).getUint32(1);
      if (length > this.maxBytes) throw this.bad(`a gRPC-web frame announces ${length} bytes, more than the limit of ${this.maxBytes}`);
      if (flag !== DATA && flag !== TRAILERS) throw this.bad(`gRPC-web frame flag 0x${flag.toString(16)} is not supported (compressed or unknown)`);
      if (this.pending.length < FRAME_HEADER + length) return;
      const body = this.pending.slice(FRAME_HEADER, FRAME_HEADER + length);
      this.pending = this.pending.subarray(FRAME_HEADER + length);
      if (this.trailers !== undefined) throw this.bad('data after the trailers frame');
      if (flag === TRAILERS) this.trailers = body;
      else if (this.data !== undefined) throw this.bad('more than one message in a unary answer');
      else this.data = body;
    }
  }

  finish(): { data?: Uint8Array; trailers?: Uint8Array } {
    if (this.pending.length > 0) throw this.bad(`the answer ends inside a gRPC-web frame (${this.pending.length} bytes left over)`);
    return { data: this.data, trailers: this.trailers };
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

// HTTP/1 header block: `name: value` lines separated by CRLF.
function parseTrailers(bytes: Uint8Array): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of Buffer.from(bytes).toString('latin1').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return fields;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

// grpc/doc/statuscodes.md
const GRPC_CODES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];
export const GRPC_NOT_FOUND = 5;

export class GrpcStatusError extends IoError<'kfp.mlmdStatus'> {
  constructor(
    readonly grpcCode: number,
    args: { host: string; method: string; status: string; text: string },
  ) {
    super('kfp.mlmdStatus', args);
  }
}

/** One line: the method, the gRPC code by name, and grpc-message (percent-decoded, scrubbed, printable, short). */
function grpcStatusError(host: string, method: string, status: string, message: string, secrets: readonly string[]): GrpcStatusError {
  const code = /^\d{1,2}$/.test(status) ? Number(status) : -1;
  let text = message;
  try {
    text = decodeURIComponent(message);
  } catch {
    // not percent-encoded: keep it
  }
  for (const secret of secrets) if (secret !== '') text = text.split(secret).join('***');
  text = printable(text.replace(/\s+/g, ' ').trim());
  if (text.length > 300) text = `${text.slice(0, 300)}…`;
  return new GrpcStatusError(code, { host, method, status: GRPC_CODES[code] ?? `status ${printable(status.slice(0, 20))}`, text: text || 'no message' });
}
