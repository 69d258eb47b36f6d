// Real protocol servers for the store tests, on 127.0.0.1 with ephemeral ports and a temporary
// data folder each, and a proxy that can cut an upload part-way.
//
// - s3rver 3.7.1 (an S3 API server in Node, lib/s3rver.js): in a child process started with
//   --openssl-legacy-provider, because its ListObjectsV2 continuation tokens are encrypted with
//   DES (lib/controllers/bucket.js generateContinuationToken), which OpenSSL 3 keeps in the
//   legacy provider; without it every truncated listing answers 500. Its default account is
//   S3RVER/S3RVER (lib/models/account.js); it checks the access key id of a SigV4 request but
//   not the signature (lib/middleware/authentication.js), so only the id is tested against it.
//   One deviation from S3 is corrected in front of it: s3rver stores whatever part of a PUT body
//   arrived before the connection died (lib/stores/filesystem.js putObject pipes the request
//   into the object file), where S3 answers IncompleteBody and stores nothing; the child hands
//   s3rver only complete bodies.
// - Azurite 3.35.0 blob service (azurite/dist/src/blob/BlobServer.js with BlobConfiguration, the
//   classes its azurite-blob bin builds) in a child process, with the documented development
//   account devstoreaccount1 and its Shared Key, which Azurite does verify. API version check
//   off: @azure/storage-blob 12.32 speaks 2026-04-06, Azurite 3.35 knows up to 2025-11-05.
//
// Each server runs in its own process (no telemetry: Telemetry is only started by Azurite's
// main.js) and exits when its stdin closes, so a test process that dies takes them with it.
// Nothing is downloaded: both servers come from node_modules.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { repoRoot } from './sharedData.ts';

export interface StoreServer {
  /** http://127.0.0.1:PORT (Azurite: the account's blob endpoint, …/devstoreaccount1). */
  endpoint: string;
  dataDir: string;
  close(): Promise<void>;
}

export const S3RVER_ACCESS_KEY_ID = 'S3RVER';
export const S3RVER_SECRET_ACCESS_KEY = 'S3RVER';
/** https://learn.microsoft.com/azure/storage/common/storage-use-azurite#well-known-storage-account-and-key */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** The connection string for an Azurite blob endpoint (the format of storage-use-azurite#http-connection-strings). */
export function azuriteConnectionString(blobEndpoint: string): string {
  return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${blobEndpoint};`;
}

// Child programs, run with `node -e` from the repository root (so require finds node_modules).
// They print {"port":N} once listening and exit when stdin ends.
const S3RVER_CHILD = `
const [dir, buckets] = process.argv.slice(1);
const http = require('node:http');
const { Readable } = require('node:stream');
const S3rver = require('s3rver');
const app = new S3rver({ silent: true, directory: dir, configureBuckets: JSON.parse(buckets).map((name) => ({ name })) });
app.configureBuckets().then(() => {
  const handle = app.callback();
  const server = http.createServer((req, res) => {
    const declared = req.headers['content-length'];
    if (declared === undefined || req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE') return handle(req, res);
    // S3 refuses a body shorter than its Content-Length and stores nothing (IncompleteBody,
    // https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList);
    // s3rver would store the bytes it got. So the body is collected first and handed over only
    // when complete.
    const chunks = [];
    let got = 0;
    let broken = false;
    req.on('data', (c) => { chunks.push(c); got += c.length; });
    req.on('aborted', () => { broken = true; });
    req.on('error', () => { broken = true; });
    req.on('end', () => {
      if (broken || got !== Number(declared)) {
        res.statusCode = 400;
        res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>IncompleteBody</Code></Error>');
        return;
      }
      const body = Readable.from(got > 0 ? [Buffer.concat(chunks)] : []);
      for (const k of ['headers', 'rawHeaders', 'method', 'url', 'httpVersion', 'httpVersionMajor', 'httpVersionMinor', 'socket', 'connection', 'complete']) body[k] = req[k];
      handle(body, res);
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\\n'));
});
process.stdin.on('end', () => process.exit(0)).resume();
`;

const AZURITE_CHILD = `
const [dir] = process.argv.slice(1);
const { join } = require('node:path');
const BlobServer = require('azurite/dist/src/blob/BlobServer').default;
const BlobConfiguration = require('azurite/dist/src/blob/BlobConfiguration').default;
const persistence = [{ locationId: 'Default', locationPath: join(dir, 'blobs'), maxConcurrency: 10 }];
// (host, port, keepAliveTimeout, metadataDBPath, extentDBPath, persistence, accessLog, accessLogStream,
//  debugLog, debugLogPath, loose, skipApiVersionCheck)
const config = new BlobConfiguration('127.0.0.1', 0, undefined, join(dir, 'db.json'), join(dir, 'extent.json'),
  persistence, false, undefined, false, undefined, false, true);
const server = new BlobServer(config);
server.start().then(() => {
  const port = Number(server.getHttpServerAddress().split(':').pop());
  process.stdout.write(JSON.stringify({ port }) + '\\n');
});
process.stdin.on('end', () => process.exit(0)).resume();
`;

async function startChild(name: string, source: string, args: readonly string[], nodeFlags: readonly string[]): Promise<{ port: number; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [...nodeFlags, '-e', source, ...args], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s: ${stderr}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening: ${stderr}`));
    });
  });
  return {
    port,
    stop: async () => {
      child.stdin!.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** s3rver with `buckets` created, on 127.0.0.1. */
export async function startS3rver(buckets: readonly string[]): Promise<StoreServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sealed-s3rver-'));
  const child = await startChild('s3rver', S3RVER_CHILD, [dataDir, JSON.stringify(buckets)], ['--openssl-legacy-provider']);
  return {
    endpoint: `http://127.0.0.1:${child.port}`,
    dataDir,
    close: async () => {
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Azurite's blob service with `containers` created, on 127.0.0.1. */
export async function startAzurite(containers: readonly string[]): Promise<StoreServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sealed-azurite-'));
  const child = await startChild('Azurite', AZURITE_CHILD, [dataDir], []);
  const endpoint = `http://127.0.0.1:${child.port}/${AZURITE_ACCOUNT}`;
  const { BlobServiceClient, StorageSharedKeyCredential } = await import('@azure/storage-blob');
  const service = new BlobServiceClient(endpoint, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));
  for (const c of containers) await service.getContainerClient(c).createIfNotExists();
  return {
    endpoint,
    dataDir,
    close: async () => {
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One request as the proxy saw it. */
export interface ProxiedRequest {
  method: string;
  /** Path and query as sent, e.g. /bucket/key?partNumber=1&uploadId=… */
  url: string;
  headers: IncomingHttpHeaders;
  /** Body bytes forwarded to the server. */
  bodyBytes: number;
  /** True when the proxy cut this request. */
  cut: boolean;
  /** The server's status, once it answered. */
  status?: number;
}

export interface CutRule {
  /** Forward this many body bytes, then drop both connections. */
  afterBytes: number;
  /** Which requests to cut; default: any request with a body longer than afterBytes. */
  match?: (r: ProxiedRequest) => boolean;
  /** How many requests to cut before healing (default: every matching one until heal()). */
  times?: number;
}

export interface FaultyProxy {
  url: string;
  requests: ProxiedRequest[];
  /** From now on, cut matching uploads part-way. */
  cutUploads(rule: CutRule): void;
  /** Stop cutting. */
  heal(): void;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of `target` that records every request and, when told, forwards only
 * the first N body bytes of an upload and then closes both connections: the server sees a body
 * shorter than its Content-Length, the client a reset connection. That is what a network
 * failure mid-upload looks like to both sides.
 */
export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  let rule: (CutRule & { left: number }) | undefined;

  const server: Server = createServer((req, res) => {
    const record: ProxiedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, bodyBytes: 0, cut: false };
    requests.push(record);
    const length = Number(req.headers['content-length'] ?? 0);
    const active = rule;
    const cutAt = active && active.left > 0 && (active.match ? active.match(record) : length > active.afterBytes) ? active.afterBytes : undefined;
    if (cutAt !== undefined && active) active.left--;
    const headers = { ...req.headers };
    delete headers.expect; // this proxy already answered 100-continue to the client
    const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (upRes) => {
      record.status = upRes.statusCode;
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done: TransformCallback) {
        if (record.cut) {
          done();
          return;
        }
        if (cutAt !== undefined && record.bodyBytes + chunk.length > cutAt) {
          const part = chunk.subarray(0, cutAt - record.bodyBytes);
          record.bodyBytes += part.length;
          record.cut = true;
          up.write(part, () => {
            up.destroy();
            req.socket.destroy();
          });
          done();
          return;
        }
        record.bodyBytes += chunk.length;
        done(null, chunk);
      },
    });
    req.pipe(counter).pipe(up);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}${upstream.pathname === '/' ? '' : upstream.pathname}`;
  return {
    url: base,
    requests,
    cutUploads: (r) => (rule = { ...r, left: r.times ?? Number.POSITIVE_INFINITY }),
    heal: () => (rule = undefined),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
