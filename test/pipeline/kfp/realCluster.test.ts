// The client paths for real KFP clusters (issue 14, item 5), end to end through the CLI against
// the fake API server (fakeKfpServer.ts), whose shapes follow kubeflow/pipelines. Each test
// names the KFP source it follows. No test output may contain a credential ('SECRET').
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tempDir.ts';
import { startFakeKfp, type FakeKfp, type FakeKfpOptions } from './fakeKfpServer.ts';
import { writePipelineFile } from './toyPipelineYaml.ts';
import { runCli, type CliResult } from '../../cli/helpers.ts';
import { checkCron, ownTasks } from '../../../src/pipeline/kfp/index.ts';

const TOKEN = 'real-SECRET-token-42';
const BOB = 'bob-SECRET-token-7';
const cwd = tempDir('sealed-kfp-real-');
writePipelineFile(cwd);
const fakes: FakeKfp[] = [];
after(async () => {
  for (const f of fakes) await f.close();
});

async function fake(options: FakeKfpOptions = {}): Promise<FakeKfp> {
  const f = await startFakeKfp({ token: TOKEN, ...options });
  fakes.push(f);
  return f;
}

async function sealed(argv: string[], env: Record<string, string> = { KFP_TOKEN: TOKEN }): Promise<CliResult> {
  const r = await runCli(argv, { cwd, env });
  assert.ok(!`${r.stdout}${r.stderr}`.includes('SECRET'), `a secret was printed:\n${r.stdout}${r.stderr}`);
  return r;
}

const FAST = ['--poll-interval', '0.005'];

test('namespace: --namespace beats KFP_NAMESPACE beats the KFP SDK context file (client.py _LOCAL_KFP_CONTEXT, key "namespace")', async () => {
  const f = await fake({ multiUser: true });
  const home = tempDir('sealed-kfp-home-');
  mkdirSync(join(home, '.config', 'kfp'), { recursive: true });
  const context = join(home, '.config', 'kfp', 'context.json');
  // As Client.set_user_namespace writes it, with the SDK's cookie beside it (never read or shown).
  writeFileSync(context, JSON.stringify({ namespace: 'from-context', client_authentication_cookie: 'SECRET-cookie' }));
  const env = { KFP_TOKEN: TOKEN, HOME: home };
  await sealed(['experiments', 'list', '--host', f.url], env);
  assert.equal(f.calls('GET', '/experiments').at(-1)?.query.namespace, 'from-context');
  await sealed(['experiments', 'list', '--host', f.url], { ...env, KFP_NAMESPACE: 'from-env' });
  assert.equal(f.calls('GET', '/experiments').at(-1)?.query.namespace, 'from-env');
  await sealed(['experiments', 'list', '--host', f.url, '--namespace', 'from-flag'], { ...env, KFP_NAMESPACE: 'from-env' });
  assert.equal(f.calls('GET', '/experiments').at(-1)?.query.namespace, 'from-flag');

  writeFileSync(context, '{"namespace": ');
  const broken = await sealed(['runs', 'list', '--host', f.url], env);
  assert.deepEqual([broken.code, broken.stderr], [2, `sealed: KFP SDK context file ${context} is invalid: not JSON\n`]);
  writeFileSync(context, JSON.stringify({ namespace: 'bad\u001b[2Jns' }));
  const hostile = await sealed(['runs', 'list', '--host', f.url], env);
  assert.equal(hostile.stderr, `sealed: KFP SDK context file ${context} is invalid: "namespace" "bad\\\\x1b[2Jns" is not a Kubernetes namespace name\n`);
});

test('multi-user submit without a namespace is refused before any upload (healthz multi_user, as client.py Client.__init__ asks)', async () => {
  const f = await fake({ multiUser: true });
  const r = await sealed(['submit', 'toy-kfp.yaml', '--host', f.url]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /runs in multi-user mode: sealed submit needs a namespace/);
  assert.deepEqual(f.requests.map((q) => `${q.method} ${q.path}`), ['GET /healthz']);
  assert.equal(f.pipelines.length, 0);
});

test('a failed submit deletes what it uploaded: the new pipeline (version first, resource_manager.go@2.0.5 DeletePipeline), or only the new version', async () => {
  const f = await fake({ multiUser: true });
  f.inject({ method: 'POST', path: /^\/runs$/, status: 500, body: '{"error":"Internal error: workflow could not be created","code":13}' });
  const first = await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, '--namespace', 'alice', '--no-wait']);
  assert.equal(first.code, 1);
  assert.match(first.stderr, /creating run '.*' failed with HTTP 500: Internal error: workflow could not be created \(removed what this submit created: pipeline 'toy-kfp' \(.*\)\)\n$/);
  assert.deepEqual([f.pipelines.length, f.versions.length], [0, 0]);

  const ok = await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, '--namespace', 'alice', '--no-wait']);
  assert.equal(ok.code, 0, ok.stderr);
  f.inject({ method: 'POST', path: /^\/runs$/, status: 400, body: '{"error":"Invalid input error: bad","code":3}' });
  const second = await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, '--namespace', 'alice', '--version', 'v2', '--no-wait']);
  assert.match(second.stderr, /removed what this submit created: version 'v2' \(.*\) of pipeline 'toy-kfp'\)\n$/);
  assert.deepEqual([f.pipelines.length, f.versions.length], [1, 1]);
});

test('403 names the namespace and verb and does not blame the token; 401 does (resource_manager.go IsAuthorized: PermissionDenied vs Unauthenticated)', async () => {
  const f = await fake({ multiUser: true, identities: { [BOB]: { user: 'bob@example.com', namespaces: ['bob'] } } });
  const denied = await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, '--namespace', 'alice', '--no-wait'], { KFP_TOKEN: BOB });
  assert.equal(denied.code, 1);
  assert.match(denied.stderr, /knows who you are \(the bearer token was accepted\) but does not allow 'list' on pipelines in namespace 'alice' \(HTTP 403: .*User 'bob@example.com' is not authorized/);
  assert.doesNotMatch(denied.stderr, /KFP_TOKEN or --token-file/);
  const unknown = await sealed(['runs', 'list', '--host', f.url, '--namespace', 'bob'], { KFP_TOKEN: 'nobody-SECRET' });
  assert.match(unknown.stderr, /refused the bearer token \(HTTP 401: .*no user identity header\.\); give a bearer token/);
  // grpc-gateway v2 (HEAD) drops the `error` field; `message` still carries the text.
  const head = await fake({ multiUser: true, gateway: 'v2', identities: { [BOB]: { user: 'bob@example.com', namespaces: ['bob'] } } });
  const deniedHead = await sealed(['experiments', 'list', '--host', head.url, '--namespace', 'alice'], { KFP_TOKEN: BOB });
  assert.match(deniedHead.stderr, /does not allow 'list' on experiments in namespace 'alice'/);
});

test("progress counts only the pipeline's tasks although task_details lists the workflow, root, driver and executor nodes (api_converter.go toModelTask)", async () => {
  const f = await fake();
  const r = await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, ...FAST]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /SUCCEEDED, 3\/3 tasks done\n$/);
  assert.doesNotMatch(r.stderr, /task (root|executor|.*-driver)/);
  const run = f.runs[0];
  const get = await sealed(['runs', 'get', run.run_id, '--host', f.url, '--json']);
  const details = (JSON.parse(get.stdout) as { run_details: { task_details: { display_name: string; child_tasks?: unknown[] }[] } }).run_details.task_details;
  assert.equal(details.length, 3 + 3 * 3);
  assert.ok(details.some((t) => t.display_name === 'root-driver') && details.some((t) => t.display_name === 'executor'));
  // Without the spec's task names the node shapes decide (the KFP UI draws the spec's DAG instead).
  assert.deepEqual(ownTasks(details as never).map((t) => t.display_name).sort(), ['evaluate', 'make-data', 'train']);
  const lines = (await sealed(['runs', 'get', run.run_id, '--host', f.url])).stdout.split('\n').filter((l) => l.startsWith('  task'));
  assert.equal(lines.length, 3);
});

test('pipelines list | get | versions and experiments list (pipeline.proto, experiment.proto), --json lists', async () => {
  const f = await fake();
  await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, '--no-wait']);
  await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, '--no-wait', '--version', 'v2']);
  const list = await sealed(['pipelines', 'list', '--host', f.url, '--json']);
  assert.deepEqual((JSON.parse(list.stdout) as { display_name: string }[]).map((p) => p.display_name), ['toy-kfp']);
  const get = await sealed(['pipelines', 'get', 'toy-kfp', '--host', f.url]);
  assert.match(get.stdout, new RegExp(`^pipeline ${f.pipelines[0].pipeline_id} \\(toy-kfp\\)\n[\\s\\S]*latest version: ${f.versions[1].pipeline_version_id} \\(v2\\)\n$`));
  const versions = await sealed(['pipelines', 'versions', f.pipelines[0].pipeline_id, '--host', f.url]);
  assert.deepEqual(versions.stdout.trim().split('\n').map((l) => l.split('  ').at(-1)), ['v2', 'toy-kfp']);
  const missing = await sealed(['pipelines', 'get', 'nope', '--host', f.url]);
  assert.deepEqual([missing.code, missing.stderr], [1, "sealed: no pipeline 'nope'\n"]);
  const experiments = await sealed(['experiments', 'list', '--host', f.url, '--json']);
  assert.deepEqual((JSON.parse(experiments.stdout) as { display_name: string }[]).map((e) => e.display_name), ['Default']);
});

test('submit --pipeline --pipeline-version runs that version without uploading; parameters are checked against its pipeline_spec (api_util.go YamlStringToPipelineSpecStruct)', async () => {
  const f = await fake();
  await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, '--no-wait']);
  const version = f.versions[0];
  const bad = await sealed(['submit', '--pipeline', 'toy-kfp', '--pipeline-version', version.pipeline_version_id, '--host', f.url, '--param', 'data_size=abc']);
  assert.deepEqual([bad.code, bad.stderr], [2, 'sealed: --param data_size=abc: expected a whole number (NUMBER_INTEGER)\n']);
  const r = await sealed(['submit', '--pipeline', 'toy-kfp', '--pipeline-version', version.pipeline_version_id, '--host', f.url, '--param', 'data_size=7', ...FAST]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`^running version 'toy-kfp' of pipeline 'toy-kfp' \\(${version.pipeline_version_id}\\)\n`));
  assert.equal(f.calls('POST', '/pipelines/upload').length + f.calls('POST', '/pipelines/upload_version').length, 1);
  assert.deepEqual((f.calls('POST', '/runs').at(-1)?.json as { runtime_config: unknown }).runtime_config, { parameters: { data_size: 7 } });
  const both = await sealed(['submit', 'toy-kfp.yaml', '--pipeline', 'toy-kfp', '--host', f.url]);
  assert.equal(both.code, 2);
});

test('cron expressions as robfig/cron v1.2.0 Parse reads them (api_converter.go toModelJob; 6 fields, seconds first)', () => {
  for (const ok of ['0 0 9 ? * 2-6', '*/30 * * * * *', '0 15 10 1,15 JAN-MAR MON-FRI', '@daily', '@every 1h30m']) assert.equal(checkCron(ok), ok);
  const refused = (cron: string, reason: RegExp): void => assert.throws(() => checkCron(cron), (e: Error) => reason.test(e.message), cron);
  refused('0 9 * * 1', /5 fields; KFP's first field is the second \(for the crontab '0 9 \* \* 1' write '0 0 9 \* \* 1'\)/);
  refused('0 0 24 * * *', /hour '24' is not in 0-23/);
  refused('0 0 9 * * 1-9', /day of week '9' is not in 0-6/);
  refused('0 0 9 * * 5-1', /goes backwards/);
  refused('0 0 */0 * * *', /bad step/);
  refused('@every 0s', /unknown descriptor/);
  refused('0 0 9 * *\u001b[31m *', /--cron '0 0 9 \* \*\?\[31m \*'/);
});

test('schedule create | list | enable | disable | delete (recurring_run.proto; max concurrency 1..10 as toModelJob checks)', async () => {
  const f = await fake();
  await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, '--no-wait']);
  const tooMany = await sealed(['schedule', 'create', '--pipeline', 'toy-kfp', '--cron', '0 0 9 * * *', '--max-concurrency', '11', '--host', f.url]);
  assert.deepEqual([tooMany.code, tooMany.stderr], [2, 'sealed: invalid schedule: --max-concurrency must be 1 to 10, as the KFP API server requires (got 11)\n']);
  const neither = await sealed(['schedule', 'create', '--pipeline', 'toy-kfp', '--host', f.url]);
  assert.equal(neither.stderr, 'sealed: invalid schedule: give either --cron or --interval\n');
  assert.equal(f.calls('POST', '/recurringruns').length, 0);
  const created = await sealed(['schedule', 'create', '--pipeline', 'toy-kfp', '--cron', '0 0 9 ? * 1-5', '--max-concurrency', '2', '--param', 'data_size=9', '--no-catchup', '--host', f.url, '--json']);
  assert.equal(created.code, 0, created.stderr);
  const body = f.calls('POST', '/recurringruns')[0].json as Record<string, unknown>;
  assert.deepEqual(body, {
    display_name: 'toy-kfp-schedule',
    experiment_id: f.experiments[0].experiment_id,
    pipeline_version_reference: { pipeline_id: f.pipelines[0].pipeline_id, pipeline_version_id: f.versions[0].pipeline_version_id },
    runtime_config: { parameters: { data_size: 9 } },
    trigger: { cron_schedule: { cron: '0 0 9 ? * 1-5' } },
    max_concurrency: '2',
    mode: 'ENABLE',
    no_catchup: true,
  });
  const id = (JSON.parse(created.stdout) as { recurring_run_id: string }).recurring_run_id;
  await sealed(['schedule', 'create', '--pipeline', 'toy-kfp', '--interval', '3600', '--disabled', '--host', f.url]);
  const list = await sealed(['schedule', 'list', '--host', f.url]);
  assert.match(list.stdout, new RegExp(`^${id} {2}ENABLED {3}cron '0 0 9 \\? \\* 1-5' {2}max 2 {2}`));
  assert.match(list.stdout, /DISABLED {2}every 3600s {2}max 1 /);
  assert.equal((await sealed(['schedule', 'disable', id, '--host', f.url])).stdout, `disabled recurring run ${id}\n`);
  assert.equal(f.recurringRuns[0].status, 'DISABLED');
  await sealed(['schedule', 'enable', id, '--host', f.url]);
  assert.equal(f.recurringRuns[0].status, 'ENABLED');
  const noYes = await sealed(['schedule', 'delete', id, '--host', f.url]);
  assert.deepEqual([noYes.code, noYes.stderr], [2, `sealed: deleting recurring run ${id} cannot be undone; add --yes to confirm\n`]);
  await sealed(['schedule', 'delete', id, '--yes', '--host', f.url]);
  assert.equal(f.recurringRuns.length, 1);
});

test('runs retry | archive | delete --yes (run.proto RetryRun, ArchiveRun, DeleteRun)', async () => {
  const f = await fake();
  f.failNextRun('train', 'OOMKilled');
  await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, ...FAST]);
  const id = f.runs[0].run_id;
  assert.equal((await sealed(['runs', 'retry', id, '--host', f.url])).stdout, `retrying run ${id}\n`);
  assert.equal((await sealed(['runs', 'watch', id, '--host', f.url, ...FAST])).code, 0);
  const notFailed = await sealed(['runs', 'retry', id, '--host', f.url]);
  assert.match(notFailed.stderr, /HTTP 400: .*does not have a failed or errored state/);
  await sealed(['runs', 'archive', id, '--host', f.url]);
  assert.equal(f.runs[0].storage_state, 'ARCHIVED');
  assert.equal((await sealed(['runs', 'delete', id, '--host', f.url])).code, 2);
  assert.equal(f.runs.length, 1);
  assert.equal((await sealed(['runs', 'delete', id, '--host', f.url, '--yes'])).stdout, `deleted run ${id}\n`);
  assert.equal(f.runs.length, 0);
});

test('runs artifacts downloads each node artifact through ReadArtifact ({data: base64}) into DIR/<task>/<name>', async () => {
  const f = await fake();
  await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, ...FAST]);
  const run = f.runs[0];
  f.addArtifacts(run.run_id, [
    { task: 'train', name: 'main-logs', data: Buffer.from('training log\n') },
    { task: 'evaluate', name: 'main-logs', data: Buffer.from([0, 1, 2, 255]) },
  ]);
  const out = join(cwd, 'artifacts-1');
  const r = await sealed(['runs', 'artifacts', run.run_id, '--out', 'artifacts-1', '--host', f.url]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n').sort(), ['evaluate/main-logs', 'train/main-logs']);
  assert.equal(readFileSync(join(out, 'train', 'main-logs'), 'utf8'), 'training log\n');
  assert.deepEqual([...readFileSync(join(out, 'evaluate', 'main-logs'))], [0, 1, 2, 255]);
  assert.ok(f.calls('GET', `/v1beta1/runs/${run.run_id}`).length === 1);
  assert.deepEqual(readdirSync(join(out, 'train')), ['main-logs']);
  const again = await sealed(['runs', 'artifacts', run.run_id, '--out', 'artifacts-1', '--host', f.url]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already holds files/);
});

/** A run whose v1beta1 workflow manifest lists one artifact of this name. */
async function hostileArtifact(name: string, data = 'x'): Promise<{ f: FakeKfp; runId: string }> {
  const f = await fake();
  await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, ...FAST]);
  const runId = f.runs[0].run_id;
  const manifest = { status: { nodes: { 'wf-1': { id: 'wf-1', displayName: 'executor', outputs: { artifacts: [{ name }] } } } } };
  f.inject({ method: 'GET', path: /^\/v1beta1\/runs\//, status: 200, body: JSON.stringify({ pipeline_runtime: { workflow_manifest: JSON.stringify(manifest) } }) });
  f.inject({ method: 'GET', path: /:read$/, status: 200, body: JSON.stringify({ data: Buffer.from(data).toString('base64') }) });
  return { f, runId };
}

for (const [name, reason] of [
  ['../../escape', 'it holds a path separator'],
  ['/etc/passwd', 'it holds a path separator'],
  ['..', 'not a file name'],
  ['C:evil', 'it looks like a home or drive path'],
  ['log\u001b]0;pwned\u0007', 'it holds control characters'],
] as const) {
  test(`attack: an artifact named ${JSON.stringify(name)} is refused before anything is written`, async () => {
    const { f, runId } = await hostileArtifact(name);
    const dir = `hostile-${Math.random().toString(36).slice(2)}`;
    const r = await sealed(['runs', 'artifacts', runId, '--out', dir, '--host', f.url]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`refusing artifact name .* from the server: ${reason}\n$`));
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(r.stderr, /[\u0000-\u0008\u000b-\u001f]/);
    assert.equal(existsSync(join(cwd, dir)), false);
    assert.equal(f.requests.filter((q) => q.path.endsWith(':read')).length, 0);
  });
}

test('attack: artifacts larger than --max-bytes stop the download with a clear error', async () => {
  const { f, runId } = await hostileArtifact('big', 'y'.repeat(5000));
  const r = await sealed(['runs', 'artifacts', runId, '--out', 'big-out', '--max-bytes', '1000', '--host', f.url]);
  assert.deepEqual([r.code, r.stderr], [2, 'sealed: artifacts exceed the limit of 1000 bytes at wf-1/big; raise --max-bytes if that is expected\n']);
  assert.equal(existsSync(join(cwd, 'big-out', 'wf-1', 'big')), false);
});

test('attack: endless pagination stops after 100 pages; an enormous page token is refused', async () => {
  const f = await fake();
  for (let i = 0; i < 101; i++) f.inject({ method: 'GET', path: /^\/pipelines$/, status: 200, body: JSON.stringify({ pipelines: [], next_page_token: `t${i}` }) });
  const endless = await sealed(['pipelines', 'get', 'x', '--host', f.url]);
  assert.deepEqual([endless.code, endless.stderr], [1, `sealed: KFP at ${f.url}: unexpected answer to listing: still a next_page_token after 100 pages; stopped\n`]);
  f.inject({ method: 'GET', path: /^\/pipelines$/, status: 200, body: JSON.stringify({ pipelines: [], next_page_token: 'A'.repeat(100_000) }) });
  const huge = await sealed(['pipelines', 'get', 'x', '--host', f.url]);
  assert.equal(huge.stderr, `sealed: KFP at ${f.url}: unexpected answer to listing: next_page_token of 100000 characters\n`);
  f.inject({ method: 'GET', path: /^\/runs\//, status: 200, body: JSON.stringify({ run_id: 'r', display_name: 'z'.repeat(17 * 1024 * 1024) }) });
  const giant = await sealed(['runs', 'get', 'r', '--host', f.url]);
  assert.equal(giant.stderr, `sealed: KFP at ${f.url}: unexpected answer to reading run r: answer larger than 16777216 bytes\n`);
});

test('attack: names and errors with terminal escape sequences are printed escaped', async () => {
  const f = await fake();
  f.inject({ method: 'GET', path: /^\/runs\//, status: 200, body: JSON.stringify({ run_id: 'r', display_name: 'nice\u001b[2J\u001b]0;owned\u0007', state: 'FAILED', error: { message: 'boom\u001b[31m' } }) });
  const r = await sealed(['runs', 'get', 'r', '--host', f.url]);
  assert.equal(r.stdout, 'run r (nice\\x1b[2J\\x1b]0;owned\\x07): FAILED\nerror: boom\\x1b[31m\n');
  f.inject({ method: 'GET', path: /^\/runs\//, status: 500, body: JSON.stringify({ error: 'bad\u202eevil', code: 13 }) });
  const e = await sealed(['runs', 'get', 'r', '--host', f.url]);
  assert.match(e.stderr, /bad\\u202eevil/);
});
