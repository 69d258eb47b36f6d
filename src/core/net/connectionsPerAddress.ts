// One client must not hold every connection slot of a server: with a single global cap
// (net.Server maxConnections), 300 half-sent requests from one address, reopened as the headers
// timeout closes them, kept both servers from answering anyone, health checks included (found in
// review). So each server also caps the connections open from one remote address; past it a new
// connection is closed at once. The 'connection' event is net.Server's, emitted for every accepted
// socket of http, https and tls servers alike (https://nodejs.org/api/net.html#event-connection).
import type { Server } from 'node:net';

/** Default cap per remote address: a browser opens about 6 connections per host, a proxy more. */
export const DEFAULT_CONNECTIONS_PER_ADDRESS = 32;

export function limitConnectionsPerAddress(server: Server, max: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    // An IPv4 client on a dual-stack listener shows as ::ffff:a.b.c.d: one address, one count.
    const key = (socket.remoteAddress ?? '').replace(/^::ffff:/i, '');
    const count = (open.get(key) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(key, count);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left <= 0) open.delete(key);
      else open.set(key, left);
    });
  });
}
