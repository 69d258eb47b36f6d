// The process runner of `sealed deploy`: argv without a shell, timeouts, output caps, the pipe of
// two processes, and an environment without our secrets. Real child processes (node itself).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnvironment, processRunner } from '../../src/deploy/steps/runner.ts';
import { showCommand } from '../../src/deploy/steps/types.ts';

const node = process.execPath;
const runner = processRunner({ env: { PATH: process.env['PATH'] ?? '' } });

test('shell metacharacters in an argument are one argument, never run (no shell)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'runner-'));
  const evil = `x; touch ${join(dir, 'PWNED')} $(touch ${join(dir, 'PWNED2')}) | cat \`id\``;
  const r = await runner.run({ argv: [node, '-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', evil] });
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.stdout), [evil]);
  assert.ok(!existsSync(join(dir, 'PWNED')) && !existsSync(join(dir, 'PWNED2')));
});

test('a command past its timeout is killed and reported as timed out', async () => {
  const started = Date.now();
  const r = await runner.run({ argv: [node, '-e', 'setTimeout(() => {}, 60000)'], timeoutMs: 300 });
  assert.equal(r.timedOut, true);
  assert.equal(r.code, null);
  assert.ok(Date.now() - started < 10_000);
});

test('output beyond the cap is cut, not kept in memory', async () => {
  const small = processRunner({ env: { PATH: '' }, outputCap: 1000 });
  const r = await small.run({ argv: [node, '-e', "process.stdout.write('x'.repeat(200000)); process.stderr.write('e'.repeat(5000))"] });
  assert.equal(r.code, 0);
  assert.equal(r.stdout.length, 1000);
  assert.equal(r.stderr.length, 1000);
  assert.equal(r.truncated, true);
});

test('a missing executable is exit 127 "command not found", not a crash', async () => {
  const r = await processRunner({ env: { PATH: mkdtempSync(join(tmpdir(), 'empty-path-')) } }).run({ argv: ['kubectl', 'version'] });
  assert.equal(r.code, 127);
  assert.match(r.stderr, /command not found/);
});

test('stdin is written then closed', async () => {
  const r = await runner.run({ argv: [node, '-e', "let s='';process.stdin.on('data',c=>s+=c).on('end',()=>process.stdout.write(s.toUpperCase()))"], stdin: 'hello' });
  assert.equal(r.stdout, 'HELLO');
});

test('a pipe joins two processes without a shell; a failing first command fails the pipe', async () => {
  const first = { argv: [node, '-e', "process.stdout.write('a\\nb\\nc\\n')"] };
  const second = { argv: [node, '-e', "let s='';process.stdin.on('data',c=>s+=c).on('end',()=>process.stdout.write(String(s.split('\\n').filter(Boolean).length)))"] };
  const ok = await runner.pipe(first, second);
  assert.equal(ok.code, 0);
  assert.equal(ok.stdout, '3');
  const bad = await runner.pipe({ argv: [node, '-e', "process.stderr.write('error: kustomize failed\\n'); process.exit(1)"] }, second);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /kustomize failed/);
});

test('children never see our secrets (dashboard password, KFP token/cookie) or a KUBECONFIG of the user', () => {
  const env = childEnvironment({
    PATH: '/usr/bin',
    HOME: '/home/ada',
    SEALED_UI_PASSWORD: 'x',
    SEALED_DEBUG: '1',
    KFP_TOKEN: 'x',
    KFP_COOKIE: 'x',
    GITHUB_TOKEN: 'x',
    DB_PASSWORD: 'x',
    KUBECONFIG: '/home/ada/.kube/prod',
    AZURE_CLIENT_ID: 'id',
    ARM_CLIENT_SECRET: 'needed by pulumi azure-native',
    PULUMI_ACCESS_TOKEN: 'needed by pulumi',
    PULUMI_CONFIG_PASSPHRASE: 'needed by pulumi local backends',
  });
  assert.deepEqual(Object.keys(env).sort(), ['ARM_CLIENT_SECRET', 'AZURE_CLIENT_ID', 'DB_PASSWORD', 'GITHUB_TOKEN', 'HOME', 'PATH', 'PULUMI_ACCESS_TOKEN', 'PULUMI_CONFIG_PASSPHRASE']);
});

// CI logins by workload identity or certificate (az login --federated-token, pulumi azure-native's
// ARM_OIDC_* / ARM_CLIENT_CERTIFICATE_PASSWORD, GitHub's ACTIONS_ID_TOKEN_REQUEST_TOKEN) must reach the child.
test('CI login variables (*_TOKEN, *_PASSWORD of az and pulumi azure-native) reach the children', () => {
  const login = { ARM_OIDC_TOKEN: 'x', ARM_OIDC_REQUEST_TOKEN: 'x', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x', ARM_CLIENT_CERTIFICATE_PASSWORD: 'x', AZURE_CLIENT_CERTIFICATE_PASSWORD: 'x', ARM_CLIENT_SECRET: 'x', AZURE_CLIENT_SECRET: 'x', AWS_SESSION_TOKEN: 'x' };
  const env = childEnvironment({ ...login, SEALED_UI_PASSWORD: 'x', KFP_TOKEN: 'x' });
  assert.deepEqual(Object.keys(env).sort(), Object.keys(login).sort());
});

test('commands are shown so they can be copied: quoted where a shell would split them, placeholders as they are', () => {
  assert.equal(showCommand({ argv: ['az', 'aks', 'get-credentials', '--file', '/tmp/my state/kubeconfig'] }), "az aks get-credentials --file '/tmp/my state/kubeconfig'");
  assert.equal(showCommand({ argv: ['echo', "it's"] }), `echo 'it'\\''s'`);
  assert.equal(showCommand({ pipe: [['kubectl', 'kustomize', '/o'], ['kubectl', 'apply', '-f', '-']] }), 'kubectl kustomize /o | kubectl apply -f -');
  assert.equal(showCommand({ argv: ['x', '<load balancer IP>'] }), 'x <load balancer IP>');
});
