// `sealed submit` and `sealed runs ...` end to end, in-process, against the fake KFP API on
// 127.0.0.1: what reaches the server, what the user sees, exit codes, and that no credential
// is ever printed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { startFakeKfp, type FakeKfp, type FakeKfpOptions } from '../pipeline/kfp/fakeKfpServer.ts';
import { TOY_PIPELINE_YAML, writePipelineFile } from '../pipeline/kfp/toyPipelineYaml.ts';
import { loanDefaultCatalog } from '../../src/cli/pipelineCatalog.ts';
import { runCli, type CliResult } from './helpers.ts';

const TOKEN = 'cli-token-SECRET-0123456789';
const COOKIE = 'oauth2_proxy_kubeflow=cli-cookie-SECRET-xyz';
const FIXTURES = fileURLToPath(new URL('../pipeline/kfp/fixtures/', import.meta.url));
const CERT = readFileSync(join(FIXTURES, 'test-only-localhost.cert.pem'), 'utf8');
const KEY = readFileSync(join(FIXTURES, 'test-only-localhost.key.pem'), 'utf8');
const cwd = tempDir('sealed-kfp-cli-');
writePipelineFile(cwd);

const fakes: FakeKfp[] = [];
after(async () => {
  for (const f of fakes) await f.close();
});

async function fake(options: FakeKfpOptions = { token: TOKEN }): Promise<FakeKfp> {
  const f = await startFakeKfp(options);
  fakes.push(f);
  return f;
}

/** Runs the CLI with the token in the environment; asserts no secret shows in the output. */
async function sealed(argv: string[], env: Record<string, string> = { KFP_TOKEN: TOKEN }, signal?: AbortSignal): Promise<CliResult> {
  const r = await runCli(argv, { cwd, env, ...(signal ? { signal } : {}) });
  assert.ok(!`${r.stdout}${r.stderr}`.includes('SECRET'), `a secret was printed:\n${r.stdout}${r.stderr}`);
  return r;
}

const FAST = ['--poll-interval', '0.005'];

function runBodies(f: FakeKfp): unknown[] {
  return f.calls('POST', '/runs').map((r) => r.json);
}

test('submit uploads the pipeline, creates the experiment and the run, and follows it to SUCCEEDED', async () => {
  const f = await fake();
  const r = await sealed([
    'submit', 'toy-kfp.yaml', '--host', f.url, ...FAST,
    '--param', 'data_size=500', '--param', 'learning_rate=0.5', '--param', 'explain=true',
    '--param', 'features=["age"]', '--param', 'options={"depth":3}', '--param', 'data_url=https://data.example.com/x.csv?a=b',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const [run] = f.runs;
  assert.equal(r.stdout, `run: ${run.run_id}\nurl: ${f.url}/#/runs/details/${run.run_id}\nstate: SUCCEEDED\n`);
  const [pipeline] = f.pipelines;
  const [experiment] = f.experiments;
  assert.match(r.stderr, new RegExp(`^uploaded pipeline 'toy-kfp' \\(${pipeline.pipeline_id}\\)\ncreated experiment 'Default' \\(${experiment.experiment_id}\\)\n`));
  assert.match(r.stderr, /task train: SUCCEEDED \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ → \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\)\n/);
  assert.match(r.stderr, new RegExp(`run ${run.run_id}: SUCCEEDED, 3/3 tasks done\n$`));

  const [upload] = f.calls('POST', '/pipelines/upload');
  assert.deepEqual(upload.query, { name: 'toy-kfp', display_name: 'toy-kfp', description: 'Three tasks and typed run parameters' });
  assert.deepEqual(upload.upload, { fileName: 'toy-kfp.yaml', text: TOY_PIPELINE_YAML });
  assert.equal(upload.headers.authorization, `Bearer ${TOKEN}`);
  assert.deepEqual(f.calls('POST', '/experiments')[0].json, { display_name: 'Default' });
  const [body] = runBodies(f) as { display_name: string }[];
  assert.match(body.display_name, /^toy-kfp-\d{8}-\d{6}-\d{3}$/);
  assert.deepEqual(body, {
    display_name: body.display_name,
    experiment_id: experiment.experiment_id,
    pipeline_version_reference: { pipeline_id: pipeline.pipeline_id, pipeline_version_id: f.versions[0].pipeline_version_id },
    runtime_config: { parameters: { data_size: 500, learning_rate: 0.5, explain: true, features: ['age'], options: { depth: 3 }, data_url: 'https://data.example.com/x.csv?a=b' } },
  });
});

test('under the /pipeline prefix with a session cookie (env or file); a second submit adds a version and reuses the experiment', async () => {
  const f = await fake({ cookie: COOKIE, prefix: '/pipeline' });
  const first = await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, '--experiment', 'nightly', '--run-name', 'first', ...FAST], { KFP_COOKIE: COOKIE });
  assert.equal(first.code, 0, first.stderr);
  writeFileSync(join(cwd, 'cookie.txt'), `${COOKIE}\n`);
  const second = await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, '--experiment', 'nightly', '--version', 'v2', '--no-wait', '--cookie-file', 'cookie.txt'], {});
  assert.equal(second.code, 0, second.stderr);
  assert.equal(f.calls('POST', '/pipelines/upload').length, 1);
  const [version] = f.calls('POST', '/pipelines/upload_version');
  assert.deepEqual(version.query, { pipelineid: f.pipelines[0].pipeline_id, name: 'v2', display_name: 'v2', description: 'Three tasks and typed run parameters' });
  assert.equal(version.headers.cookie, COOKIE);
  assert.equal(version.headers.authorization, undefined);
  assert.match(second.stderr, new RegExp(`^uploaded version 'v2' of pipeline 'toy-kfp' \\(${f.versions[1].pipeline_version_id}\\)\nusing experiment 'nightly' `));
  assert.equal(f.calls('POST', '/experiments').length, 1);
  const bodies = runBodies(f) as { display_name: string; experiment_id: string; pipeline_version_reference: { pipeline_version_id: string } }[];
  assert.deepEqual(bodies.map((b) => b.display_name), ['first', bodies[1].display_name]);
  assert.equal(bodies[1].experiment_id, bodies[0].experiment_id);
  assert.equal(bodies[1].pipeline_version_reference.pipeline_version_id, f.versions[1].pipeline_version_id);
  // --no-wait: no status was read for the second run.
  assert.equal(f.calls('GET', `/runs/${f.runs[1].run_id}`).length, 0);
  assert.equal(second.stdout, `run: ${f.runs[1].run_id}\nurl: ${f.url}/#/runs/details/${f.runs[1].run_id}\n`);
});

test('--namespace reaches every call that takes one; --json ends stdout with the ids; KFP_HOST is a default host', async () => {
  const f = await fake({ token: TOKEN, multiUser: true });
  const r = await sealed(['submit', 'toy-kfp.yaml', '--namespace', 'alice', '--pipeline-name', 'toy-alice', '--no-wait', '--json'], { KFP_TOKEN: TOKEN, KFP_HOST: f.url });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(f.calls('GET', '/pipelines')[0].query.namespace, 'alice');
  assert.equal(f.calls('POST', '/pipelines/upload')[0].query.namespace, 'alice');
  assert.equal(f.calls('POST', '/pipelines/upload')[0].query.name, 'toy-alice');
  assert.equal(f.calls('GET', '/experiments')[0].query.namespace, 'alice');
  assert.deepEqual(f.calls('POST', '/experiments')[0].json, { display_name: 'Default', namespace: 'alice' });
  const json = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
  assert.deepEqual(json, {
    run_id: f.runs[0].run_id,
    run_url: `${f.url}/#/runs/details/${f.runs[0].run_id}`,
    pipeline_id: f.pipelines[0].pipeline_id,
    pipeline_version_id: f.versions[0].pipeline_version_id,
    experiment_id: f.experiments[0].experiment_id,
    state: 'PENDING',
  });
  assert.equal(f.experiments[0].namespace, 'alice');
});

test('a failed run exits 1 with its error; Ctrl-C stops watching with 130 and leaves the run running', async () => {
  const f = await fake();
  f.failNextRun('train', 'OOMKilled');
  const failed = await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, ...FAST]);
  assert.equal(failed.code, 1);
  assert.match(failed.stdout, /\nstate: FAILED\n$/);
  assert.match(failed.stderr, /task train: FAILED \(.*\)\n/);
  assert.match(failed.stderr, new RegExp(`\nsealed: run ${f.runs[0].run_id} ended FAILED: OOMKilled\n$`));

  const stop = new AbortController();
  const watching = sealed(['submit', 'toy-kfp.yaml', '--host', f.url, '--poll-interval', '30'], { KFP_TOKEN: TOKEN }, stop.signal);
  while (f.calls('GET', `/runs/${f.runs[1]?.run_id}`).length === 0) await new Promise((r) => setTimeout(r, 5));
  stop.abort();
  const stopped = await watching;
  assert.equal(stopped.code, 130);
  assert.match(stopped.stderr, new RegExp(`stopped watching; run ${f.runs[1].run_id} keeps running \\(sealed runs terminate ${f.runs[1].run_id} stops it\\)\n$`));
  assert.equal(f.requests.filter((q) => q.path.endsWith(':terminate')).length, 0);
});

test('parameters are checked locally before any request', async () => {
  const f = await fake();
  const cases: [string[], string][] = [
    [['--param', 'data_sise=5'], "sealed: pipeline 'toy-kfp' has no parameter 'data_sise'; did you mean 'data_size'?\n"],
    [['--param', 'data_size=1.5'], 'sealed: --param data_size=1.5: expected a whole number (NUMBER_INTEGER)\n'],
    [['--param', 'explain=1'], 'sealed: --param explain=1: expected true or false (BOOLEAN)\n'],
    [['--param', 'features'], "sealed: --param 'features' must be key=value\n"],
  ];
  for (const [args, message] of cases) {
    const r = await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, ...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr, message);
  }
  assert.equal(f.requests.length, 0);
  assert.equal(f.calls('POST', '/runs').length, 0);
});

test('KFP rejecting the file (strict parse) is shown with its text and the HTTP status; no run is created', async () => {
  const f = await fake();
  // A file from another compiler (only sealed-compiled files get our full IR check before upload).
  writePipelineFile(cwd, TOY_PIPELINE_YAML.replace('sdkVersion: sealed-0.1.0', 'extraField: true\nsdkVersion: kfp-2.7.0'), 'strict.yaml');
  const r = await sealed(['submit', 'strict.yaml', '--host', f.url]);
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    `sealed: KFP at ${f.url}: uploading pipeline 'toy-kfp' failed with HTTP 400: Failed to create a pipeline and a pipeline version: Invalid input error: pipeline spec is invalid: proto: unknown field "extraField"\n`,
  );
  assert.equal(f.calls('POST', '/runs').length, 0);
  writePipelineFile(cwd, 'pipelineInfo: {name: x}\n', 'broken.yaml');
  const local = await sealed(['submit', 'broken.yaml', '--host', f.url]);
  assert.equal(local.stderr, 'sealed: broken.yaml is not a compiled KFP pipeline: schemaVersion: Invalid input: expected string, received undefined\n');
  assert.equal(f.calls('POST', '/pipelines/upload').length, 1);
});

test('refused or missing credentials: exit 1, how to give them, and never the secret', async () => {
  const f = await fake();
  const none = await sealed(['submit', 'toy-kfp.yaml', '--host', f.url], {});
  assert.equal(none.code, 1);
  assert.equal(
    none.stderr,
    `sealed: KFP at ${f.url} refused the request without credentials (HTTP 401: Failed to authorize with API: Unauthenticated: Request header error: there is no user identity header.); give a bearer token with KFP_TOKEN or --token-file, or a session cookie name=value with KFP_COOKIE or --cookie-file\n`,
  );
  writeFileSync(join(cwd, 'wrong-token.txt'), 'wrong-SECRET-token\n');
  const wrong = await sealed(['runs', 'get', 'r1', '--host', f.url, '--token-file', 'wrong-token.txt'], { KFP_TOKEN: 'also-SECRET' });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /^sealed: KFP at .* refused the bearer token \(HTTP 401: .*\); give a bearer token/);
  assert.equal(f.requests.at(-1)?.headers.authorization, 'Bearer wrong-SECRET-token');
  const debug = await sealed(['runs', 'get', 'r1', '--host', f.url], { KFP_TOKEN: 'debug-SECRET', SEALED_DEBUG: '1' });
  assert.match(debug.stderr, /refused the bearer token/);
});

test('credential and option problems are usage errors naming the option or the source', async () => {
  const f = await fake();
  writeFileSync(join(cwd, 'not-a-cert.pem'), 'hello');
  writeFileSync(join(cwd, 'bad-cookie.txt'), 'just-a-SECRET-value');
  const cases: [string[], Record<string, string>, string][] = [
    [['runs', 'get', 'r'], { KFP_TOKEN: TOKEN }, 'sealed: sealed runs get needs --host URL (or env KFP_HOST)\n'],
    [['runs', 'get', 'r', '--host', f.url], { KFP_TOKEN: TOKEN, KFP_COOKIE: COOKIE }, 'sealed: give a bearer token or a session cookie, not both (token from KFP_TOKEN, cookie from KFP_COOKIE)\n'],
    [['runs', 'get', 'r', '--host', f.url, '--cookie-file', 'bad-cookie.txt'], {}, "sealed: --cookie-file bad-cookie.txt must hold one cookie as name=value (e.g. oauth2_proxy_kubeflow=...)\n"],
    [['runs', 'get', 'r', '--host', f.url], { KFP_TOKEN: 'two SECRET words' }, 'sealed: KFP_TOKEN must hold one bearer token: printable characters without spaces\n'],
    [['runs', 'get', 'r', '--host', f.url, '--ca-file', 'not-a-cert.pem'], { KFP_TOKEN: TOKEN }, 'sealed: --ca-file not-a-cert.pem is not a PEM CA certificate: no -----BEGIN CERTIFICATE----- block\n'],
    [['runs', 'get', 'r', '--host', f.url, '--ca-file', 'x.pem', '--insecure-skip-tls-verify'], { KFP_TOKEN: TOKEN }, 'sealed: --ca-file and --insecure-skip-tls-verify exclude each other\n'],
    [['runs', 'get', 'r', '--host', 'kubeflow.example.com'], { KFP_TOKEN: TOKEN }, "sealed: KFP host 'kubeflow.example.com' is invalid: use an http:// or https:// URL, e.g. https://kubeflow.example.com/pipeline\n"],
    [['runs', 'watch', 'r', '--host', f.url, '--poll-interval', '0'], { KFP_TOKEN: TOKEN }, "sealed: option --poll-interval must be a number of seconds > 0 and <= 2147483, got '0'\n"],
    [['runs', 'list', '--host', f.url, '--limit', '0'], { KFP_TOKEN: TOKEN }, "sealed: option --limit must be an integer from 1 to 2147483647, got '0'\n"],
  ];
  for (const [argv, env, message] of cases) {
    const r = await sealed(argv, env);
    assert.equal(r.stderr, message, argv.join(' '));
    assert.equal(r.code, 2, argv.join(' '));
  }
  const missing = await sealed(['runs', 'get', 'r', '--host', f.url, '--token-file', 'nope.txt']);
  assert.deepEqual([missing.code, missing.stderr], [1, 'sealed: file not found: nope.txt\n']);
  assert.equal(f.requests.length, 0);
});

test('an unreachable host is a clear one-line error', async () => {
  const closed = http.createServer();
  await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((done) => closed.close(() => done()));
  const r = await sealed(['submit', 'toy-kfp.yaml', '--host', `http://127.0.0.1:${port}/pipeline`]);
  assert.deepEqual([r.code, r.stderr], [1, `sealed: cannot reach KFP at http://127.0.0.1:${port}/pipeline: connection refused\n`]);
});

test('runs list, get, watch and terminate', async () => {
  const f = await fake({ token: TOKEN, multiUser: true });
  for (const name of ['a', 'b', 'c']) {
    const r = await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, '--namespace', 'alice', '--experiment', 'exp', '--run-name', name, '--no-wait']);
    assert.equal(r.code, 0, r.stderr);
  }
  const [a, b, c] = f.runs;

  const list = await sealed(['runs', 'list', '--host', f.url, '--namespace', 'alice', '--limit', '2']);
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual(list.stdout.trim().split('\n').map((l) => l.split(/\s+/)), [
    [c.run_id, 'PENDING', ...c.created_at.replace(/\.\d+/, '').split('T'), 'c'],
    [b.run_id, 'PENDING', ...b.created_at.replace(/\.\d+/, '').split('T'), 'b'],
  ]);
  assert.deepEqual(f.calls('GET', '/runs').at(-1)?.query, { namespace: 'alice', page_size: '2', sort_by: 'created_at desc' });
  const json = await sealed(['runs', 'list', '--host', f.url, '--namespace', 'alice', '--experiment', 'exp', '--json']);
  assert.deepEqual((JSON.parse(json.stdout) as { display_name: string }[]).map((r) => r.display_name), ['c', 'b', 'a']);
  assert.deepEqual(f.calls('GET', '/runs').at(-1)?.query, { experiment_id: f.experiments[0].experiment_id, page_size: '20', sort_by: 'created_at desc' });
  const unknownExperiment = await sealed(['runs', 'list', '--host', f.url, '--namespace', 'alice', '--experiment', 'nope']);
  assert.deepEqual([unknownExperiment.code, unknownExperiment.stderr], [1, "sealed: no experiment 'nope' in namespace 'alice'\n"]);
  const noFilter = await sealed(['runs', 'list', '--host', f.url]);
  // Multi-user mode is read from GET healthz (main.go@HEAD multi_user), as the KFP SDK does, before listing.
  assert.deepEqual([noFilter.code, noFilter.stderr], [2, `sealed: KFP at ${f.url} runs in multi-user mode: sealed runs list needs a namespace; give --namespace NS, env KFP_NAMESPACE, or set it in ~/.config/kfp/context.json (kfp.Client().set_user_namespace)\n`]);

  const watch = await sealed(['runs', 'watch', a.run_id, '--host', f.url, ...FAST]);
  assert.equal(watch.code, 0, watch.stderr);
  assert.match(watch.stderr, new RegExp(`run ${a.run_id}: SUCCEEDED, 3/3 tasks done\n$`));
  const get = await sealed(['runs', 'get', a.run_id, '--host', f.url]);
  assert.equal(get.code, 0);
  const lines = get.stdout.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/g, 'T').trim().split('\n');
  assert.deepEqual(lines, [
    `run ${a.run_id} (a): SUCCEEDED`,
    'created: T',
    'finished: T',
    `experiment: ${f.experiments[0].experiment_id}`,
    '  task make-data: SUCCEEDED (T → T)',
    '  task train: SUCCEEDED (T → T)',
    '  task evaluate: SUCCEEDED (T → T)',
  ]);
  const getJson = await sealed(['runs', 'get', a.run_id, '--host', f.url, '--json']);
  assert.equal((JSON.parse(getJson.stdout) as { state: string }).state, 'SUCCEEDED');

  const terminate = await sealed(['runs', 'terminate', b.run_id, '--host', f.url]);
  assert.deepEqual([terminate.code, terminate.stdout], [0, `terminating run ${b.run_id}\n`]);
  const canceled = await sealed(['runs', 'watch', b.run_id, '--host', f.url, ...FAST]);
  assert.deepEqual([canceled.code, canceled.stderr.split('\n').at(-2)], [1, `sealed: run ${b.run_id} ended CANCELED`]);
  const missing = await sealed(['runs', 'get', 'no-such-run', '--host', f.url]);
  assert.deepEqual([missing.code, missing.stderr], [1, 'sealed: no run no-such-run\n']);
  const missingTerminate = await sealed(['runs', 'terminate', 'no-such-run', '--host', f.url]);
  assert.deepEqual([missingTerminate.code, missingTerminate.stderr], [1, 'sealed: no run no-such-run\n']);
});

test('TLS with a self-signed certificate: refused by default, fine with --ca-file or --insecure-skip-tls-verify', async () => {
  const f = await fake({ token: TOKEN, tls: { cert: CERT, key: KEY }, prefix: '/pipeline' });
  const refused = await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, ...FAST]);
  assert.deepEqual([refused.code, refused.stderr], [1, `sealed: cannot reach KFP at ${f.url}: TLS certificate not trusted (self-signed certificate); give the CA that signed it with --ca-file PEM\n`]);
  assert.equal(f.requests.length, 0);
  const trusted = await sealed(['submit', 'toy-kfp.yaml', '--host', f.url, '--ca-file', join(FIXTURES, 'test-only-localhost.cert.pem'), ...FAST]);
  assert.equal(trusted.code, 0, trusted.stderr);
  assert.ok(!trusted.stderr.includes('warning'));
  const insecure = await sealed(['runs', 'get', f.runs[0].run_id, '--host', f.url, '--insecure-skip-tls-verify']);
  assert.equal(insecure.code, 0, insecure.stderr);
  assert.equal(insecure.stderr, `warning: not verifying the TLS certificate of ${f.url}\n`);
  assert.match(insecure.stdout, /: SUCCEEDED\n/);
});

test('the cluster path end to end: sealed compile, then sealed submit of that file with typed parameters', async () => {
  const f = await fake();
  const compiled = await runCli(['compile', '--output', 'loan-default.yaml', '--image', 'myacr.azurecr.io/sealed-pipelines:0.1.0', '--epc', '64Mi'], { cwd, catalog: loanDefaultCatalog });
  assert.equal(compiled.code, 0, compiled.stderr);
  const r = await sealed(['submit', 'loan-default.yaml', '--host', f.url, ...FAST, '--param', 'data_size=1000000', '--param', 'split=grouped', '--param', 'explain=false']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(f.calls('POST', '/pipelines/upload')[0].upload?.text, readFileSync(join(cwd, 'loan-default.yaml'), 'utf8'));
  const [body] = runBodies(f) as { runtime_config: unknown }[];
  assert.deepEqual(body.runtime_config, { parameters: { data_size: 1000000, split: 'grouped', explain: false } });
  assert.match(r.stderr, /7\/7 tasks done\n$/);
});

test('a file from sealed compile that was edited into an invalid IR is refused before any request', async () => {
  const f = await fake();
  const text = readFileSync(join(cwd, 'loan-default.yaml'), 'utf8').replace('schemaVersion: 2.1.0', 'schemaVersion: 2.1.0\nretries: 3');
  writeFileSync(join(cwd, 'edited.yaml'), text);
  const r = await sealed(['submit', 'edited.yaml', '--host', f.url, ...FAST]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "sealed: edited.yaml is not a compiled KFP pipeline: compiled pipeline spec fails the IR schema at /: unknown field 'retries' (KFP rejects unknown fields)\n");
  assert.equal(f.requests.length, 0);
});
