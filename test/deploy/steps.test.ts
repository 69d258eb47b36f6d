// `sealed deploy up|down` against fake az, pulumi, kubectl, git and npm executables
// (helpers/fakeDeployTool.mjs: each answers in its documented output format, cited there) on a
// PATH of their own, through the real process runner: order of the steps, idempotent re-runs,
// resume after a failure, the retry loop and waits, the state folder's modes, and where secrets go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployDownCommand, deployPlanCommand, deployUpCommand } from '../../src/deploy/steps/commands.ts';
import { loadDeployConfig } from '../../src/deploy/config/index.ts';
import { callLine, dexHash, sandbox, type Call, type Sandbox } from './helpers/fakeDeploy.ts';

const lines = (sb: Sandbox, calls: Call[] = sb.calls()): string[] => calls.map((c) => callLine(c, sb.root));
const mode = (p: string): number => statSync(p).mode & 0o777;

/** Each expected prefix appears, in this order (other lines may come between). */
function assertInOrder(actual: string[], expected: string[]): void {
  let at = 0;
  for (const e of expected) {
    const i = actual.findIndex((l, k) => k >= at && l.startsWith(e));
    assert.ok(i >= 0, `'${e}' not found after line ${at} in:\n${actual.join('\n')}`);
    at = i + 1;
  }
}

async function up(sb: Sandbox, extra: Parameters<Sandbox['options']>[0] = {}, deps: Parameters<Sandbox['deps']>[0] = {}) {
  const io = sb.io();
  try {
    const code = await deployUpCommand(sb.options(extra), io, sb.deps(deps));
    return { code, stdout: io.stdout.text, stderr: io.stderr.text, error: undefined as Error | undefined };
  } catch (e) {
    return { code: -1, stdout: io.stdout.text, stderr: io.stderr.text, error: e as Error };
  }
}

const MUTATING = /^(npm ci|pulumi (stack select|up|destroy)|az (aks get-credentials|acr build)|kubectl .*(apply|delete)|kubectl kustomize)/;

test('up runs every step in order: tools, overlay, login, program, pulumi up, credentials, image, Kubeflow with retries, pods, IP, certificate', async () => {
  const sb = sandbox();
  sb.scenario({ applyFailures: 2, notReadyPolls: 1 });
  const r = await up(sb);
  assert.equal(r.error, undefined, r.error?.message);
  const K = '--kubeconfig <root>/state/kubeconfig';
  const P = '--stack sealedaks --cwd <root>/repo/deploy/azure --non-interactive';
  const got = lines(sb);
  assertInOrder(got, [
    'git -C <root>/repo rev-parse --short=12 HEAD',
    'git -C <root>/repo status --porcelain -- package.json package-lock.json .npmrc bin src scripts/buildApp.mjs Dockerfile .dockerignore',
    'az version --output json',
    'pulumi version',
    'kubectl version --client --output json',
    'az account show --output json',
    'pulumi whoami --non-interactive',
    'npm ci --prefix <root>/repo/deploy/azure --no-audit --no-fund',
    `pulumi stack select --create ${P}`,
    `pulumi up --yes --skip-preview --config sealed:configFile=<root>/state/config.json ${P}`,
    `pulumi stack output --json ${P}`,
    'az aks get-credentials --resource-group sealed-rg --name sealedaks --file <root>/state/kubeconfig --overwrite-existing --only-show-errors',
    'az acr repository show-tags --name sealedacr --repository sealed-pipelines --output json',
    'az acr build --registry sealedacr --image sealed-pipelines:0.1.0-0123456789ab --file <root>/repo/Dockerfile <root>/repo',
    `kubectl ${K} apply --server-side --force-conflicts -f -`,
    `kubectl ${K} apply --server-side --force-conflicts -f -`,
    `kubectl ${K} apply --server-side --force-conflicts -f -`,
    `kubectl ${K} get pods --all-namespaces --output json`,
    `kubectl ${K} get pods --all-namespaces --output json`,
    `kubectl ${K} wait --for=condition=Available deployment --all --all-namespaces --timeout=60s`,
    `kubectl ${K} get service istio-ingressgateway --namespace istio-system --output json`,
    `kubectl ${K} delete certificate istio-ingressgateway-certs --namespace istio-system --ignore-not-found`,
    `kubectl ${K} delete secret istio-ingressgateway-certs --namespace istio-system --ignore-not-found`,
    `kubectl ${K} apply --server-side --force-conflicts -f -`,
    `kubectl ${K} wait --for=condition=Ready certificate/istio-ingressgateway-certs --namespace istio-system --timeout=300s`,
    `kubectl ${K} get secret istio-ingressgateway-certs --namespace istio-system --output=jsonpath={.data.ca\\.crt}`,
  ]);
  // Every apply read the render of the overlay in the state folder through the pipe, not a file of ours.
  const applies = sb.calls().filter((c) => c.args.includes('apply'));
  assert.equal(applies.length, 4);
  for (const a of applies) assert.match(a.stdin, /# rendered from .*\/state\/overlay/);
  // The overlay: first for the provisional name, then for the IP the load balancer got.
  assert.deepEqual(sb.renders.map((x) => x.ip ?? x.domain), ['kubeflow.invalid', '20.61.10.5']);
  assert.ok(sb.renders.every((x) => x.out === join(sb.stateDir, 'overlay') && x.dexUser === 'ada@example.org' && x.passwordHash === dexHash()));
  assert.match(r.stderr, /apply attempt 1\/4 failed \(ensure CRDs are installed first\); retrying/);
  assert.match(r.stderr, /pods ready: 2\/3 \(waiting for kubeflow\/ml-pipeline-7c4\)/);
  assert.match(r.stderr, /pods ready: 3\/3/);
  assert.match(r.stdout, /^Kubeflow dashboard: https:\/\/20\.61\.10\.5\/ {2}\(log in as ada@example\.org\)$/m);
  assert.match(r.stdout, /^ {2}sealed compile --output loan-default\.yaml --image sealedacr\.azurecr\.io\/sealed-pipelines:0\.1\.0-0123456789ab$/m);
  assert.match(r.stdout, /^ {2}sealed submit loan-default\.yaml --host https:\/\/20\.61\.10\.5\/pipeline .* --ca-file .*\/state\/ingress-ca\.crt$/m);
  assert.match(readFileSync(join(sb.stateDir, 'ingress-ca.crt'), 'utf8'), /^-----BEGIN CERTIFICATE-----\n/);
});

test('the kubeconfig, the state file and the configuration copy are mode 600 in a 700 folder (az wrote the kubeconfig 644)', async () => {
  const sb = sandbox();
  assert.equal((await up(sb)).error, undefined);
  assert.equal(mode(sb.stateDir), 0o700);
  for (const f of ['kubeconfig', 'state.json', 'config.json']) assert.equal(mode(join(sb.stateDir, f)), 0o600, f);
  const state = JSON.parse(readFileSync(join(sb.stateDir, 'state.json'), 'utf8')) as { steps: Record<string, { outputs: Record<string, string> }> };
  assert.deepEqual(Object.keys(state.steps), ['overlay', 'program', 'infrastructure', 'credentials', 'image', 'kubeflow', 'pods', 'address', 'certificate']);
  assert.equal(state.steps['address']?.outputs['ip'], '20.61.10.5');
  // The copy Pulumi reads is the validated configuration, defaults filled in.
  const copy = JSON.parse(readFileSync(join(sb.stateDir, 'config.json'), 'utf8')) as { confidentialPool: { vmSize: string; labels: Record<string, string> } };
  assert.equal(copy.confidentialPool.vmSize, 'Standard_DC4s_v3');
  assert.deepEqual(copy.confidentialPool.labels, { intelvm: 'sgx' });
  // ... and the program's loader (deploy/azure reads it with loadDeployConfig) accepts it as it is.
  const original = await loadDeployConfig(sb.config);
  assert.deepEqual((await loadDeployConfig(join(sb.stateDir, 'config.json'))).config, original.config);
});

test('a second up changes nothing: only the read-only tool and login checks run, nothing is rendered again', async () => {
  const sb = sandbox();
  assert.equal((await up(sb)).error, undefined);
  const before = sb.calls().length;
  const again = await up(sb);
  assert.equal(again.error, undefined);
  const second = lines(sb, sb.calls().slice(before));
  assert.deepEqual(second.filter((l) => MUTATING.test(l)), []);
  assert.deepEqual(second, [
    'git -C <root>/repo rev-parse --short=12 HEAD',
    'git -C <root>/repo status --porcelain -- package.json package-lock.json .npmrc bin src scripts/buildApp.mjs Dockerfile .dockerignore',
    'az version --output json',
    'pulumi version',
    'kubectl version --client --output json',
    'az account show --output json',
    'pulumi whoami --non-interactive',
  ]);
  assert.equal(sb.renders.length, 2);
  assert.match(again.stderr, /\[5\/11\] Create the resource group.*: done earlier, skipped/);
  // The summary still knows the IP and the image from the state file.
  assert.match(again.stdout, /https:\/\/20\.61\.10\.5\//);
});

// A plain password gets a fresh salt each time it is hashed: without the stored hash every up would
// re-render, re-apply Kubeflow, restart Dex and re-issue the certificate (an HTTPS outage).
test('a second up with a PLAIN password file changes nothing: the hash of the first up is reused (0600)', async () => {
  const sb = sandbox();
  writeFileSync(sb.passwordFile, 'Tr0ub4dor-and-a-Quokka-77\n', { mode: 0o600 });
  assert.equal((await up(sb)).error, undefined);
  const stored = join(sb.stateDir, 'dex.bcrypt');
  assert.equal(mode(stored), 0o600);
  const hash = readFileSync(stored, 'utf8').trim();
  assert.match(hash, /^\$2[aby]\$1[2-6]\$/);
  const before = sb.calls().length;
  assert.equal((await up(sb)).error, undefined);
  assert.deepEqual(lines(sb, sb.calls().slice(before)).filter((l) => MUTATING.test(l)), []);
  assert.equal(sb.renders.length, 2);
  assert.equal(readFileSync(stored, 'utf8').trim(), hash);
});

test('a changed plain password is hashed afresh and applied again; the stored hash follows it', async () => {
  const sb = sandbox();
  writeFileSync(sb.passwordFile, 'Tr0ub4dor-and-a-Quokka-77\n', { mode: 0o600 });
  assert.equal((await up(sb)).error, undefined);
  const stored = join(sb.stateDir, 'dex.bcrypt');
  const first = readFileSync(stored, 'utf8');
  writeFileSync(sb.passwordFile, 'Another-Quokka-Pass-88\n', { mode: 0o600 });
  const before = sb.calls().length;
  assert.equal((await up(sb)).error, undefined);
  assert.ok(lines(sb, sb.calls().slice(before)).some((l) => /^kubectl .* apply /.test(l)));
  assert.notEqual(readFileSync(stored, 'utf8'), first);
});

test('an image already in ACR is not built again (az acr repository show-tags lists its tag)', async () => {
  const sb = sandbox();
  writeFileSync(join(sb.fake, 'world.json'), JSON.stringify({ tags: ['0.1.0-0123456789ab'] }));
  assert.equal((await up(sb)).error, undefined);
  assert.equal(lines(sb).filter((l) => l.startsWith('az acr build')).length, 0);
});

test('a failed pulumi up stops at that step, says what failed and how to resume; the resumed up runs from that step on only', async () => {
  const sb = sandbox();
  sb.scenario({ fail: [{ match: 'pulumi up', code: 255, stderr: 'error: creating AgentPool intelsgx: QuotaExceeded: DCSv3 family vCPUs 0 of 8', times: 1 }] });
  const first = await up(sb);
  assert.ok(first.error, 'up failed');
  const msg = first.error.message;
  assert.match(msg, /^deploy step 'infrastructure' \(Create the resource group, AKS cluster, node pools and registry \(pulumi up\)\) failed: pulumi up .* exited with 255: error: creating AgentPool intelsgx: QuotaExceeded: DCSv3 family vCPUs 0 of 8; fix that, then resume with: sealed deploy up --config /);
  assert.ok(!msg.includes('\n'), 'one line');
  assert.match(msg, / --yes$/);
  const firstCalls = lines(sb);
  assert.ok(!firstCalls.some((l) => l.startsWith('az aks get-credentials')), 'stopped at the failed step');
  const before = firstCalls.length;
  const resumed = await up(sb);
  assert.equal(resumed.error, undefined, resumed.error?.message);
  const second = lines(sb, sb.calls().slice(before));
  assert.ok(!second.some((l) => l.startsWith('npm ci')), 'the finished program step is not run again');
  assertInOrder(second, ['pulumi stack select', 'pulumi up', 'pulumi stack output', 'az aks get-credentials', 'az acr build', 'kubectl --kubeconfig']);
  // The overlay (before the failure) was rendered once, then for the IP only.
  assert.deepEqual(sb.renders.map((x) => x.ip ?? x.domain), ['kubeflow.invalid', '20.61.10.5']);
});

test('a changed node count runs pulumi up again and nothing else: the cluster, its credentials, the image and Kubeflow stay', async () => {
  const sb = sandbox();
  assert.equal((await up(sb)).error, undefined);
  const before = sb.calls().length;
  writeFileSync(sb.config, readFileSync(sb.config, 'utf8') + 'confidentialPool:\n  count: 3\n');
  assert.equal((await up(sb)).error, undefined);
  const second = lines(sb, sb.calls().slice(before)).filter((l) => MUTATING.test(l));
  assert.deepEqual(second.map((l) => l.split(' ').slice(0, 3).join(' ')), ['pulumi stack select', 'pulumi up --yes']);
});

test('Kubeflow apply gives up after the bounded number of attempts with the last kubectl error', async () => {
  const sb = sandbox();
  sb.scenario({ applyFailures: 99 });
  const r = await up(sb);
  assert.match(r.error?.message ?? '', /deploy step 'kubeflow' .* failed: kubectl apply of Kubeflow still failed after 4 attempts: ensure CRDs are installed first; fix that, then resume with/);
  assert.equal(lines(sb).filter((l) => l.includes(' apply ')).length, 4);
});

test('a certificate that never becomes Ready fails the certificate step with kubectl wait\'s reason', async () => {
  const sb = sandbox();
  sb.scenario({ certificateTimeout: true });
  const r = await up(sb);
  assert.match(r.error?.message ?? '', /deploy step 'certificate' .*failed: the gateway certificate is not Ready: error: timed out waiting for the condition on certificates\/istio-ingressgateway-certs/);
});

test('with --domain the overlay is rendered once for the name and the certificate is only waited for', async () => {
  const sb = sandbox();
  const r = await up(sb, { domain: 'kubeflow.example.org' });
  assert.equal(r.error, undefined);
  assert.deepEqual(sb.renders.map((x) => x.domain), ['kubeflow.example.org']);
  // The old certificate (Ready for the old spec) is re-created so the wait sees cert-manager's new verdict;
  // its secret stays (a certificate that still fits is not re-issued: no HTTPS outage).
  const all = lines(sb);
  const del = all.findIndex((l) => l.includes(' delete certificate istio-ingressgateway-certs '));
  const wait = all.findIndex((l) => l.includes(' wait ') && l.includes('certificate/'));
  assert.ok(del >= 0 && wait > del && all.slice(del, wait).some((l) => / apply /.test(l)), all.join('\n'));
  assert.ok(!all.some((l) => l.includes(' delete secret ')));
  assert.match(r.stdout, /https:\/\/kubeflow\.example\.org\//);
});

test('secrets: the Dex hash and our own secret variables never reach an argument, the output, the state file or a child environment', async () => {
  const sb = sandbox();
  const r = await up(sb);
  assert.equal(r.error, undefined);
  const hash = dexHash();
  const salt = hash.slice(7, 29);
  const texts = [r.stdout, r.stderr, readFileSync(join(sb.stateDir, 'state.json'), 'utf8'), readFileSync(join(sb.stateDir, 'config.json'), 'utf8')];
  for (const c of sb.calls()) {
    texts.push(c.args.join(' '));
    assert.deepEqual(c.secretVars, [], `${c.tool} saw ${c.secretVars.join(', ')}`);
  }
  for (const t of texts) {
    assert.ok(!t.includes(salt), 'hash found');
    assert.ok(!t.includes('ui-secret-do-not-leak') && !t.includes('kfp-token-do-not-leak'));
    assert.ok(!t.includes('fake-admin-token'), 'kubeconfig content found');
  }
});

test('an uncommitted tree gets an image tag of its own (-dirty-<digest>), so a stale image is never reused', async () => {
  const sb = sandbox();
  sb.scenario({ dirty: true });
  assert.equal((await up(sb)).error, undefined);
  assert.ok(lines(sb).some((l) => /^az acr build --registry sealedacr --image sealed-pipelines:0\.1\.0-0123456789ab-dirty-[0-9a-f]{8} /.test(l)));
});

test('shell metacharacters in the state folder path stay one argument: no shell ever sees them', async () => {
  const sb = sandbox();
  const odd = join(sb.root, "st ate;touch PWNED $(touch PWNED2) `x` 'q'");
  const r = await up(sb, { stateDir: odd });
  assert.equal(r.error, undefined, r.error?.message);
  assert.ok(!existsSync(join(sb.root, 'PWNED')) && !existsSync(join(sb.root, 'PWNED2')) && !existsSync(join(sb.root, 'repo', 'PWNED')));
  const creds = sb.calls().find((c) => c.args[1] === 'get-credentials');
  assert.equal(creds?.args[creds.args.indexOf('--file') + 1], join(odd, 'kubeconfig'));
});

test('a missing tool is one line naming it, before anything touches Azure', async () => {
  const sb = sandbox({ without: ['pulumi'] });
  const r = await up(sb);
  assert.equal(r.error?.message, 'pulumi is not installed or not on PATH; install it (https://www.pulumi.com/docs/iac/download-install/), nothing was run');
  assert.deepEqual(lines(sb).filter((l) => MUTATING.test(l) || l.startsWith('az account')), []);
});

test('an old kubectl is refused with the version found and needed', async () => {
  const sb = sandbox();
  // A kubectl 1.24 (kustomize v4): the wrapper answers its version only.
  writeFileSync(join(sb.bin, 'kubectl'), `#!/bin/sh\necho '{"clientVersion":{"major":"1","minor":"24","gitVersion":"v1.24.3"},"kustomizeVersion":"v4.5.4"}'\n`);
  const r = await up(sb);
  assert.match(r.error?.message ?? '', /^kubectl 1\.24\.3 is older than the 1\.27\.0 this deploy needs/);
});

test('not logged in to Azure: one line saying to run az login, nothing created', async () => {
  const sb = sandbox();
  sb.scenario({ fail: [{ match: 'az account show', code: 1, stderr: "ERROR: Please run 'az login' to setup account." }] });
  const r = await up(sb);
  assert.match(r.error?.message ?? '', /^az is not logged in: az login/);
  assert.deepEqual(lines(sb).filter((l) => MUTATING.test(l)), []);
});

test('a bad configuration is refused before any command runs', async () => {
  const sb = sandbox({ config: 'location: westeurop\nresourceGroup: sealed-rg\nclusterName: sealedaks\nacr:\n  name: sealedacr\n' });
  const r = await up(sb);
  assert.match(r.error?.message ?? '', /location: 'westeurop' is not an Azure region name.*did you mean 'westeurope'/);
  assert.deepEqual(sb.calls(), []);
});

test('a world-readable password file is refused before any command runs', async () => {
  const sb = sandbox();
  chmodSync(sb.passwordFile, 0o644);
  const r = await up(sb);
  assert.match(r.error?.message ?? '', /readable or writable by group or others/);
  assert.deepEqual(sb.calls(), []);
});

test('a state folder others may enter, a symlinked one, or a state file others may read is refused', async () => {
  const sb = sandbox();
  mkdirSync(sb.stateDir, { mode: 0o755 });
  chmodSync(sb.stateDir, 0o755);
  assert.match((await up(sb)).error?.message ?? '', /state folder .* has mode 755: others may read the kubeconfig in it; refused \(fix: chmod 700 /);
  chmodSync(sb.stateDir, 0o700);
  writeFileSync(join(sb.stateDir, 'state.json'), '{"version":1,"steps":{}}', { mode: 0o644 });
  assert.match((await up(sb)).error?.message ?? '', /state file .*state\.json has mode 644, expected 600/);
  const linked = join(sb.root, 'linked-state');
  symlinkSync(sb.stateDir, linked);
  assert.match((await up(sb, { stateDir: linked })).error?.message ?? '', /state folder .*linked-state is a symbolic link/);
});

test('a tampered state file that is not JSON is refused, not trusted', async () => {
  const sb = sandbox();
  mkdirSync(sb.stateDir, { mode: 0o700 });
  writeFileSync(join(sb.stateDir, 'state.json'), '{"version":1,"steps":{"infrastructure":{"fingerprint":1}}}', { mode: 0o600 });
  assert.match((await up(sb)).error?.message ?? '', /state file .* step 'infrastructure' is malformed/);
});

test('down asks first: no terminal means --yes is needed, a wrong answer changes nothing, the cluster name goes ahead', async () => {
  const sb = sandbox();
  assert.equal((await up(sb)).error, undefined);
  const io = sb.io();
  const opts = { config: sb.config, stateDir: sb.stateDir };
  await assert.rejects(deployDownCommand(opts, io, sb.deps()), /not a terminal to confirm on: add --yes/);
  await assert.rejects(deployDownCommand(opts, io, sb.deps({ confirm: async () => 'yes' })), /not confirmed; nothing was changed/);
  assert.ok(!lines(sb).some((l) => l.startsWith('pulumi destroy')));
  let asked = '';
  const code = await deployDownCommand(opts, io, sb.deps({ confirm: async (q) => ((asked = q), 'sealedaks') }));
  assert.equal(code, 0);
  assert.match(asked, /Delete resource group sealed-rg, cluster sealedaks and registry sealedacr/);
  assert.ok(lines(sb).includes(`pulumi destroy --yes --skip-preview --stack sealedaks --cwd <root>/repo/deploy/azure --non-interactive`));
  for (const f of ['state.json', 'kubeconfig', 'config.json']) assert.ok(!existsSync(join(sb.stateDir, f)), f);
});

test('up without --yes and without a terminal asks for --yes before anything runs', async () => {
  const sb = sandbox();
  const r = await up(sb, { yes: false });
  assert.match(r.error?.message ?? '', /add --yes/);
  assert.deepEqual(lines(sb).filter((l) => MUTATING.test(l)), []);
});

test('plan shows the cost command with the configuration path quoted, like every other command (shell metacharacters in it)', async () => {
  const sb = sandbox();
  const odd = join(sb.root, "my conf;$(id)'s.yaml");
  writeFileSync(odd, readFileSync(sb.config));
  const io = sb.io();
  assert.equal(await deployPlanCommand(sb.options({ config: odd }), io, sb.deps()), 0);
  const shown = `'${odd.replace(/'/g, `'\\''`)}'`;
  assert.ok(io.stdout.text.includes(`  cost per hour: sealed deploy cost --config ${shown}\n`), io.stdout.text);
});

test('plan after a finished up marks every recorded step as done and skipped; the checks still run every time', async () => {
  const sb = sandbox();
  assert.equal((await up(sb)).error, undefined);
  const io = sb.io();
  assert.equal(await deployPlanCommand(sb.options(), io, sb.deps()), 0);
  assert.match(io.stdout.text, /^1\. Check az, pulumi and kubectl \[tools: every run\]$/m);
  for (const id of ['overlay', 'program', 'infrastructure', 'credentials', 'image', 'kubeflow', 'pods', 'address', 'certificate']) {
    assert.match(io.stdout.text, new RegExp(`\\[${id}: done \\d{4}-\\d\\d-\\d\\dT[^\\]]*, skipped\\]$`, 'm'), id);
  }
});

test('YAML injection through the e-mail or the domain is refused before any command runs (plan and up alike)', async () => {
  for (const extra of [{ dexUser: 'ada@example.org\n  hash: $2y$04$x' }, { dexUser: 'ada"@example.org' }, { domain: 'kubeflow.example.org\nkind: Secret' }, { domain: '*.example.org' }]) {
    const sb = sandbox();
    const r = await up(sb, extra);
    assert.match(r.error?.message ?? '', /is refused/, JSON.stringify(extra));
    assert.deepEqual(sb.calls(), [], JSON.stringify(extra));
    const io = sb.io();
    await assert.rejects(deployPlanCommand(sb.options(extra), io, sb.deps()), /is refused/);
    assert.equal(io.stdout.text, '');
  }
});

test('pods that never get ready end the pods step at its timeout, naming them', async () => {
  const sb = sandbox();
  sb.scenario({ neverReady: true });
  // A clock that moves 20 s per reading: the 60 s timeout passes after a few polls, in no time.
  let t = 0;
  const r = await up(sb, {}, { now: () => (t += 20_000) });
  assert.match(r.error?.message ?? '', /deploy step 'pods' .*failed: gave up waiting for 1 pods to be ready after 60 s: kubeflow\/ml-pipeline-7c4; fix that/);
  // The evicted pod in the list (phase Failed) is not waited for: it would never become ready.
  assert.ok(!(r.error?.message ?? '').includes('ml-pipeline-old9'));
});

test('a load balancer "IP" that is not an address is refused (it would go into a certificate and a URL)', async () => {
  const sb = sandbox();
  sb.scenario({ ip: '20.61.10.5\nkind: Secret' });
  const r = await up(sb);
  assert.match(r.error?.message ?? '', /deploy step 'address' .*load balancer ip '20\.61\.10\.5.*' is not an IP address/);
  assert.equal(sb.renders.length, 1, 'no overlay rendered for it');
});

test('two deploys on one state folder: the second is refused while the first holds the lock; a stale lock is taken over', async () => {
  const sb = sandbox();
  mkdirSync(sb.stateDir, { mode: 0o700 });
  // A live process (this one) holds it.
  writeFileSync(join(sb.stateDir, 'lock'), `${process.pid}\n`, { mode: 0o600 });
  assert.match((await up(sb)).error?.message ?? '', new RegExp(`another sealed deploy \\(pid ${process.pid}\\) is using the state folder`));
  // A pid that no longer runs: taken over, and released at the end.
  writeFileSync(join(sb.stateDir, 'lock'), '2147483646\n', { mode: 0o600 });
  assert.equal((await up(sb)).error, undefined);
  assert.ok(!existsSync(join(sb.stateDir, 'lock')));
});
