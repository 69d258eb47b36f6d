// Validation of every value the Kubeflow overlay takes from the user. Each value ends up in
// YAML that a cluster applies (Dex config, a Profile owner, a Certificate, a kustomize
// literal), so the accepted alphabets are deliberately narrow: a value that passes cannot
// carry a newline, a quote, a YAML indicator, `$` (Dex expands `$VAR` in parts of its config)
// or `=` (kustomize splits literals on it). The YAML itself is still written through the
// `yaml` library, never by string concatenation, so validation is the second wall, not the only one.
import { isIP } from 'node:net';
import { UsageError } from '../../core/errors.ts';
import { excerpt } from '../../core/excerpt.ts';
import { parseBcryptHash } from '../password/bcryptHash.ts';

function refuse(what: string, value: string, reason: string): never {
  throw new UsageError('deploy.overlay.badInput', { what, value, reason });
}

// RFC 1123 host label: letters, digits, inner hyphens, at most 63 characters.
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A DNS name for the gateway certificate, lower-cased. No wildcard, no trailing dot, ASCII only (IDNs as xn--). */
export function validateDomain(value: string, what = '--domain'): string {
  if (value.length === 0) refuse(what, value, 'it is empty');
  if (value.length > 253) refuse(what, value, 'a DNS name is at most 253 characters');
  const name = value.toLowerCase();
  const labels = name.split('.');
  if (labels.length < 2) refuse(what, value, 'a DNS name needs at least two labels (like kubeflow.example.org)');
  for (const label of labels) {
    if (!LABEL.test(label)) {
      refuse(what, value, `label '${excerpt(label, 63)}' is not a DNS label (letters, digits and inner hyphens, 1 to 63 characters; no wildcard)`);
    }
  }
  // An all-numeric last label would make "10.0.0.1" a domain; addresses go to --ip.
  if (/^[0-9]+$/.test(labels[labels.length - 1])) refuse(what, value, 'the last label is numeric (an IP address goes to --ip)');
  return name;
}

// Conservative local part: what real login e-mails use. No quotes, spaces, `$`, `%`, `=`, `#`, `:`.
const LOCAL_PART = /^[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*$/;

/** The Dex login e-mail; it also becomes the Kubeflow user id (kubeflow-userid header, Profile owner). */
export function validateEmail(value: string): string {
  if (value.length > 254) refuse('--dex-user', value, 'an e-mail address is at most 254 characters');
  const at = value.lastIndexOf('@');
  if (at <= 0 || value.indexOf('@') !== at) refuse('--dex-user', value, 'expected one e-mail address like alice@example.org');
  const local = value.slice(0, at);
  if (local.length > 64 || !LOCAL_PART.test(local)) {
    refuse('--dex-user', value, 'the part before @ may hold only letters, digits and . _ + - (no quotes, spaces or control characters)');
  }
  validateDomain(value.slice(at + 1), '--dex-user domain');
  if (value.toLowerCase() === 'user@example.com') refuse('--dex-user', value, 'this is the default Kubeflow account the overlay removes');
  return value;
}

/** IPv4 subnets no load balancer answers on: a certificate for them is a typo or an attack. */
const V4_REFUSED: ReadonlyArray<[number, number, string]> = [
  [0x00000000, 8, 'an unspecified ("this network") address'],
  [0x7f000000, 8, 'a loopback address'],
  [0xa9fe0000, 16, 'a link-local address'],
  [0xe0000000, 4, 'a multicast address'],
  [0xf0000000, 4, 'a reserved or broadcast address'],
];

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function v4Refusal(ip: string): string | undefined {
  const n = v4ToInt(ip);
  for (const [net, bits, why] of V4_REFUSED) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if (((n & mask) >>> 0) === net) return why;
  }
  return undefined;
}

/**
 * The load balancer's address for the gateway certificate. Private addresses (10/8, 172.16/12,
 * 192.168/16, fc00::/7) are accepted: an internal Azure load balancer or a private cluster gets
 * one. Loopback, unspecified, link-local, multicast and reserved addresses are refused: no
 * load balancer has them, so they can only be a mistake. Returned in canonical form.
 */
export function validateIp(value: string): string {
  if (value.includes('%')) refuse('--ip', value, 'a zone index (%) is not part of a load balancer address');
  const family = isIP(value);
  if (family === 0) refuse('--ip', value, 'not an IPv4 or IPv6 address');
  if (family === 4) {
    const why = v4Refusal(value);
    if (why) refuse('--ip', value, `${why} cannot be the load balancer's`);
    return value;
  }
  const canonical = new URL(`http://[${value}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (mapped) {
    const n = parseInt(mapped[1], 16) * 65536 + parseInt(mapped[2], 16);
    const v4 = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
    const why = v4Refusal(v4);
    if (why) refuse('--ip', value, `${why} (IPv4-mapped) cannot be the load balancer's`);
    return canonical;
  }
  if (canonical === '::' || canonical === '::1') refuse('--ip', value, 'an unspecified or loopback address cannot be the load balancer\'s');
  const first = parseInt(canonical.split(':')[0] || '0', 16);
  if ((first & 0xffc0) === 0xfe80) refuse('--ip', value, "a link-local address cannot be the load balancer's");
  if ((first & 0xff00) === 0xff00) refuse('--ip', value, "a multicast address cannot be the load balancer's");
  return canonical;
}

/** A Kubernetes object name (DNS-1123 subdomain), used for the ClusterIssuer. */
export function validateIssuer(value: string): string {
  if (value.length === 0 || value.length > 253) refuse('--issuer', value, 'a ClusterIssuer name has 1 to 253 characters');
  if (!/^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/.test(value)) {
    refuse('--issuer', value, 'not a Kubernetes object name (lower-case letters, digits, - and .)');
  }
  return value;
}

/**
 * The Dex user's bcrypt hash, checked by the password module's one definition of an acceptable
 * hash (../password/bcryptHash.ts: $2a$/$2b$/$2y$, cost 12..16 as Dex allows, canonical encoding,
 * not a hash published with Kubeflow) and returned as "$2y$", the form the releases ship. Dex
 * reads it with Go's bcrypt (dexidp/dex cmd/dex/config.go, `password.UnmarshalJSON`). Errors never quote it.
 */
export function validateBcryptHash(hash: string): string {
  return parseBcryptHash(hash, 'the Dex password hash (passwordHash)').hash;
}
