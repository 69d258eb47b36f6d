// A local Azure Key Vault over TLS on 127.0.0.1 (reached as https://<name>.vault.localhost:<port>),
// for the requests @azure/keyvault-keys 4.10 sends (api-version 2025-07-01), shaped after the
// Key Vault REST reference:
//   auth  a request without the expected bearer token gets 401 with
//         WWW-Authenticate: Bearer authorization="https://login.microsoftonline.com/<tenant>", resource="https://vault.localhost"
//         ("Authentication, requests and responses": https://learn.microsoft.com/en-us/azure/key-vault/general/authentication-requests-and-responses);
//         the SDK answers it with a token for <resource>/.default and re-sends the request with its body.
//   GET  /keys/{name}/{version}             "Get Key"     https://learn.microsoft.com/en-us/rest/api/keyvault/keys/get-key/get-key
//        KeyBundle {"key":{"kid","kty":"RSA-HSM","key_ops","n","e"},"attributes":{...},"release_policy"?}
//   POST /keys/{name}/{version}/wrapkey     "Wrap Key"    https://learn.microsoft.com/en-us/rest/api/keyvault/keys/wrap-key/wrap-key
//   POST /keys/{name}/{version}/unwrapkey   "Unwrap Key"  https://learn.microsoft.com/en-us/rest/api/keyvault/keys/unwrap-key/unwrap-key
//        {"alg":"RSA-OAEP-256","value":<base64url>} -> {"kid","value":<base64url>}
//   POST /keys/{name}/{version}/release     "Release"     https://learn.microsoft.com/en-us/rest/api/keyvault/keys/release/release
//        {"target":<MAA JWT>,"nonce","enc":"RSA_AES_KEY_WRAP_256"} -> {"value":<JWS>}
//   errors  {"error":{"code","message"}} (KeyVaultError).
// Release enforces the key's release policy the way the grammar page describes
// (https://learn.microsoft.com/en-us/azure/key-vault/keys/policy-grammar): the token must verify
// with a signing key the issuer publishes (OpenID metadata -> jwks_uri -> x5c, fetched over TLS
// from the fake MAA, with code independent of the verifier under test), be within exp/nbf, its
// iss must equal one authority entry and all of that entry's conditions must hold; the key goes
// to the first RSA key in x-ms-runtime.keys marked for encryption, wrapped as
// RSA_AES_KEY_WRAP_256 (RSA-OAEP-SHA256 of an AES-256 key, then RFC 5649 AES key wrap of the
// PKCS#8 key) inside a BYOK-style transfer blob (https://learn.microsoft.com/en-us/azure/key-vault/keys/byok-specification).
// The release answer is a JWS signed with a key of this fake; its header fields are not
// documented by Microsoft and are kept minimal.
import { X509Certificate, constants, createCipheriv, createPublicKey, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { CompactSign, compactVerify, decodeProtectedHeader } from 'jose';
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { readJson } from './fakeMaa.ts';
import type { TestTls } from './testTls.ts';

export const TEST_TENANT = '72f988bf-0000-4000-8000-000000000001';
export const VAULT_RESOURCE = 'https://vault.localhost';

export interface VaultKey {
  name: string;
  version: string;
  id: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  exportable: boolean;
  releasePolicy: unknown;
  keyOps: string[];
}

export interface FakeKeyVaultOptions {
  tls: TestTls;
  /** The vault name: the host is <name>.vault.localhost. */
  name?: string;
  accessToken: string;
  /** How the fake reaches attestation authorities (trusting the test CA). */
  dispatcher: Dispatcher;
  now?: () => Date;
}

export interface FakeKeyVault {
  url: string;
  keys: Map<string, VaultKey>;
  /** Every request: method, path, whether it carried the right token. */
  log: Array<{ method: string; path: string; authorized: boolean; apiVersion: string | null }>;
  /** Why each refused release was refused (the fake's own words, for tests). */
  refusals: string[];
  addKey(name: string, options?: { exportable?: boolean; releasePolicy?: unknown; keyOps?: string[] }): VaultKey;
  close(): Promise<void>;
}

const ALL_OPS = ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'];

export async function startFakeKeyVault(options: FakeKeyVaultOptions): Promise<FakeKeyVault> {
  const now = options.now ?? (() => new Date());
  const keys = new Map<string, VaultKey>();
  const log: FakeKeyVault['log'] = [];
  const refusals: string[] = [];
  const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let url = '';

  const bundle = (k: VaultKey): Record<string, unknown> => {
    const jwk = k.publicKey.export({ format: 'jwk' });
    const created = Math.floor(now().getTime() / 1000);
    return {
      key: { kid: k.id, kty: 'RSA-HSM', key_ops: k.keyOps, n: jwk.n, e: jwk.e },
      attributes: { enabled: true, created, updated: created, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90, exportable: k.exportable },
      ...(k.releasePolicy !== undefined ? { release_policy: { contentType: 'application/json; charset=utf-8', data: Buffer.from(JSON.stringify(k.releasePolicy)).toString('base64url') } } : {}),
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = new URL(req.url ?? '/', url);
    const authorized = req.headers.authorization === `Bearer ${options.accessToken}`;
    log.push({ method: req.method ?? '', path: target.pathname, authorized, apiVersion: target.searchParams.get('api-version') });
    if (!authorized) {
      // Drain the body (the SDK's first try has none), then challenge.
      for await (const _ of req) void _;
      res.writeHead(401, { 'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${TEST_TENANT}", resource="${VAULT_RESOURCE}"`, 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } }));
      return;
    }
    if (!target.searchParams.get('api-version')) return kvError(res, 400, 'BadParameter', 'api-version is required');
    const m = /^\/keys\/([0-9A-Za-z-]+)\/([0-9A-Za-z]+)(?:\/(wrapkey|unwrapkey|release))?$/.exec(target.pathname);
    const key = m ? keys.get(`${m[1]}/${m[2]}`) : undefined;
    if (!m || !key) return kvError(res, 404, 'KeyNotFound', 'A key with (name/id) was not found in this key vault.');
    const op = m[3];
    if (req.method === 'GET' && op === undefined) return send(res, 200, bundle(key));
    if (req.method !== 'POST' || op === undefined) return kvError(res, 405, 'BadParameter', 'method not allowed');
    const body = await readJson(req);
    if (!body) return kvError(res, 400, 'BadParameter', 'the body is not JSON');

    if (op === 'wrapkey' || op === 'unwrapkey') {
      if (!key.keyOps.includes(op === 'wrapkey' ? 'wrapKey' : 'unwrapKey')) return kvError(res, 403, 'Forbidden', `Operation ${op} is not permitted on this key.`);
      if (body.alg !== 'RSA-OAEP-256') return kvError(res, 400, 'BadParameter', 'Invalid algorithm (this fake implements RSA-OAEP-256 only)');
      if (typeof body.value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(body.value)) return kvError(res, 400, 'BadParameter', 'value must be base64url');
      const input = Buffer.from(body.value, 'base64url');
      const oaep = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' };
      try {
        const out = op === 'wrapkey' ? publicEncrypt({ key: key.publicKey, ...oaep }, input) : privateDecrypt({ key: key.privateKey, ...oaep }, input);
        return send(res, 200, { kid: key.id, value: out.toString('base64url') });
      } catch {
        return kvError(res, 400, 'BadParameter', 'Bad Request');
      }
    }

    // release
    if (!key.exportable || key.releasePolicy === undefined) return kvError(res, 403, 'Forbidden', 'The key is not exportable or has no release policy.');
    if (body.enc !== undefined && body.enc !== 'RSA_AES_KEY_WRAP_256') return kvError(res, 400, 'BadParameter', 'this fake implements enc RSA_AES_KEY_WRAP_256 only');
    if (typeof body.target !== 'string') return kvError(res, 400, 'BadParameter', 'target is required');
    const verdict = await checkTarget(body.target, key.releasePolicy, options.dispatcher, now());
    if ('refused' in verdict) refusals.push(verdict.refused);
    if ('refused' in verdict) return kvError(res, 403, 'AccessDenied', `Target environment attestation statement cannot be verified: ${verdict.refused}`);
    const blob = {
      schema_version: '1.0.0',
      header: { kid: String(verdict.transferKid), alg: 'dir', enc: 'RSA_AES_KEY_WRAP_256' },
      ciphertext: rsaAesKeyWrap256(verdict.transferKey, key.privateKey.export({ format: 'der', type: 'pkcs8' })).toString('base64url'),
      generator: 'sealed-pipelines test fake',
    };
    const released = bundle(key);
    (released.key as Record<string, unknown>).key_hsm = Buffer.from(JSON.stringify(blob)).toString('base64url');
    const payload = { request: { 'api-version': target.searchParams.get('api-version'), enc: 'RSA_AES_KEY_WRAP_256', kid: key.id, ...(typeof body.nonce === 'string' ? { nonce: body.nonce } : {}) }, response: { key: released } };
    const jws = await new CompactSign(Buffer.from(JSON.stringify(payload))).setProtectedHeader({ alg: 'RS256' }).sign(signing.privateKey);
    return send(res, 200, { value: jws });
  };

  const server: Server = createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) => {
    handle(req, res).catch((e: unknown) => kvError(res, 500, 'InternalError', (e as Error).message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://${options.name ?? 'testvault'}.vault.localhost:${(server.address() as AddressInfo).port}`;
  return {
    url,
    keys,
    log,
    refusals,
    addKey(name, o = {}) {
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const version = randomBytes(16).toString('hex');
      const k: VaultKey = { name, version, id: `${url}/keys/${name}/${version}`, ...pair, exportable: o.exportable ?? false, releasePolicy: o.releasePolicy, keyOps: o.keyOps ?? ALL_OPS };
      keys.set(`${name}/${version}`, k);
      return k;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Verdict = { transferKey: KeyObject; transferKid: unknown } | { refused: string };

/** Verifies the MAA token and evaluates the release policy against its claims. */
async function checkTarget(token: string, policy: unknown, dispatcher: Dispatcher, now: Date): Promise<Verdict> {
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token) as Record<string, unknown>;
    claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { refused: 'not a JWT' };
  }
  const p = policy as { version?: unknown; anyOf?: Array<Record<string, unknown>> };
  const iss = typeof claims.iss === 'string' ? claims.iss.replace(/\/$/, '') : '';
  const entries = (p.anyOf ?? []).filter((a) => typeof a.authority === 'string' && a.authority.replace(/\/$/, '') === iss);
  if (p.version !== '1.0.0' || entries.length === 0) return { refused: 'no authority of the release policy issued it' };
  if (header.alg !== 'RS256' || typeof header.kid !== 'string') return { refused: 'unsupported token header' };
  const key = (await issuerKeys(iss, dispatcher)).get(header.kid);
  if (!key) return { refused: 'unknown signing key' };
  try {
    await compactVerify(token, key, { algorithms: ['RS256'] });
  } catch {
    return { refused: 'bad signature' };
  }
  const t = now.getTime() / 1000;
  if (typeof claims.exp !== 'number' || t > claims.exp || (typeof claims.nbf === 'number' && t < claims.nbf)) return { refused: 'token outside its validity' };
  if (!entries.some((entry) => holds(entry, claims))) return { refused: 'the release policy is not satisfied' };
  const runtimeKeys = (claims['x-ms-runtime'] as { keys?: unknown } | undefined)?.keys;
  const transfer = Array.isArray(runtimeKeys)
    ? (runtimeKeys as Array<Record<string, unknown>>).find((k) => k.kty === 'RSA' && (k.use === 'enc' || k.key_use === 'enc' || (Array.isArray(k.key_ops) && k.key_ops.includes('encrypt'))))
    : undefined;
  if (!transfer) return { refused: 'x-ms-runtime.keys holds no RSA encryption key' };
  return { transferKey: createPublicKey({ key: { kty: 'RSA', n: String(transfer.n), e: String(transfer.e) }, format: 'jwk' }), transferKid: transfer.kid };
}

async function issuerKeys(iss: string, dispatcher: Dispatcher): Promise<Map<string, KeyObject>> {
  const get = async (u: string): Promise<Record<string, unknown>> => (await (await request(u, { dispatcher })).body.json()) as Record<string, unknown>;
  const meta = await get(`${iss}/.well-known/openid-configuration`);
  const jwks = await get(String(meta.jwks_uri));
  const out = new Map<string, KeyObject>();
  for (const k of (jwks.keys as Array<Record<string, unknown>>) ?? []) {
    if (typeof k.kid === 'string' && Array.isArray(k.x5c)) out.set(k.kid, new X509Certificate(Buffer.from(String(k.x5c[0]), 'base64')).publicKey);
  }
  return out;
}

/** A condition of the grammar: claim (dot notation) with one operator, or allOf / anyOf lists. */
function holds(condition: Record<string, unknown>, claims: Record<string, unknown>): boolean {
  if (Array.isArray(condition.allOf)) return (condition.allOf as Array<Record<string, unknown>>).every((c) => holds(c, claims));
  if (Array.isArray(condition.anyOf)) return (condition.anyOf as Array<Record<string, unknown>>).some((c) => holds(c, claims));
  if (typeof condition.claim !== 'string') return false;
  let value: unknown = claims;
  for (const part of condition.claim.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  if ('exists' in condition) return (value !== undefined) === condition.exists;
  if (value === undefined) return false; // "If a specified claim isn't present, its condition is considered to haven't been met."
  if ('equals' in condition) return value === condition.equals;
  if ('notEquals' in condition) return value !== condition.notEquals;
  const limit = condition.less ?? condition.lessOrEquals ?? condition.greater ?? condition.greaterOrEquals;
  if (typeof value !== 'number' || typeof limit !== 'number') return false;
  if ('less' in condition) return value < limit;
  if ('lessOrEquals' in condition) return value <= limit;
  if ('greater' in condition) return value > limit;
  if ('greaterOrEquals' in condition) return value >= limit;
  return false;
}

/** RSA_AES_KEY_WRAP_256: OAEP-SHA256(transfer key, fresh AES-256 key) || AES-KWP(AES key, plaintext key). */
function rsaAesKeyWrap256(transferKey: KeyObject, plaintext: Buffer): Buffer {
  const aesKey = randomBytes(32);
  const head = publicEncrypt({ key: transferKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, aesKey);
  const cipher = createCipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('A65959A6', 'hex'));
  return Buffer.concat([head, cipher.update(plaintext), cipher.final()]);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function kvError(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, { error: { code, message } });
}
