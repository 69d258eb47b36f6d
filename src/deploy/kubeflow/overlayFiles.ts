// The files of the overlay: one patch per hand edit of the reference tutorial, each built from
// the base's rendered objects so it targets what is really there. Pure: objects in, file texts out.
// Upstream references (named again in test/deploy/kubeflowOverlay.test.ts):
// - Istio Gateway API (istio.io/latest/docs/reference/config/networking/gateway/): ServerTLSSettings
//   `httpsRedirect` sends 301 to HTTPS; `mode: SIMPLE` + `credentialName` (a Secret in the
//   gateway workload's namespace, istio-system) serves TLS.
// - cert-manager Certificate v1 (cert-manager.io/docs/reference/api-docs/#cert-manager.io/v1.Certificate):
//   secretName, ipAddresses / dnsNames, issuerRef {name, kind: ClusterIssuer, group: cert-manager.io}.
// - Dex staticPasswords (dexidp/dex cmd/dex/config.go `password.UnmarshalJSON`, since v2.22.0):
//   `hashFromEnv` names an environment variable holding the bcrypt hash; `hash` wins if set, so it is removed.
import { createHash } from 'node:crypto';
import { parseDocument, stringify } from 'yaml';
import { UsageError } from '../../core/errors.ts';
import { findObject, type KubeObject } from './kustomize.ts';
import type { KubeflowLayout } from './layout.ts';
import { CLIENT_SECRET_FILE, COOKIE_SECRET_FILE, type LoginSecrets } from './loginSecrets.ts';

export const CERT_NAME = 'istio-ingressgateway-certs';
export const DEX_HASH_ENV = 'DEX_USER_PASSWORD';
export const DEX_SECRET = 'dex-passwords';
export const DEX_HASH_FILE = 'dex-user-password.bcrypt';
/** Pod-template annotation on Dex whose change restarts it (see planOverlay, step 5). */
export const DEX_DIGEST_ANNOTATION = 'sealed-pipelines/dex-config-sha256';
export const DEFAULT_USER = 'user@example.com';
/** The hash of the default password 12341234 that every Kubeflow release ships. */
export const DEFAULT_HASH = '$2y$12$4K/VkmDd1q1Orb3xAt82zu8gk7Ad6ReFR4LCP9UeYE90NLiN9Df72';

export interface OverlayInput {
  layout: KubeflowLayout;
  /** The base's rendered objects. */
  objects: readonly KubeObject[];
  /** Path from the overlay folder to the base, POSIX separators. */
  baseRef: string;
  /** Shown in errors. */
  basePath: string;
  dexUser: string;
  passwordHash: string;
  ip?: string;
  domain?: string;
  issuer: string;
  /** The base kustomization's sortOptions, copied so the render keeps the base's order. */
  sortOptions?: unknown;
  /** Login secrets replacing the published ones (see loginSecrets.ts); required when the base has them. */
  secrets?: LoginSecrets;
}

export interface OverlayFile {
  /** Relative to the overlay folder. */
  path: string;
  content: string;
  /** 0o600 for the secret, 0o644 otherwise. */
  mode: number;
}

export interface OverlayPlan {
  files: OverlayFile[];
  /** Objects of the base the overlay changes (group/kind/namespace/name), for the caller's summary. */
  changed: string[];
  /** Objects the overlay adds. */
  added: string[];
  /** True when the base had a default Profile whose owner moved to dexUser. */
  profileMoved: boolean;
  warnings: string[];
}

// No anchors/aliases (a shared array would otherwise come out as &a1/*a1), no line folding.
const y = (value: unknown): string => stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });

function need(o: KubeObject | undefined, input: OverlayInput, object: string, why: string): KubeObject {
  if (!o) throw new UsageError('deploy.overlay.baseLacks', { base: input.basePath, object, why });
  return o;
}

interface Server {
  port?: { number?: number; protocol?: string; name?: string };
  hosts?: string[];
  tls?: Record<string, unknown>;
  [k: string]: unknown;
}

/** The gateway's servers with HTTP redirected and an HTTPS server added (hosts copied from HTTP). */
export function httpsServers(servers: readonly Server[]): Server[] {
  const http = servers.find((s) => s.port?.protocol === 'HTTP' || s.port?.number === 80);
  if (!http) throw new Error('kubeflow-gateway has no HTTP server to redirect');
  const others = servers.filter((s) => s !== http && s.port?.number !== 443 && s.port?.protocol !== 'HTTPS');
  return [
    { ...http, tls: { httpsRedirect: true } },
    { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: [...(http.hosts ?? ['*'])], tls: { mode: 'SIMPLE', credentialName: CERT_NAME } },
    ...others,
  ];
}

/** Dex's config.yaml with staticPasswords reduced to the one user, hash read from the environment. */
export function dexConfigWithUser(configYaml: string, dexUser: string): string {
  const doc = parseDocument(configYaml);
  if (doc.errors.length > 0) throw new Error(`Dex config.yaml does not parse: ${doc.errors[0].message}`);
  const local = dexUser.slice(0, dexUser.lastIndexOf('@'));
  // A stable id from the e-mail: re-rendering gives the same `sub`, and no id is shared with the default user.
  const userID = createHash('sha256').update(dexUser).digest('hex').slice(0, 32);
  doc.set('enablePasswordDB', true);
  doc.set('staticPasswords', doc.createNode([{ email: dexUser, hashFromEnv: DEX_HASH_ENV, username: local, userID }]));
  // The releases' own style (sequences not indented, ["flow"] without padding) keeps the diff to the one entry.
  return doc.toString({ lineWidth: 0, indentSeq: false, flowCollectionPadding: false });
}

/** Dex releases before v2.22.0 have no hashFromEnv; a tag we cannot read is assumed current. */
export function dexSupportsHashFromEnv(image: string): boolean {
  const m = /:v?(\d+)\.(\d+)\.\d+(?:[-+@].*)?$/.exec(image);
  if (!m) return true;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 2 || (major === 2 && minor >= 22);
}

interface Container {
  name: string;
  image?: string;
  envFrom?: Array<{ secretRef?: { name?: string } }>;
}

export function planOverlay(input: OverlayInput): OverlayPlan {
  const { objects } = input;
  const files: OverlayFile[] = [];
  const patches: Array<Record<string, unknown>> = [];
  const changed: string[] = [];
  const added: string[] = [];
  const warnings: string[] = [];
  const add = (path: string, value: unknown): void => void files.push({ path, content: y(value), mode: 0o644 });

  // 1. Ingress gateway Service as LoadBalancer (the releases patch it to ClusterIP: istio-install/base/patches/service.yaml).
  need(findObject(objects, '', 'Service', 'istio-ingressgateway', 'istio-system'), input, 'Service istio-system/istio-ingressgateway', 'the Istio install is not part of this base');
  add('patches/istio-ingressgateway-service.yaml', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' }, spec: { type: 'LoadBalancer' } });
  patches.push({ path: 'patches/istio-ingressgateway-service.yaml' });
  changed.push('/Service/istio-system/istio-ingressgateway');

  // 2. AKS admissions enforcer must leave Istio's injector webhook alone.
  const webhook = need(findObject(objects, 'admissionregistration.k8s.io', 'MutatingWebhookConfiguration', 'istio-sidecar-injector'), input, 'MutatingWebhookConfiguration istio-sidecar-injector', 'the Istio install is not part of this base');
  add('patches/istio-sidecar-injector-webhook.yaml', {
    apiVersion: webhook.apiVersion,
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: 'istio-sidecar-injector', annotations: { 'admissions.enforcer/disabled': 'true' } },
  });
  patches.push({ path: 'patches/istio-sidecar-injector-webhook.yaml' });
  changed.push('admissionregistration.k8s.io/MutatingWebhookConfiguration//istio-sidecar-injector');

  // 3. kubeflow-gateway: HTTP -> HTTPS redirect plus an HTTPS server. Gateway is a CRD, so a
  // strategic merge would replace the list anyway; a JSON patch says so explicitly.
  const gateway = need(findObject(objects, 'networking.istio.io', 'Gateway', 'kubeflow-gateway', 'kubeflow'), input, 'Gateway kubeflow/kubeflow-gateway', 'common/istio*/kubeflow-istio-resources is not part of this base');
  const servers = ((gateway.spec as { servers?: Server[] } | undefined)?.servers ?? []) as Server[];
  add('patches/kubeflow-gateway.yaml', [{ op: 'replace', path: '/spec/servers', value: httpsServers(servers) }]);
  patches.push({ path: 'patches/kubeflow-gateway.yaml', target: { group: 'networking.istio.io', kind: 'Gateway', name: 'kubeflow-gateway', namespace: 'kubeflow' } });
  changed.push('networking.istio.io/Gateway/kubeflow/kubeflow-gateway');

  // 4. The certificate the HTTPS server serves. A self-signed certificate needs a non-empty
  // subject (its issuer DN is its subject), hence commonName when it fits the 64-character limit.
  const san = input.ip !== undefined ? { ipAddresses: [input.ip] } : { dnsNames: [input.domain] };
  const cn = input.ip ?? input.domain ?? '';
  add('certificate.yaml', {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: CERT_NAME, namespace: 'istio-system' },
    spec: {
      secretName: CERT_NAME,
      ...(cn.length <= 64 ? { commonName: cn } : {}),
      ...san,
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      issuerRef: { name: input.issuer, kind: 'ClusterIssuer', group: 'cert-manager.io' },
    },
  });
  added.push(`cert-manager.io/Certificate/istio-system/${CERT_NAME}`);
  const issuers = objects.filter((o) => o.kind === 'ClusterIssuer').map((o) => o.metadata.name);
  if (issuers.length > 0 && !issuers.includes(input.issuer)) {
    warnings.push(`ClusterIssuer '${input.issuer}' is not in the base (it has ${issuers.join(', ')}); it must exist in the cluster before the certificate can be issued`);
  }

  // 5. Dex: one static user whose hash comes from Secret dex-passwords through hashFromEnv.
  const dexConfig = need(findObject(objects, '', 'ConfigMap', 'dex', 'auth'), input, 'ConfigMap auth/dex', 'common/dex is not part of this base');
  const dexDeploy = need(findObject(objects, 'apps', 'Deployment', 'dex', 'auth'), input, 'Deployment auth/dex', 'common/dex is not part of this base');
  const configYaml = (dexConfig.data as Record<string, string> | undefined)?.['config.yaml'];
  if (typeof configYaml !== 'string') need(undefined, input, "ConfigMap auth/dex key 'config.yaml'", 'the Dex config is not where the releases keep it');
  const newConfig = dexConfigWithUser(configYaml as string, input.dexUser);
  add('patches/dex-config.yaml', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dex', namespace: 'auth' }, data: { 'config.yaml': newConfig } });
  patches.push({ path: 'patches/dex-config.yaml' });
  changed.push('/ConfigMap/auth/dex');

  const containers = ((dexDeploy.spec as { template?: { spec?: { containers?: Container[] } } }).template?.spec?.containers ?? []) as Container[];
  const index = containers.findIndex((c) => c.name === 'dex');
  if (index < 0) need(undefined, input, "container 'dex' in Deployment auth/dex", 'the Dex Deployment is not the one the releases ship');
  const dex = containers[index];
  if (dex.image && !dexSupportsHashFromEnv(dex.image)) throw new UsageError('deploy.overlay.dexTooOld', { image: dex.image });
  const hasSecret = findObject(objects, '', 'Secret', DEX_SECRET, 'auth') !== undefined;
  if (!(dex.envFrom ?? []).some((e) => e.secretRef?.name === DEX_SECRET)) {
    // 1.8 line: Dex reads no Secret for its hash yet; give it the one the overlay generates.
    const op = dex.envFrom ? { op: 'add', path: `/spec/template/spec/containers/${index}/envFrom/-`, value: { secretRef: { name: DEX_SECRET } } } : { op: 'add', path: `/spec/template/spec/containers/${index}/envFrom`, value: [{ secretRef: { name: DEX_SECRET } }] };
    add('patches/dex-deployment.yaml', [op]);
    patches.push({ path: 'patches/dex-deployment.yaml', target: { group: 'apps', kind: 'Deployment', name: 'dex', namespace: 'auth' } });
    changed.push('apps/Deployment/auth/dex');
  }
  // Dex reads its config and the hash only at start, and neither object carries a name hash that
  // would roll it: a digest of both on the pod template makes `kubectl apply` restart Dex when
  // either changes. (A SHA-256 over a salted bcrypt hash reveals nothing usable about the password.)
  // The OIDC client secret is in the digest too: Secret dex-oidc-client carries no name hash either.
  const digest = createHash('sha256').update(newConfig).update('\0').update(input.passwordHash).update('\0').update(input.secrets?.clientSecret ?? '').digest('hex');
  add('patches/dex-restart.yaml', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'dex', namespace: 'auth' }, spec: { template: { metadata: { annotations: { [DEX_DIGEST_ANNOTATION]: digest } } } } });
  patches.push({ path: 'patches/dex-restart.yaml' });
  if (!changed.includes('apps/Deployment/auth/dex')) changed.push('apps/Deployment/auth/dex');
  files.push({ path: DEX_HASH_FILE, content: input.passwordHash, mode: 0o600 });
  (hasSecret ? changed : added).push(`/Secret/auth/${DEX_SECRET}`);

  // 6. The default Profile (common/user-namespace) keeps its name - the namespace
  // kubeflow-user-example-com other manifests and samples refer to - and changes owner.
  const configMapGenerator: Array<Record<string, unknown>> = [];
  let profileMoved = false;
  for (const p of objects.filter((o) => o.kind === 'Profile' && o.apiVersion.startsWith('kubeflow.org/'))) {
    const owner = (p.spec as { owner?: { name?: string } } | undefined)?.owner;
    if (owner?.name !== DEFAULT_USER) continue;
    // The name comes from the checkout: used in a file name only when it is a plain object name.
    const file = `patches/profile-${/^[a-z0-9][-a-z0-9.]{0,252}$/.test(p.metadata.name) ? p.metadata.name : String(changed.length)}.yaml`;
    add(file, [{ op: 'replace', path: '/spec/owner/name', value: input.dexUser }]);
    patches.push({ path: file, target: { group: 'kubeflow.org', kind: 'Profile', name: p.metadata.name } });
    changed.push(`kubeflow.org/Profile//${p.metadata.name}`);
    profileMoved = true;
  }
  // The generated ConfigMap that feeds the Profile (`user=` in user-namespace/base/params.env).
  for (const c of objects.filter((o) => o.kind === 'ConfigMap' && /^default-install-config(-[a-z0-9]{10})?$/.test(o.metadata.name))) {
    if ((c.data as Record<string, string> | undefined)?.user !== DEFAULT_USER) continue;
    configMapGenerator.push({ name: 'default-install-config', ...(c.metadata.namespace ? { namespace: c.metadata.namespace } : {}), behavior: 'merge', literals: [`user=${input.dexUser}`] });
    changed.push(`/ConfigMap/${c.metadata.namespace ?? ''}/default-install-config`);
  }

  // 7. The login secrets every release publishes in its manifests (the OIDC client secret Dex and
  // the login proxy share, oauth2-proxy's cookie secret) are replaced by ones made for this
  // overlay, and oauth2-proxy's cookie gets `Secure` (FORCE_HTTPS -> --cookie-secure; oauth2-proxy
  // README "Using HTTPS"). `merge` keeps the other keys (client ids) and the generator's name, so
  // kustomize rewrites every reference to a hashed name.
  const secretGenerator: Array<Record<string, unknown>> = [];
  const generated = (kind: string, ns: string, name: string, key: string): KubeObject | undefined =>
    objects.find((o) => o.kind === kind && o.metadata.namespace === ns && new RegExp(`^${name}(-[a-z0-9]{10})?$`).test(o.metadata.name) && key in ((o.data as object | undefined) ?? {}));
  const loginSecrets: Array<{ ns: string; name: string; entries: string[] }> = [];
  if (generated('Secret', 'auth', 'dex-oidc-client', 'OIDC_CLIENT_SECRET')) loginSecrets.push({ ns: 'auth', name: 'dex-oidc-client', entries: [`OIDC_CLIENT_SECRET=${CLIENT_SECRET_FILE}`] });
  if (generated('Secret', 'oauth2-proxy', 'oauth2-proxy', 'client-secret')) loginSecrets.push({ ns: 'oauth2-proxy', name: 'oauth2-proxy', entries: [`client-secret=${CLIENT_SECRET_FILE}`, `cookie-secret=${COOKIE_SECRET_FILE}`] });
  if (generated('Secret', 'istio-system', 'oidc-authservice-client', 'CLIENT_SECRET')) loginSecrets.push({ ns: 'istio-system', name: 'oidc-authservice-client', entries: [`CLIENT_SECRET=${CLIENT_SECRET_FILE}`] });
  if (loginSecrets.length > 0) {
    const secrets = input.secrets;
    if (!secrets) throw new Error('planOverlay: the base has login secrets but no replacements were given');
    for (const l of loginSecrets) {
      secretGenerator.push({ name: l.name, namespace: l.ns, behavior: 'merge', files: l.entries });
      changed.push(`/Secret/${l.ns}/${l.name}`);
    }
    files.push({ path: CLIENT_SECRET_FILE, content: secrets.clientSecret, mode: 0o600 });
    if (loginSecrets.some((l) => l.name === 'oauth2-proxy')) files.push({ path: COOKIE_SECRET_FILE, content: secrets.cookieSecret, mode: 0o600 });
  }
  const params = generated('ConfigMap', 'oauth2-proxy', 'oauth2-proxy-parameters', 'FORCE_HTTPS');
  if (params) {
    configMapGenerator.push({ name: 'oauth2-proxy-parameters', namespace: 'oauth2-proxy', behavior: 'merge', literals: ['FORCE_HTTPS=true'] });
    changed.push('/ConfigMap/oauth2-proxy/oauth2-proxy-parameters');
  }
  // Both carry a name hash in the releases: the new names land in oauth2-proxy's pod template, which restarts it.
  if ((params || loginSecrets.some((l) => l.name === 'oauth2-proxy')) && findObject(objects, 'apps', 'Deployment', 'oauth2-proxy', 'oauth2-proxy')) {
    changed.push('apps/Deployment/oauth2-proxy/oauth2-proxy');
  }

  const kustomization: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    ...(input.sortOptions !== undefined ? { sortOptions: input.sortOptions } : {}),
    resources: [input.baseRef, 'certificate.yaml'],
    patches,
    secretGenerator: [
      {
        name: DEX_SECRET,
        namespace: 'auth',
        behavior: hasSecret ? 'replace' : 'create',
        type: 'Opaque',
        files: [`${DEX_HASH_ENV}=${DEX_HASH_FILE}`],
        // Same name as the release's Secret, which the Dex Deployment refers to by that name.
        options: { disableNameSuffixHash: true },
      },
      ...secretGenerator,
    ],
    ...(configMapGenerator.length > 0 ? { configMapGenerator } : {}),
  };
  const header = `# Kubeflow ${input.layout.line} overlay written by \`sealed deploy render\`; render it again to change it.\n` +
    `# ${DEX_HASH_FILE} holds the Dex user's bcrypt hash (mode 0600): keep it out of version control.\n` +
    `# ${CLIENT_SECRET_FILE} and ${COOKIE_SECRET_FILE} (mode 0600) replace the login secrets Kubeflow publishes; a new render reuses them.\n`;
  files.unshift({ path: 'kustomization.yaml', content: header + y(kustomization), mode: 0o644 });
  return { files, changed, added, profileMoved, warnings };
}
