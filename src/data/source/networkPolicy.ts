// Where an http(s) data fetch connects, and how it is kept there.
//
// Every hop (the first URL and every redirect) is resolved ONCE here, every resolved address is
// checked (addressRanges.ts) unless private networks are allowed, and the connection is then made
// to exactly those checked addresses: the socket is created by our own `createConnection` with a
// `lookup` that answers from the checked list instead of asking DNS again. A name that resolves to a
// public address for the check and to 169.254.169.254 a moment later (DNS rebinding) therefore
// still connects to the public address.
//
// Node documents both seams: http.request `createConnection` ("a function that produces a
// socket/stream to use for the request when the agent option is not used") and net.connect /
// tls.connect `lookup` ("Custom lookup function. Default: dns.lookup()"; tls.connect takes "any
// socket.connect() option"): https://nodejs.org/docs/latest-v20.x/api/http.html#httprequesturl-options-callback,
// https://nodejs.org/docs/latest-v20.x/api/net.html#socketconnectoptions-connectlistener. With
// autoSelectFamily net calls `lookup` with `{ all: true }` (lib/net.js lookupAndConnectMultiple),
// so both answer forms are given.
//
// No agent is used, so no proxy either: HTTP(S)_PROXY / NO_PROXY from the environment (honoured by
// Node's http.Agent from Node 24 with NODE_USE_ENV_PROXY, and by undici's EnvHttpProxyAgent) can
// never send the request somewhere the check did not look at.
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import net, { isIP } from 'node:net';
import tls from 'node:tls';
import { IoError } from '../../core/errors.ts';
import { redactUrl } from '../../core/redact.ts';
import { nonPublicAddressKind } from './addressRanges.ts';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (the default: the system resolver, as Node's own connections use). */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface ConnectTarget {
  /** The URL's host name (brackets of an IPv6 literal removed): TLS server name and certificate check. */
  hostname: string;
  port: number;
  tls: boolean;
  /** The checked addresses; the connection must go to one of these. */
  addresses: readonly ResolvedAddress[];
}

/** Opens the connection for one request (tests record the target and connect to a loopback server instead). */
export type Connector = (target: ConnectTarget) => net.Socket;

/** Hooks for tests; production code leaves them out. */
export interface NetworkHooks {
  resolve?: Resolver;
  connect?: Connector;
}

export const systemResolver: Resolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((a: LookupAddress) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** The URL's host without the brackets of an IPv6 literal. */
export function bareHostname(url: URL): string {
  const h = url.hostname;
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/**
 * Resolves `url`'s host once and checks every address. IP-literal hosts are checked as they are (the
 * WHATWG URL parser has already turned `2130706433`, `0x7f.1` and `017700000001` into `127.0.0.1`).
 */
export async function resolveChecked(url: URL, allowPrivateNetworks: boolean, resolve: Resolver, timeoutMs: number): Promise<readonly ResolvedAddress[]> {
  const hostname = bareHostname(url);
  const shown = redactUrl(url);
  let addresses: readonly ResolvedAddress[];
  const family = isIP(hostname);
  if (family !== 0) {
    addresses = [{ address: hostname, family: family as 4 | 6 }];
  } else {
    addresses = await withTimeout(resolve(hostname), timeoutMs, () => new IoError('source.timeout', { url: shown, ms: timeoutMs, phase: 'resolving the host of' })).catch((e: unknown) => {
      if (e instanceof IoError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      const reason = code === 'ENOTFOUND' || code === 'ENODATA' ? 'host not found' : code === 'EAI_AGAIN' ? 'host name lookup failed' : (code ?? 'host name lookup failed');
      throw new IoError('source.unreachable', { url: shown, reason }, { cause: e });
    });
    if (addresses.length === 0) throw new IoError('source.unreachable', { url: shown, reason: 'host not found' });
  }
  if (!allowPrivateNetworks) {
    for (const a of addresses) {
      const kind = nonPublicAddressKind(a.address);
      if (kind !== undefined) {
        throw new IoError('source.privateAddress', { url: shown, host: hostname === a.address ? '' : hostname, address: a.address, kind });
      }
    }
  }
  return addresses;
}

/** A `lookup` for net/tls.connect that answers only from `addresses` (no second DNS query). */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): net.LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    if (wanted.length === 0) {
      const e: NodeJS.ErrnoException = new Error('no checked address of the requested family');
      e.code = 'ENOTFOUND';
      callback(e, '', 0);
      return;
    }
    if (options.all) (callback as unknown as (e: null, all: ResolvedAddress[]) => void)(null, wanted.map((a) => ({ ...a })));
    else callback(null, wanted[0].address, wanted[0].family);
  };
}

/** The production connector: to the checked addresses only, TLS verified against the URL's host name. */
export const directConnector: Connector = (target) => {
  const base = {
    host: target.hostname,
    port: target.port,
    lookup: pinnedLookup(target.addresses),
    autoSelectFamily: target.addresses.length > 1,
  };
  if (!target.tls) return net.connect(base);
  return tls.connect({ ...base, ...(isIP(target.hostname) === 0 ? { servername: target.hostname } : {}), ALPNProtocols: ['http/1.1'] });
};

function withTimeout<T>(p: Promise<T>, ms: number, error: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(error()), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e as Error);
      },
    );
  });
}
