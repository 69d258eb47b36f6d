// The scoring service: POST /v1/score (one applicant record, or an array of them; ?explain=true
// adds each score's top reasons) and GET /healthz. Bodies are JSON of at most BODY_LIMIT bytes;
// anything else gets a 4xx with a one-line error naming the record and field. Built on fastify
// (body limits, routing); validation is zod's (applicantRecords.ts).
//
// Hardening (issue 15):
// - Timeouts and caps on every connection (ServeLimits): Node's http.Server requestTimeout,
//   headersTimeout, keepAliveTimeout, maxRequestsPerSocket, the socket idle timeout and
//   net.Server maxConnections (https://nodejs.org/api/http.html#class-httpserver,
//   https://nodejs.org/api/net.html#servermaxconnections), set through fastify's factory
//   options where it has them (https://fastify.dev/docs/latest/Reference/Server/#requesttimeout,
//   #connectiontimeout, #keepalivetimeout, #maxrequestspersocket, #http). fastify 5 sets
//   requestTimeout to 0 (no limit) unless told otherwise. Node checks the request and header
//   deadlines every connectionsCheckingInterval (http.createServer option, default 30 s), so
//   that is shortened too: a client sending its body a byte at a time is cut off within
//   requestTimeout + one interval, with a 408.
// - CPU-heavy work (explain, batches over LIGHT_BODY_BYTES) runs on the scoring thread
//   (scoringThread.ts) with a bounded queue; a full queue answers 503 + Retry-After.
// - Graceful stop (stop()): requests that arrive while the ones in flight finish get 503 with
//   Retry-After and Connection: close instead of a reset; then the server closes.
// - Optional bearer token (constant-time comparison); GET /healthz stays open.
// - Security headers on every answer, including fastify's own answers to malformed URLs
//   (frameworkErrors: fastify answers those before routing, so no hook sees them) and to
//   broken HTTP (clientErrorHandler, https://fastify.dev/docs/latest/Reference/Server/#clienterrorhandler).
// - Every echo of request text is a bounded excerpt with control characters escaped.
import { createHash, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { formatMessage } from '../core/messages.ts';
import { excerpt } from '../core/excerpt.ts';
import { DEFAULT_CONNECTIONS_PER_ADDRESS, limitConnectionsPerAddress } from '../core/net/connectionsPerAddress.ts';
import type { LoanScorer } from './loanScorer.ts';
import { answerScore, type ScoreAnswer } from './scoreAnswer.ts';
import { QueueFullError, ScoringThread } from './scoringThread.ts';

/** Largest request body (10,000 records of ~280 bytes fit). */
export const BODY_LIMIT = 4 << 20;
/** Plain requests up to this size (~200 records) are scored on the event loop (< 2 ms). */
export const LIGHT_BODY_BYTES = 64 << 10;
/** Seconds a client is told to wait after a 503. */
export const RETRY_AFTER_SECONDS = 1;

export interface ServeLimits {
  /** Whole request (headers and body) must arrive within this (Node: server.requestTimeout). */
  readonly requestTimeoutMs: number;
  /** Headers must arrive within this (Node: server.headersTimeout); at most requestTimeoutMs. */
  readonly headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (Node: server.keepAliveTimeout). */
  readonly keepAliveTimeoutMs: number;
  /** A socket with no traffic at all is destroyed after this (fastify connectionTimeout, socket.setTimeout). */
  readonly connectionTimeoutMs: number;
  /** How often Node checks the request and header deadlines (http.createServer connectionsCheckingInterval). */
  readonly connectionsCheckingIntervalMs: number;
  /** Concurrent connections; more are closed at once (net.Server maxConnections). */
  readonly maxConnections: number;
  /** Concurrent connections from one remote address (core/net/connectionsPerAddress.ts). */
  readonly maxConnectionsPerAddress: number;
  /** Requests one keep-alive connection may carry (Node: server.maxRequestsPerSocket). */
  readonly maxRequestsPerSocket: number;
  /** Jobs waiting for the scoring thread; the next gets 503 + Retry-After. */
  readonly maxQueue: number;
  /** stop() waits this long for requests in flight before closing anyway. */
  readonly drainTimeoutMs: number;
}

export const DEFAULT_LIMITS: ServeLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  connectionTimeoutMs: 120_000,
  connectionsCheckingIntervalMs: 1_000,
  maxConnections: 256,
  maxConnectionsPerAddress: DEFAULT_CONNECTIONS_PER_ADDRESS,
  maxRequestsPerSocket: 1_000,
  maxQueue: 32,
  drainTimeoutMs: 30_000,
};

export interface ScoringServerOptions {
  /** Bearer token every route but GET /healthz requires; none: no authentication. */
  readonly token?: string;
  /** Score unknown categories as unseen (answer carries `warnings`) instead of refusing them. */
  readonly allowUnknownCategories?: boolean;
  readonly limits?: Partial<ServeLimits>;
  /** Threads a scoring job may use (default: the cores, at most 4). */
  readonly threads?: number;
  /** Told about every 500 (the answer itself says only "internal error"). */
  readonly onInternalError?: (error: unknown) => void;
}

export type ScoringServer = FastifyInstance & {
  /** Graceful stop: new requests get 503, the ones in flight finish, then the server closes. */
  stop(): Promise<void>;
  /** Starts the scoring thread now (else on the first explain or large request). */
  warmUp(): Promise<void>;
  readonly limits: ServeLimits;
};

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

export function createScoringServer(scorer: LoanScorer, options: ScoringServerOptions = {}): ScoringServer {
  const limits: ServeLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const allowUnknownCategories = options.allowUnknownCategories === true;
  const threads = options.threads ?? Math.max(1, Math.min(4, availableParallelism()));
  const thread = new ScoringThread({ source: scorer.source(), threads, allowUnknownCategories }, limits.maxQueue);
  const tokenDigest = options.token !== undefined ? digest(options.token) : undefined;
  const internal = options.onInternalError ?? (() => {});

  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    logger: false,
    http: { connectionsCheckingInterval: limits.connectionsCheckingIntervalMs },
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.connectionTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    // Our own onRequest hook answers 503 while stopping, with the security headers; fastify's
    // fast path would answer without them.
    return503OnClosing: false,
    // fastify answers a URL it cannot decode before routing (so before any hook).
    frameworkErrors: (error, _req, reply: FastifyReply) => {
      const status = error.code === 'FST_ERR_BAD_URL' ? 400 : (error.statusCode ?? 400);
      void reply.code(status).headers(SECURITY_HEADERS).send({ error: error.code === 'FST_ERR_BAD_URL' ? formatMessage('serve.badUrl', {}) : excerpt(error.message) });
    },
    clientErrorHandler: (error, socket) => answerClientError(error as NodeJS.ErrnoException, socket),
  });
  app.server.headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  app.server.maxConnections = limits.maxConnections;
  limitConnectionsPerAddress(app.server, limits.maxConnectionsPerAddress);

  let stopping = false;
  const inFlight = new Set<FastifyRequest>();
  let drained: (() => void) | undefined;
  const settle = (req: FastifyRequest) => {
    if (inFlight.delete(req) && inFlight.size === 0) drained?.();
  };

  app.removeAllContentTypeParsers();
  // The raw bytes: small bodies are parsed here, large ones on the scoring thread.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (req, reply) => {
    void reply.headers(SECURITY_HEADERS);
    if (stopping) {
      return reply
        .code(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .header('connection', 'close')
        .send({ error: formatMessage('serve.stopping', {}) });
    }
    inFlight.add(req);
    if (tokenDigest && !(req.method === 'GET' && req.url === '/healthz') && !authorized(req.headers.authorization, tokenDigest)) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="sealed-serve"').send({ error: formatMessage('serve.unauthorized', {}) });
    }
  });
  app.addHook('onSend', async (_req, reply) => {
    void reply.headers(SECURITY_HEADERS);
  });
  app.addHook('onResponse', async (req) => settle(req));
  app.addHook('onRequestAbort', async (req) => settle(req));
  app.addHook('onClose', async () => {
    await thread.close();
  });

  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: formatMessage('serve.notFound', { method: excerpt(req.method), url: excerpt(req.url) }) });
  });
  app.setErrorHandler((error: { statusCode?: number; message: string }, _req, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) internal(error);
    // Never echo internals for server errors; 4xx messages may quote request headers: bounded.
    void reply.code(status).send({ error: status === 500 ? 'internal error' : excerpt(error.message) });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.post<{ Querystring: { explain?: string } }>('/v1/score', async (req, reply) => {
    const explainParam = req.query.explain;
    if (explainParam !== undefined && explainParam !== 'true' && explainParam !== 'false') {
      return reply.code(400).send({ error: formatMessage('serve.badExplain', {}) });
    }
    const explain = explainParam === 'true';
    if (explain && !scorer.explains) return reply.code(400).send({ error: formatMessage('serve.noReasons', {}) });
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let answer: ScoreAnswer;
    if (explain || body.length > LIGHT_BODY_BYTES) {
      try {
        answer = await thread.run(body, explain);
      } catch (e) {
        if (!(e instanceof QueueFullError)) throw e;
        return reply
          .code(503)
          .header('retry-after', String(RETRY_AFTER_SECONDS))
          .send({ error: formatMessage('serve.busy', { queue: thread.queued }) });
      }
    } else {
      answer = await answerScore(scorer, body.toString('utf8'), false, { allowUnknownCategories, nthread: 1 });
    }
    return reply.code(answer.status).send(answer.payload);
  });

  const stop = async (): Promise<void> => {
    stopping = true;
    if (inFlight.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, limits.drainTimeoutMs);
        drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await app.close();
  };
  return Object.assign(app, { stop, warmUp: () => thread.start(), limits });
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** `Authorization: Bearer <token>`, compared in constant time (digests of equal length). */
function authorized(header: string | undefined, expected: Buffer): boolean {
  const m = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return m !== null && timingSafeEqual(digest(m[1]), expected);
}

/** Answers HTTP the parser refused (and request timeouts) with the security headers, then closes. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = JSON.stringify({ error: status === 408 ? 'request timeout: the request did not arrive in time' : (STATUS_CODES[status] ?? 'bad request') });
  if (socket.writable) {
    const headers = Object.entries({ ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers}\r\n${body}`);
    // The answer is flushed before the close; a peer that never reads it is dropped anyway.
    setTimeout(() => socket.destroy(), 1000).unref();
  } else {
    socket.destroy();
  }
}
