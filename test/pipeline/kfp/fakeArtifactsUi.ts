// A fake of the KFP UI server's artifact download route, as the Download link uses it
// (frontend/src/lib/Apis.ts@HEAD buildReadFileUrl with isDownload):
//   GET [/pipeline]/artifacts/<source>/<bucket>/<key...>?namespace=<ns>
// It follows frontend/server/app.ts@2.17.0 (the route under the basePath /pipeline and at the
// root) and frontend/server/handlers/artifacts.ts@HEAD:
//  - getArtifactsAuthMiddleware: with auth enabled (multi-user), no kubeflow-userid -> 401
//    'Authentication required for artifact access'; no namespace -> 400 'Namespace parameter is
//    required when authentication is enabled'; a namespace not isAllowedResourceName -> 400
//    'Invalid namespace format'; the SubjectAccessReview (verb get, resource viewers) denied ->
//    403; the artifact's namespace in MLMD differs from the claimed one -> 403 'Artifact does not
//    belong to the requested namespace' (the #9889 IDOR check, helpers/mlmd-validator.ts);
//  - getArtifactsHandler/parseArtifactRequest: unknown source -> 500 'Unknown storage source';
//    bucket not isAllowedResourceName -> 500 'Invalid bucket name'; key over 1024 -> 500;
//  - getMinioArtifactHandler with tryExtract false: the object's bytes as they are, with no
//    content-type of their own; NoSuchKey on a prefix -> streamDirectoryAsTarGz: 404 'No objects
//    found at <bucket>/<key>' when empty, else Content-Type application/gzip, Content-Disposition
//    attachment; filename="<base>.tar.gz", entries relative to the prefix (tar-stream ustar).
//    `folders: false` is the UI before 2.17, which answers 500 'Failed to get object in bucket: ...'.
// The Kubeflow ingress (oauth2-proxy, Istio) authenticates first; FakeKfp passes its verdict in.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { FakeMlmd } from './fakeMlmdEnvoy.ts';

export interface FakeArtifactsOptions {
  /** Auth enabled (multi-user Kubeflow). */
  multiUser?: boolean;
  /** The UI of KFP >= 2.17, which serves folders as .tar.gz (default true). */
  folders?: boolean;
}

/** A canned answer for the next download (transfer attacks). */
export interface RawDownload {
  headers?: Record<string, string>;
  status?: number;
  /** Chunks sent in order, `delayMs` apart. */
  chunks?: Buffer[];
  delayMs?: number;
  /** Stop sending after the chunks without ending the answer (a stalled transfer). */
  hang?: boolean;
  /** Close the connection after the chunks (a cut transfer). */
  destroy?: boolean;
}

export class FakeArtifactsUi {
  readonly requests: { path: string; query: Record<string, string>; headers: IncomingMessage['headers'] }[] = [];
  private readonly raw: RawDownload[] = [];

  constructor(
    private readonly mlmd: FakeMlmd,
    private readonly options: FakeArtifactsOptions = {},
  ) {}

  injectRaw(answer: RawDownload): void {
    this.raw.push(answer);
  }

  /** Serves one request if it is for the artifact route; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, identity: { user: string; namespaces: string[] } | undefined): boolean {
    const at = url.pathname.indexOf('/artifacts/');
    if (req.method !== 'GET' || at < 0 || (at !== 0 && url.pathname.slice(0, at) !== '/pipeline')) return false;
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ path: url.pathname, query, headers: req.headers });
    const send = (status: number, text: string): boolean => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(text);
      return true;
    };
    const raw = this.raw.shift();
    if (raw) {
      void sendRaw(res, raw);
      return true;
    }
    const m = /^\/artifacts\/([^/]+)\/([^/]+)\/(.+)$/.exec(url.pathname.slice(at));
    if (!m) return send(404, 'Cannot GET');
    const [source, bucket, key] = m.slice(1).map((s) => s.split('/').map(decodeURIComponent).join('/'));
    if (this.options.multiUser) {
      if (!identity) return send(401, 'Authentication required for artifact access');
      const ns = query.namespace;
      if (!ns) return send(400, 'Namespace parameter is required when authentication is enabled');
      if (!isAllowedResourceName(ns)) return send(400, 'Invalid namespace format');
      if (!identity.namespaces.includes('*') && !identity.namespaces.includes(ns)) return send(403, `User '${identity.user}' is not authorized with reason:  (request: &ResourceAttributes{Namespace:${ns},Verb:get,Group:kubeflow.org,Version:v1beta1,Resource:viewers,Subresource:,Name:,}): Unauthorized access`);
      const scheme = source === 'gcs' ? 'gs' : source;
      const owner = this.mlmd.namespaceOf(`${scheme}://${bucket}/${key}`);
      if (owner !== undefined && owner !== ns) return send(403, 'Artifact does not belong to the requested namespace');
    }
    if (!['minio', 's3', 'gcs', 'http', 'https', 'volume'].includes(source)) return send(500, 'Unknown storage source');
    if (!isAllowedResourceName(bucket)) return send(500, 'Invalid bucket name');
    if (key.length > 1024) return send(500, 'Object key too long');
    if (source !== 'minio' && source !== 's3') return send(500, 'the fake serves minio and s3 only');
    const object = this.mlmd.objects.get(`${bucket}/${key}`);
    if (object) {
      res.writeHead(200, { 'content-length': String(object.length) }).end(object);
      return true;
    }
    const prefix = key.endsWith('/') ? key : `${key}/`;
    const entries = [...this.mlmd.objects].filter(([k]) => k.startsWith(`${bucket}/${prefix}`)).map(([k, v]) => [k.slice(bucket.length + 1 + prefix.length), v] as const);
    if (!this.options.folders && this.options.folders !== undefined) return send(500, 'Failed to get object in bucket: S3Error: The specified key does not exist.');
    if (entries.length === 0) return send(404, `No objects found at ${bucket}/${key}`);
    const base = key.replace(/\/+$/, '').split('/').pop() || 'artifact';
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-disposition': `attachment; filename="${base}.tar.gz"; filename*=UTF-8''${encodeURIComponent(base)}.tar.gz` });
    res.end(gzipSync(tar(entries)));
    return true;
  }
}

async function sendRaw(res: ServerResponse, raw: RawDownload): Promise<void> {
  res.writeHead(raw.status ?? 200, raw.headers ?? {});
  for (const chunk of raw.chunks ?? []) {
    if (res.destroyed) return;
    res.write(chunk);
    if (raw.delayMs) await new Promise((r) => setTimeout(r, raw.delayMs));
  }
  if (raw.destroy) res.destroy();
  else if (!raw.hang) res.end();
}

// frontend/server/utils.ts@HEAD isAllowedResourceName.
function isAllowedResourceName(name: string): boolean {
  return name.length > 0 && name.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name);
}

/** A ustar archive of regular files, as tar-stream's pack writes one. */
export function tar(entries: readonly (readonly [string, Buffer])[], type = '0'): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, data] of entries) {
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write(type, 156);
    h.write('ustar\u000000', 257, 'latin1');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
