// An SGX SIGSTRUCT (the `<name>.sig` file gramine-sgx-sign writes, 1808 bytes) -> the enclave identity
// a key-release policy pins: MRENCLAVE, MRSIGNER, ISVPRODID, ISVSVN and the DEBUG attribute.
//
// Layout (all integers little-endian) from the Intel SDM's "Enclave Signature Structure (SIGSTRUCT)"
// table, as transcribed in gramineproject/gramine pal/src/host/linux-sgx/sgx_arch.h@v1.9 (sgx_sigstruct_t,
// static_assert size 1808) and torvalds/linux arch/x86/kernel/cpu/sgx/arch.h (struct sgx_sigstruct):
//      0  HEADER      16 bytes, constant          20  DATE        u32, yyyymmdd in BCD
//     16  VENDOR      u32, 0 or 0x8086            24  HEADER2     16 bytes, constant
//     40  SWDEFINED   u32                          44  reserved    84 bytes
//    128  MODULUS     384 bytes (little-endian)   512  EXPONENT    u32, must be 3
//    516  SIGNATURE   384 bytes (little-endian)   900  MISCSELECT  u32
//    904  MISCMASK    u32                         908  CET attrs, reserved, ISVFAMILYID (20 bytes)
//    928  ATTRIBUTES  flags u64 + xfrm u64        944  ATTRIBUTEMASK flags u64 + xfrm u64
//    960  ENCLAVEHASH 32 bytes = MRENCLAVE        992  reserved, ISVEXTPRODID (32 bytes)
//   1024  ISVPRODID   u16                        1026  ISVSVN      u16
//   1028  reserved    12 bytes                   1040  Q1, 1424 Q2 384 bytes each (little-endian)
// The signed data is bytes 0..128 and 900..1028 (gramine python/graminelibos/sigstruct.py@v1.9
// get_signing_data); the signature is RSA-3072, exponent 3, EMSA-PKCS1-v1_5 with SHA-256 (sgx_sign.py@v1.9
// sign_with_private_key, quoting SDM vol. 3D 38.13). MRSIGNER is SHA-256 of the modulus bytes as stored
// (gramine python/gramine-sgx-sigstruct-view@v1.9: hashlib.sha256(sig['modulus'])).
import { createHash, createPublicKey, verify } from 'node:crypto';
import { DataError } from '../../core/index.ts';

export const SIGSTRUCT_SIZE = 1808;

const HEADER = Buffer.from('06000000e10000000000010000000000', 'hex');
const HEADER2 = Buffer.from('01010000600000006000000001000000', 'hex');
const KEY_BYTES = 384;
const OFF = {
  vendor: 16,
  date: 20,
  header2: 24,
  modulus: 128,
  exponent: 512,
  signature: 516,
  miscSelect: 900,
  attributes: 928,
  attributeMask: 944,
  enclaveHash: 960,
  isvProdId: 1024,
  isvSvn: 1026,
  q1: 1040,
  q2: 1424,
} as const;
/** SECS.ATTRIBUTES.DEBUG (sgx_arch.h SGX_FLAGS_DEBUG). */
export const SGX_FLAGS_DEBUG = 0x2n;

export interface EnclaveIdentity {
  /** SHA-256 of the enclave's measured contents, 64 lowercase hex. */
  mrenclave: string;
  /** SHA-256 of the signer's RSA modulus (little-endian as stored), 64 lowercase hex. */
  mrsigner: string;
  isvProdId: number;
  isvSvn: number;
  /** ATTRIBUTES.DEBUG: the enclave was signed to run debuggable. */
  debug: boolean;
  /**
   * ATTRIBUTEMASK covers DEBUG, so EINIT refuses to launch this SIGSTRUCT with another DEBUG value.
   * Gramine signs with an all-ones flags mask (sgx_arch.h SGX_FLAGS_MASK_CONST).
   */
  debugEnforced: boolean;
  /** The DATE field, yyyy-mm-dd. */
  date: string;
  vendor: number;
}

/** Parses and verifies a SIGSTRUCT; `source` names it in errors (a file name). */
export function parseSigstruct(bytes: Uint8Array, source = 'SIGSTRUCT'): EnclaveIdentity {
  const bad = (reason: string): never => {
    throw new DataError('enclave.badSigstruct', { source, reason });
  };
  if (bytes.length !== SIGSTRUCT_SIZE) bad(`it is ${bytes.length} bytes, a SIGSTRUCT is exactly ${SIGSTRUCT_SIZE} (truncated, or not a .sig file)`);
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!b.subarray(0, 16).equals(HEADER)) bad('HEADER is not the SDM constant 06000000E10000000000010000000000');
  if (!b.subarray(OFF.header2, OFF.header2 + 16).equals(HEADER2)) bad('HEADER2 is not the SDM constant 01010000600000006000000001000000');
  const vendor = b.readUInt32LE(OFF.vendor);
  if (vendor !== 0 && vendor !== 0x8086) bad(`VENDOR is 0x${vendor.toString(16)}, must be 0 or 0x8086`);
  if (b.readUInt32LE(OFF.exponent) !== 3) bad(`EXPONENT is ${b.readUInt32LE(OFF.exponent)}, SGX requires 3`);

  const modulusLe = b.subarray(OFF.modulus, OFF.modulus + KEY_BYTES);
  const n = leToBigInt(modulusLe);
  if (n >> 3071n !== 1n) bad('MODULUS is not a 3072-bit number');
  if ((n & 1n) === 0n) bad('MODULUS is even');
  const s = leToBigInt(b.subarray(OFF.signature, OFF.signature + KEY_BYTES));
  if (s >= n) bad('SIGNATURE is not smaller than the modulus');
  // Q1 and Q2 are what EINIT checks the signature with (s^2 = q1*n + r, r*s = q2*n + ...): a SIGSTRUCT whose
  // Q1/Q2 do not follow from the signature is refused by the CPU, so it is refused here too.
  const sq = s * s;
  if (leToBigInt(b.subarray(OFF.q1, OFF.q1 + KEY_BYTES)) !== sq / n || leToBigInt(b.subarray(OFF.q2, OFF.q2 + KEY_BYTES)) !== ((sq % n) * s) / n) {
    bad('Q1/Q2 do not match the signature');
  }
  const signed = Buffer.concat([b.subarray(0, 128), b.subarray(OFF.miscSelect, OFF.miscSelect + 128)]);
  const key = createPublicKey({ key: { kty: 'RSA', n: bigIntToBe(n).toString('base64url'), e: 'Aw' }, format: 'jwk' });
  if (!verify('sha256', signed, key, bigIntToBe(s))) bad('the RSA signature does not verify (the file was altered after signing, or its fields were edited)');

  const flags = b.readBigUInt64LE(OFF.attributes);
  const flagsMask = b.readBigUInt64LE(OFF.attributeMask);
  return {
    mrenclave: b.subarray(OFF.enclaveHash, OFF.enclaveHash + 32).toString('hex'),
    mrsigner: createHash('sha256').update(modulusLe).digest('hex'),
    isvProdId: b.readUInt16LE(OFF.isvProdId),
    isvSvn: b.readUInt16LE(OFF.isvSvn),
    debug: (flags & SGX_FLAGS_DEBUG) !== 0n,
    debugEnforced: (flagsMask & SGX_FLAGS_DEBUG) !== 0n,
    date: bcdDate(b.readUInt32LE(OFF.date)),
    vendor,
  };
}

function leToBigInt(le: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(le).reverse().toString('hex') || '0'}`);
}

/** Big-endian, KEY_BYTES long (the modulus and signature as RSA libraries take them). */
function bigIntToBe(v: bigint): Buffer {
  return Buffer.from(v.toString(16).padStart(KEY_BYTES * 2, '0'), 'hex');
}

/** DATE as written by gramine-sgx-sign: the digits of yyyymmdd as hex nibbles (0x20240131). */
function bcdDate(v: number): string {
  const digits = v.toString(16).padStart(8, '0');
  return /^\d{8}$/.test(digits) ? `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}` : `0x${digits}`;
}
