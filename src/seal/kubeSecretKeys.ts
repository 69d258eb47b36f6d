// A key folder that is a Kubernetes secret volume: the pod side of `sealed compile --seal-keys-secret NAME`.
// Opted into only by keyProviderFromEnv (LocalKeyProvider.open(dir, { layout: 'kubernetes-secret' })); a user's
// own key folder keeps the strict rules of keyFiles.ts (0700 folder, 0600 files, no links at all).
//
// Sources: https://github.com/kubernetes/kubernetes/blob/master/pkg/volume/util/atomic_writer.go ,
// https://github.com/kubeflow/pipelines/blob/master/kubernetes_platform/proto/kubernetes_executor_config.proto
// What the kubelet makes (kubernetes/kubernetes pkg/volume/util/atomic_writer.go, AtomicWriter.Write):
//   <dir>/..2006_01_02_15_04_05.<random>/   the data, a real folder chmod 0755 (newTimestampDir), each file written
//                                           with its projection's mode (writePayloadToDir)
//   <dir>/..data -> ..<timestamp>.<random>  a relative link, replaced atomically (rename of ..data_tmp) on updates
//   <dir>/<key>  -> ..data/<key>            one relative link per secret key (createUserVisibleFiles)
// Modes and owners: KFP's SecretAsVolume has no defaultMode in any release (kubernetes_platform/proto/
// kubernetes_executor_config.proto @2.0.5..HEAD; backend/src/v2/driver/driver.go@2.0.5 and k8s.go@HEAD build the
// SecretVolumeSource without DefaultMode), so files get SecretVolumeSourceDefaultMode 0644 (k8s.io/api core/v1
// types.go), owned by root (the kubelet). A pod fsGroup makes SetVolumeOwnership (pkg/volume/volume_linux.go) give
// them that group, add roMask 0440 (the volume is read-only) and set setgid on folders. The volume root is the
// memory-medium emptyDir the secret plugin wraps: a tmpfs root, mode 1777.
//
// Rules (each refusal is one KeyError line naming the path):
//   folder     a real folder (not a link), owned by root or this user; writable by group/others only with the
//              sticky bit (the tmpfs root), so nobody else can rename or replace the kubelet's entries
//   ..data     a link whose target is one name `..<something>` in the folder itself (not `..data`, no `/`), so
//              it can never lead elsewhere (`..data -> /etc` is refused); that entry is a real folder, owned by
//              root or this user, not writable by group/others
//   key file   the visible name is a link whose real path (realpath) is exactly <folder>/<..timestamp>/<name>;
//              the file there is a regular file (checked with lstat before it is opened, and with fstat on the
//              descriptor: a FIFO is never opened, a link swapped in at the real path fails O_NOFOLLOW), owned by
//              root or this user, not writable by group/others, at most MAX_KEY_FILE_BYTES
//   afterwards the visible name must still resolve to the same file (same path, same inode) and ..data must
//              still name the same data folder, else the read is refused: a link swapped after the check, or a
//              secret update in the middle (keys from two versions), never yields a key.
import { promises as fsp, type Stats } from 'node:fs';
import { join } from 'node:path';
import { IoError, excerpt } from '../core/index.ts';
import { KeyError } from './keyErrors.ts';
import { MAX_KEY_FILE_BYTES, READ_FLAGS, currentUid, kindOf, modeText, readBoundedKeyFile, shellQuote } from './keyFiles.ts';

export const DATA_LINK = '..data';
/** A single name `..<x>` that is neither `..data` nor the writer's `..data_tmp` (atomic_writer.go dataDirName, newDataDirName). */
const DATA_NAME = /^\.\.[A-Za-z0-9][A-Za-z0-9_.-]{0,250}$/;
const STICKY = 0o1000;

export interface SecretVolume {
  /** The folder as given (SEALED_KEYS_DIR). */
  readonly dir: string;
  /** realpath of the folder (its parents may be links: /var/run -> /run). */
  readonly realDir: string;
  /** The `..<timestamp>.<random>` entry `..data` names. */
  readonly dataName: string;
  /** realDir/dataName: where every key file must really be. */
  readonly dataDir: string;
}

/** Test seam: runs between the checks of a key file and its open (where a swap would have to happen). */
export interface SecretReadHooks {
  afterCheck?: (visiblePath: string) => Promise<void> | void;
}

const kindOrFile = (stat: Stats): string => (stat.isFile() ? 'a regular file' : kindOf(stat));
const trustedOwner = (uid: number): boolean => uid === 0 || uid === currentUid() || currentUid() === undefined;

function ioError(path: string, e: unknown): IoError {
  return new IoError('io.readFailed', { path, reason: (e as Error).message }, { cause: e });
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await fsp.lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw ioError(path, e);
  }
}

async function realpathOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await fsp.realpath(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR') return undefined;
    throw ioError(path, e);
  }
}

const folderError = (path: string, reason: string, fix = 'mount the key secret there unchanged (sealed compile --seal-keys-secret NAME)'): KeyError =>
  new KeyError('keys.unsafeFolder', { path, reason, fix });
const fileError = (path: string, reason: string, fix = 'mount the key secret unchanged (a secret made from a sealed keys init folder)'): KeyError =>
  new KeyError('keys.unsafeFile', { path, reason, fix });

function checkOwnerAndWrite(stat: Stats, fail: (reason: string) => KeyError): void {
  if (!trustedOwner(stat.uid)) throw fail(`is owned by uid ${stat.uid}, not by root or this user (uid ${currentUid()})`);
  if ((stat.mode & 0o022) !== 0) throw fail(`is writable by its group or others (mode ${modeText(stat)})`);
}

/**
 * The secret volume at `dir`, checked; undefined when `dir` has no `..data` entry (not laid out by the kubelet:
 * the caller then applies the user-folder rules).
 */
export async function openSecretVolume(dir: string): Promise<SecretVolume | undefined> {
  const folder = await lstatOrUndefined(dir);
  if (!folder) throw folderError(dir, 'does not exist', 'mount the key secret there (sealed compile --seal-keys-secret NAME), or give a folder made by sealed keys init');
  if (folder.isSymbolicLink()) throw folderError(dir, 'is a symbolic link', 'mount the secret at the path itself, not a link to it');
  if (!folder.isDirectory()) throw folderError(dir, `is ${kindOf(folder)}, not a folder`);
  if (!trustedOwner(folder.uid)) throw folderError(dir, `is owned by uid ${folder.uid}, not by root or this user (uid ${currentUid()})`);
  if ((folder.mode & 0o022) !== 0 && (folder.mode & STICKY) === 0) {
    throw folderError(dir, `is writable by its group or others without the sticky bit (mode ${modeText(folder)})`, `chmod o-w,g-w ${shellQuote(dir)}, or mount the secret volume there`);
  }
  const linkPath = join(dir, DATA_LINK);
  const link = await lstatOrUndefined(linkPath);
  if (!link) return undefined;
  if (!link.isSymbolicLink()) throw folderError(dir, `has a ${DATA_LINK} that is ${kindOrFile(link)}, not the kubelet's link to its data folder`);
  let target: string;
  try {
    target = await fsp.readlink(linkPath);
  } catch (e) {
    throw ioError(linkPath, e);
  }
  if (!DATA_NAME.test(target) || target === DATA_LINK || target === '..data_tmp') {
    throw folderError(dir, `has ${DATA_LINK} pointing to '${excerpt(target)}', not to a ..<timestamp> folder inside it`);
  }
  const realDir = await fsp.realpath(dir).catch((e: unknown) => {
    throw ioError(dir, e);
  });
  const dataDir = join(realDir, target);
  const data = await lstatOrUndefined(dataDir);
  if (!data) throw folderError(dir, `has ${DATA_LINK} pointing to '${target}', which does not exist`);
  if (!data.isDirectory()) throw folderError(dir, `has ${DATA_LINK} pointing to '${target}', which is ${kindOf(data)}, not a folder`);
  checkOwnerAndWrite(data, (reason) => folderError(join(dir, target), reason));
  if ((await realpathOrUndefined(linkPath)) !== dataDir) throw folderError(dir, `has ${DATA_LINK} resolving outside ${target}`);
  return { dir, realDir, dataName: target, dataDir };
}

function checkKeyStat(path: string, stat: Stats): void {
  if (stat.isSymbolicLink()) throw fileError(path, 'is a symbolic link inside the data folder');
  if (!stat.isFile()) throw fileError(path, `is ${kindOf(stat)}`);
  checkOwnerAndWrite(stat, (reason) => fileError(path, reason));
  if (stat.size > MAX_KEY_FILE_BYTES) throw new KeyError('keys.badKeyFile', { path, reason: `it is ${stat.size} bytes, more than a key file holds` });
}

const changed = (path: string): KeyError =>
  fileError(path, 'changed while it was being read (a link or the file was swapped)', 'run the task again; if it repeats, something other than the kubelet is rewriting the key volume');

/** Reads key file `name` of a secret volume under the rules above. */
export async function readSecretVolumeFile(volume: SecretVolume, name: string, hooks: SecretReadHooks = {}): Promise<Buffer> {
  const visible = join(volume.dir, name);
  const entry = await lstatOrUndefined(visible);
  if (!entry) throw new KeyError('keys.missingFile', { path: visible });
  if (!entry.isSymbolicLink()) throw fileError(visible, `is ${kindOrFile(entry)} beside ${DATA_LINK}, not the kubelet's link into it`);
  const real = join(volume.dataDir, name);
  const resolved = await realpathOrUndefined(visible);
  if (resolved === undefined) throw fileError(visible, 'is a link to nothing (dangling or looping)');
  if (resolved !== real) throw fileError(visible, `links to ${resolved}, outside the secret's data folder ${volume.dataName}`);
  const before = await lstatOrUndefined(real);
  if (!before) throw new KeyError('keys.missingFile', { path: visible });
  checkKeyStat(visible, before);
  await hooks.afterCheck?.(visible);
  // O_NOFOLLOW: a link put at the real path after the check is refused, not followed; O_NONBLOCK: a FIFO put
  // there cannot make the open wait for a writer (fstat refuses it next).
  const handle = await fsp.open(real, READ_FLAGS).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ELOOP') throw changed(visible);
    if (e.code === 'ENOENT') throw changed(visible);
    throw ioError(visible, e);
  });
  let content: Buffer;
  let opened: Stats;
  try {
    opened = await handle.stat();
    checkKeyStat(visible, opened);
    content = await readBoundedKeyFile(handle, visible, opened);
  } catch (e) {
    if (e instanceof KeyError) throw e;
    throw ioError(visible, e);
  } finally {
    await handle.close();
  }
  const after = await lstatOrUndefined(real);
  const again = await realpathOrUndefined(visible);
  if (again !== real || !after || after.ino !== opened.ino || after.dev !== opened.dev || opened.ino !== before.ino || opened.dev !== before.dev) {
    content.fill(0);
    throw changed(visible);
  }
  return content;
}

/** After every key was read: `..data` must still name the data folder they came from (no update in between). */
export async function checkSecretVolumeUnchanged(volume: SecretVolume): Promise<void> {
  const target = await fsp.readlink(join(volume.dir, DATA_LINK)).catch(() => undefined);
  if (target !== volume.dataName) {
    throw folderError(volume.dir, `was updated while its keys were read (${DATA_LINK} now names ${target === undefined ? 'nothing' : `'${excerpt(target)}'`}, not '${volume.dataName}')`, 'run the task again');
  }
}
