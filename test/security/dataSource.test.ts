// Attacks on the data source (`data_url` of load-data: `sealed run --data-url`, the dashboard's "start a run" form,
// a KFP run parameter). Network traffic goes only to servers on 127.0.0.1; every other address is tested through an
// injected resolver and a connector that records what it was asked to connect to, so a refusal is shown to happen
// BEFORE any connection (the recorder stays empty), never by connecting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync, existsSync, openSync, closeSync, constants as fsc } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CLI_SOURCE_POLICY,
  EXECUTOR_SOURCE_POLICY,
  fetchDataSource,
  parseSourcePolicy,
  serializeSourcePolicy,
  type ConnectTarget,
  type FetchOptions,
  type ResolvedAddress,
  type SourcePolicy,
} from '../../src/data/source/index.ts';
import { directConnector } from '../../src/data/source/networkPolicy.ts';
import { isSealedError, type SealedError } from '../../src/core/errors.ts';
import { executorMain } from '../../src/cli/executorMain.ts';
import { loanDefaultCatalog } from '../../src/cli/pipelineCatalog.ts';
import { compilePipeline } from '../../src/pipeline/index.ts';
import { loanDefaultPipeline } from '../../src/pipelines/loan-default/index.ts';
import { runCli } from '../cli/helpers.ts';
import { listTree, tempDir } from '../pipeline/helpers/tempDir.ts';
import { writeRawCsv } from '../pipelines/loan-default/helpers.ts';

const CSV = 'a,b\n1,2\n3,4\n';
const dir = tempDir('sealed-security-data-');
const dest = (name: string) => join(dir, 'out', name);
const PUBLIC = '93.184.216.34'; // a global unicast address; never connected to (the recorder redirects to loopback)
const METADATA = '169.254.169.254';

let server: http.Server;
let port = 0;
const hits: string[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/data.csv') {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end(CSV);
    } else if (u.pathname === '/redirect') {
      res.writeHead(302, { location: u.searchParams.get('to') ?? '/' });
      res.end();
    } else if (u.pathname === '/metadata') {
      res.writeHead(200);
      res.end('{\n  "Code" : "Success",\n  "AccessKeyId" : "ASIAEXAMPLEKEY",\n  "SecretAccessKey" : "wJalrXUtnFEMIsecretEXAMPLEKEY"\n}\n');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

/** A resolver and connector that record every call; the connector sends the request to the loopback server. */
function recorder(answers: Record<string, readonly ResolvedAddress[] | (() => readonly ResolvedAddress[])>) {
  const resolved: string[] = [];
  const connects: ConnectTarget[] = [];
  return {
    resolved,
    connects,
    network: {
      resolve: async (hostname: string) => {
        resolved.push(hostname);
        const a = answers[hostname];
        if (a === undefined) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
        return typeof a === 'function' ? a() : a;
      },
      connect: (target: ConnectTarget) => {
        connects.push(target);
        return net.connect(port, '127.0.0.1');
      },
    },
  };
}

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });
const v6 = (address: string): ResolvedAddress => ({ address, family: 6 });

function refusedAddress(address?: string) {
  return (e: unknown) => {
    assert.ok(isSealedError(e), String(e));
    assert.equal((e as SealedError).code, 'source.privateAddress', (e as Error).message);
    if (address !== undefined) assert.ok((e as Error).message.includes(address), (e as Error).message);
    assert.ok(!(e as Error).message.includes('\n'));
    return true;
  };
}

function code(expected: string, notIncludes: string[] = []) {
  return (e: unknown) => {
    assert.ok(isSealedError(e), String(e));
    assert.equal((e as SealedError).code, expected, (e as Error).message);
    for (const s of notIncludes) assert.ok(!(e as Error).message.includes(s), `message leaks '${s}': ${(e as Error).message}`);
    assert.ok(!(e as Error).message.includes('\n'));
    return true;
  };
}

const DEFAULT: SourcePolicy = CLI_SOURCE_POLICY;
const fetchWith = (url: string, name: string, extra: Partial<FetchOptions> = {}) => fetchDataSource(url, { destPath: dest(name), timeoutMs: 3000, ...extra });

// --- network -----------------------------------------------------------------------------------------------------

test('SSRF: the cloud metadata address as an IP literal is refused before any connection', async () => {
  const r = recorder({});
  for (const url of [`http://${METADATA}/latest/meta-data/iam/security-credentials/`, 'http://[fd00:ec2::254]/latest/api/token', 'https://[fe80::a9fe:a9fe]/']) {
    await assert.rejects(fetchWith(url, 'm.csv', { network: r.network }), refusedAddress());
  }
  assert.deepEqual(r.resolved, [], 'IP literals are checked as they are, not resolved');
  assert.deepEqual(r.connects, []);
});

test('SSRF: a host name that resolves to the metadata address is refused before any connection', async () => {
  const r = recorder({ 'metadata.attacker.example': [v4(METADATA)], 'mixed.attacker.example': [v4(PUBLIC), v6('fd00:ec2::254')] });
  await assert.rejects(fetchWith('http://metadata.attacker.example/x.csv', 'h.csv', { network: r.network }), refusedAddress(METADATA));
  // Every resolved address is checked, not only the first.
  await assert.rejects(fetchWith('http://mixed.attacker.example/x.csv', 'h2.csv', { network: r.network }), refusedAddress('fd00:ec2::254'));
  assert.deepEqual(r.resolved, ['metadata.attacker.example', 'mixed.attacker.example']);
  assert.deepEqual(r.connects, []);
});

test('SSRF: decimal, octal and hex spellings of loopback and metadata IPv4 addresses are refused', async () => {
  const r = recorder({});
  // WHATWG URL parsing turns each into dotted form (2130706433 -> 127.0.0.1), which is what is checked.
  const spellings = ['http://2130706433/', 'http://0x7f.1/', 'http://017700000001/', 'http://127.1/', 'http://0x7f000001/', 'http://2852039166/', 'http://0xa9.0xfe.0xa9.0xfe/', 'http://0/'];
  for (const url of spellings) await assert.rejects(fetchWith(url, 's.csv', { network: r.network }), refusedAddress(), url);
  assert.deepEqual(r.resolved, []);
  assert.deepEqual(r.connects, []);
});

test('SSRF: IPv4-mapped IPv6, NAT64 and other IPv6 forms of private addresses are refused', async () => {
  const r = recorder({ 'mapped.attacker.example': [v6('::ffff:169.254.169.254')], 'nat64.attacker.example': [v6('64:ff9b::a9fe:a9fe')] });
  const urls = ['http://[::ffff:127.0.0.1]/', 'http://[::ffff:a9fe:a9fe]/', 'http://[::1]/', 'http://[::]/', 'http://[64:ff9b::7f00:1]/', 'http://[fc00::1]/', 'http://[2002:a9fe:a9fe::1]/', 'http://mapped.attacker.example/', 'http://nat64.attacker.example/'];
  for (const url of urls) await assert.rejects(fetchWith(url, 'v6.csv', { network: r.network }), refusedAddress(), url);
  assert.deepEqual(r.connects, []);
});

test('DNS rebinding: the name is resolved once and the connection goes to the checked address', async () => {
  let calls = 0;
  // Public for the check, the metadata address for any second lookup.
  const r = recorder({ 'rebind.attacker.example': () => (calls++ === 0 ? [v4(PUBLIC)] : [v4(METADATA)]) });
  const got = await fetchWith(`http://rebind.attacker.example:${port}/data.csv`, 'rb.csv', { network: r.network });
  assert.equal(readFileSync(got.path, 'utf8'), CSV);
  assert.equal(calls, 1, 'one lookup per hop');
  assert.deepEqual(r.connects.map((c) => c.addresses), [[v4(PUBLIC)]]);

  // The production connector asks no resolver again: a name that only the checked list knows (.invalid never
  // resolves) still connects, to the checked loopback address, though the resolver would now answer otherwise.
  let lookups = 0;
  const rebinding = { resolve: async () => (lookups++ === 0 ? [v4('127.0.0.1')] : [v4(METADATA)]) };
  const direct = await fetchWith(`http://rebind.invalid:${port}/data.csv`, 'rb2.csv', { network: rebinding, policy: { ...DEFAULT, allowPrivateNetworks: true } });
  assert.equal(readFileSync(direct.path, 'utf8'), CSV);
  assert.equal(lookups, 1);
  const socket = directConnector({ hostname: 'rebind.invalid', port, tls: false, addresses: [v4('127.0.0.1')] });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  assert.equal(socket.remoteAddress, '127.0.0.1');
  socket.destroy();
});

test('SSRF: a redirect to loopback, to the metadata address or to a name resolving to either is refused before connecting', async () => {
  const r = recorder({ 'public.example': [v4(PUBLIC)], 'evil.example': [v4('127.0.0.1')] });
  for (const to of ['http://127.0.0.1:1/x.csv', `http://${METADATA}/latest/meta-data/`, 'http://2130706433/', 'http://[::ffff:7f00:1]/', 'http://evil.example/', 'http://localhost/']) {
    r.connects.length = 0;
    const url = `http://public.example:${port}/redirect?to=${encodeURIComponent(to)}`;
    await assert.rejects(fetchWith(url, 'redir.csv', { network: { ...r.network, resolve: async (h: string) => (h === 'localhost' ? [v4('127.0.0.1'), v6('::1')] : r.network.resolve(h)) } }), refusedAddress(), to);
    assert.equal(r.connects.length, 1, `only the first hop connected (${to})`);
    assert.equal(r.connects[0].hostname, 'public.example');
  }
  assert.equal(existsSync(dest('redir.csv')), false);
});

test('SSRF: a loopback server is refused by default and reachable with allowPrivateNetworks', async () => {
  const before = hits.length;
  await assert.rejects(fetchWith(`http://127.0.0.1:${port}/data.csv`, 'lo.csv'), refusedAddress('127.0.0.1'));
  await assert.rejects(fetchWith(`http://localhost:${port}/data.csv`, 'lo.csv'), refusedAddress());
  assert.equal(hits.length, before, 'the server saw no request');
  const ok = await fetchWith(`http://127.0.0.1:${port}/data.csv`, 'lo2.csv', { policy: { ...DEFAULT, allowPrivateNetworks: true } });
  assert.equal(readFileSync(ok.path, 'utf8'), CSV);
});

test('SSRF: sealed run refuses a loopback data URL unless --allow-private-networks is given', async () => {
  const cwd = tempDir();
  const refused = await runCli(['run', '--data-url', `http://127.0.0.1:${port}/metadata`, '--run-dir', 'r1', '--threads', '1'], { catalog: loanDefaultCatalog, cwd });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /refusing to fetch http:\/\/127\.0\.0\.1:\d+\/metadata: 127\.0\.0\.1, a loopback address/);
  // Allowed, the metadata-like answer is fetched, but it is not CSV and is not echoed anywhere.
  const allowed = await runCli(['run', '--data-url', `http://127.0.0.1:${port}/metadata`, '--allow-private-networks', '--run-dir', 'r2', '--threads', '1'], { catalog: loanDefaultCatalog, cwd });
  assert.equal(allowed.code, 1);
  assert.match(allowed.stderr, /does not look like a CSV file with a header/);
  const everything = [allowed.stdout, allowed.stderr, ...filesUnder(join(cwd, 'r2'))].join('\n');
  assert.doesNotMatch(everything, /ASIAEXAMPLEKEY|SecretAccessKey|wJalrXUtnFEMI/);
});

// --- local files -----------------------------------------------------------------------------------------------------

function filesUnder(root: string): string[] {
  return listTree(root)
    .filter((f) => !f.endsWith('/'))
    .map((f) => readFileSync(join(root, f), 'utf8'));
}

function layout() {
  const base = tempDir();
  const root = join(base, 'data');
  const outside = join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(root, 'ok.csv'), CSV);
  writeFileSync(join(outside, 'secret.csv'), 'user,password\nalice,hunter2\n');
  const policy: SourcePolicy = { localPaths: 'roots', dataRoots: [root], allowPrivateNetworks: false };
  return { base, root, outside, policy };
}

test('local file read: paths outside the data roots are refused (absolute, .., relative to cwd, file://, /proc)', async () => {
  const { root, outside, policy } = layout();
  const ok = await fetchWith(join(root, 'ok.csv'), 'ok.csv', { policy });
  assert.equal(readFileSync(ok.path, 'utf8'), CSV);
  const relOk = await fetchWith('ok.csv', 'ok2.csv', { policy, cwd: root });
  assert.equal(relOk.bytes, CSV.length);
  for (const [path, cwd] of [
    ['/etc/passwd', root],
    [join(outside, 'secret.csv'), root],
    [`${root}/../outside/secret.csv`, root],
    ['../outside/secret.csv', root],
    [`file://${join(outside, 'secret.csv')}`, root],
    ['/proc/self/environ', root],
    ['/proc/self/root/etc/passwd', root],
    [join(outside, 'does-not-exist.csv'), root],
  ]) {
    await assert.rejects(fetchWith(path, 'x.csv', { policy, cwd }), code('source.outsideDataRoots', ['hunter2']), path);
  }
  assert.equal(existsSync(dest('x.csv')), false);
});

test('local file read: a symlink under a data root that leads outside it is refused', async () => {
  const { root, outside, policy } = layout();
  symlinkSync(join(outside, 'secret.csv'), join(root, 'link.csv'));
  symlinkSync(outside, join(root, 'linkdir'));
  symlinkSync('/proc/self/environ', join(root, 'env.csv'));
  symlinkSync('/etc/passwd', join(root, 'passwd.csv'));
  for (const name of ['link.csv', 'linkdir/secret.csv', 'env.csv', 'passwd.csv']) {
    await assert.rejects(fetchWith(join(root, name), 'sl.csv', { policy }), code('source.outsideDataRoots', ['hunter2', 'root:']), name);
  }
  // A symlink that stays inside the roots is fine.
  symlinkSync(join(root, 'ok.csv'), join(root, 'inside.csv'));
  assert.equal((await fetchWith(join(root, 'inside.csv'), 'in.csv', { policy })).bytes, CSV.length);
});

test('local file read: the executor (KFP pod) reads no local file unless SEALED_DATA_POLICY names a data root', async () => {
  const { root, policy } = layout();
  // Not even to look: no roots means every local path is refused before the file system is asked.
  for (const path of [join(root, 'ok.csv'), '/var/run/secrets/kubernetes.io/serviceaccount/token', 'relative.csv']) {
    await assert.rejects(fetchWith(path, 'ex.csv', { policy: EXECUTOR_SOURCE_POLICY }), code('source.localPathsRefused'), path);
  }
  const work = tempDir();
  const raw = writeRawCsv(root, 'raw.csv', 40);
  const container = compilePipeline(loanDefaultPipeline).deploymentSpec.executors['exec-load-data'].container!;
  const input = JSON.stringify({
    inputs: { parameterValues: { data_url: raw, data_size: 0, seed: 0 } },
    outputs: { artifacts: { credit_risk_dataset: { artifacts: [{ name: 'credit_risk_dataset', type: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' }, uri: join(work, 'out.csv') }] } } },
  });
  const argv = container.args!.map((a) => (a === '{{$}}' ? input : a));
  const run = async (env: Record<string, string>) => {
    const out = { stdout: '', stderr: '' };
    const sink = (k: 'stdout' | 'stderr') => new Writable({ write: (c, _e, done) => ((out[k] += String(c)), done()) });
    const code = await executorMain(argv, { catalog: loanDefaultCatalog, stdout: sink('stdout'), stderr: sink('stderr'), env, cwd: work });
    return { code, ...out };
  };
  const refused = await run({});
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /local path .*raw\.csv refused: no data roots are configured/);
  assert.equal(existsSync(join(work, 'out.csv')), false);
  const allowed = await run({ SEALED_DATA_POLICY: serializeSourcePolicy(policy) });
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.ok(existsSync(join(work, 'out.csv')));
});

test('local file read: an /etc/shadow-style file is refused as not CSV and never echoed', async () => {
  const { root, policy } = layout();
  const shadow = 'root:*:19716:0:99999:7:::\ndaemon:*:19716:0:99999:7:::\nalice:$6$saltsalt$hashhashhash:19716:0:99999:7:::\n';
  writeFileSync(join(root, 'shadow'), shadow);
  writeFileSync(join(root, 'htpasswd'), 'admin:$2y$12$abcdefghijklmnopqrstuuKEYKEYKEYKEYKEYKEYKEYKEYKEYKEY\n');
  writeFileSync(join(root, 'binary.csv'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x2c, 0x2c, 0x0a]));
  writeFileSync(join(root, 'oneline'), 'x'.repeat(70 * 1024));
  for (const name of ['shadow', 'htpasswd', 'binary.csv', 'oneline']) {
    await assert.rejects(fetchWith(join(root, name), 'sh.csv', { policy, expect: 'csv' }), code('source.notCsv', ['root:', '19716', 'admin:', '$2y$', 'xxxx']), name);
  }
  // Through the whole CLI (the run's error line, run.json, the task log): the file's lines appear nowhere.
  const cwd = tempDir();
  const r = await runCli(['run', '--data-url', join(root, 'shadow'), '--data-root', root, '--run-dir', 'run', '--threads', '1'], { catalog: loanDefaultCatalog, cwd });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /shadow does not look like a CSV file with a header: the first line has no comma-separated column names/);
  const everything = [r.stdout, r.stderr, ...filesUnder(join(cwd, 'run'))].join('\n');
  assert.doesNotMatch(everything, /root:\*|19716|hashhash/);
});

test('FIFO: a named pipe as data_url is refused at once, without waiting for a writer', async (t) => {
  const { root } = layout();
  const fifo = join(root, 'pipe.csv');
  execFileSync('mkfifo', [fifo]);
  // If the open ever blocked (no O_NONBLOCK), a writer opened after 2 s releases it so the test fails instead of hanging.
  const release = setTimeout(() => closeSync(openSync(fifo, fsc.O_WRONLY | fsc.O_NONBLOCK)), 2000);
  t.after(() => clearTimeout(release));
  const t0 = Date.now();
  await assert.rejects(
    Promise.race([fetchWith(fifo, 'fifo.csv', { policy: DEFAULT }), sleep(1500).then(() => assert.fail('opening the FIFO blocked'))]),
    code('io.notAFile'),
  );
  assert.ok(Date.now() - t0 < 1500);
  await assert.rejects(fetchWith(fifo, 'fifo.csv', { policy: { localPaths: 'roots', dataRoots: [root], allowPrivateNetworks: false } }), code('io.notAFile'));
});

test('special files: /dev/zero, a directory and a socket are refused before reading', async () => {
  await assert.rejects(fetchWith('/dev/zero', 'z.csv', { policy: DEFAULT, maxBytes: 1024 }), (e: unknown) => code('io.notAFile')(e) && /character device/.test((e as Error).message));
  await assert.rejects(fetchWith('/dev/zero', 'z.csv', { policy: { localPaths: 'roots', dataRoots: ['/dev'], allowPrivateNetworks: false }, maxBytes: 1024 }), code('io.notAFile'));
  const { root } = layout();
  await assert.rejects(fetchWith(root, 'd.csv', { policy: DEFAULT }), (e: unknown) => code('io.notAFile')(e) && /directory/.test((e as Error).message));
  const sock = join(root, 's.sock');
  const listener = net.createServer().listen(sock);
  await new Promise((r) => listener.once('listening', r));
  try {
    await assert.rejects(fetchWith(sock, 'so.csv', { policy: DEFAULT }), code(existsSync(sock) ? 'io.notAFile' : 'io.notFound'));
  } finally {
    listener.close();
  }
  assert.deepEqual(existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.tmp')) : [], []);
});

// --- the policy itself ---------------------------------------------------------------------------------------------

test('policy: SEALED_DATA_POLICY is parsed strictly, and a malformed value is one line that does not echo it', async () => {
  assert.deepEqual(parseSourcePolicy('{"localPaths":"roots","dataRoots":["/srv/data"]}'), { localPaths: 'roots', dataRoots: ['/srv/data'], allowPrivateNetworks: false });
  assert.deepEqual(parseSourcePolicy(serializeSourcePolicy({ localPaths: 'any', dataRoots: [], allowPrivateNetworks: true })), { localPaths: 'any', dataRoots: [], allowPrivateNetworks: true });
  for (const bad of ['{not json SECRETVALUE', '{"localPaths":"everything"}', '{"localPaths":"roots","allowPrivateNetwork":true}', '{"localPaths":"roots","dataRoots":["relative/dir"]}', '{"localPaths":"any","dataRoots":["/srv"]}', '[]']) {
    assert.throws(() => parseSourcePolicy(bad), (e: unknown) => code('source.badPolicy', ['SECRETVALUE'])(e) && /^invalid SEALED_DATA_POLICY: /.test((e as Error).message), bad);
  }
  const cwd = tempDir();
  const r = await runCli(['run', '--data-url', 'x.csv', '--run-dir', 'r'], { catalog: loanDefaultCatalog, cwd, env: { SEALED_DATA_POLICY: '{"localPaths":"sometimes"}' } });
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^sealed: invalid SEALED_DATA_POLICY: localPaths: /);
  // A parent's policy cannot be widened by flags on the child's command line.
  const widen = await runCli(['run', '--data-url', 'x.csv', '--allow-private-networks', '--run-dir', 'r'], { catalog: loanDefaultCatalog, cwd, env: { SEALED_DATA_POLICY: '{"localPaths":"roots"}' } });
  assert.equal(widen.code, 2);
  assert.match(widen.stderr, /SEALED_DATA_POLICY is set: --data-root and --allow-private-networks cannot be combined with it/);
  assert.equal(existsSync(join(cwd, 'r')), false);
});

test('local file read: sealed run --data-root confines --data-url to the roots; SEALED_DATA_POLICY does the same for a child run', async () => {
  const { root, outside } = layout();
  const cwd = tempDir();
  const viaFlag = await runCli(['run', '--data-url', join(outside, 'secret.csv'), '--data-root', root, '--run-dir', 'r1', '--threads', '1'], { catalog: loanDefaultCatalog, cwd });
  assert.equal(viaFlag.code, 1);
  assert.match(viaFlag.stderr, /local path .*secret\.csv refused: it is not \(or does not lead to a file\) under the data roots/);
  const viaEnv = await runCli(['run', '--data-url', join(outside, 'secret.csv'), '--run-dir', 'r2', '--threads', '1'], {
    catalog: loanDefaultCatalog,
    cwd,
    env: { SEALED_DATA_POLICY: JSON.stringify({ localPaths: 'roots', dataRoots: [root] }) },
  });
  assert.equal(viaEnv.code, 1);
  assert.match(viaEnv.stderr, /refused: it is not \(or does not lead to a file\) under the data roots/);
  assert.doesNotMatch([viaFlag.stderr, viaEnv.stderr, ...filesUnder(join(cwd, 'r1')), ...filesUnder(join(cwd, 'r2'))].join('\n'), /hunter2/);
});
