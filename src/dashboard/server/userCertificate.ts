// A certificate and key the user brings (`sealed ui --cert PEM --key PEM`): read and checked at
// start (both parse, and the key belongs to the certificate) so a mistake is one clear line
// instead of a TLS handshake failure in the browser.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { UsageError } from '../../core/index.ts';
import { readUserFile } from './privateFile.ts';
import type { TlsCredentials } from './selfSignedCertificate.ts';

export async function loadUserCertificate(certPath: string, keyPath: string): Promise<TlsCredentials> {
  const cert = await readPem(certPath);
  const key = await readPem(keyPath);
  let parsedCert: X509Certificate;
  try {
    parsedCert = new X509Certificate(cert);
  } catch (e) {
    throw new UsageError('dashboard.badTlsFile', { what: 'certificate', path: certPath, reason: (e as Error).message }, { cause: e });
  }
  let parsedKey;
  try {
    parsedKey = createPrivateKey(key);
  } catch (e) {
    throw new UsageError('dashboard.badTlsFile', { what: 'private key', path: keyPath, reason: (e as Error).message }, { cause: e });
  }
  if (!parsedCert.checkPrivateKey(parsedKey)) throw new UsageError('dashboard.keyMismatch', { cert: certPath, key: keyPath });
  return { cert, key };
}

async function readPem(path: string): Promise<string> {
  return readUserFile(path);
}
