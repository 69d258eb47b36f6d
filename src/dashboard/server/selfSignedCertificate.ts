// The dashboard's default TLS identity: a self-signed ECDSA P-256 certificate for localhost,
// 127.0.0.1, ::1 and this machine's host name, valid for a year, kept in the state folder
// (key 0600) and reused on later starts. It is made anew when missing, unreadable, about to
// expire, or when it lacks one of the names (the host was renamed).
import './reflectMetadata.ts';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, randomBytes, webcrypto, X509Certificate as NodeCertificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/index.ts';
import { PRIVATE_FILE_MODE, readPrivateFile } from './privateFile.ts';

// Node's webcrypto is the Web Crypto API the library expects (its types name the DOM's).
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export const CERT_FILE = 'tls-cert.pem';
export const KEY_FILE = 'tls-key.pem';
const VALIDITY_MS = 365 * 24 * 3600 * 1000;
/** A certificate this close to its end is replaced, so a server started today does not fail tomorrow. */
const RENEW_BEFORE_MS = 24 * 3600 * 1000;
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

export interface TlsCredentials {
  cert: string;
  key: string;
}

export interface CertificateNames {
  dns: string[];
  ip: string[];
}

/** The names the certificate covers; a host name that is not a DNS name is left out. */
export function certificateNames(hostname: string): CertificateNames {
  const dns = ['localhost'];
  const host = hostname.toLowerCase();
  if (host !== 'localhost' && /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(host)) dns.push(host);
  return { dns, ip: ['127.0.0.1', '::1'] };
}

export async function selfSignedCertificate(options: {
  stateDir: string;
  hostname: string;
  now: Date;
  warn: (message: string) => void;
}): Promise<TlsCredentials & { generated: boolean }> {
  const certPath = join(options.stateDir, CERT_FILE);
  const keyPath = join(options.stateDir, KEY_FILE);
  const names = certificateNames(options.hostname);
  // A missing or unreadable certificate is simply made anew.
  const cert = await readFile(certPath, 'utf8').catch(() => undefined);
  const key = await readPrivateFile(keyPath, options.warn);
  if (cert !== undefined && key !== undefined && reusable(cert, key, names, options.now)) return { cert, key, generated: false };
  const made = await generate(names, options.now);
  // The key first: a crash in between leaves a certificate that does not match, which the
  // next start detects and replaces.
  await writeFileAtomic(keyPath, made.key, { mode: PRIVATE_FILE_MODE });
  await writeFileAtomic(certPath, made.cert, { mode: 0o644 });
  return { ...made, generated: true };
}

function reusable(certPem: string, keyPem: string, names: CertificateNames, now: Date): boolean {
  try {
    const cert = new x509.X509Certificate(certPem);
    if (cert.notAfter.getTime() - now.getTime() < RENEW_BEFORE_MS || cert.notBefore.getTime() > now.getTime()) return false;
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON() ?? [];
    const has = (type: string, value: string): boolean => san.some((n) => n.type === type && n.value === value);
    if (!names.dns.every((n) => has('dns', n)) || !names.ip.every((n) => has('ip', n))) return false;
    return new NodeCertificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    // Unparsable files are simply replaced.
    return false;
  }
}

async function generate(names: CertificateNames, now: Date): Promise<TlsCredentials> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as unknown as x509.X509CertificateCreateSelfSignedParams['keys'];
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    // A random 128-bit serial whose first byte is 0x40..0x7f: positive and minimal in DER.
    serialNumber: ((randomBytes(1)[0] & 0x3f) | 0x40).toString(16) + randomBytes(15).toString('hex'),
    name: 'CN=localhost, O=Sealed Pipelines dashboard',
    // A minute back, for clocks a little behind this one.
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + VALIDITY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([...names.dns.map((value) => ({ type: 'dns' as const, value })), ...names.ip.map((value) => ({ type: 'ip' as const, value }))]),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey);
  return { cert: cert.toString('pem') + '\n', key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n' };
}
