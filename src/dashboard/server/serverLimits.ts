// Connection-level limits of the dashboard server, so a slow or greedy client cannot hold the
// server's sockets or memory. Each maps to a Node or fastify setting:
//
//   headersTimeoutMs        http.Server headersTimeout: the whole header block must arrive in
//                           this time (slowloris). https://nodejs.org/api/http.html#serverheaderstimeout
//   requestTimeoutMs        http.Server requestTimeout (fastify `requestTimeout`): the whole
//                           request, body included, must arrive in this time; a body sent one
//                           byte a second is cut with 408. https://nodejs.org/api/http.html#serverrequesttimeout
//                           https://fastify.dev/docs/latest/Reference/Server/#requesttimeout
//   checkIntervalMs         http.createServer connectionsCheckingInterval: how often Node looks
//                           for requests past those two timeouts (Node's default is 30 s, which
//                           would let a slow client overstay by that much).
//                           https://nodejs.org/api/http.html#httpcreateserveroptions-requestlistener
//   idleTimeoutMs           fastify `connectionTimeout` = server.setTimeout: a socket with no
//                           traffic at all is destroyed. https://fastify.dev/docs/latest/Reference/Server/#connectiontimeout
//   keepAliveTimeoutMs      fastify `keepAliveTimeout` = server.keepAliveTimeout: an idle
//                           keep-alive socket is closed after this. https://nodejs.org/api/http.html#serverkeepalivetimeout
//   maxRequestsPerSocket    fastify `maxRequestsPerSocket` = server.maxRequestsPerSocket.
//                           https://nodejs.org/api/http.html#servermaxrequestspersocket
//   maxConnections          net.Server maxConnections: connections past it are closed at once.
//                           https://nodejs.org/api/net.html#servermaxconnections
//   handshakeTimeoutMs      tls.Server handshakeTimeout: a TLS handshake must finish in this time
//                           (Node's default is 120 s). https://nodejs.org/api/tls.html#tlscreateserveroptions-secureconnectionlistener
//
// The request body size is capped separately (fastify bodyLimit = API_LIMITS.bodyBytes).
import type { ServerOptions as HttpServerOptions } from 'node:http';
import { DEFAULT_CONNECTIONS_PER_ADDRESS } from '../../core/net/connectionsPerAddress.ts';

export interface ServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  checkIntervalMs: number;
  idleTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxRequestsPerSocket: number;
  maxConnections: number;
  /** Connections open from one remote address (core/net/connectionsPerAddress.ts). */
  maxConnectionsPerAddress: number;
  handshakeTimeoutMs: number;
}

export const DEFAULT_SERVER_LIMITS: Readonly<ServerLimits> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  checkIntervalMs: 1_000,
  idleTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxRequestsPerSocket: 1_000,
  maxConnections: 256,
  maxConnectionsPerAddress: DEFAULT_CONNECTIONS_PER_ADDRESS,
  handshakeTimeoutMs: 10_000,
};

export function serverLimits(given: Partial<ServerLimits> = {}): ServerLimits {
  const limits = { ...DEFAULT_SERVER_LIMITS, ...given };
  // Node refuses headersTimeout > requestTimeout (ERR_OUT_OF_RANGE) when both are set.
  limits.headersTimeoutMs = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return limits;
}

/** The options of http(s).createServer that fastify does not set itself. */
export function nodeServerOptions(limits: ServerLimits): HttpServerOptions & { handshakeTimeout: number } {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: limits.checkIntervalMs,
    handshakeTimeout: limits.handshakeTimeoutMs,
  };
}

/** fastify's own server options for the same limits. */
export function fastifyServerOptions(limits: ServerLimits): { connectionTimeout: number; keepAliveTimeout: number; requestTimeout: number; maxRequestsPerSocket: number } {
  return {
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
  };
}
