// Which kubeflow/manifests release line a checkout is, read from its folders (never from a
// version the user types: a wrong guess would patch objects that are not there). The folder
// names follow the vendored trees in ../shared/vendor/kubeflow-manifests/{v1.8.1,v1.11.0}/common:
//   1.8 line: common/istio-1-16 | istio-1-17, common/oidc-client/oidc-authservice,
//             Dex hash inlined in its ConfigMap (common/dex/base/config-map.yaml).
//   1.9+:     common/istio (1.10+) or common/istio-1-2x, common/oauth2-proxy or
//             common/oidc-client/oauth2-proxy, Dex hash in Secret dex-passwords via hashFromEnv.
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.ts';

export type KubeflowLine = '1.8' | '1.9+';

export interface KubeflowLayout {
  line: KubeflowLine;
  /** Folder of the Istio install, relative to the checkout (`common/istio-1-17`, `common/istio`). */
  istioDir: string;
  /** The login proxy the release puts in front of Dex. */
  authProxy: 'oidc-authservice' | 'oauth2-proxy';
  /** True when the release keeps Dex's hash in Secret `dex-passwords` (v1.9+: common/dex/base/dex-passwords.yaml). */
  dexPasswordSecret: boolean;
}

function stat(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

const isDir = (p: string): boolean => stat(p)?.isDirectory() ?? false;
const isFile = (p: string): boolean => stat(p)?.isFile() ?? false;
const hasKustomization = (dir: string): boolean => isFile(join(dir, 'kustomization.yaml'));

/** Versioned Istio folders (`istio-1-17` -> 17), newest first. */
function versionedIstioDirs(common: string): Array<{ dir: string; minor: number }> {
  let names: string[] = [];
  try {
    names = readdirSync(common);
  } catch {
    return [];
  }
  return names
    .map((n) => ({ n, m: /^istio-1-(\d{1,3})$/.exec(n) }))
    .filter((x): x is { n: string; m: RegExpExecArray } => x.m !== null && hasKustomization(join(common, x.n, 'istio-install', 'base')))
    .map((x) => ({ dir: `common/${x.n}`, minor: Number(x.m[1]) }))
    .sort((a, b) => b.minor - a.minor);
}

export function detectLayout(manifests: string): KubeflowLayout {
  const st = stat(manifests);
  if (!st) throw new UsageError('deploy.overlay.notACheckout', { path: manifests, missing: 'the folder itself' });
  if (!st.isDirectory()) throw new UsageError('deploy.overlay.notACheckout', { path: manifests, missing: 'a folder (this is a file or link)' });
  const common = join(manifests, 'common');
  if (!isDir(common)) throw new UsageError('deploy.overlay.notACheckout', { path: manifests, missing: 'common/' });
  if (!hasKustomization(join(common, 'dex', 'base'))) {
    throw new UsageError('deploy.overlay.notACheckout', { path: manifests, missing: 'common/dex/base/kustomization.yaml' });
  }
  const dexPasswordSecret = isFile(join(common, 'dex', 'base', 'dex-passwords.yaml'));
  const versioned = versionedIstioDirs(common);

  // 1.8 line: Istio 1.16/1.17 folders next to oidc-authservice. (v1.8.1 also has a small
  // common/istio with only an EnvoyFilter, so common/istio alone does not mean 1.9+.)
  const old = versioned.find((v) => v.minor === 16 || v.minor === 17);
  if (old && hasKustomization(join(common, 'oidc-client', 'oidc-authservice', 'base'))) {
    return { line: '1.8', istioDir: old.dir, authProxy: 'oidc-authservice', dexPasswordSecret };
  }

  const unversioned = hasKustomization(join(common, 'istio', 'istio-install', 'base')) ? 'common/istio' : undefined;
  const newer = versioned.find((v) => v.minor >= 22);
  const istioDir = unversioned ?? newer?.dir;
  const oauth2 = hasKustomization(join(common, 'oauth2-proxy', 'base')) || hasKustomization(join(common, 'oidc-client', 'oauth2-proxy', 'base'));
  if (istioDir && oauth2) return { line: '1.9+', istioDir, authProxy: 'oauth2-proxy', dexPasswordSecret };

  const missing: string[] = [];
  if (!old && !istioDir) missing.push('no Istio install (common/istio-1-16|istio-1-17 for 1.8, common/istio/istio-install for 1.9+)');
  else if (old) missing.push(`${old.dir} found but common/oidc-client/oidc-authservice/base is missing (1.8 line)`);
  else missing.push(`${istioDir} found but common/oauth2-proxy/base is missing (1.9+ line)`);
  throw new UsageError('deploy.overlay.unknownLayout', { path: manifests, missing: missing.join('; ') });
}
