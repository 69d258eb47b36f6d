// Streams an http(s) URL to a file. Limits: `timeoutMs` for connecting and for any stall
// (no response headers or no body bytes for that long), `totalTimeoutMs` for the whole
// transfer, `maxBytes` checked against Content-Length and against the bytes actually
// received, and at most `maxRedirects` redirects, never from https down to http. Failures
// become one-line typed errors naming the (redacted) URL.
// Every hop's host is resolved once and checked, and the connection goes to the checked address
// (networkPolicy.ts): loopback, private, link-local and other non-public addresses are refused
// before any connection unless the policy allows private networks.
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { DataError, IoError, UsageError, isSealedError, type SealedError } from '../../core/errors.ts';
import { toByteSink, type ByteSink } from '../../core/fs/byteIo.ts';
import { redactUrl } from '../../core/redact.ts';
import { networkReason } from '../../core/networkReason.ts';
import { bareHostname, directConnector, resolveChecked, systemResolver, type NetworkHooks } from './networkPolicy.ts';
import type { ContentCheck } from './contentCheck.ts';

export interface DownloadLimits {
  timeoutMs: number;
  totalTimeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  /** Connect to loopback, private, link-local (metadata) and reserved addresses too. */
  allowPrivateNetworks: boolean;
  network?: NetworkHooks;
  /** Checks the first bytes (e.g. "looks like CSV text") before anything is kept. */
  contentCheck?: () => ContentCheck;
}

export interface Downloaded {
  bytes: number;
  sha256: string;
  /** The URL the content finally came from, redacted. */
  finalUrl: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function httpDownload(start: URL, dest: string | ByteSink, limits: DownloadLimits): Promise<Downloaded> {
  const deadline = Date.now() + limits.totalTimeoutMs;
  let url = start;
  for (let redirects = 0; ; redirects++) {
    const { res, fail, done } = await openResponse(url, limits, deadline);
    const status = res.statusCode ?? 0;
    if (REDIRECTS.has(status) && res.headers.location !== undefined) {
      done();
      if (redirects >= limits.maxRedirects) throw new DataError('source.tooManyRedirects', { url: redactUrl(start), max: limits.maxRedirects });
      url = nextUrl(url, res.headers.location);
      continue;
    }
    if (status < 200 || status > 299) {
      done();
      throw new DataError('source.httpStatus', { status, statusText: res.statusMessage ?? '', url: redactUrl(url) });
    }
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      done();
      throw new DataError('source.tooLarge', { url: redactUrl(url), limit: limits.maxBytes });
    }
    try {
      const body = await saveBody(res, dest, url, limits, fail);
      return { ...body, finalUrl: redactUrl(url) };
    } finally {
      done();
    }
  }
}

/** Where a redirect leads; refuses other schemes and https -> http downgrades. */
export function nextUrl(from: URL, location: string): URL {
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    throw new DataError('source.badUrl', { url: redactUrl(location) });
  }
  if (to.protocol !== 'http:' && to.protocol !== 'https:') {
    throw new UsageError('source.redirectScheme', { scheme: to.protocol.replace(/:$/, ''), url: redactUrl(to) });
  }
  if (from.protocol === 'https:' && to.protocol === 'http:') throw new DataError('source.insecureRedirect', { from: redactUrl(from), to: redactUrl(to) });
  return to;
}

interface OpenResponse {
  res: http.IncomingMessage;
  /** The error that ended the transfer early (timeout), if any; read it when the body stream fails. */
  fail: () => SealedError | undefined;
  /** Releases the connection and the timers. */
  done: () => void;
}

async function openResponse(url: URL, limits: DownloadLimits, deadline: number): Promise<OpenResponse> {
  const addresses = await resolveChecked(url, limits.allowPrivateNetworks, limits.network?.resolve ?? systemResolver, limits.timeoutMs);
  const connect = limits.network?.connect ?? directConnector;
  const isHttps = url.protocol === 'https:';
  const port = url.port !== '' ? Number(url.port) : isHttps ? 443 : 80;
  const target = { hostname: bareHostname(url), port, tls: isHttps, addresses };
  return new Promise((resolve, reject) => {
    let failure: SealedError | undefined;
    let settled = false;
    const shown = redactUrl(url);
    const client = isHttps ? https : http;
    // `timeout` covers the connect phase and every later stall on the socket. No agent: the socket
    // comes from `createConnection`, to the checked addresses only (and never through a proxy).
    const req = client.get(url, {
      timeout: limits.timeoutMs,
      headers: { 'accept-encoding': 'identity', 'user-agent': 'sealed-pipelines' },
      createConnection: () => {
        // An agent would set the socket's idle timeout from `timeout` (net.createConnection option); without one we do.
        const socket = connect(target);
        socket.setTimeout(limits.timeoutMs);
        return socket;
      },
    });
    const abort = (e: SealedError) => {
      failure ??= e;
      req.destroy(e);
    };
    const total = setTimeout(
      () => abort(new IoError('source.timeout', { url: shown, ms: limits.totalTimeoutMs, phase: 'downloading' })),
      Math.max(0, deadline - Date.now()),
    );
    req.on('timeout', () => abort(new IoError('source.timeout', { url: shown, ms: limits.timeoutMs, phase: settled ? 'receiving data from' : 'waiting for' })));
    req.on('error', (e) => {
      if (settled) return; // reported through the body stream
      settled = true;
      clearTimeout(total);
      reject(failure ?? unreachable(shown, e));
    });
    req.on('response', (res) => {
      settled = true;
      resolve({
        res,
        fail: () => failure,
        done: () => {
          clearTimeout(total);
          res.resume();
          req.destroy();
        },
      });
    });
  });
}

function unreachable(url: string, e: Error): SealedError {
  const code = (e as NodeJS.ErrnoException).code;
  const reason = networkReason(code) || e.message || code || 'network error';
  return new IoError('source.unreachable', { url, reason }, { cause: e });
}

async function saveBody(res: http.IncomingMessage, dest: string | ByteSink, url: URL, limits: DownloadLimits, fail: () => SealedError | undefined): Promise<Omit<Downloaded, 'finalUrl'>> {
  const { maxBytes } = limits;
  const hash = createHash('sha256');
  const check = limits.contentCheck?.();
  let bytes = 0;
  // The body is pulled by the sink (a file written atomically, or a sealed artifact), so an
  // error here or in the sink leaves nothing behind.
  async function* body(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of res) {
        const buf = chunk as Buffer;
        bytes += buf.length;
        if (bytes > maxBytes) throw new DataError('source.tooLarge', { url: redactUrl(url), limit: maxBytes });
        check?.feed(buf, redactUrl(url));
        hash.update(buf);
        yield buf;
      }
    } catch (e) {
      if (isSealedError(e)) throw e;
      throw fail() ?? unreachable(redactUrl(url), e as Error);
    }
    if (bytes > 0) check?.end(redactUrl(url));
    if (bytes === 0) throw new DataError('source.empty', { url: redactUrl(url) });
  }
  await toByteSink(dest).write(body());
  return { bytes, sha256: hash.digest('hex') };
}
