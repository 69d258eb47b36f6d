// A secret volume as the kubelet projects it into a pod, for the emulated pods and the key-folder tests.
// Follows https://github.com/kubernetes/kubernetes/blob/master/pkg/volume/util/atomic_writer.go (AtomicWriter.Write, v1.30):
//   newTimestampDir: os.MkdirTemp(targetDir, time.Now().UTC().Format("..2006_01_02_15_04_05.")), then chmod 0755
//   writePayloadToDir: each key written with its projection mode, then chmod to exactly that mode
//   step (8)/(9): a relative link `..data_tmp -> <ts dir name>`, renamed over `..data`
//   createUserVisibleFiles: `<key> -> ..data/<key>` (relative)
// The mode is SecretVolumeSourceDefaultMode 0644 (k8s.io/api core/v1 types.go): KFP's SecretAsVolume sets no
// defaultMode (kubernetes_platform/proto/kubernetes_executor_config.proto, message SecretAsVolume, @2.0.5..HEAD).
// The volume root is the memory-medium emptyDir the secret plugin wraps (pkg/volume/secret/secret.go): a tmpfs root,
// mode 1777 (emptyDir setupDir leaves perm 0777 as is; tmpfs's default root mode adds the sticky bit).
// Files are owned by the writer (the kubelet is root; so is this test process here, or its own user).
import { chmodSync, existsSync, lstatSync, mkdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_DEFAULT_MODE = 0o644;
export const TMPFS_ROOT_MODE = 0o1777;

let counter = 0;

function timestampDirName(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getUTCFullYear()}_${p(d.getUTCMonth() + 1)}_${p(d.getUTCDate())}_${p(d.getUTCHours())}_${p(d.getUTCMinutes())}_${p(d.getUTCSeconds())}`;
  // os.MkdirTemp's random suffix is decimal digits.
  return `..${stamp}.${String(Math.floor(Math.random() * 1e9) + ++counter)}`;
}

/**
 * Projects `data` (secret key -> bytes) into `targetDir` as the kubelet does: a first write creates the folder; a
 * second write (a secret update) makes a new timestamped folder, swaps `..data` atomically and removes the old one.
 * Returns the timestamped folder's name.
 */
export function projectSecret(targetDir: string, data: Record<string, Uint8Array | string>, mode = SECRET_DEFAULT_MODE): string {
  if (!existsSync(targetDir)) {
    mkdirSync(targetDir, { recursive: true });
    chmodSync(targetDir, TMPFS_ROOT_MODE);
  }
  const dataLink = join(targetDir, '..data');
  let old: string | undefined;
  try {
    old = readlinkSync(dataLink);
  } catch {
    old = undefined;
  }
  const ts = timestampDirName();
  const tsDir = join(targetDir, ts);
  mkdirSync(tsDir);
  chmodSync(tsDir, 0o755);
  for (const [key, bytes] of Object.entries(data)) {
    const file = join(tsDir, key);
    writeFileSync(file, bytes, { mode });
    chmodSync(file, mode);
  }
  const tmpLink = join(targetDir, '..data_tmp');
  symlinkSync(ts, tmpLink);
  renameSync(tmpLink, dataLink);
  for (const key of Object.keys(data)) {
    const visible = join(targetDir, key);
    if (!lstatSync(visible, { throwIfNoEntry: false })) symlinkSync(join('..data', key), visible);
  }
  if (old) rmSync(join(targetDir, old), { recursive: true, force: true });
  return ts;
}
