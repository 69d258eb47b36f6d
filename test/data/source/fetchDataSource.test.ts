import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fetchDataSource as fetchWithPolicy, redactUrl, type FetchOptions, type SourcePolicy } from '../../../src/data/source/index.ts';
import { nextUrl } from '../../../src/data/source/httpDownload.ts';
import { DataError, IoError, UsageError, type SealedError } from '../../../src/core/errors.ts';

const CSV = 'a,b\r\n1,2\r\n3,4\r\n';
// These tests talk to a server on 127.0.0.1, which the default policy refuses (test/security/dataSource.test.ts).
const LOOPBACK_ALLOWED: SourcePolicy = { localPaths: 'any', dataRoots: [], allowPrivateNetworks: true };
const fetchDataSource = (url: string, options: FetchOptions) => fetchWithPolicy(url, { policy: LOOPBACK_ALLOWED, ...options });
let server: http.Server;
let base = '';
const dir = mkdtempSync(join(tmpdir(), 'sealed-fetch-'));
const dest = (name: string) => join(dir, 'out', name);
const pending = new Set<http.ServerResponse>();

before(async () => {
  server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    switch (u.pathname) {
      case '/data.csv':
        res.writeHead(200, { 'content-type': 'text/csv', 'content-length': Buffer.byteLength(CSV) });
        res.end(CSV);
        return;
      case '/missing':
        res.writeHead(404, 'Not Found');
        res.end('nope');
        return;
      case '/redirect':
        res.writeHead(302, { location: '/data.csv' });
        res.end();
        return;
      case '/loop':
        res.writeHead(301, { location: '/loop' });
        res.end();
        return;
      case '/big':
        res.writeHead(200, { 'content-length': 5000 });
        res.end('x'.repeat(5000));
        return;
      case '/big-chunked':
        // No Content-Length: the limit must be enforced on the bytes received.
        res.writeHead(200);
        for (let i = 0; i < 10; i++) res.write('y'.repeat(1000));
        res.end();
        return;
      case '/empty':
        res.writeHead(200, { 'content-length': 0 });
        res.end();
        return;
      case '/stall-body':
        res.writeHead(200);
        res.write('partial');
        pending.add(res); // never ends
        return;
      case '/hang':
        pending.add(res); // never answers
        return;
      default:
        res.writeHead(500);
        res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  for (const res of pending) res.destroy();
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

function isError(kind: new (...a: never[]) => SealedError, code: string, includes?: string) {
  return (e: unknown) => {
    assert.ok(e instanceof kind, `expected ${kind.name}, got ${String(e)}`);
    assert.equal((e as SealedError).code, code);
    if (includes !== undefined) assert.ok((e as Error).message.includes(includes), (e as Error).message);
    assert.ok(!(e as Error).message.includes('\n'));
    return true;
  };
}

const noTempFiles = () => assert.deepEqual(existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.tmp')) : [], []);

test('downloads a 200 response to destPath with size and sha256', async () => {
  const r = await fetchDataSource(`${base}/data.csv`, { destPath: dest('a.csv') });
  assert.equal(readFileSync(dest('a.csv'), 'utf8'), CSV);
  assert.equal(r.bytes, Buffer.byteLength(CSV));
  assert.equal(r.sha256, createHash('sha256').update(CSV).digest('hex'));
  assert.equal(r.kind, 'http');
});

test('a 404 is a DataError naming status and URL, and leaves no file', async () => {
  await assert.rejects(fetchDataSource(`${base}/missing`, { destPath: dest('404.csv') }), isError(DataError, 'source.httpStatus', `HTTP 404 Not Found fetching ${base}/missing`));
  assert.equal(existsSync(dest('404.csv')), false);
});

test('follows redirects, up to the limit', async () => {
  const r = await fetchDataSource(`${base}/redirect`, { destPath: dest('r.csv') });
  assert.equal(readFileSync(dest('r.csv'), 'utf8'), CSV);
  assert.equal(r.finalUrl, `${base}/data.csv`);
  await assert.rejects(fetchDataSource(`${base}/redirect`, { destPath: dest('r0.csv'), maxRedirects: 0 }), isError(DataError, 'source.tooManyRedirects'));
  await assert.rejects(fetchDataSource(`${base}/loop`, { destPath: dest('loop.csv') }), isError(DataError, 'source.tooManyRedirects', 'more than 5 redirects'));
});

test('rejects oversize downloads by Content-Length and by bytes received', async () => {
  await assert.rejects(fetchDataSource(`${base}/big`, { destPath: dest('big.csv'), maxBytes: 1000 }), isError(DataError, 'source.tooLarge'));
  await assert.rejects(fetchDataSource(`${base}/big-chunked`, { destPath: dest('big2.csv'), maxBytes: 1000 }), isError(DataError, 'source.tooLarge'));
  assert.equal(existsSync(dest('big2.csv')), false);
  noTempFiles();
  const ok = await fetchDataSource(`${base}/big-chunked`, { destPath: dest('big3.csv'), maxBytes: 10000 });
  assert.equal(ok.bytes, 10000);
});

test('an empty body is an error', async () => {
  await assert.rejects(fetchDataSource(`${base}/empty`, { destPath: dest('e.csv') }), isError(DataError, 'source.empty'));
});

test('times out on a server that never answers, and on a stalled body', async () => {
  const t0 = Date.now();
  await assert.rejects(fetchDataSource(`${base}/hang`, { destPath: dest('h.csv'), timeoutMs: 150 }), isError(IoError, 'source.timeout', 'timed out after 150 ms waiting for'));
  assert.ok(Date.now() - t0 < 2000);
  await assert.rejects(fetchDataSource(`${base}/stall-body`, { destPath: dest('s.csv'), timeoutMs: 150 }), isError(IoError, 'source.timeout', 'receiving data from'));
  await assert.rejects(fetchDataSource(`${base}/hang`, { destPath: dest('h2.csv'), timeoutMs: 5000, totalTimeoutMs: 150 }), isError(IoError, 'source.timeout', 'downloading'));
  assert.equal(existsSync(dest('s.csv')), false);
  noTempFiles();
});

test('connection refused is a clear one-line IoError', async () => {
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  await assert.rejects(fetchDataSource(`http://127.0.0.1:${port}/x.csv`, { destPath: dest('c.csv') }), isError(IoError, 'source.unreachable', 'connection refused'));
});

test('never shows credentials or signatures in messages', async () => {
  const url = `http://alice:s3cret@127.0.0.1:${new URL(base).port}/missing?sig=abcdef&x=1`;
  await assert.rejects(fetchDataSource(url, { destPath: dest('cred.csv') }), (e: unknown) => {
    const m = (e as Error).message;
    assert.ok(!m.includes('s3cret') && !m.includes('alice') && !m.includes('abcdef'), m);
    assert.ok(m.includes('sig=***') && m.includes('x=***'), m);
    return true;
  });
  assert.equal(redactUrl('https://u:p@h.example/a?token=t&b=2'), 'https://***@h.example/a?token=***&b=***');
});

test('redirects: relative targets resolve, https -> http and other schemes are refused', () => {
  assert.equal(nextUrl(new URL('https://h.example/a/b.csv'), '../c.csv').href, 'https://h.example/c.csv');
  assert.equal(nextUrl(new URL('http://h.example/a'), 'https://k.example/d').href, 'https://k.example/d');
  assert.throws(() => nextUrl(new URL('https://h.example/a'), 'http://h.example/a'), isError(DataError, 'source.insecureRedirect'));
  assert.throws(() => nextUrl(new URL('https://h.example/a'), 'file:///etc/passwd'), isError(UsageError, 'source.redirectScheme'));
});

test('copies a local path or file:// URL', async () => {
  const src = join(dir, 'local.csv');
  writeFileSync(src, CSV);
  const a = await fetchDataSource(src, { destPath: dest('l1.csv') });
  assert.equal(readFileSync(dest('l1.csv'), 'utf8'), CSV);
  assert.equal(a.kind, 'file');
  const b = await fetchDataSource(pathToFileURL(src).href, { destPath: dest('l2.csv') });
  assert.equal(b.sha256, a.sha256);
});

test('local problems: missing, directory, empty, too large', async () => {
  mkdirSync(join(dir, 'adir'), { recursive: true });
  writeFileSync(join(dir, 'empty.csv'), '');
  writeFileSync(join(dir, 'k.csv'), 'z'.repeat(100));
  await assert.rejects(fetchDataSource(join(dir, 'nope.csv'), { destPath: dest('m.csv') }), isError(IoError, 'io.notFound'));
  await assert.rejects(fetchDataSource(join(dir, 'adir'), { destPath: dest('d.csv') }), isError(IoError, 'io.notAFile'));
  await assert.rejects(fetchDataSource(join(dir, 'empty.csv'), { destPath: dest('em.csv') }), isError(IoError, 'io.empty'));
  await assert.rejects(fetchDataSource(join(dir, 'k.csv'), { destPath: dest('k2.csv'), maxBytes: 10 }), isError(DataError, 'source.tooLarge'));
});

test('other schemes and bad options are UsageErrors', async () => {
  await assert.rejects(fetchDataSource('ftp://example.com/a.csv', { destPath: dest('f.csv') }), isError(UsageError, 'source.unsupportedScheme', "'ftp'"));
  await assert.rejects(fetchDataSource('s3://bucket/a.csv', { destPath: dest('f.csv') }), isError(UsageError, 'source.unsupportedScheme'));
  await assert.rejects(fetchDataSource('http://[bad', { destPath: dest('f.csv') }), isError(UsageError, 'source.badUrl'));
  await assert.rejects(fetchDataSource(`${base}/data.csv`, { destPath: dest('f.csv'), timeoutMs: 0 }), isError(UsageError, 'source.badOption'));
  await assert.rejects(fetchDataSource(`${base}/data.csv`, { destPath: dest('f.csv'), maxRedirects: -1 }), isError(UsageError, 'source.badOption'));
});
