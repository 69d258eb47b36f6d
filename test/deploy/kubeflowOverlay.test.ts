// The Kubeflow overlay rendered with the real `kubectl kustomize` (kustomize v5.5 built into kubectl) against
// both vendored releases of kubeflow/manifests (../shared/vendor/kubeflow-manifests/{v1.8.1,v1.11.0}/common).
// For each: render the base alone and base+overlay, then compare object by object - the objects the
// tutorial edits by hand changed field by field as expected, every other object byte-equal.
// Upstream references for the expected fields:
// - Istio Gateway API reference (istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings):
//   `tls.httpsRedirect: true` on the HTTP server; HTTPS server `tls.mode: SIMPLE` + `credentialName`.
// - cert-manager Certificate spec (cert-manager.io/docs/reference/api-docs/#cert-manager.io/v1.CertificateSpec):
//   secretName, ipAddresses | dnsNames, issuerRef {name, kind: ClusterIssuer, group: cert-manager.io}.
// - Dex staticPasswords (dexidp/dex cmd/dex/config.go at v2.36.0, `password.UnmarshalJSON`): `hashFromEnv`
//   reads the hash from the environment, `hash` would take precedence; v1.11.0's common/dex/base/dex-passwords.yaml
//   + deployment.yaml `envFrom: secretRef dex-passwords` is the wiring the overlay reuses (and adds on v1.8.1).
// - v1.8.1 common/dex/base/config-map.yaml (hash inlined), common/user-namespace/base (default Profile),
//   common/istio-1-17/istio-install/base/patches/service.yaml (ClusterIP), kubeflow-istio-resources (kubeflow-gateway).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { renderOverlay, kubectlKustomize, type RenderResult } from '../../src/deploy/kubeflow/index.ts';
import { checkoutOf, fakeCheckout, makeBase, tempDir, HASH, HASH2, LAYOUT_19, type Release } from './helpers/kubeflowBases.ts';
import { skipWithoutVendor } from './helpers/kubeflowBases.ts';

const DEFAULT_HASH = '$2y$12$4K/VkmDd1q1Orb3xAt82zu8gk7Ad6ReFR4LCP9UeYE90NLiN9Df72';
const USER = 'alice.ops+kf@corp.example.org';

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  [k: string]: unknown;
}

/** Objects of a render keyed like kustomize ids; generated ConfigMap/Secret names lose their hash suffix. */
function byKey(text: string): Map<string, { raw: string; obj: Obj }> {
  const map = new Map<string, { raw: string; obj: Obj }>();
  for (const raw of text.split(/^---\n/m)) {
    if (raw.trim() === '') continue;
    const obj = parse(raw) as Obj;
    let name = obj.metadata.name;
    if (obj.kind === 'ConfigMap' || obj.kind === 'Secret') name = name.replace(/-[bcdfghkmt2-9]{10}$/, '');
    const key = `${obj.apiVersion.split('/').length > 1 ? obj.apiVersion.split('/')[0] : ''}/${obj.kind}/${obj.metadata.namespace ?? ''}/${name}`;
    assert.ok(!map.has(key), `duplicate ${key}`);
    map.set(key, { raw, obj });
  }
  return map;
}

const clone = <T>(v: T): T => structuredClone(v);

interface Rendered {
  result: RenderResult;
  base: Map<string, { raw: string; obj: Obj }>;
  overlay: Map<string, { raw: string; obj: Obj }>;
  overlayText: string;
}

const rendered = new Map<Release, Rendered>();

before(async () => {
  if (skipWithoutVendor()) return;
  for (const release of ['v1.8.1', 'v1.11.0'] as const) {
    const { root, base } = makeBase(release);
    const out = join(root, 'overlay');
    const result = await renderOverlay({ manifests: checkoutOf(release), base, out, dexUser: USER, passwordHash: HASH, domain: 'Kubeflow.Corp.Example.org' });
    const overlayText = await kubectlKustomize(out);
    rendered.set(release, { result, base: byKey(await kubectlKustomize(base)), overlay: byKey(overlayText), overlayText });
  }
});

for (const release of ['v1.8.1', 'v1.11.0'] as const) {
  const get = (): Rendered => rendered.get(release)!;
  const pair = (key: string): { before: Obj; after: Obj } => {
    const { base, overlay } = get();
    assert.ok(base.has(key), `base render has ${key}`);
    assert.ok(overlay.has(key), `overlay render has ${key}`);
    return { before: base.get(key)!.obj, after: overlay.get(key)!.obj };
  };

  test(`${release}: layout detected from the checkout's folders`, { skip: skipWithoutVendor() }, () => {
    const { layout } = get().result;
    if (release === 'v1.8.1') assert.deepEqual(layout, { line: '1.8', istioDir: 'common/istio-1-17', authProxy: 'oidc-authservice', dexPasswordSecret: false });
    else assert.deepEqual(layout, { line: '1.9+', istioDir: 'common/istio', authProxy: 'oauth2-proxy', dexPasswordSecret: true });
  });

  test(`${release}: ingress gateway Service becomes a LoadBalancer, nothing else in it changes`, { skip: skipWithoutVendor() }, () => {
    const { before, after } = pair('/Service/istio-system/istio-ingressgateway');
    assert.equal((before.spec as { type: string }).type, 'ClusterIP');
    const expected = clone(before);
    (expected.spec as { type: string }).type = 'LoadBalancer';
    assert.deepEqual(after, expected);
  });

  test(`${release}: admissions.enforcer/disabled "true" on the istio-sidecar-injector webhook (a string, not a YAML bool)`, { skip: skipWithoutVendor() }, () => {
    const { before, after } = pair('admissionregistration.k8s.io/MutatingWebhookConfiguration//istio-sidecar-injector');
    const expected = clone(before);
    expected.metadata.annotations = { ...(before.metadata.annotations ?? {}), 'admissions.enforcer/disabled': 'true' };
    assert.deepEqual(after, expected);
    assert.match(get().overlay.get('admissionregistration.k8s.io/MutatingWebhookConfiguration//istio-sidecar-injector')!.raw, /admissions\.enforcer\/disabled: "true"/);
  });

  test(`${release}: kubeflow-gateway redirects HTTP to HTTPS and serves 443 SIMPLE TLS from the certificate's secret (Istio Gateway API)`, { skip: skipWithoutVendor() }, () => {
    const { before, after } = pair('networking.istio.io/Gateway/kubeflow/kubeflow-gateway');
    const expected = clone(before);
    (expected.spec as { servers: unknown[] }).servers = [
      { hosts: ['*'], port: { name: 'http', number: 80, protocol: 'HTTP' }, tls: { httpsRedirect: true } },
      { hosts: ['*'], port: { name: 'https', number: 443, protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', credentialName: 'istio-ingressgateway-certs' } },
    ];
    assert.deepEqual(after, expected);
  });

  test(`${release}: cert-manager Certificate istio-ingressgateway-certs for the DNS name, from the ClusterIssuer (Certificate spec)`, { skip: skipWithoutVendor() }, () => {
    const { base, overlay } = get();
    const key = 'cert-manager.io/Certificate/istio-system/istio-ingressgateway-certs';
    assert.ok(!base.has(key));
    assert.deepEqual(overlay.get(key)!.obj, {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'istio-ingressgateway-certs', namespace: 'istio-system' },
      spec: {
        commonName: 'kubeflow.corp.example.org',
        dnsNames: ['kubeflow.corp.example.org'],
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'kubeflow-self-signing-issuer' },
        privateKey: { algorithm: 'ECDSA', rotationPolicy: 'Always', size: 256 },
        secretName: 'istio-ingressgateway-certs',
      },
    });
    // (v1.8.1's kubeflow-issuer kustomization stamps `namespace: cert-manager` even on this cluster-scoped kind.)
    assert.ok([...base.values()].some(({ obj }) => obj.kind === 'ClusterIssuer' && obj.metadata.name === 'kubeflow-self-signing-issuer'), 'the issuer the certificate names is in the base');
    assert.deepEqual(get().result.warnings, []);
  });

  test(`${release}: Dex has one static user, dexUser, its hash from Secret dex-passwords via hashFromEnv (Dex staticPasswords)`, { skip: skipWithoutVendor() }, () => {
    const { before, after } = pair('/ConfigMap/auth/dex');
    const cfgBefore = parse((before.data as Record<string, string>)['config.yaml']) as Record<string, unknown>;
    const cfgAfter = parse((after.data as Record<string, string>)['config.yaml']) as Record<string, unknown>;
    const staticPasswords = cfgAfter.staticPasswords as Array<Record<string, string>>;
    assert.equal(staticPasswords.length, 1);
    assert.equal(staticPasswords[0].email, USER);
    assert.equal(staticPasswords[0].hashFromEnv, 'DEX_USER_PASSWORD');
    assert.equal(staticPasswords[0].hash, undefined, 'hash would take precedence over hashFromEnv');
    assert.equal(staticPasswords[0].username, 'alice.ops+kf');
    assert.match(staticPasswords[0].userID, /^[0-9a-f]{32}$/);
    // Everything else in Dex's config (issuer, storage, clients and their redirect URIs) is unchanged.
    assert.deepEqual({ ...cfgAfter, staticPasswords: null }, { ...cfgBefore, staticPasswords: null });
    assert.deepEqual({ ...after, data: null }, { ...before, data: null });

    // kustomize folds long base64 over lines; Go's base64 decoder (the API server's) ignores the newlines.
    const secret = clone(get().overlay.get('/Secret/auth/dex-passwords')!.obj);
    const data = secret.data as Record<string, string>;
    data.DEX_USER_PASSWORD = data.DEX_USER_PASSWORD.replace(/\n/g, '');
    assert.deepEqual(secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'dex-passwords', namespace: 'auth' }, type: 'Opaque', data: { DEX_USER_PASSWORD: Buffer.from(HASH).toString('base64') } });

    const dep = pair('apps/Deployment/auth/dex');
    const expected = clone(dep.before);
    const template = (expected.spec as { template: { metadata: { annotations?: Record<string, string> }; spec: { containers: Array<{ envFrom: unknown[] }> } } }).template;
    // v1.8.1: Dex now reads Secret dex-passwords (v1.11.0's deployment.yaml already does).
    if (release === 'v1.8.1') template.spec.containers[0].envFrom.push({ secretRef: { name: 'dex-passwords' } });
    // Both: a digest of config + hash on the pod template, so applying a new password restarts Dex.
    const digest = (dep.after.spec as typeof expected.spec & { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations['sealed-pipelines/dex-config-sha256'];
    assert.match(digest, /^[0-9a-f]{64}$/);
    template.metadata.annotations = { ...(template.metadata.annotations ?? {}), 'sealed-pipelines/dex-config-sha256': digest };
    assert.deepEqual(dep.after, expected);
  });

  test(`${release}: the default Profile keeps its namespace and now belongs to dexUser`, { skip: skipWithoutVendor() }, () => {
    const { before, after } = pair('kubeflow.org/Profile//kubeflow-user-example-com');
    const expected = clone(before);
    (expected.spec as { owner: { name: string } }).owner.name = USER;
    assert.deepEqual(after, expected);
    const cm = pair('/ConfigMap//default-install-config');
    assert.deepEqual(cm.after.data, { ...(cm.before.data as object), user: USER });
    assert.equal(get().result.profileMoved, true);
  });

  test(`${release}: nothing else changed - every other object is byte-equal, none removed`, { skip: skipWithoutVendor() }, () => {
    const { base, overlay } = get();
    const changed = new Set([
      '/Service/istio-system/istio-ingressgateway',
      'admissionregistration.k8s.io/MutatingWebhookConfiguration//istio-sidecar-injector',
      'networking.istio.io/Gateway/kubeflow/kubeflow-gateway',
      '/ConfigMap/auth/dex',
      '/Secret/auth/dex-passwords',
      'kubeflow.org/Profile//kubeflow-user-example-com',
      '/ConfigMap//default-install-config',
      'apps/Deployment/auth/dex',
      // The published login secrets, replaced (and FORCE_HTTPS=true, which renames oauth2-proxy's
      // hashed generators, so its Deployment's references change too).
      '/Secret/auth/dex-oidc-client',
      ...(release === 'v1.8.1'
        ? ['/Secret/istio-system/oidc-authservice-client']
        : ['/Secret/oauth2-proxy/oauth2-proxy', '/ConfigMap/oauth2-proxy/oauth2-proxy-parameters', 'apps/Deployment/oauth2-proxy/oauth2-proxy']),
    ]);
    const added = ['cert-manager.io/Certificate/istio-system/istio-ingressgateway-certs', ...(release === 'v1.8.1' ? ['/Secret/auth/dex-passwords'] : [])];
    assert.deepEqual([...overlay.keys()].filter((k) => !base.has(k)).sort(), added.sort());
    assert.deepEqual([...base.keys()].filter((k) => !overlay.has(k)), [], 'no object removed');
    let same = 0;
    for (const [key, { raw }] of base) {
      if (changed.has(key)) continue;
      assert.equal(overlay.get(key)!.raw, raw, `${key} is byte-equal`);
      same++;
    }
    assert.ok(same > 100, `compared ${same} unchanged objects`);
    // Same order too (kubectl apply creates in render order): the overlay keeps the base's sortOptions.
    assert.deepEqual([...overlay.keys()].filter((k) => base.has(k)), [...base.keys()]);
    // The summary renderOverlay returns agrees with what the render shows.
    const { result } = get();
    assert.deepEqual(new Set([...result.changed, ...result.added]), new Set([...changed, ...added]));
  });

  test(`${release}: no user@example.com and no default hash anywhere in the render (also not base64)`, { skip: skipWithoutVendor() }, () => {
    const { overlayText } = get();
    assert.ok(!overlayText.includes('user@example.com'));
    assert.ok(!overlayText.includes(DEFAULT_HASH));
    for (const doc of parseAllDocuments(overlayText)) {
      const data = (doc.toJS() as { data?: Record<string, string> } | null)?.data ?? {};
      for (const v of Object.values(data)) assert.ok(!Buffer.from(v, 'base64').toString('latin1').includes(DEFAULT_HASH));
    }
  });

  test(`${release}: overlay files - base by relative path, the hash only in a 0600 file inside a 0700 folder`, { skip: skipWithoutVendor() }, () => {
    const { out, files } = get().result;
    const k = parse(readFileSync(join(out, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    assert.ok(k.resources[0].startsWith('../'), k.resources[0]);
    assert.equal(statSync(out).mode & 0o777, 0o700);
    assert.equal(statSync(join(out, 'dex-user-password.bcrypt')).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(out, 'dex-user-password.bcrypt'), 'utf8'), HASH);
    assert.deepEqual(files.filter((f) => f.mode === 0o600).map((f) => f.path).sort(), ['dex-user-password.bcrypt', 'oidc-client-secret', ...(release === 'v1.11.0' ? ['oauth2-proxy-cookie-secret'] : [])].sort());
    for (const f of files) {
      if (f.mode !== 0o600) assert.ok(!readFileSync(join(out, f.path), 'utf8').includes(HASH), `${f.path} does not hold the hash`);
    }
    assert.deepEqual(readdirSync(join(out, '..')).filter((n) => n.includes('.tmp-') || n.includes('.old-')), [], 'no temporary folder left');
  });
  test(`${release}: attack - the login secrets Kubeflow publishes (OIDC client secret, oauth2-proxy cookie secret) do not survive the render; the client secrets agree; the secret files are 0600`, { skip: skipWithoutVendor() }, () => {
    const { base, overlay, overlayText, result } = get();
    const decode = (o: Obj, k: string): string => Buffer.from((o.data as Record<string, string>)[k], 'base64').toString();
    // The published values, taken from the vendored base render (common/dex/base/secret_params.env,
    // v1.11.0 common/oauth2-proxy/base/kustomization.yaml, v1.8.1 oidc-authservice/base/secret_params.env).
    const published = new Set<string>();
    for (const { obj } of base.values()) {
      if (obj.kind !== 'Secret') continue;
      for (const k of ['OIDC_CLIENT_SECRET', 'client-secret', 'cookie-secret', 'CLIENT_SECRET']) if ((obj.data as Record<string, string> | undefined)?.[k]) published.add(decode(obj, k));
    }
    assert.equal(published.size, release === 'v1.8.1' ? 1 : 2, [...published].join(','));
    for (const v of published) {
      assert.ok(!overlayText.includes(v), 'published secret in plain text');
      assert.ok(!overlayText.includes(Buffer.from(v).toString('base64')), 'published secret in base64');
    }
    const dexSecret = decode(overlay.get('/Secret/auth/dex-oidc-client')!.obj, 'OIDC_CLIENT_SECRET');
    assert.match(dexSecret, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
    assert.equal(readFileSync(join(result.out, 'oidc-client-secret'), 'utf8'), dexSecret);
    assert.equal(statSync(join(result.out, 'oidc-client-secret')).mode & 0o777, 0o600);
    if (release === 'v1.8.1') {
      assert.equal(decode(overlay.get('/Secret/istio-system/oidc-authservice-client')!.obj, 'CLIENT_SECRET'), dexSecret, 'authservice and Dex share the client secret');
    } else {
      const proxy = overlay.get('/Secret/oauth2-proxy/oauth2-proxy')!.obj;
      assert.equal(decode(proxy, 'client-secret'), dexSecret, 'oauth2-proxy and Dex share the client secret');
      assert.equal(decode(proxy, 'client-id'), 'kubeflow-oidc-authservice', 'the client id is kept');
      // oauth2-proxy accepts a cookie secret of 16, 24 or 32 bytes (oauth2-proxy docs, "Generating a Cookie Secret").
      const cookie = decode(proxy, 'cookie-secret');
      assert.ok([16, 24, 32].includes(Buffer.byteLength(cookie)), `cookie secret of ${cookie.length} bytes`);
      assert.equal(readFileSync(join(result.out, 'oauth2-proxy-cookie-secret'), 'utf8'), cookie);
      assert.equal(statSync(join(result.out, 'oauth2-proxy-cookie-secret')).mode & 0o777, 0o600);
      // FORCE_HTTPS=true -> --cookie-secure (oauth2-proxy README "Using HTTPS"); the other parameters kept.
      const params = overlay.get('/ConfigMap/oauth2-proxy/oauth2-proxy-parameters')!.obj.data as Record<string, string>;
      assert.deepEqual(params, { ...(base.get('/ConfigMap/oauth2-proxy/oauth2-proxy-parameters')!.obj.data as object), FORCE_HTTPS: 'true' });
    }
  });
}

test('v1.11.0: rendering again over the overlay replaces it (IP instead of DNS name), same layout, no leftovers', { skip: skipWithoutVendor() }, async () => {
  const { result } = rendered.get('v1.11.0')!;
  const base = join(result.out, '..', 'base');
  const digestOf = (m: Map<string, { obj: Obj }>): string =>
    (m.get('apps/Deployment/auth/dex')!.obj.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations['sealed-pipelines/dex-config-sha256'];
  const first = digestOf(rendered.get('v1.11.0')!.overlay);
  const secretsOf = (m: Map<string, { obj: Obj }>): object => ({ ...(m.get('/Secret/oauth2-proxy/oauth2-proxy')!.obj.data as object), dex: (m.get('/Secret/auth/dex-oidc-client')!.obj.data as object) });
  const again = await renderOverlay({ manifests: checkoutOf('v1.11.0'), base, out: result.out, dexUser: USER, passwordHash: HASH2, ip: '20.61.7.9', issuer: 'letsencrypt-prod' });
  const second = byKey(await kubectlKustomize(again.out));
  assert.notEqual(digestOf(second), first, 'a new password changes the pod template, so apply restarts Dex');
  // The login secrets of the first render are reused: deploying again does not log everyone out.
  assert.deepEqual(secretsOf(second), secretsOf(rendered.get('v1.11.0')!.overlay));
  assert.equal(readFileSync(join(again.out, 'dex-user-password.bcrypt'), 'utf8'), HASH2);
  const cert = second.get('cert-manager.io/Certificate/istio-system/istio-ingressgateway-certs')!.obj;
  assert.deepEqual((cert.spec as { ipAddresses: string[] }).ipAddresses, ['20.61.7.9']);
  assert.equal((cert.spec as { dnsNames?: string[] }).dnsNames, undefined);
  assert.deepEqual((cert.spec as { issuerRef: object }).issuerRef, { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt-prod' });
  // A user-named issuer the base does not define is allowed (it may live in the cluster) but reported.
  assert.match(again.warnings.join('\n'), /ClusterIssuer 'letsencrypt-prod' is not in the base/);
  assert.deepEqual(readdirSync(join(result.out, '..')).filter((n) => n.startsWith('.')), []);
});

test('a base that keeps the default login somewhere the tutorial never edits is refused after the trial render; OUT is not written', { skip: skipWithoutVendor() }, async () => {
  const root = tempDir('kf-left-');
  const base = join(root, 'base');
  mkdirSync(base);
  const docs = [
    'apiVersion: v1\nkind: Service\nmetadata: {name: istio-ingressgateway, namespace: istio-system}\nspec: {type: ClusterIP}',
    'apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata: {name: istio-sidecar-injector}',
    'apiVersion: networking.istio.io/v1alpha3\nkind: Gateway\nmetadata: {name: kubeflow-gateway, namespace: kubeflow}\nspec: {servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]}',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dex, namespace: auth}\ndata:\n  config.yaml: |\n    staticPasswords:\n    - email: user@example.com\n      hash: x\n',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: dex, namespace: auth}\nspec: {template: {spec: {containers: [{name: dex, image: "ghcr.io/dexidp/dex:v2.44.0"}]}}}',
    // e.g. a hand-made ConfigMap of another app naming the default user:
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: team-admins, namespace: kubeflow}\ndata: {admins: "user@example.com"}',
  ];
  writeFileSync(join(base, 'all.yaml'), docs.join('\n---\n'));
  writeFileSync(join(base, 'kustomization.yaml'), 'resources:\n- all.yaml\n');
  const out = join(root, 'overlay');
  await assert.rejects(
    renderOverlay({ manifests: fakeCheckout(LAYOUT_19), base, out, dexUser: USER, passwordHash: HASH, ip: '20.1.2.3' }),
    /still holds the default Kubeflow login \(user@example\.com in \/ConfigMap\/kubeflow\/team-admins\); nothing was written/,
  );
  assert.equal(existsSync(out), false);
  assert.deepEqual(readdirSync(root).sort(), ['base']);
});
