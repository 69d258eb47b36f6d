// Where the KFP launcher puts an artifact with a given URI (kfp-contract §3): object-store
// URIs map onto its FUSE-like mount points; anything else is already a local path.
const MOUNTS: readonly [prefix: string, mount: string][] = [
  ['minio://', '/minio/'],
  ['s3://', '/s3/'],
  ['gs://', '/gcs/'],
];

export function uriToPath(uri: string): string {
  for (const [prefix, mount] of MOUNTS) if (uri.startsWith(prefix)) return mount + uri.slice(prefix.length);
  return uri;
}
