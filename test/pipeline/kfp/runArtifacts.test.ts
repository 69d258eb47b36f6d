// Attacks on `sealed runs artifacts` (src/pipeline/kfp/runArtifacts.ts), against the fake
// metadata-envoy (fakeMlmdEnvoy.ts: metadata_store.proto field numbers, gRPC-web framing of
// envoy's grpc_web filter, records as backend/src/v2/metadata/client.go@HEAD writes them) and the
// fake UI artifact route (fakeArtifactsUi.ts: frontend/server/handlers/artifacts.ts@HEAD). Each
// test is named after the attack. No output may contain a credential ('SECRET').
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tempDir } from '../helpers/tempDir.ts';
import { startFakeKfp, type FakeKfp } from './fakeKfpServer.ts';
import { FakeMlmd, frame, type FakeTask } from './fakeMlmdEnvoy.ts';
import { FakeArtifactsUi, tar } from './fakeArtifactsUi.ts';
import { runCli, type CliResult } from '../../cli/helpers.ts';
import { KfpClient, downloadArtifacts, listRunArtifacts } from '../../../src/pipeline/kfp/index.ts';
import { SealedError } from '../../../src/core/errors.ts';

const TOKEN = 'art-SECRET-token-9';
const cwd = tempDir('sealed-kfp-artifacts-');
const fakes: FakeKfp[] = [];
after(async () => {
  for (const f of fakes) await f.close();
});

async function cluster(tasks: FakeTask[], runId = 'run-x'): Promise<{ f: FakeKfp; mlmd: FakeMlmd; ui: FakeArtifactsUi; runId: string }> {
  const mlmd = new FakeMlmd();
  const ui = new FakeArtifactsUi(mlmd);
  const f = await startFakeKfp({ token: TOKEN, prefix: '/pipeline', ingress: (req, res, url, body, identity) => mlmd.handle(req, res, url.pathname, body) || ui.handle(req, res, url, identity) });
  fakes.push(f);
  mlmd.addRun({ runId, tasks });
  return { f, mlmd, ui, runId };
}

async function sealed(argv: string[]): Promise<CliResult> {
  const r = await runCli(argv, { cwd, env: { KFP_TOKEN: TOKEN } });
  assert.ok(!`${r.stdout}${r.stderr}`.includes('SECRET'), `a secret was printed:\n${r.stdout}${r.stderr}`);
  return r;
}

const fresh = (): string => `out-${Math.random().toString(36).slice(2)}`;

for (const [uri, reason] of [
  ['minio://mlpipeline/../../x', /has an empty, `\.` or `\.\.` path segment/],
  ['minio://mlpipeline/v2/artifacts/toy-kfp/run-x/../../../../secrets/key', /has an empty, `\.` or `\.\.` path segment/],
  ['minio://other-bucket/v2/artifacts/toy-kfp/run-x/train/model', /is outside the run's pipeline root minio:\/\/mlpipeline\/v2\/artifacts/],
  ['minio://mlpipeline/private/other-user/model', /is outside the run's pipeline root/],
  ['s3://mlpipeline/v2/artifacts/toy-kfp/run-x/train/model', /is outside the run's pipeline root/],
  ['file:///etc/passwd', /has scheme 'file', not one KFP writes outputs to/],
  ['http://169.254.169.254/latest/meta-data/iam', /has scheme 'http', not one KFP writes outputs to/],
  ['volume://pvc/etc/shadow', /has scheme 'volume'/],
  ['minio://mlpipeline/v2/artifacts/x\u001b[2J', /holds control characters/],
] as const) {
  test(`attack: artifact URI ${JSON.stringify(uri)} is refused before anything is downloaded`, async () => {
    const { f, ui, runId } = await cluster([
      { name: 'ok', outputs: [{ name: 'fine', data: Buffer.from('fine') }] },
      { name: 'train', outputs: [{ name: 'model', uri, data: Buffer.from('stolen') }] },
    ]);
    const dir = fresh();
    const r = await sealed(['runs', 'artifacts', runId, '--out', dir, '--host', f.url]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^sealed: refusing artifact train\/model from ML Metadata: URI /);
    assert.match(r.stderr, reason);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(r.stderr, /[\u0000-\u0008\u000b-\u001f]/);
    assert.equal(ui.requests.length, 0);
    assert.equal(existsSync(join(cwd, dir)), false);
  });
}

for (const [displayName, output, reason] of [
  ['../../escape', 'model', 'it holds a path separator'],
  ['/etc/passwd', 'model', 'it holds a path separator'],
  ['..', 'model', 'not a file name'],
  ['C:evil', 'model', 'it looks like a home or drive path'],
  ['train\u001b]0;pwned\u0007', 'model', 'it holds control characters'],
  ['train', '../../.ssh/authorized_keys', 'it holds a path separator'],
  ['train', '.bashrc', 'a hidden name'],
] as const) {
  test(`attack: task ${JSON.stringify(displayName)} / output ${JSON.stringify(output)} is refused before anything is written`, async () => {
    const { f, ui, runId } = await cluster([{ name: 'train', displayName, outputs: [{ name: output, data: Buffer.from('x') }] }]);
    const dir = fresh();
    const r = await sealed(['runs', 'artifacts', runId, '--out', dir, '--host', f.url]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`refusing artifact name .* from the server: ${reason}`));
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(r.stderr, /[\u0000-\u0008\u000b-\u001f]/);
    assert.equal(ui.requests.length, 0);
    assert.equal(existsSync(join(cwd, dir)), false);
  });
}

const grpcAttacks: [string, { status?: number; headers?: Record<string, string>; body: Buffer }, RegExp][] = [
  ['a gRPC-web frame announcing 4 GiB', { body: Buffer.from([0, 0xff, 0xff, 0xff, 0xf0, 1, 2, 3]) }, /a gRPC-web frame announces 4294967280 bytes, more than the limit of 67108864/],
  ['a truncated frame', { body: Buffer.concat([frame(0, Buffer.from([0x0a, 0x02])).subarray(0, 6)]) }, /the answer ends inside a gRPC-web frame/],
  ['an answer without trailers', { body: frame(0, Buffer.alloc(0)) }, /no trailers frame \(the answer was cut short\)/],
  ['a compressed frame', { body: frame(1, Buffer.from([1])) }, /gRPC-web frame flag 0x1 is not supported/],
  ['a message that is not protobuf', { body: Buffer.concat([frame(0, Buffer.from([0x0a, 0x7f, 1])), frame(0x80, Buffer.from('grpc-status:0\r\n'))]) }, /not a GetContextByTypeAndName answer \(field 1 announces 127 bytes, 1 left\)/],
  ['a login page with status 200', { headers: { 'content-type': 'text/html' }, body: Buffer.from('<html>login</html>') }, /content-type 'text\/html' is not gRPC-web/],
];
for (const [attack, answer, message] of grpcAttacks) {
  test(`attack: ${attack} from ML Metadata is refused with a one-line error`, async () => {
    const { f, mlmd, ui, runId } = await cluster([{ name: 'train', outputs: [{ name: 'model', data: Buffer.from('m') }] }]);
    mlmd.injectRaw(answer);
    const r = await sealed(['runs', 'artifacts', runId, '--out', fresh(), '--host', f.url]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^sealed: KFP at http:\/\/127\.0\.0\.1:\d+\/ml_metadata\.MetadataStoreService: unexpected answer to calling ML Metadata GetContextByTypeAndName: /);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.split('\n').length, 2);
    assert.equal(ui.requests.length, 0);
  });
}

test('attack: an error in the trailers (grpc-status != 0) becomes one clear line, scrubbed of the token and escaped', async () => {
  const { f, mlmd, runId } = await cluster([{ name: 'train', outputs: [{ name: 'model', data: Buffer.from('m') }] }]);
  mlmd.failNext(14, `upstream connect error\n Bearer ${TOKEN} \u001b[31m`);
  const r = await sealed(['runs', 'artifacts', runId, '--out', fresh(), '--host', f.url]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^sealed: ML Metadata at http:\/\/127\.0\.0\.1:\d+\/ml_metadata\.MetadataStoreService: GetContextByTypeAndName failed with UNAVAILABLE: upstream connect error Bearer \*\*\* \\x1b\[31m\n$/);
  // Trailers-only: the status in the HTTP headers (envoy for an upstream that never answered).
  mlmd.injectRaw({ headers: { 'grpc-status': '16', 'grpc-message': 'no%20identity' }, body: Buffer.alloc(0) });
  const t = await sealed(['runs', 'artifacts', runId, '--out', fresh(), '--host', f.url]);
  assert.match(t.stderr, /GetContextByTypeAndName failed with UNAUTHENTICATED: no identity\n$/);
});

test('attack: downloads over --max-bytes are stopped (announced, chunked without a length, and a gzip bomb folder) and leave nothing', async () => {
  const { f, ui, runId } = await cluster([{ name: 'train', outputs: [{ name: 'big', data: Buffer.alloc(5000, 1) }] }]);
  const dir = fresh();
  const announced = await sealed(['runs', 'artifacts', runId, '--out', dir, '--max-bytes', '1000', '--host', f.url]);
  assert.deepEqual([announced.code, announced.stderr], [2, 'sealed: artifacts exceed the limit of 1000 bytes at train/big; raise --max-bytes if that is expected\n']);
  ui.injectRaw({ chunks: Array.from({ length: 10 }, () => Buffer.alloc(500, 2)) });
  const chunked = await sealed(['runs', 'artifacts', runId, '--out', dir, '--max-bytes', '1000', '--host', f.url]);
  assert.deepEqual([chunked.code, chunked.stderr], [2, 'sealed: artifacts exceed the limit of 1000 bytes at train/big; raise --max-bytes if that is expected\n']);
  const bomb = gzipSync(tar([['zeros.bin', Buffer.alloc(20 * 1024 * 1024)]]));
  assert.ok(bomb.length < 100_000);
  ui.injectRaw({ headers: { 'content-type': 'application/gzip', 'content-disposition': 'attachment; filename="big.tar.gz"' }, chunks: [bomb] });
  const folder = await sealed(['runs', 'artifacts', runId, '--out', dir, '--max-bytes', '1000000', '--host', f.url]);
  assert.deepEqual([folder.code, folder.stderr], [2, 'sealed: artifacts exceed the limit of 1000000 bytes at train/big; raise --max-bytes if that is expected\n']);
  assert.deepEqual(readdirSync(join(cwd, dir, 'train')), []);
});

test('attack: a download cut short of its announced length fails and keeps no partial file', async () => {
  const { f, ui, runId } = await cluster([{ name: 'train', outputs: [{ name: 'model', data: Buffer.from('m') }] }]);
  ui.injectRaw({ headers: { 'content-length': '5000' }, chunks: [Buffer.alloc(100)], destroy: true });
  const dir = fresh();
  const r = await sealed(['runs', 'artifacts', runId, '--out', dir, '--host', f.url]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^sealed: (cannot reach KFP at .*|download of train\/model is incomplete: .*)\n$/);
  assert.deepEqual(readdirSync(join(cwd, dir, 'train')), []);
});

test('attack: a folder archive with ../ names, absolute names or links is refused and leaves nothing', async () => {
  for (const [entries, type, reason] of [
    [[['../../evil.sh', Buffer.from('x')]], '0', /it leads out of the folder/],
    [[['/etc/cron.d/x', Buffer.from('x')]], '0', /an absolute path/],
    [[['link', Buffer.alloc(0)]], '2', /a folder archive entry of type 'symlink'/],
  ] as const) {
    const { f, ui, runId } = await cluster([{ name: 'train', outputs: [{ name: 'model', data: Buffer.from('m') }] }]);
    ui.injectRaw({ headers: { 'content-type': 'application/gzip', 'content-disposition': 'attachment; filename="model.tar.gz"' }, chunks: [gzipSync(tar(entries, type))] });
    const dir = fresh();
    const r = await sealed(['runs', 'artifacts', runId, '--out', dir, '--host', f.url]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, reason);
    assert.deepEqual(readdirSync(join(cwd, dir, 'train')), []);
    assert.equal(existsSync(join(cwd, 'evil.sh')), false);
  }
});

test('attack: stalled and slow transfers time out (no bytes for the client timeout; the whole transfer over its deadline) and leave nothing', async () => {
  const { f, ui, runId } = await cluster([{ name: 'train', outputs: [{ name: 'model', data: Buffer.from('m') }] }]);
  const client = new KfpClient({ host: f.url, credentials: { kind: 'bearer', token: TOKEN }, timeoutMs: 300 });
  try {
    const run = await listRunArtifacts(client, runId);
    const dir = join(cwd, fresh());
    ui.injectRaw({ headers: { 'content-length': '1000' }, chunks: [Buffer.alloc(10)], hang: true });
    const stalled = await downloadArtifacts(client, run, dir, { maxBytes: 10_000 }).catch((e: unknown) => e);
    assert.ok(stalled instanceof SealedError);
    assert.match(stalled.message, /^cannot reach KFP at http:\/\/127\.0\.0\.1:\d+\/pipeline: no answer within 300 ms$/);
    ui.injectRaw({ chunks: Array.from({ length: 30 }, () => Buffer.alloc(1)), delayMs: 50 });
    const slow = await downloadArtifacts(client, run, dir, { maxBytes: 10_000, transferTimeoutMs: 400 }).catch((e: unknown) => e);
    assert.ok(slow instanceof SealedError);
    assert.match(slow.message, /downloading train\/model took longer than 400 ms/);
    assert.deepEqual(readdirSync(join(dir, 'train')), []);
  } finally {
    await client.close();
  }
});

test('credentials go only in headers: the token is sent to ML Metadata and the UI but never printed, even when a proxy echoes it', async () => {
  const { f, mlmd, ui, runId } = await cluster([{ name: 'train', outputs: [{ name: 'model', data: Buffer.from('m') }] }]);
  ui.injectRaw({ status: 500, headers: { 'content-type': 'text/plain' }, chunks: [Buffer.from(`proxy error for Authorization: Bearer ${TOKEN}`)] });
  const r = await sealed(['runs', 'artifacts', runId, '--out', fresh(), '--host', f.url]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /HTTP 500: proxy error for Authorization: Bearer \*\*\*/);
  assert.ok(mlmd.calls.every((c) => c.headers.authorization === `Bearer ${TOKEN}`));
  assert.equal(ui.requests[0].headers.authorization, `Bearer ${TOKEN}`);
  assert.ok(!JSON.stringify(ui.requests[0].query).includes('SECRET'));
});
