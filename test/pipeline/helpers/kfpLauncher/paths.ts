// Where things live on this machine. The launcher maps object-store URIs to local mounts
// (backend/src/v2/component/launcher_v2.go@<tag> LocalPathForURI: gs:// -> /gcs/, minio:// -> /minio/, s3:// -> /s3/)
// and downloads inputs / uploads outputs there. The emulation keeps the real URIs in the ExecutorInput it builds and
// records, and roots every pod path under `root`: the object store is `<root>/minio/...` (shared by all tasks, so
// "upload" and "download" are no-ops) and each pod's own files (/tmp/kfp_outputs/..., /tmp/kfp/outputs/...) are under
// `<root>/pods/<task>/`. SUBSTITUTION: the ExecutorInput handed to the container as `{{$}}` has every artifact URI and
// output file replaced by that local path (a plain path, which our executor uses as is, README "any other URI is used
// as a path as is"), because this test process cannot create /minio. Everything else in it is what the driver built.
// With isolation 'namespace' (podNamespace.ts) the container sees /minio itself and the URIs are left as the driver
// made them; a sealed task needs that, since it reads its run id and task from them (runIdFromUris.ts).
import { join } from 'node:path';

const MOUNTS: [string, string][] = [
  ['gs://', '/gcs/'],
  ['minio://', '/minio/'],
  ['s3://', '/s3/'],
];

/** LocalPathForURI; throws like it for other schemes. */
export function localPathForUri(uri: string): string {
  for (const [scheme, mount] of MOUNTS) if (uri.startsWith(scheme)) return mount + uri.slice(scheme.length);
  throw new Error(`failed to generate local path for URI ${uri}: unsupported storage scheme`);
}

export class PodPaths {
  constructor(readonly root: string, readonly task: string) {}
  /** A pod-absolute path (/minio/..., /tmp/...) as a path on this machine. */
  host(podPath: string): string {
    return podPath.startsWith('/minio/') || podPath.startsWith('/s3/') || podPath.startsWith('/gcs/') ? join(this.root, podPath) : join(this.root, 'pods', this.task, podPath);
  }
  uriToHost(uri: string): string {
    return this.host(localPathForUri(uri));
  }
}
