// KfpClient against the in-process fake KFP API: the exact requests it sends (paths, query,
// headers, bodies, the uploaded bytes), and the one-line errors it raises for every way a call
// can fail. Credentials must never appear in an error.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { IoError, PipelineError, DataError, type SealedError } from '../../../src/core/errors.ts';
import { bearerToken, KfpClient, readCompiledPipeline, sessionCookie, type KfpClientOptions } from '../../../src/pipeline/kfp/index.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { startFakeKfp, type FakeKfp, type FakeKfpOptions } from './fakeKfpServer.ts';
import { TOY_PIPELINE_YAML, writePipelineFile } from './toyPipelineYaml.ts';

const TOKEN = 'tok-SECRET-1234567890';
const COOKIE = 'oauth2_proxy_kubeflow=cookie-SECRET-abcdef';
const CERT = readFileSync(new URL('./fixtures/test-only-localhost.cert.pem', import.meta.url), 'utf8');
const KEY = readFileSync(new URL('./fixtures/test-only-localhost.key.pem', import.meta.url), 'utf8');
const dir = tempDir('sealed-kfp-client-');
const compiled = await readCompiledPipeline(writePipelineFile(dir), 'toy-kfp.yaml');

const open: { close(): Promise<void> }[] = [];
after(async () => {
  for (const o of open) await o.close();
});

async function fake(options: FakeKfpOptions = { token: TOKEN }): Promise<FakeKfp> {
  const f = await startFakeKfp(options);
  open.push(f);
  return f;
}

function client(f: FakeKfp, options: Partial<KfpClientOptions> = {}): KfpClient {
  const c = new KfpClient({ host: f.url, credentials: bearerToken(TOKEN, 'KFP_TOKEN'), ...options });
  open.push(c);
  return c;
}

/** A rejection of this class with exactly this message, which shows no secret. */
async function failsWith(promise: Promise<unknown>, kind: new (...args: never[]) => SealedError, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof kind, `expected ${kind.name}, got ${String(e)}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    assert.ok(!e.message.includes('SECRET'), e.message);
    return true;
  });
}

test('upload sends the file unchanged as multipart uploadfile, with name, display name and namespace', async () => {
  const f = await fake();
  const c = client(f, { namespace: 'alice' });
  const pipeline = await c.uploadPipeline('toy-kfp', compiled.upload, { description: 'toy' });
  assert.equal(pipeline.display_name, 'toy-kfp');
  const [req] = f.calls('POST', '/pipelines/upload');
  assert.deepEqual(req.query, { name: 'toy-kfp', display_name: 'toy-kfp', description: 'toy', namespace: 'alice' });
  assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
  assert.equal(req.headers.cookie, undefined);
  assert.match(req.headers['content-type'] ?? '', /^multipart\/form-data; boundary=/);
  assert.deepEqual(req.upload, { fileName: 'toy-kfp.yaml', text: TOY_PIPELINE_YAML });

  const found = await c.findPipeline('toy-kfp');
  assert.equal(found?.pipeline_id, pipeline.pipeline_id);
  const [list] = f.calls('GET', '/pipelines');
  assert.deepEqual(list.query, { namespace: 'alice', filter: '{"predicates":[{"key":"display_name","operation":"EQUALS","string_value":"toy-kfp"}]}', page_size: '100' });
  assert.equal(await c.findPipeline('other'), undefined);

  const version = await c.uploadPipelineVersion(pipeline.pipeline_id, 'v2', compiled.upload);
  assert.deepEqual(f.calls('POST', '/pipelines/upload_version')[0].query, { pipelineid: pipeline.pipeline_id, name: 'v2', display_name: 'v2' });
  const { versions } = await c.listPipelineVersions(pipeline.pipeline_id, { pageSize: 1, sortBy: 'created_at desc' });
  assert.deepEqual(versions.map((v) => v.pipeline_version_id), [version.pipeline_version_id]);
  assert.deepEqual(f.calls('GET', `/pipelines/${pipeline.pipeline_id}/versions`)[0].query, { page_size: '1', sort_by: 'created_at desc' });
});

test('the base path is kept: a host under /pipeline reaches the API there', async () => {
  const f = await fake({ token: TOKEN, prefix: '/pipeline' });
  assert.match(f.url, /\/pipeline$/);
  const c = client(f, { host: `${f.url}/` });
  await c.uploadPipeline('toy-kfp', compiled.upload);
  assert.equal(f.calls('POST', '/pipelines/upload').length, 1);
  assert.equal(c.runUrl('r-1'), `${f.url}/#/runs/details/r-1`);
  // Without the prefix the ingress has nothing there.
  const bare = client(f, { host: f.url.replace(/\/pipeline$/, '') });
  await failsWith(bare.findPipeline('toy-kfp'), PipelineError, /^KFP at http:\/\/127\.0\.0\.1:\d+: looking up pipeline 'toy-kfp' failed with HTTP 404: 404 page not found$/);
});

test('a session cookie is sent as a Cookie header instead of a token', async () => {
  const f = await fake({ cookie: COOKIE });
  const c = client(f, { credentials: sessionCookie(COOKIE, 'KFP_COOKIE') });
  const { experiment, created } = await c.findOrCreateExperiment('Default');
  assert.equal(created, true);
  const [post] = f.calls('POST', '/experiments');
  assert.equal(post.headers.cookie, COOKIE);
  assert.equal(post.headers.authorization, undefined);
  assert.deepEqual(post.json, { display_name: 'Default' });
  const again = await c.findOrCreateExperiment('Default');
  assert.deepEqual(again, { experiment, created: false });
  assert.equal(f.calls('POST', '/experiments').length, 1);
});

test('runs: create with a version reference and typed parameters, get, list by page, terminate', async () => {
  const f = await fake();
  const c = client(f, { namespace: 'alice' });
  const pipeline = await c.uploadPipeline('toy-kfp', compiled.upload);
  const [version] = (await c.listPipelineVersions(pipeline.pipeline_id)).versions;
  const { experiment } = await c.findOrCreateExperiment('exp');
  assert.deepEqual(f.calls('POST', '/experiments')[0].json, { display_name: 'exp', namespace: 'alice' });
  const ids: string[] = [];
  for (const name of ['r1', 'r2', 'r3']) {
    const run = await c.createRun({ displayName: name, experimentId: experiment.experiment_id, pipelineId: pipeline.pipeline_id, pipelineVersionId: version.pipeline_version_id, parameters: { data_size: 5, features: ['a'] } });
    assert.equal(run.state, 'PENDING');
    ids.push(run.run_id);
  }
  assert.deepEqual(f.calls('POST', '/runs')[0].json, {
    display_name: 'r1',
    experiment_id: experiment.experiment_id,
    pipeline_version_reference: { pipeline_id: pipeline.pipeline_id, pipeline_version_id: version.pipeline_version_id },
    runtime_config: { parameters: { data_size: 5, features: ['a'] } },
  });

  const first = await c.listRuns({ pageSize: 2 });
  assert.deepEqual(first.runs.map((r) => r.display_name), ['r3', 'r2']);
  assert.equal(first.totalSize, 3);
  assert.ok(first.nextPageToken);
  const second = await c.listRuns({ pageSize: 2, pageToken: first.nextPageToken });
  assert.deepEqual(second.runs.map((r) => r.display_name), ['r1']);
  assert.equal(second.nextPageToken, undefined);
  assert.deepEqual(f.calls('GET', '/runs')[0].query, { namespace: 'alice', page_size: '2', sort_by: 'created_at desc' });
  assert.deepEqual((await c.listRuns({ experimentId: experiment.experiment_id })).runs.length, 3);
  assert.deepEqual(f.calls('GET', '/runs')[2].query, { experiment_id: experiment.experiment_id, sort_by: 'created_at desc' });

  await c.terminateRun(ids[0]);
  assert.equal(f.calls('POST', `/runs/${ids[0]}:terminate`).length, 1);
  const run = await c.getRun(ids[0]);
  assert.equal(run.state, 'CANCELED');
  await failsWith(c.getRun('no-such-run'), PipelineError, 'no run no-such-run');
  await failsWith(c.terminateRun('no-such-run'), PipelineError, 'no run no-such-run');
});

test('KFP refusing a parameter type or a spec is shown with its own text and the status', async () => {
  const f = await fake();
  const c = client(f);
  const pipeline = await c.uploadPipeline('toy-kfp', compiled.upload);
  const [version] = (await c.listPipelineVersions(pipeline.pipeline_id)).versions;
  const { experiment } = await c.findOrCreateExperiment('exp');
  const run = { displayName: 'r', experimentId: experiment.experiment_id, pipelineId: pipeline.pipeline_id, pipelineVersionId: version.pipeline_version_id };
  await failsWith(
    c.createRun({ ...run, parameters: { data_size: '5' } }),
    PipelineError,
    /^KFP at http:\/\/127\.0\.0\.1:\d+: creating run 'r' failed with HTTP 400: Failed to create a run: Invalid input error: input parameter data_size requires type NUMBER_INTEGER, got "5"$/,
  );
  await failsWith(c.createRun({ ...run, parameters: { nope: 1 } }), PipelineError, /HTTP 400: Failed to create a run: Invalid input error: Unrecognized input parameter: nope$/);
  const strict = { ...compiled.upload, bytes: Buffer.from(TOY_PIPELINE_YAML.replace('sdkVersion:', 'extraField: 1\nsdkVersion:')) };
  await failsWith(
    c.uploadPipeline('strict', strict),
    PipelineError,
    /^KFP at http:\/\/127\.0\.0\.1:\d+: uploading pipeline 'strict' failed with HTTP 400: Failed to create a pipeline and a pipeline version: Invalid input error: pipeline spec is invalid: proto: unknown field "extraField"$/,
  );
});

test('refused credentials: a clear message with the server text and how to give them, never the secret', async () => {
  const f = await fake();
  const hint = 'give a bearer token with KFP_TOKEN or --token-file, or a session cookie name=value with KFP_COOKIE or --cookie-file';
  const none = client(f, { credentials: undefined });
  await failsWith(
    none.findPipeline('x'),
    IoError,
    `KFP at ${f.url} refused the request without credentials (HTTP 401: Failed to authorize with API: Unauthenticated: Request header error: there is no user identity header.); ${hint}`,
  );
  assert.equal(f.requests.at(-1)?.headers.authorization, undefined);
  const wrongToken = client(f, { credentials: bearerToken('wrong-SECRET-token', 'KFP_TOKEN') });
  await failsWith(wrongToken.getRun('r'), IoError, /refused the bearer token \(HTTP 401: .*no user identity header\.\); give a bearer token/);
  const wrongCookie = client(f, { credentials: sessionCookie('authservice_session=SECRET', 'KFP_COOKIE') });
  await failsWith(wrongCookie.getRun('r'), IoError, /refused the session cookie 'authservice_session' \(HTTP 401/);
  f.inject({ method: 'GET', path: /^\/runs\//, status: 403, body: '{"error":"User is not authorized to GET runs in namespace alice","code":7}' });
  await failsWith(client(f, { namespace: 'alice' }).getRun('r'), IoError, /knows who you are \(the bearer token was accepted\) but does not allow 'get' on runs in namespace 'alice'/);
  f.inject({ method: 'GET', path: /^\/runs\//, status: 302, body: '', headers: { location: '/oauth2/start?rd=%2Fpipeline&state=SECRET' } });
  await failsWith(client(f).getRun('r'), IoError, `KFP at ${f.url} refused the bearer token (HTTP 302: redirected to the login page ${f.url}/oauth2/start); ${hint}`);
});

test('a server (or proxy) that echoes the credentials back has them scrubbed from the message', async () => {
  const f = await fake();
  f.inject({ method: 'GET', path: /^\/runs\//, status: 500, body: JSON.stringify({ error: `upstream rejected header Authorization: Bearer ${TOKEN}`, code: 13 }) });
  await failsWith(client(f).getRun('r'), IoError, `KFP at ${f.url}: reading run r failed with HTTP 500: upstream rejected header Authorization: Bearer ***`);
  f.inject({ method: 'GET', path: /^\/runs\//, status: 502, body: `<html>\n<body>bad gateway for cookie-SECRET-abcdef</body>\n</html>` });
  const c = client(f, { credentials: sessionCookie(COOKIE, 'KFP_COOKIE') });
  await failsWith(c.getRun('r'), IoError, `KFP at ${f.url}: reading run r failed with HTTP 502: <html> <body>bad gateway for ***</body> </html>`);
  f.inject({ method: 'POST', path: /^\/pipelines\/upload$/, status: 413, body: '{"error_message":"File size too large. Maximum supported size: 32MB","error_details":"..."}' });
  await failsWith(client(f).uploadPipeline('big', compiled.upload), PipelineError, `KFP at ${f.url}: uploading pipeline 'big' failed with HTTP 413: File size too large. Maximum supported size: 32MB`);
});

test('answers that are not what the API promises are refused', async () => {
  const f = await fake();
  f.inject({ method: 'GET', path: /^\/runs\//, status: 200, body: '<!doctype html><title>Kubeflow Central Dashboard</title>' });
  await failsWith(client(f).getRun('r'), DataError, `KFP at ${f.url}: unexpected answer to reading run r: not JSON; is the host the KFP API (e.g. https://<kubeflow>/pipeline)?`);
  f.inject({ method: 'GET', path: /^\/runs\//, status: 200, body: '{"run_id": 42}' });
  await failsWith(client(f).getRun('r'), DataError, `KFP at ${f.url}: unexpected answer to reading run r: run_id: Invalid input: expected string, received number`);
  // Unknown fields are fine.
  f.inject({ method: 'GET', path: /^\/runs\//, status: 200, body: '{"run_id": "r", "state": "RUNNING", "brand_new_field": {"x": 1}}' });
  assert.deepEqual(await client(f).getRun('r'), { run_id: 'r', state: 'RUNNING' });
});

test('network failures: refused connection, timeout, and a caller abort that is not a failure', async () => {
  const closed = http.createServer();
  await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((done) => closed.close(() => done()));
  const gone = new KfpClient({ host: `http://127.0.0.1:${port}/pipeline`, credentials: bearerToken(TOKEN, 'KFP_TOKEN') });
  open.push(gone);
  await failsWith(gone.getRun('r'), IoError, `cannot reach KFP at http://127.0.0.1:${port}/pipeline: connection refused`);

  const f = await fake();
  f.inject({ method: 'GET', path: /^\/runs\//, hang: true });
  await failsWith(client(f, { timeoutMs: 150 }).getRun('r'), IoError, `cannot reach KFP at ${f.url}: no answer within 150 ms`);

  f.inject({ method: 'GET', path: /^\/runs\//, hang: true });
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 50);
  await assert.rejects(client(f).getRun('r', stop.signal), (e: unknown) => (e as Error).name === 'AbortError');
});

test('bad hosts are refused before anything is sent', () => {
  const bad = (host: string, reason: string): void =>
    assert.throws(() => new KfpClient({ host }), (e: unknown) => e instanceof PipelineError === false && (e as SealedError).exitCode === 2 && (e as Error).message === reason);
  bad('kubeflow.example.com', "KFP host 'kubeflow.example.com' is invalid: use an http:// or https:// URL, e.g. https://kubeflow.example.com/pipeline");
  bad('ftp://h/pipeline', "KFP host 'ftp://h/pipeline' is invalid: use an http:// or https:// URL, e.g. https://kubeflow.example.com/pipeline");
  bad('https://me:SECRET@h/pipeline', "KFP host 'https://***@h/pipeline' is invalid: credentials in the URL are not accepted; use KFP_TOKEN or KFP_COOKIE");
  bad('https://h/pipeline?x=1', "KFP host 'https://h/pipeline?x=***' is invalid: a query or fragment is not accepted");
});

test('TLS: a self-signed server is refused by default, trusted with its CA, or accepted unverified when asked', async () => {
  const f = await fake({ token: TOKEN, tls: { cert: CERT, key: KEY } });
  assert.match(f.url, /^https:/);
  await failsWith(
    client(f).findPipeline('x'),
    IoError,
    `cannot reach KFP at ${f.url}: TLS certificate not trusted (self-signed certificate); give the CA that signed it with --ca-file PEM`,
  );
  assert.equal(await client(f, { caPem: CERT }).findPipeline('x'), undefined);
  assert.equal(await client(f, { insecureSkipTlsVerify: true }).findPipeline('x'), undefined);
  assert.equal(f.calls('GET', '/pipelines').length, 2);
});
