// The pod's file system view for the emulated container, without path substitution: the user command runs in a
// private mount namespace (unshare(1) -m) whose root is an overlay of this machine's `/` (writes outside the mounts
// below stay in a throw-away tmpfs), with
//   /minio, /s3, /gcs   bind mounts of the emulated object store (<root>/minio ...), the launcher's local paths for
//                       artifact URIs (backend/src/v2/component/launcher_v2.go LocalPathForURI), so the ExecutorInput
//                       keeps the driver's real URIs (what a sealed task reads its run id and task from);
//   each pod volume     bind-mounted at its mountPath, read-only for secret volumes as the kubelet mounts them
//                       (pkg/volume/secret/secret.go GetAttributes ReadOnly: true);
//   /proc /dev /sys     the host's; /tmp the host's (the tests' data files and this emulation's host paths live there).
// Needs root with CAP_SYS_ADMIN (mount namespaces, overlayfs), which this workplace's machines and CI have.
import { execFileSync } from 'node:child_process';

export interface PodMount {
  /** The folder on this machine. */
  host: string;
  /** Where the pod sees it. */
  pod: string;
  readOnly: boolean;
}

// $1 = scratch folder for the namespace (empty), then host/pod/ro|rw triples, `--`, the working folder, the command.
// Mount targets are resolved inside the new root (chroot realpath), so a link such as /var/run -> /run leads to the
// overlay's /run, never to this machine's.
const SCRIPT = `set -eu
T=$1; shift
mount -t tmpfs emulated-pod "$T"
mkdir "$T/upper" "$T/work" "$T/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$T/upper,workdir=$T/work" "$T/root"
for m in /proc /dev /sys; do mount --rbind "$m" "$T/root$m"; done
mount --bind /tmp "$T/root/tmp"
while [ "$1" != "--" ]; do
  host=$1; pod=$2; mode=$3; shift 3
  chroot "$T/root" mkdir -p "$pod"
  real=$(chroot "$T/root" realpath "$pod")
  mount --bind "$host" "$T/root$real"
  if [ "$mode" = ro ]; then mount -o remount,bind,ro "$T/root$real"; fi
done
shift
cwd=$1; shift
exec chroot "$T/root" /bin/sh -c 'cd "$0" && exec "$@"' "$cwd" "$@"
`;

/** The argv (unshare ...) that runs `command` with `mounts` as described above; `scratch` must be an empty folder. */
export function namespacedCommand(scratch: string, mounts: PodMount[], cwd: string, command: string[]): [string, string[]] {
  const triples = mounts.flatMap((m) => [m.host, m.pod, m.readOnly ? 'ro' : 'rw']);
  return ['unshare', ['--mount', '--propagation', 'private', 'bash', '-c', SCRIPT, 'emulated-pod', scratch, ...triples, '--', cwd, ...command]];
}

let available: boolean | undefined;
/** Whether this machine can make the namespace (root, mount namespaces, overlayfs). */
export function podNamespacesAvailable(): boolean {
  if (available === undefined) {
    try {
      execFileSync('unshare', ['--mount', '--propagation', 'private', 'bash', '-c', 'T=$(mktemp -d) && mount -t tmpfs x "$T" && mkdir "$T/u" "$T/w" "$T/r" && mount -t overlay overlay -o "lowerdir=/,upperdir=$T/u,workdir=$T/w" "$T/r" && umount -R "$T" && rmdir "$T"'], { stdio: 'ignore' });
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}
