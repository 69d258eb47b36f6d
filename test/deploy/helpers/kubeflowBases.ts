// Bases for the Kubeflow overlay tests: a kustomization in a temporary folder that lists the vendored,
// unchanged `common/` components of kubeflow/manifests (../shared/vendor/kubeflow-manifests/<tag>) by
// relative path - the same components each release's example/kustomization.yaml lists, minus the parts
// that are not vendored (knative, apps/) or pull remote bases. Nothing is copied from the vendored trees.
import { mkdirSync, mkdtempSync as mkdtempSyncRaw, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from '../../helpers/sharedData.ts';

// Every temporary folder made here is removed when the test process ends.
const made: string[] = [];
process.on('exit', () => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});
/** mkdtempSync that is cleaned up at exit. */
export function tempDir(prefix: string): string {
  const d = mkdtempSyncRaw(join(tmpdir(), prefix));
  made.push(d);
  return d;
}
const mkdtempSync = (p: string): string => tempDir(p.slice(tmpdir().length + 1));

export const VENDOR = join(repoRoot, '..', 'shared', 'vendor', 'kubeflow-manifests');
/**
 * The vendored releases sit beside the repository (../shared, never committed). Where they are absent
 * the tests that render them are skipped with this reason (like the real-data tests), and .ci/run
 * says so on its first lines; kubectl itself missing is a failure, not a skip.
 */
export function skipWithoutVendor(): string | false {
  const present = ['v1.8.1', 'v1.11.0'].every((tag) => existsSync(join(VENDOR, tag, 'common')));
  return present ? false : `needs the vendored kubeflow/manifests releases in ${VENDOR} (absent here)`;
}
export type Release = 'v1.8.1' | 'v1.11.0';

/** Components of example/kustomization.yaml at each tag that live in common/ (the vendored part). */
const COMPONENTS: Record<Release, string[]> = {
  'v1.8.1': [
    'common/cert-manager/cert-manager/base',
    'common/cert-manager/kubeflow-issuer/base',
    'common/istio-1-17/istio-crds/base',
    'common/istio-1-17/istio-namespace/base',
    'common/istio-1-17/istio-install/base',
    'common/oidc-client/oidc-authservice/base',
    'common/dex/overlays/istio',
    'common/kubeflow-namespace/base',
    'common/kubeflow-roles/base',
    'common/istio-1-17/kubeflow-istio-resources/base',
    'common/user-namespace/base',
  ],
  'v1.11.0': [
    'common/cert-manager/base',
    'common/cert-manager/kubeflow-issuer/base',
    'common/istio/istio-crds/base',
    'common/istio/istio-namespace/base',
    'common/istio/istio-install/overlays/oauth2-proxy',
    'common/oauth2-proxy/overlays/m2m-dex-only',
    'common/dex/overlays/oauth2-proxy',
    'common/kubeflow-namespace/base',
    'common/kubeflow-roles/base',
    'common/istio/kubeflow-istio-resources/base',
    'common/user-namespace/base',
  ],
};

export function checkoutOf(release: Release): string {
  return join(VENDOR, release);
}

/** A new temporary folder holding `base/kustomization.yaml` for the release; returns { root, base }. */
export function makeBase(release: Release): { root: string; base: string } {
  const root = mkdtempSync(join(tmpdir(), `kf-${release}-`));
  const base = join(root, 'base');
  mkdirSync(base);
  const resources = COMPONENTS[release].map((c) => relative(base, join(checkoutOf(release), c)));
  // Since 1.9 example/kustomization.yaml sets legacy order with its own orderFirst list (abridged here).
  const sort = release === 'v1.11.0' ? 'sortOptions:\n  order: legacy\n  legacySortOptions:\n    orderFirst: [Namespace, CustomResourceDefinition, MutatingWebhookConfiguration, ServiceAccount, ConfigMap, Secret, Service, Deployment]\n    orderLast: [ValidatingWebhookConfiguration]\n' : '';
  writeFileSync(join(base, 'kustomization.yaml'), `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${sort}resources:\n${resources.map((r) => `- ${r}\n`).join('')}`);
  return { root, base };
}

/** A skeleton checkout (empty kustomization files only) with the given folders, for layout and --out tests. */
export function fakeCheckout(dirs: readonly string[], files: readonly string[] = []): string {
  const root = mkdtempSync(join(tmpdir(), 'kf-fake-'));
  for (const d of dirs) {
    mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, d, 'kustomization.yaml'), 'resources: []\n');
  }
  for (const f of files) writeFileSync(join(root, f), '');
  return root;
}

export const LAYOUT_18 = ['common/dex/base', 'common/istio-1-17/istio-install/base', 'common/oidc-client/oidc-authservice/base', 'example'];
export const LAYOUT_19 = ['common/dex/base', 'common/istio/istio-install/base', 'common/oauth2-proxy/base', 'example'];

/** A well-formed bcrypt $2y$ hash, cost 12: 22 salt + 31 digest characters, last of each canonical (not of any real password). */
export const HASH = '$2y$12$' + 'abcdefghijklmnopqrstuu' + 'wxyzABCDEFGHIJKLMNOPQRSTUVWXYZC';
/** Another one, for a password change. */
export const HASH2 = '$2y$12$' + 'bbcdefghijklmnopqrstuu' + 'wxyzABCDEFGHIJKLMNOPQRSTUVWXYZC';
