// A local Microsoft Azure Attestation instance over TLS on 127.0.0.1, shaped after Microsoft's
// published REST API reference (api-version 2022-08-01):
//   GET  /.well-known/openid-configuration   "Metadata Configuration - Get"
//        https://learn.microsoft.com/en-us/rest/api/attestation/metadata-configuration/get
//        (field names as the service sends them, jwks_uri etc.: Key Vault's SKR requirements,
//        https://learn.microsoft.com/en-us/azure/key-vault/keys/policy-grammar)
//   GET  /certs                              "Signing Certificates - Get"
//        https://learn.microsoft.com/en-us/rest/api/attestation/signing-certificates/get
//        {"keys":[{"alg":"RS256","kid","kty":"RSA","use":"sig","x5c":[<base64 DER>]}]}
//   POST /attest/SgxEnclave?api-version=2022-08-01   "Attestation - Attest Sgx Enclave"
//        https://learn.microsoft.com/en-us/rest/api/attestation/attestation/attest-sgx-enclave
//        {"quote","runtimeData":{"data","dataType"},"nonce"} -> {"token"}; errors as CloudError
//        {"error":{"code","message"}}.
// Tokens carry the claims of "Examples of an attestation token" / "Claim sets"
// (https://learn.microsoft.com/en-us/azure/attestation/attestation-token-examples), RS256 with
// jku and kid in the header. Like the service, attest checks that the quote's report_data starts
// with SHA-256(runtime data) and puts the runtime data into x-ms-sgx-ehd and, for dataType JSON,
// parsed into x-ms-runtime. Unlike the service it cannot check the quote's signature (the quote
// is fakeSgx.ts's layout), so it trusts the identity the quote states.
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { parseQuote, type EnclaveIdentity } from './fakeSgx.ts';
import { makeRsaSigningCert, type SigningCert, type TestTls } from './testTls.ts';

export interface MaaSigner extends SigningCert {
  kid: string;
}

export interface FakeMaaOptions {
  tls: TestTls;
  now?: () => Date;
  /** Rewrites the metadata document before it is sent (attacks: jwks_uri on another host). */
  metadata?: (doc: Record<string, unknown>) => Record<string, unknown>;
}

export interface FakeMaa {
  url: string;
  signers: MaaSigner[];
  /** Requests received, by route. */
  counts: { metadata: number; certs: number; attest: number };
  attestRequests: Array<{ query: string; body: Record<string, unknown> }>;
  /** The claims MAA would issue for this enclave and runtime data (dataType JSON). */
  claimsFor(identity: EnclaveIdentity, runtimeData: Uint8Array, nonce?: string): Record<string, unknown>;
  /** Signs claims as this MAA (first signer unless given); header fields may be overridden. */
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>, signer?: { kid: string; privateKey: KeyObject }): Promise<string>;
  /** Adds a signing key (a rotation), published at /certs from now on. */
  rotate(): Promise<MaaSigner>;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

export async function startFakeMaa(options: FakeMaaOptions): Promise<FakeMaa> {
  const now = options.now ?? (() => new Date());
  const signers: MaaSigner[] = [];
  const newSigner = async (): Promise<MaaSigner> => {
    const cert = await makeRsaSigningCert('fake-maa-signing');
    // MAA's kids are base64 thumbprint-like strings (Get_Certs example): any opaque string.
    const signer = { ...cert, kid: randomBytes(24).toString('base64') };
    signers.push(signer);
    return signer;
  };
  await newSigner();
  const counts = { metadata: 0, certs: 0, attest: 0 };
  const attestRequests: FakeMaa['attestRequests'] = [];
  let url = '';

  const claimsFor = (identity: EnclaveIdentity, runtimeData: Uint8Array, nonce?: string): Record<string, unknown> => {
    const iat = Math.floor(now().getTime() / 1000);
    const hash = (s: string): string => createHash('sha256').update(s).digest('hex');
    const claims: Record<string, unknown> = {
      exp: iat + 8 * 3600,
      iat,
      nbf: iat,
      iss: url,
      jti: randomBytes(32).toString('hex'),
      'x-ms-attestation-type': 'sgx',
      'x-ms-policy-hash': createHash('sha256').update('default SGX policy').digest('base64url'),
      'x-ms-sgx-collateral': { qeidcertshash: hash('a'), qeidcrlhash: hash('b'), qeidhash: hash('c'), quotehash: hash('d'), tcbinfocertshash: hash('e'), tcbinfocrlhash: hash('f'), tcbinfohash: hash('g') },
      'x-ms-sgx-ehd': Buffer.from(runtimeData).toString('base64url'),
      'x-ms-sgx-is-debuggable': identity.debug,
      'x-ms-sgx-mrenclave': identity.mrenclave,
      'x-ms-sgx-mrsigner': identity.mrsigner,
      'x-ms-sgx-product-id': identity.productId,
      'x-ms-sgx-report-data': Buffer.concat([createHash('sha256').update(runtimeData).digest(), Buffer.alloc(32)]).toString('hex'),
      'x-ms-sgx-svn': identity.svn,
      'x-ms-ver': '1.0',
    };
    try {
      claims['x-ms-runtime'] = JSON.parse(Buffer.from(runtimeData).toString('utf8'));
    } catch {
      // Binary runtime data: only x-ms-sgx-ehd.
    }
    if (nonce !== undefined) claims.nonce = nonce;
    return claims;
  };

  const sign: FakeMaa['sign'] = (claims, header = {}, signer = signers[0]) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', jku: `${url}/certs`, kid: signer.kid, typ: 'JWT', ...header } as { alg: string }).sign(signer.privateKey);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = new URL(req.url ?? '/', url);
    if (req.method === 'GET' && target.pathname === '/.well-known/openid-configuration') {
      counts.metadata++;
      const doc: Record<string, unknown> = {
        issuer: url,
        jwks_uri: `${url}/certs`,
        revocation_endpoint: `${url}/revoke`,
        response_types_supported: ['token', 'none'],
        id_token_signing_alg_values_supported: ['RS256'],
        claims_supported: ['x-ms-sgx-is-debuggable', 'x-ms-sgx-mrsigner', 'x-ms-sgx-mrenclave', 'x-ms-sgx-product-id', 'x-ms-sgx-svn', 'x-ms-ver'],
      };
      return send(res, 200, options.metadata ? options.metadata(doc) : doc);
    }
    if (req.method === 'GET' && target.pathname === '/certs') {
      counts.certs++;
      return send(res, 200, { keys: signers.map((s) => ({ alg: 'RS256', kid: s.kid, kty: 'RSA', use: 'sig', x5c: [s.x5c] })) });
    }
    if (req.method === 'POST' && target.pathname === '/attest/SgxEnclave') {
      counts.attest++;
      if (target.searchParams.get('api-version') !== '2022-08-01') return cloudError(res, 400, 'InvalidApiVersion', 'api-version must be 2022-08-01');
      const body = await readJson(req);
      if (!body) return cloudError(res, 400, 'InvalidParameter', 'the body is not JSON');
      attestRequests.push({ query: target.search, body });
      const { quote, runtimeData, nonce } = body as { quote?: unknown; runtimeData?: { data?: unknown; dataType?: unknown }; nonce?: unknown };
      if (typeof quote !== 'string' || !/^[A-Za-z0-9_-]+$/.test(quote)) return cloudError(res, 400, 'InvalidParameter', 'quote must be base64url');
      if (typeof runtimeData?.data !== 'string' || !['Binary', 'JSON'].includes(String(runtimeData.dataType))) return cloudError(res, 400, 'InvalidParameter', 'runtimeData needs data and dataType Binary|JSON');
      let parsed;
      try {
        parsed = parseQuote(Buffer.from(quote, 'base64url'));
      } catch (e) {
        return cloudError(res, 400, 'InvalidParameter', (e as Error).message);
      }
      const data = Buffer.from(runtimeData.data, 'base64url');
      if (!createHash('sha256').update(data).digest().equals(parsed.reportData.subarray(0, 32))) {
        return cloudError(res, 400, 'InvalidParameter', 'the quote report data does not hold the SHA256 hash of the runtime data');
      }
      const claims = claimsFor(parsed, runtimeData.dataType === 'JSON' ? data : Buffer.from(data), typeof nonce === 'string' ? nonce : undefined);
      if (runtimeData.dataType !== 'JSON') delete claims['x-ms-runtime'];
      return send(res, 200, { token: await sign(claims) });
    }
    return cloudError(res, 404, 'NotFound', `no route ${req.method} ${target.pathname}`);
  };

  const server: Server = createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) => {
    handle(req, res).catch((e: unknown) => cloudError(res, 500, 'InternalError', (e as Error).message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    signers,
    counts,
    attestRequests,
    claimsFor,
    sign,
    rotate: newSigner,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function cloudError(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, { error: { code, message } });
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > MAX_BODY) return undefined;
    parts.push(chunk as Buffer);
  }
  try {
    const value = JSON.parse(Buffer.concat(parts).toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
