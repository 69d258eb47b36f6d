// Attacks on `renderOverlay`'s inputs: every one is refused with a one-line error naming what and where,
// before kustomize runs (the stub below fails the test if it is called) and before anything is written.
// Layout facts follow the vendored trees ../shared/vendor/kubeflow-manifests/{v1.8.1,v1.11.0}/common.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { renderOverlay, detectLayout, validateEmail, validateIp, validateDomain, validateBcryptHash, type RenderOptions, type Kustomize } from '../../src/deploy/kubeflow/index.ts';
import { parse } from 'yaml';
import { UsageError } from '../../src/core/errors.ts';
import { planOverlay } from '../../src/deploy/kubeflow/overlayFiles.ts';
import { checkoutOf, fakeCheckout, tempDir, HASH, LAYOUT_18, LAYOUT_19 } from './helpers/kubeflowBases.ts';
import { skipWithoutVendor } from './helpers/kubeflowBases.ts';

let calls = 0;
const neverKustomize: Kustomize = async () => {
  calls++;
  throw new Error('kustomize must not run for refused input');
};

function opts(over: Partial<RenderOptions> = {}): RenderOptions {
  const manifests = over.manifests ?? fakeCheckout(LAYOUT_19);
  return { manifests, out: join(tempDir('kf-out-'), 'overlay'), dexUser: 'alice@example.org', passwordHash: HASH, ip: '20.1.2.3', kustomize: neverKustomize, ...over };
}

function listing(path: string): string[] | string {
  try {
    return readdirSync(path).sort();
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'error';
  }
}

async function refused(o: RenderOptions, code: string, pattern: RegExp): Promise<void> {
  const before = calls;
  const outBefore = listing(o.out);
  await assert.rejects(renderOverlay(o), (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.equal(e.code, code);
    assert.equal(e.exitCode, 2);
    assert.match(e.message, pattern);
    assert.ok(![...e.message].some((ch) => '\n\r\u001b\u202e'.includes(ch)), `one line, no control or bidi characters: ${JSON.stringify(e.message)}`);
    assert.ok(!e.message.includes(HASH), 'the hash is never quoted');
    return true;
  });
  assert.equal(calls, before, 'kustomize did not run');
  assert.deepEqual(listing(o.out), outBefore, 'nothing written to OUT');
}

test('YAML injection through the e-mail: newline, quotes, colon, $VAR, bidi - refused', async () => {
  for (const email of ['evil@example.org\n  hash: $2y$04$x', 'a@b.org\r\nstaticPasswords: []', '"x"@example.org', 'a: b@example.org', 'a$HOME@example.org', 'a b@example.org', 'alice@example.org\u202e', 'a@b@example.org', '@example.org', 'alice@', 'alice@localhost', `${'a'.repeat(65)}@example.org`]) {
    await refused(opts({ dexUser: email }), 'deploy.overlay.badInput', /^--dex-user( domain)? '.*' is refused: /);
  }
});

test('the default account user@example.com cannot be the Dex user', async () => {
  await refused(opts({ dexUser: 'USER@example.com' }), 'deploy.overlay.badInput', /default Kubeflow account/);
});

test('plausible e-mails are accepted as given', () => {
  for (const e of ['alice@example.org', 'a.b+kf@sub.corp-1.example.co.uk', 'x_y@xn--bcher-kva.example']) assert.equal(validateEmail(e), e);
});

test('YAML injection through the domain, wildcard, trailing dot, IP as domain - refused', async () => {
  for (const domain of ['kf.example.org\n- 10.0.0.1', 'kf.example.org" ', '*.example.org', 'example.org.', 'a..example.org', '-a.example.org', 'localhost', '10.0.0.1', 'kf.exa mple.org', `${'a'.repeat(64)}.org`, `${'a.'.repeat(127)}org`]) {
    await refused(opts({ ip: undefined, domain }), 'deploy.overlay.badInput', /^--domain '.*' is refused: /);
  }
  assert.equal(validateDomain('KubeFlow.Example.ORG'), 'kubeflow.example.org');
});

test('IP that is not an IP, or one no load balancer has (loopback, unspecified, Azure IMDS link-local, multicast, mapped loopback) - refused', async () => {
  for (const ip of ['not-an-ip', '20.1.2', '20.1.2.3.4', '020.1.2.3', '20.1.2.3\n', '127.0.0.1', '0.0.0.0', '169.254.169.254', '224.0.0.1', '255.255.255.255', '::', '::1', '::ffff:127.0.0.1', 'fe80::1', 'fe80::1%eth0', 'ff02::1']) {
    await refused(opts({ ip }), 'deploy.overlay.badInput', /^--ip '.*' is refused: /);
  }
});

test('private and public addresses are accepted (an internal Azure load balancer has a private one); IPv6 canonicalised', () => {
  for (const ip of ['10.0.0.4', '172.16.5.4', '192.168.1.10', '20.61.7.9']) assert.equal(validateIp(ip), ip);
  assert.equal(validateIp('2001:DB8:0:0::1'), '2001:db8::1');
  assert.equal(validateIp('fd00::10'), 'fd00::10');
});

test('exactly one of --ip / --domain', async () => {
  await refused(opts({ ip: undefined }), 'deploy.overlay.ipOrDomain', /got neither/);
  await refused(opts({ domain: 'kf.example.org' }), 'deploy.overlay.ipOrDomain', /got both/);
});

test('issuer names with shell metacharacters, upper case or newlines - refused', async () => {
  for (const issuer of ['issuer;rm -rf /', 'Issuer', 'a\nb', '$(id)', '', 'x'.repeat(254)]) {
    await refused(opts({ issuer }), 'deploy.overlay.badInput', /^--issuer '.*' is refused: /);
  }
});

test('password hash: only what the password module accepts (bcrypt, cost 12..16, canonical); never quoted back', async () => {
  const DEFAULT = '$2y$12$4K/VkmDd1q1Orb3xAt82zu8gk7Ad6ReFR4LCP9UeYE90NLiN9Df72';
  for (const passwordHash of ['12341234', DEFAULT, HASH.replace('$12$', '$10$'), HASH.replace('$12$', '$17$'), HASH.slice(0, -1), `${HASH}\n`, HASH.replace('$2y$', '$2x$')]) {
    await refused(opts({ passwordHash }), 'deploy.password.badHash', /^the bcrypt hash in the Dex password hash \(passwordHash\) is refused: /);
  }
});

test('a $2b$ hash (bcryptjs, Python) is the same algorithm: accepted and written as $2y$', () => {
  assert.equal(validateBcryptHash(HASH.replace('$2y$', '$2b$')), HASH);
});

test('manifests folder that is not a kubeflow/manifests checkout: missing, a file, no common/, no dex', async () => {
  const dir = tempDir('kf-not-');
  writeFileSync(join(dir, 'file'), '');
  await refused(opts({ manifests: join(dir, 'absent') }), 'deploy.overlay.notACheckout', /the folder itself is missing/);
  await refused(opts({ manifests: join(dir, 'file') }), 'deploy.overlay.notACheckout', /a folder/);
  await refused(opts({ manifests: dir }), 'deploy.overlay.notACheckout', /common\/ is missing/);
  await refused(opts({ manifests: fakeCheckout(['common/istio/istio-install/base']) }), 'deploy.overlay.notACheckout', /common\/dex\/base\/kustomization\.yaml is missing/);
});

test('unknown layout: the error names what was missing', async () => {
  await refused(opts({ manifests: fakeCheckout(['common/dex/base']) }), 'deploy.overlay.unknownLayout', /no Istio install \(common\/istio-1-16\|istio-1-17 for 1\.8, common\/istio\/istio-install for 1\.9\+\)/);
  await refused(opts({ manifests: fakeCheckout(['common/dex/base', 'common/istio-1-17/istio-install/base']) }), 'deploy.overlay.unknownLayout', /common\/istio-1-17 found but common\/oidc-client\/oidc-authservice\/base is missing/);
  await refused(opts({ manifests: fakeCheckout(['common/dex/base', 'common/istio/istio-install/base']) }), 'deploy.overlay.unknownLayout', /common\/istio found but common\/oauth2-proxy\/base is missing/);
});

test('layout of the vendored releases and of skeletons of the 1.9/1.10 folder names', { skip: skipWithoutVendor() }, () => {
  assert.equal(detectLayout(checkoutOf('v1.8.1')).line, '1.8');
  assert.equal(detectLayout(checkoutOf('v1.11.0')).line, '1.9+');
  assert.deepEqual(detectLayout(fakeCheckout(LAYOUT_18)), { line: '1.8', istioDir: 'common/istio-1-17', authProxy: 'oidc-authservice', dexPasswordSecret: false });
  // v1.9: common/istio-1-22 + common/oidc-client/oauth2-proxy; v1.10: common/istio-1-24 + common/oauth2-proxy.
  assert.equal(detectLayout(fakeCheckout(['common/dex/base', 'common/istio-1-22/istio-install/base', 'common/oidc-client/oauth2-proxy/base'])).istioDir, 'common/istio-1-22');
  assert.equal(detectLayout(fakeCheckout(['common/dex/base', 'common/istio-1-24/istio-install/base', 'common/oauth2-proxy/base'])).istioDir, 'common/istio-1-24');
});

test('--out inside the checkout, directly or by ../ traversal, is refused', async () => {
  const manifests = fakeCheckout(LAYOUT_19);
  await refused(opts({ manifests, out: join(manifests, 'overlay') }), 'deploy.overlay.badOut', /is inside the kubeflow\/manifests checkout/);
  const sibling = tempDir('kf-sib-');
  await refused(opts({ manifests, out: `${sibling}/../${basename(manifests)}/example/../common/x` }), 'deploy.overlay.badOut', /is inside the kubeflow\/manifests checkout/);
  await refused(opts({ manifests, out: join(manifests, '..') }), 'deploy.overlay.badOut', /contains the kubeflow\/manifests checkout|exists and is not an overlay/);
});

test('--out through a symbolic link: a linked OUT, or a linked parent pointing into the checkout, is refused', async () => {
  const manifests = fakeCheckout(LAYOUT_19);
  const dir = tempDir('kf-link-');
  symlinkSync(join(manifests, 'common'), join(dir, 'into-checkout'));
  await refused(opts({ manifests, out: join(dir, 'into-checkout', 'overlay') }), 'deploy.overlay.badOut', /is inside the kubeflow\/manifests checkout/);
  const elsewhere = tempDir('kf-elsewhere-');
  symlinkSync(elsewhere, join(dir, 'linked-out'));
  await refused(opts({ manifests, out: join(dir, 'linked-out') }), 'deploy.overlay.badOut', /is a symbolic link/);
});

test('--out that is a file, or an existing folder that is not our overlay, is refused and left alone', async () => {
  const manifests = fakeCheckout(LAYOUT_19);
  const dir = tempDir('kf-keep-');
  writeFileSync(join(dir, 'a-file'), 'x');
  await refused(opts({ manifests, out: join(dir, 'a-file') }), 'deploy.overlay.badOut', /exists and is not a folder/);
  mkdirSync(join(dir, 'home'));
  writeFileSync(join(dir, 'home', '.bashrc'), 'keep me');
  await refused(opts({ manifests, out: join(dir, 'home') }), 'deploy.overlay.badOut', /is not an overlay written by sealed deploy render/);
  assert.deepEqual(readdirSync(join(dir, 'home')), ['.bashrc']);
});

test('a base without kustomization.yaml is refused before kustomize runs', async () => {
  const manifests = fakeCheckout(['common/dex/base', 'common/istio/istio-install/base', 'common/oauth2-proxy/base']);
  await refused(opts({ manifests }), 'deploy.overlay.badBase', /does not exist/);
  mkdirSync(join(manifests, 'example'));
  await refused(opts({ manifests }), 'deploy.overlay.badBase', /has no kustomization\.yaml/);
});

test('kubectl missing: one clear error, not a skipped step', async () => {
  const { kubectlKustomize } = await import('../../src/deploy/kubeflow/kustomize.ts');
  const path = process.env.PATH;
  process.env.PATH = tempDir('kf-nopath-');
  try {
    await assert.rejects(kubectlKustomize('.'), (e: unknown) => e instanceof UsageError && e.code === 'deploy.overlay.noKubectl');
  } finally {
    process.env.PATH = path;
  }
});

test('second wall: even an unvalidated hostile e-mail stays one YAML string in the Dex config (written through the yaml library)', () => {
  const hostile = 'evil@example.org\n  hash: $2y$04$planted\n- email: second@example.org';
  const objects = [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' }, spec: { type: 'ClusterIP' } },
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'istio-sidecar-injector' } },
    { apiVersion: 'networking.istio.io/v1alpha3', kind: 'Gateway', metadata: { name: 'kubeflow-gateway', namespace: 'kubeflow' }, spec: { servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dex', namespace: 'auth' }, data: { 'config.yaml': 'enablePasswordDB: true\nstaticPasswords:\n- email: user@example.com\n  hash: x\n' } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'dex', namespace: 'auth' }, spec: { template: { spec: { containers: [{ name: 'dex', image: 'ghcr.io/dexidp/dex:v2.36.0' }] } } } },
  ];
  const plan = planOverlay({ layout: { line: '1.8', istioDir: 'common/istio-1-17', authProxy: 'oidc-authservice', dexPasswordSecret: false }, objects, baseRef: '../base', basePath: 'base', dexUser: hostile, passwordHash: HASH, ip: '20.1.2.3', issuer: 'kubeflow-self-signing-issuer' });
  const patch = parse(plan.files.find((f) => f.path === 'patches/dex-config.yaml')!.content) as { data: Record<string, string> };
  const config = parse(patch.data['config.yaml']) as { staticPasswords: Array<Record<string, string>> };
  assert.equal(config.staticPasswords.length, 1);
  assert.equal(config.staticPasswords[0].email, hostile);
  assert.equal(config.staticPasswords[0].hash, undefined);
  // 1.8 line: the Deployment gains envFrom (it had none); an old Dex without hashFromEnv is refused.
  assert.deepEqual(parse(plan.files.find((f) => f.path === 'patches/dex-deployment.yaml')!.content), [{ op: 'add', path: '/spec/template/spec/containers/0/envFrom', value: [{ secretRef: { name: 'dex-passwords' } }] }]);
  (objects[4].spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0].image = 'ghcr.io/dexidp/dex:v2.21.0';
  assert.throws(() => planOverlay({ layout: { line: '1.8', istioDir: 'common/istio-1-17', authProxy: 'oidc-authservice', dexPasswordSecret: false }, objects, baseRef: '../base', basePath: 'base', dexUser: 'a@example.org', passwordHash: HASH, ip: '20.1.2.3', issuer: 'x' }), /predates hashFromEnv/);
});

test('a base without the objects the tutorial edits is refused by name (e.g. no Istio install)', () => {
  assert.throws(() => planOverlay({ layout: { line: '1.9+', istioDir: 'common/istio', authProxy: 'oauth2-proxy', dexPasswordSecret: true }, objects: [], baseRef: '../base', basePath: 'my-base', dexUser: 'a@example.org', passwordHash: HASH, ip: '20.1.2.3', issuer: 'x' }), /the render of my-base has no Service istio-system\/istio-ingressgateway; the Istio install is not part of this base/);
});

test('--out under a dangling link is refused, not followed', async () => {
  const manifests = fakeCheckout(LAYOUT_19);
  const dir = tempDir('kf-dangle-');
  symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
  await refused(opts({ manifests, out: join(dir, 'dangling', 'overlay') }), 'deploy.overlay.badOut', /cannot be resolved \(ENOENT/);
});

test('paths with a newline or ESC cannot forge lines in the error (terminal injection through folder names)', async () => {
  const dir = tempDir('kf-nl-');
  const manifests = join(dir, 'evil\n\u001b[2Kerror: all good');
  for (const d of LAYOUT_19) {
    mkdirSync(join(manifests, d), { recursive: true });
    writeFileSync(join(manifests, d, 'kustomization.yaml'), 'resources: []\n');
  }
  await refused(opts({ manifests, out: join(manifests, 'overlay\nx') }), 'deploy.overlay.badOut', /is inside the kubeflow\/manifests checkout/);
  await assert.rejects(renderOverlay(opts({ manifests: join(dir, 'absent\u001b[31m') })), (e: Error) => !e.message.includes('\n') && !e.message.includes('\u001b'));
});
