// The undici connection pool every KFP request goes through: connect timeout, header and body
// timeouts, and TLS trust. A CA given with --ca-file is trusted in addition to Node's public
// roots, so a cluster behind a private CA works without losing the public ones; switching
// verification off happens only when the caller asks for it explicitly.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import { IoError, UsageError } from '../../core/errors.ts';

export interface KfpAgentOptions {
  connectTimeoutMs: number;
  /** Longest wait for response headers, and between two chunks of a body. */
  timeoutMs: number;
  /** PEM text of extra CA certificates to trust. */
  caPem?: string;
  insecureSkipTlsVerify?: boolean;
}

export function createKfpAgent(options: KfpAgentOptions): Agent {
  const tls = options.insecureSkipTlsVerify
    ? { rejectUnauthorized: false }
    : options.caPem !== undefined
      ? { ca: [...rootCertificates, options.caPem] }
      : {};
  return new Agent({
    connect: { timeout: options.connectTimeoutMs, ...tls },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Reads a CA file and checks that it holds at least one parseable PEM certificate. */
export async function loadCaFile(path: string, shown: string): Promise<string> {
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new IoError('io.notFound', { path: shown }, { cause: e });
    throw new IoError('io.readFailed', { path: shown, reason: e.message }, { cause: e });
  });
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new UsageError('kfp.badCaFile', { path: shown, reason: 'no -----BEGIN CERTIFICATE----- block' });
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (e) {
      throw new UsageError('kfp.badCaFile', { path: shown, reason: `certificate ${i + 1} does not parse (${(e as Error).message})` }, { cause: e });
    }
  }
  return blocks.join('\n');
}
