// `sealed deploy ...` through the command line (main): registration and help, one-line errors
// with exit 2 before anything runs, the `plan` output checked against a golden text, `render`
// against a checkout made of the vendored kubeflow/manifests v1.11.0 common/ (real kubectl
// kustomize), and that `sealed --version` loads none of the deploy code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runCli } from '../cli/helpers.ts';
import { repoRoot } from '../helpers/sharedData.ts';
import { sandbox, type Sandbox } from './helpers/fakeDeploy.ts';
import { checkoutOf, makeBase } from './helpers/kubeflowBases.ts';
import { skipWithoutVendor } from './helpers/kubeflowBases.ts';
import { loadDeployConfig } from '../../src/deploy/config/index.ts';

const upArgs = (sb: Sandbox, extra: string[] = []) => ['--config', sb.config, '--manifests', sb.manifests, '--dex-user', 'ada@example.org', '--dex-password-file', sb.passwordFile, '--state-dir', sb.stateDir, ...extra];

test('sealed deploy --help lists hash-password, render, plan, up and down', async () => {
  const r = await runCli(['deploy', '--help']);
  assert.equal(r.code, 0);
  for (const c of ['hash-password', 'render', 'plan', 'up', 'down']) assert.match(r.stdout, new RegExp(`^ {2}${c}\\b`, 'm'), c);
});

test('a missing required option is a usage error (exit 2) naming it', async () => {
  const r = await runCli(['deploy', 'up', '--manifests', 'm']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, "sealed: required option '--config <file>' not specified\n");
});

test('deploy up with a bad configuration: one line, exit 2, no tool was called', async () => {
  const sb = sandbox({ config: 'location: westeurope\nresourceGroup: sealed-rg\nclusterName: sealedaks\nacr:\n  name: sealed-acr!\n' });
  const r = await runCli(['deploy', 'up', ...upArgs(sb, ['--yes'])], { env: sb.env, cwd: sb.root });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^sealed: deploy configuration .*sealed-deploy\.yaml: acr\.name: /);
  assert.equal(r.stderr.split('\n').length, 2, 'one line');
  assert.deepEqual(sb.calls(), []);
});

test('deploy up with kubectl missing: one line naming it, exit 2, nothing created', async () => {
  const sb = sandbox({ without: ['kubectl'] });
  const r = await runCli(['deploy', 'up', ...upArgs(sb, ['--yes'])], { env: sb.env, cwd: sb.root });
  assert.equal(r.code, 2);
  // Progress lines come first; the error is the last line.
  assert.equal(r.stderr.trimEnd().split('\n').at(-1), 'sealed: kubectl is not installed or not on PATH; install it (https://kubernetes.io/docs/tasks/tools/), nothing was run');
  assert.deepEqual(sb.calls().map((c) => c.tool), ['git', 'git', 'az', 'pulumi']);
});

test('deploy plan prints every step with its exact commands and configuration, runs only git, and writes nothing', async () => {
  const sb = sandbox();
  const r = await runCli(['deploy', 'plan', ...upArgs(sb)], { env: sb.env, cwd: sb.root });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([...new Set(sb.calls().map((c) => c.tool))], ['git']);
  assert.ok(!existsSync(sb.stateDir), 'plan created the state folder');
  // The warning texts are the configuration module's (tested there); here: that each is printed, in place.
  const warnings = (await loadDeployConfig(sb.config)).warnings.map((w) => `  warning: ${w.field}: ${w.message}\n`).join('');
  assert.ok(warnings.length > 0, 'the default SGX size carries the DCsv3 warning');
  const text = r.stdout.split(sb.root).join('<root>').split(repoRoot).join('<repo>');
  assert.equal(text, GOLDEN_PLAN.replace('  warning: <the warnings of src/deploy/config, checked separately>\n', warnings));
  // The hash is not in the plan (the password shows as <redacted>).
  assert.ok(!r.stdout.includes('$2y$'));
});

test('deploy up with a folder that is not a kubeflow/manifests checkout stops at the overlay step, before the Azure login', async () => {
  const sb = sandbox();
  const r = await runCli(['deploy', 'up', ...upArgs(sb, ['--yes'])], { env: sb.env, cwd: sb.root });
  assert.equal(r.code, 2);
  assert.match(r.stderr.trimEnd().split('\n').at(-1) ?? '', /^sealed: .*is not a kubeflow\/manifests checkout: .* is missing$/);
  assert.deepEqual(sb.calls().map((c) => c.tool), ['git', 'git', 'az', 'pulumi', 'kubectl']);
});

test('deploy render writes an overlay that kubectl kustomize renders, with the secret file 0600 and the hash on no output', { skip: skipWithoutVendor() }, async () => {
  const sb = sandbox();
  const manifests = checkoutOf('v1.11.0');
  const { base } = makeBase('v1.11.0');
  const out = join(sb.root, 'overlay');
  const r = await runCli(['deploy', 'render', '--manifests', manifests, '--base', base, '--out', out, '--dex-user', 'ada@example.org', '--dex-password-file', sb.passwordFile, '--ip', '20.61.10.5'], { env: process.env, cwd: sb.root });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^wrote the Kubeflow 1\.9\+ overlay to .*\/overlay \(\d+ objects patched, \d+ added\)$/m);
  const hash = readFileSync(sb.passwordFile, 'utf8').trim();
  assert.ok(!r.stdout.includes(hash) && !r.stderr.includes(hash));
  const rendered = spawnSync('kubectl', ['kustomize', out], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(rendered.status, 0, rendered.stderr);
  assert.match(rendered.stdout, /kind: Certificate[\s\S]*20\.61\.10\.5/);
  assert.ok(!rendered.stdout.includes('user@example.com'));
  // The hash file the overlay's secretGenerator reads (src/deploy/kubeflow/overlayFiles.ts DEX_HASH_FILE).
  assert.equal(statSync(join(out, 'dex-user-password.bcrypt')).mode & 0o777, 0o600);
});

test('deploy render refuses --out inside the checkout (path traversal into the manifests) with exit 2', { skip: skipWithoutVendor() }, async () => {
  const sb = sandbox();
  const { root, base } = makeBase('v1.11.0');
  const manifests = checkoutOf('v1.11.0');
  // ../ walks from a folder of our own back into the checkout.
  const r = await runCli(['deploy', 'render', '--manifests', manifests, '--base', base, '--out', `${root}/${relative(root, manifests)}/common/../overlay`, '--dex-user', 'ada@example.org', '--dex-password-file', sb.passwordFile, '--domain', 'kubeflow.example.org'], { env: process.env, cwd: sb.root });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^sealed: --out .* refused\n$/);
});

test('deploy render refuses a YAML-injecting e-mail before writing anything', async () => {
  const sb = sandbox();
  const { base } = makeBase('v1.11.0');
  const out = join(sb.root, 'o2');
  const r = await runCli(['deploy', 'render', '--manifests', checkoutOf('v1.11.0'), '--base', base, '--out', out, '--dex-user', 'ada@example.org\n  hash: x', '--dex-password-file', sb.passwordFile, '--domain', 'kubeflow.example.org'], { env: process.env, cwd: sb.root });
  assert.equal(r.code, 2);
  assert.equal(r.stderr.split('\n').length, 2, 'one line (the newline is escaped)');
  assert.ok(!existsSync(out));
});

test('sealed --version loads none of the deploy code (registration is lazy)', () => {
  const trace = join(repoRoot, 'test/build/helpers/importTrace.mjs');
  const r = spawnSync(process.execPath, ['--import', trace, join(repoRoot, 'bin/sealed'), '--version'], { encoding: 'utf8', env: { ...process.env, SEALED_TRACE_ENTRY: '1' } });
  assert.equal(r.status, 0);
  const urls = r.stderr.split('\n').filter((l) => l.startsWith('IMPORT ')).map((l) => l.slice(7).replace(`file://${repoRoot}/`, ''));
  const metafile = join(repoRoot, 'dist/app/metafile.json');
  const inputs = existsSync(metafile) ? (JSON.parse(readFileSync(metafile, 'utf8')) as { outputs: Record<string, string[]> }).outputs : {};
  const modules = urls.flatMap((u) => (u.startsWith('dist/app/') ? (inputs[u.slice('dist/app/'.length)] ?? [u]) : [u]));
  assert.deepEqual(modules.filter((m) => m.startsWith('src/deploy/') || /deployConfirm/.test(m)), []);
  assert.ok(modules.some((m) => m.includes('cli/commands/deploy')), 'the registration module itself is loaded');
});

// Reviewed by hand against the step definitions (src/deploy/steps/upSteps.ts): change both together.
const GOLDEN_PLAN = `sealed deploy up, stack sealedaks: 11 steps (state folder <root>/state)

configuration (<root>/sealed-deploy.yaml):
  location: westeurope
  resourceGroup: sealed-rg
  clusterName: sealedaks
  systemPool.vmSize: Standard_D4_v5
  systemPool.count: 1
  confidentialPool.name: intelsgx
  confidentialPool.vmSize: Standard_DC4s_v3
  confidentialPool.count: 2
  confidentialPool.tee: sgx
  confidentialPool.labels.intelvm: sgx
  acr.name: sealedacr
  acr.sku: Standard
  warning: <the warnings of src/deploy/config, checked separately>
  cost per hour: sealed deploy cost --config <root>/sealed-deploy.yaml

1. Check az, pulumi and kubectl [tools: every run]
     $ az version --output json
     $ pulumi version
     $ kubectl version --client --output json

2. Render the Kubeflow overlay [overlay: runs]
     manifests: <root>/manifests
     out: <root>/state/overlay
     dex user: ada@example.org
     dex password: <redacted>
     issuer: kubeflow-self-signing-issuer
     certificate for: kubeflow.invalid until the load balancer IP is known
     (no command: done in this process)

3. Check the Azure and Pulumi logins [login: every run]
     $ az account show --output json
     $ pulumi whoami --non-interactive

4. Install the Pulumi program dependencies [program: runs]
     $ npm ci --prefix <repo>/deploy/azure --no-audit --no-fund

5. Create the resource group, AKS cluster, node pools and registry (pulumi up) [infrastructure: runs]
     configuration: the one above, as validated (copy read by the program: <root>/state/config.json)
     $ pulumi stack select --create --stack sealedaks --cwd <repo>/deploy/azure --non-interactive
     $ pulumi up --yes --skip-preview --config sealed:configFile=<root>/state/config.json --stack sealedaks --cwd <repo>/deploy/azure --non-interactive
     $ pulumi stack output --json --stack sealedaks --cwd <repo>/deploy/azure --non-interactive

6. Get the cluster credentials (kubeconfig, mode 600, in the state folder) [credentials: runs]
     $ az aks get-credentials --resource-group sealed-rg --name sealedaks --file <root>/state/kubeconfig --overwrite-existing --only-show-errors

7. Build and push the pipeline image sealedacr.azurecr.io/sealed-pipelines:0.1.0-0123456789ab (az acr build, no local Docker) [image: runs unless already in place]
     $ az acr repository show-tags --name sealedacr --repository sealed-pipelines --output json
     $ az acr build --registry sealedacr --image sealed-pipelines:0.1.0-0123456789ab --file <repo>/Dockerfile <repo>

8. Apply Kubeflow (kubectl kustomize | kubectl apply --server-side, retried while its CRDs register) [kubeflow: runs]
     attempts: 30
     delay between attempts: 20 s
     $ kubectl kustomize <root>/state/overlay | kubectl --kubeconfig <root>/state/kubeconfig apply --server-side --force-conflicts -f -

9. Wait for every pod to be ready [pods: runs]
     timeout: 1800 s
     $ kubectl --kubeconfig <root>/state/kubeconfig get pods --all-namespaces --output json
     $ kubectl --kubeconfig <root>/state/kubeconfig wait --for=condition=Available deployment --all --all-namespaces --timeout=1800s

10. Read the load balancer IP of istio-ingressgateway [address: runs]
     $ kubectl --kubeconfig <root>/state/kubeconfig get service istio-ingressgateway --namespace istio-system --output json

11. Issue the TLS certificate istio-system/istio-ingressgateway-certs [certificate: runs]
     ip address: <load balancer IP>
     $ kubectl --kubeconfig <root>/state/kubeconfig delete certificate istio-ingressgateway-certs --namespace istio-system --ignore-not-found
     $ kubectl --kubeconfig <root>/state/kubeconfig delete secret istio-ingressgateway-certs --namespace istio-system --ignore-not-found
     $ kubectl kustomize <root>/state/overlay | kubectl --kubeconfig <root>/state/kubeconfig apply --server-side --force-conflicts -f -
     $ kubectl --kubeconfig <root>/state/kubeconfig wait --for=condition=Ready certificate/istio-ingressgateway-certs --namespace istio-system --timeout=300s
     $ kubectl --kubeconfig <root>/state/kubeconfig get secret istio-ingressgateway-certs --namespace istio-system '--output=jsonpath={.data.ca\\.crt}'
`;

test('sealed deploy hash-password reads one line of stdin (no terminal) and prints only the $2y$ hash; --out writes it 0600', async () => {
  const sb = sandbox();
  const bin = join(repoRoot, 'bin/sealed');
  const password = 'correct horse battery staple 42';
  const r = spawnSync(process.execPath, [bin, 'deploy', 'hash-password'], { input: `${password}\n`, encoding: 'utf8', cwd: sb.root });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\$2y\$12\$[./A-Za-z0-9]{53}\n$/);
  assert.ok(!r.stdout.includes(password) && !r.stderr.includes(password));
  const out = join(sb.root, 'dex.hash');
  const w = spawnSync(process.execPath, [bin, 'deploy', 'hash-password', '--out', out], { input: `${password}\n`, encoding: 'utf8', cwd: sb.root });
  assert.equal(w.status, 0, w.stderr);
  assert.equal(w.stdout, '');
  assert.equal(statSync(out).mode & 0o777, 0o600);
  assert.match(readFileSync(out, 'utf8'), /^\$2y\$12\$/);
  const weak = spawnSync(process.execPath, [bin, 'deploy', 'hash-password'], { input: '12341234\n', encoding: 'utf8', cwd: sb.root });
  assert.equal(weak.status, 2);
  assert.equal(weak.stdout, '');
  assert.match(weak.stderr, /^sealed: the password from stdin is or contains the Kubeflow tutorial's default/);
});
