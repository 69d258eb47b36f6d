// The client paths for real KFP clusters (issue 14, item 5), end to end through the CLI against
// the fake API server (fakeKfpServer.ts), whose shapes follow kubeflow/pipelines. Each test
// names the KFP source it follows. No test output may contain a credential ('SECRET').
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tempDir.ts';
import { startFakeKfp, type FakeKfp, type FakeKfpOptions } from './fakeKfpServer.ts';
import { FakeMlmd } from './fakeMlmdEnvoy.ts';
import { FakeArtifactsUi } from './fakeArtifactsUi.ts';
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

/** The fake API server behind an ingress that also routes /ml_metadata (fakeMlmdEnvoy.ts) and the UI's /pipeline/artifacts (fakeArtifactsUi.ts). */
async function kfpWithIngress(options: FakeKfpOptions & { folders?: boolean } = {}): Promise<{ f: FakeKfp; mlmd: FakeMlmd; ui: FakeArtifactsUi }> {
  const mlmd = new FakeMlmd();
  const ui = new FakeArtifactsUi(mlmd, { multiUser: options.multiUser, folders: options.folders });
  const f = await fake({ prefix: '/pipeline', ...options, ingress: (req, res, url, body, identity) => mlmd.handle(req, res, url.pathname, body) || ui.handle(req, res, url, identity) });
  return { f, mlmd, ui };
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

test('a failed submit deletes what it created: the new experiment, the new pipeline (version first, resource_manager.go@2.0.5 DeletePipeline), or only the new version', async () => {
  const f = await fake({ multiUser: true });
  f.inject({ method: 'POST', path: /^\/runs$/, status: 500, body: '{"error":"Internal error: workflow could not be created","code":13}' });
  const first = await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, '--namespace', 'alice', '--no-wait']);
  assert.equal(first.code, 1);
  // The experiment it created goes too (experiment.proto DeleteExperiment): nothing of this submit is left.
  assert.match(first.stderr, /creating run '.*' failed with HTTP 500: Internal error: workflow could not be created \(removed what this submit created: experiment 'Default' \(.*\) and pipeline 'toy-kfp' \(.*\)\)\n$/);
  assert.deepEqual([f.pipelines.length, f.versions.length, f.experiments.length], [0, 0, 0]);

  const ok = await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, '--namespace', 'alice', '--no-wait']);
  assert.equal(ok.code, 0, ok.stderr);
  f.inject({ method: 'POST', path: /^\/runs$/, status: 400, body: '{"error":"Invalid input error: bad","code":3}' });
  const second = await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, '--namespace', 'alice', '--version', 'v2', '--no-wait']);
  // The experiment existed before this submit: it stays.
  assert.match(second.stderr, /removed what this submit created: version 'v2' \(.*\) of pipeline 'toy-kfp'\)\n$/);
  assert.deepEqual([f.pipelines.length, f.versions.length, f.experiments.length], [1, 1, 1]);
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

test("runs artifacts finds the run's outputs in ML Metadata and downloads them through the UI's artifact route into DIR/<task>/<output> (MlmdUtils.ts, client.go, handlers/artifacts.ts)", async () => {
  const { f, mlmd, ui } = await kfpWithIngress();
  const uris = mlmd.addRun({
    runId: 'run-art-1',
    tasks: [
      { name: 'train', outputs: [{ name: 'model', data: Buffer.from([0, 1, 2, 255]) }, { name: 'executor-logs', data: Buffer.from('log\n') }] },
      { name: 'evaluate', inputs: ['train/model'], outputs: [{ name: 'metrics', data: Buffer.from('{"auc":0.9}') }, { name: 'report', files: { 'index.html': Buffer.from('<h1>r</h1>'), 'img/roc.png': Buffer.from([137, 80, 78, 71]) } }] },
    ],
  });
  const out = join(cwd, 'artifacts-1');
  const r = await sealed(['runs', 'artifacts', 'run-art-1', '--out', 'artifacts-1', '--host', f.url]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n').sort(), ['evaluate/metrics', 'evaluate/report', 'train/model']);
  assert.deepEqual([...readFileSync(join(out, 'train', 'model'))], [0, 1, 2, 255]);
  assert.equal(readFileSync(join(out, 'evaluate', 'metrics'), 'utf8'), '{"auc":0.9}');
  assert.equal(readFileSync(join(out, 'evaluate', 'report', 'index.html'), 'utf8'), '<h1>r</h1>');
  assert.deepEqual([...readFileSync(join(out, 'evaluate', 'report', 'img', 'roc.png'))], [137, 80, 78, 71]);
  assert.deepEqual(readdirSync(join(out, 'train')), ['model']);
  assert.match(r.stderr, new RegExp(`train/model: 4 bytes from ${uris['train/model'].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  // gRPC-web at the ingress root, as the UI calls it; downloads under /pipeline, as the Download link.
  assert.deepEqual(mlmd.calls.map((c) => c.method), ['GetContextByTypeAndName', 'GetExecutionsByContext', 'GetEventsByExecutionIDs', 'GetArtifactsByID']);
  assert.ok(mlmd.calls.every((c) => c.headers['content-type'] === 'application/grpc-web+proto' && c.headers['x-grpc-web'] === '1' && c.headers.authorization === `Bearer ${TOKEN}`));
  assert.ok(ui.requests.every((q) => q.path.startsWith('/pipeline/artifacts/minio/mlpipeline/v2/artifacts/toy-kfp/run-art-1/')));
  assert.equal(f.requests.length, 0, 'the REST API is not needed');
  const again = await sealed(['runs', 'artifacts', 'run-art-1', '--out', 'artifacts-1', '--host', f.url]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already holds files/);

  const logs = await sealed(['runs', 'artifacts', 'run-art-1', '--out', 'artifacts-2', '--host', f.url, '--logs', '--task', 'train', '--json']);
  assert.deepEqual((JSON.parse(logs.stdout) as string[]).sort(), ['train/executor-logs', 'train/model']);
  const none = await sealed(['runs', 'artifacts', 'run-art-1', '--out', 'artifacts-3', '--host', f.url, '--output', 'nope']);
  assert.deepEqual([none.code, none.stderr], [0, 'run run-art-1 has no output artifacts matching output nope in ML Metadata\n']);
  const unknown = await sealed(['runs', 'artifacts', 'no-such-run', '--out', 'artifacts-4', '--host', f.url]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /has no record of run no-such-run \(no system.PipelineRun context\)/);
});

test('runs artifacts in multi-user Kubeflow sends the namespace the run context records (getArtifactsAuthMiddleware: namespace required, SubjectAccessReview, MLMD ownership)', async () => {
  const { f, mlmd, ui } = await kfpWithIngress({ multiUser: true, identities: { [BOB]: { user: 'bob@example.com', namespaces: ['bob'] } } });
  mlmd.addRun({ runId: 'run-alice', namespace: 'alice', tasks: [{ name: 'train', outputs: [{ name: 'model', data: Buffer.from('m') }] }] });
  const ok = await sealed(['runs', 'artifacts', 'run-alice', '--out', 'ns-1', '--host', f.url]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ui.requests.at(-1)?.query.namespace, 'alice');
  const denied = await sealed(['runs', 'artifacts', 'run-alice', '--out', 'ns-2', '--host', f.url], { KFP_TOKEN: BOB });
  assert.equal(denied.code, 1);
  assert.match(denied.stderr, /does not allow 'get' on viewers in namespace 'alice' \(HTTP 403: User 'bob@example.com' is not authorized/);
  assert.equal(existsSync(join(cwd, 'ns-2', 'train', 'model')), false);
  const anonymous = await sealed(['runs', 'artifacts', 'run-alice', '--out', 'ns-3', '--host', f.url], {});
  assert.equal(anonymous.code, 1);
  assert.match(anonymous.stderr, /refused the request without credentials \(HTTP 401/);
});

test('runs artifacts: a folder output on a UI before 2.17 (no .tar.gz of prefixes) fails with a clear message and leaves nothing', async () => {
  const { f, mlmd } = await kfpWithIngress({ folders: false });
  mlmd.addRun({ runId: 'run-old', tasks: [{ name: 'evaluate', outputs: [{ name: 'report', files: { 'a.txt': Buffer.from('a') } }] }] });
  const r = await sealed(['runs', 'artifacts', 'run-old', '--out', 'old-1', '--host', f.url]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /could not serve evaluate\/report \(minio:\/\/mlpipeline\/.*\/report\): HTTP 500: Failed to get object in bucket/);
  assert.deepEqual(readdirSync(join(cwd, 'old-1', 'evaluate')), []);
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

test('a file compiled for a newer KFP release than the cluster runs is refused before any upload (healthz tag_name, main.go@HEAD)', async () => {
  const { runCli } = await import('../../cli/helpers.ts');
  const { loanDefaultCatalog } = await import('../../../src/cli/pipelineCatalog.ts');
  for (const [compiledFor, cluster, accepted] of [['2.5', '2.3.0', false], ['2.0.5', '2.3.0', true], ['2.5', 'unknown', true], ['2.16', 'v2.17.0', true]] as const) {
    const file = `for-${compiledFor}.yaml`;
    const compiled = await runCli(['compile', '--output', file, '--image', 'r.example/sealed:1', '--kfp-version', compiledFor, '--node-selector', 'none'], { cwd, catalog: loanDefaultCatalog });
    assert.equal(compiled.code, 0, compiled.stderr);
    const f = await fake({ tagName: cluster });
    const r = await sealed(['submit', file, '--host', f.url, '--no-wait']);
    if (accepted) {
      assert.equal(r.code, 0, `${compiledFor} on ${cluster}: ${r.stderr}`);
    } else {
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /the file is compiled for Kubeflow Pipelines 2\.5\.0 and later, but .* runs 2\.3\.0; compile it again with --kfp-version 2\.3\.0/);
      assert.equal(f.calls('POST', '/pipelines/upload').length, 0, 'nothing uploaded');
    }
  }
});
