// Which IP addresses a data fetch may connect to when private networks are not allowed: only
// global unicast. Ranges from the IANA special-purpose address registries (RFC 6890 and updates:
// https://www.iana.org/assignments/iana-ipv4-special-registry/ and
// https://www.iana.org/assignments/iana-ipv6-special-registry/). IPv6 is allowed only inside
// 2000::/3 (the only block IANA allocates global unicast from) minus its special blocks; forms
// that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64
// 64:ff9b::/96, 6to4 2002::/16) are judged by that IPv4 address.
import { isIPv4, isIPv6 } from 'node:net';

/** [first address as a 32-bit number, prefix length, what it is] */
const IPV4_BLOCKED: readonly [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT (shared)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved or broadcast'],
];

function v4Number(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

const V4_RANGES = IPV4_BLOCKED.map(([base, bits, kind]) => ({ base: v4Number(base), bits, kind }));

function inV4(n: number, base: number, bits: number): boolean {
  const size = 2 ** (32 - bits);
  return n >= base && n < base + size;
}

function classifyV4(n: number): string | undefined {
  for (const r of V4_RANGES) if (inV4(n, r.base, r.bits)) return r.kind;
  return undefined;
}

/** An IPv6 address as eight 16-bit groups (embedded dotted IPv4 and `::` expanded, zone id dropped). */
function v6Groups(address: string): number[] | undefined {
  let text = address.replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    if (!isIPv4(dotted[1])) return undefined;
    const n = v4Number(dotted[1]);
    text = text.slice(0, -dotted[1].length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<number>(fill).fill(0), ...tail];
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return undefined;
  return groups;
}

const v4From = (hi: number, lo: number): number => hi * 65536 + lo;

function classifyV6(g: number[]): string | undefined {
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return 'unspecified';
  if (zeros(0, 7) && g[7] === 1) return 'loopback';
  // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible): the IPv4 address decides.
  if (zeros(0, 5) && g[5] === 0xffff) return embedded(v4From(g[6], g[7]), 'IPv4-mapped');
  if (zeros(0, 6)) return embedded(v4From(g[6], g[7]), 'IPv4-compatible');
  // 64:ff9b::/96 NAT64 well-known prefix (RFC 6052): the IPv4 address decides; 64:ff9b:1::/48 is local-use (RFC 8215).
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return embedded(v4From(g[6], g[7]), 'NAT64');
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'NAT64 local-use';
  // 2002::/16 6to4 (RFC 3056): the IPv4 address in bits 16..47 decides.
  if (g[0] === 0x2002) return embedded(v4From(g[1], g[2]), '6to4');
  if ((g[0] & 0xfe00) === 0xfc00) return 'unique local (private)';
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0] & 0xffc0) === 0xfec0) return 'site-local (private)';
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  if ((g[0] & 0xe000) !== 0x2000) return 'reserved (not global unicast)';
  // Special blocks inside 2000::/3.
  if (g[0] === 0x2001 && g[1] < 0x0200) return 'IETF protocol assignments (Teredo, benchmarking, ORCHID)';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'documentation';
  if (g[0] === 0x3fff && (g[1] & 0xf000) === 0) return 'documentation'; // 3fff::/20 (RFC 9637)
  return undefined;
}

function embedded(n: number, form: string): string | undefined {
  const kind = classifyV4(n);
  return kind === undefined ? undefined : `${form} ${kind}`;
}

/**
 * What kind of non-public address `address` is ('loopback', 'link-local (cloud metadata)', ...), or
 * undefined for a global unicast address. Anything that is not a valid IP address counts as non-public.
 */
export function nonPublicAddressKind(address: string): string | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIPv4(bare)) return classifyV4(v4Number(bare));
  if (isIPv6(bare)) {
    const groups = v6Groups(bare);
    return groups ? classifyV6(groups) : 'unparsable IPv6';
  }
  return 'not an IP address';
}
