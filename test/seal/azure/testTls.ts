// Certificates the Azure fakes need, made by the test: a self-signed TLS server certificate for
// 127.0.0.1 and the *.vault.localhost names the Key Vault fake answers on, and self-signed RSA
// 2048 certificates for the MAA signing keys (MAA publishes its keys as x5c certificates).
// Clients trust the TLS certificate per connection (an https.Agent for the Azure SDK, an undici
// Agent for our MAA calls); nothing disables verification. The vault host names resolve to
// 127.0.0.1 through the agent's own lookup, so Key Vault's challenge check (the request host must
// end with ".<resource host>") runs unchanged against resource https://vault.localhost.
import '../../../src/dashboard/server/reflectMetadata.ts';
import * as x509 from '@peculiar/x509';
import { Agent as HttpsAgent } from 'node:https';
import { createPrivateKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import type { LookupFunction } from 'node:net';
import { Agent as UndiciAgent } from 'undici';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export const VAULT_DOMAIN = 'vault.localhost';
export const VAULT_HOSTS = ['testvault.vault.localhost', 'othervault.vault.localhost'];

export interface TestTls {
  cert: string;
  key: string;
}

function serial(): string {
  return ((randomBytes(1)[0] & 0x3f) | 0x40).toString(16) + randomBytes(15).toString('hex');
}

/** A self-signed ECDSA P-256 server certificate for 127.0.0.1, localhost and the fake vault names. */
export async function makeServerTls(): Promise<TestTls> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as unknown as x509.X509CertificateCreateSelfSignedParams['keys'];
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=sealed-test-azure-fakes',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 24 * 3600_000),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }, ...VAULT_HOSTS.map((value) => ({ type: 'dns' as const, value })), { type: 'ip', value: '127.0.0.1' }]),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey);
  return { cert: cert.toString('pem'), key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

export interface SigningCert {
  /** Base64 DER, as an x5c entry. */
  x5c: string;
  privateKey: KeyObject;
}

/** An RSA 2048 key and its self-signed certificate (RS256 token signing, as MAA's). */
export async function makeRsaSigningCert(name: string): Promise<SigningCert> {
  const alg = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as unknown as x509.X509CertificateCreateSelfSignedParams['keys'];
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 24 * 3600_000),
    keys,
    signingAlgorithm: alg,
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey);
  return { x5c: Buffer.from(cert.rawData).toString('base64'), privateKey: createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }) };
}

/** Resolves every *.vault.localhost name to 127.0.0.1 (a .localhost name never leaves the machine anyway). */
const vaultLookup: LookupFunction = (hostname, options, callback) => {
  if (hostname === 'localhost' || hostname.endsWith(`.${VAULT_DOMAIN}`)) {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  callback(Object.assign(new Error(`test lookup: ${hostname} is not a test host`), { code: 'ENOTFOUND' }), '', 0);
};

/** The agent the Key Vault SDK clients use in tests: trusts the test certificate, resolves the fake vault names. */
export function sdkAgent(tls: TestTls): HttpsAgent {
  return new HttpsAgent({ ca: tls.cert, lookup: vaultLookup, keepAlive: false });
}

/** The undici dispatcher our MAA calls (and the vault fake's) use: trusts the test certificate. */
export function undiciAgent(tls: TestTls): UndiciAgent {
  return new UndiciAgent({ connect: { ca: tls.cert } });
}
