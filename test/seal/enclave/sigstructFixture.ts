// Builds real-layout SGX SIGSTRUCTs signed with a test RSA-3072 key (exponent 3), the way gramine-sgx-sign does:
// field offsets of sgx_sigstruct_t (gramineproject/gramine pal/src/host/linux-sgx/sgx_arch.h@v1.9, checked with
// offsetof), defaults of python/graminelibos/sigstruct.py@v1.9 (HEADER, HEADER2, MISCMASK 0xffffffff, ATTRIBUTEMASK
// flags all ones, xfrm mask 0xfffffffffff9ff1b), flags MODE64BIT (+ DEBUG) as sgx_sign.py@v1.9
// get_enclave_attributes sets them, the signature over bytes 0..128 + 900..1028 with EMSA-PKCS1-v1_5/SHA-256
// (sgx_sign.py sign_with_private_key), modulus and signature stored little-endian, Q1 = floor(s^2 / n) and
// Q2 = floor((s^2 mod n) * s / n) (sigstruct.py sign).
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export interface SigstructFields {
  mrenclave?: Buffer;
  isvProdId?: number;
  isvSvn?: number;
  debug?: boolean;
  /** ATTRIBUTEMASK.FLAGS; default all ones (Gramine's SGX_FLAGS_MASK_CONST). */
  flagsMask?: bigint;
  /** DATE as BCD, default 0x20260514. */
  date?: number;
  vendor?: number;
}

let cached: { privateKey: KeyObject; publicKey: KeyObject } | undefined;

/** One RSA-3072 key with exponent 3 per test process (generating one takes a while). */
export function testSigningKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  cached ??= generateKeyPairSync('rsa', { modulusLength: 3072, publicExponent: 3 });
  return cached;
}

const le = (v: bigint): Buffer => Buffer.from(v.toString(16).padStart(768, '0'), 'hex').reverse();

export function makeSigstruct(f: SigstructFields = {}, key = testSigningKey()): Buffer {
  const b = Buffer.alloc(1808);
  Buffer.from('06000000e10000000000010000000000', 'hex').copy(b, 0);
  b.writeUInt32LE(f.vendor ?? 0, 16);
  b.writeUInt32LE(f.date ?? 0x20260514, 20);
  Buffer.from('01010000600000006000000001000000', 'hex').copy(b, 24);
  b.writeUInt32LE(0, 900); // MISCSELECT
  b.writeUInt32LE(0xffffffff, 904); // MISCMASK
  b.writeBigUInt64LE(0x4n | (f.debug ? 0x2n : 0n), 928); // ATTRIBUTES.FLAGS: MODE64BIT (+ DEBUG)
  b.writeBigUInt64LE(0x3n, 936); // ATTRIBUTES.XFRM: legacy x87 + SSE
  b.writeBigUInt64LE(f.flagsMask ?? 0xffffffffffffffffn, 944);
  b.writeBigUInt64LE(0xfffffffffff9ff1bn, 952);
  (f.mrenclave ?? createHash('sha256').update('test enclave').digest()).copy(b, 960);
  b.writeUInt16LE(f.isvProdId ?? 1, 1024);
  b.writeUInt16LE(f.isvSvn ?? 2, 1026);
  return signSigstruct(b, key);
}

/** (Re)signs a SIGSTRUCT buffer in place: MODULUS, EXPONENT, SIGNATURE, Q1, Q2 from the signed portions. */
export function signSigstruct(b: Buffer, key = testSigningKey()): Buffer {
  const jwk = key.publicKey.export({ format: 'jwk' });
  const n = BigInt(`0x${Buffer.from(jwk.n!, 'base64url').toString('hex')}`);
  const s = BigInt(`0x${sign('sha256', Buffer.concat([b.subarray(0, 128), b.subarray(900, 1028)]), key.privateKey).toString('hex')}`);
  le(n).copy(b, 128);
  b.writeUInt32LE(3, 512);
  le(s).copy(b, 516);
  le((s * s) / n).copy(b, 1040);
  le((((s * s) % n) * s) / n).copy(b, 1424);
  return b;
}

/** MRSIGNER of the test key, computed independently of the parser: SHA-256 of the little-endian modulus. */
export function testMrsigner(key = testSigningKey()): string {
  const jwk = key.publicKey.export({ format: 'jwk' });
  return createHash('sha256').update(Buffer.from(jwk.n!, 'base64url').reverse()).digest('hex');
}
