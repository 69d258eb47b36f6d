// A stand-in for an SGX enclave's quoting: quotes laid out like an Intel SGX DCAP quote
// (sgx_quote_3_t: a 48-byte header, then the 384-byte sgx_report_body_t whose offsets are those
// of Intel's linux-sgx common/inc/sgx_report.h: attributes.flags at 48 (bit 0x2 = DEBUG),
// mr_enclave at 64, mr_signer at 128, isv_prod_id at 256, isv_svn at 258, report_data at 320;
// https://github.com/intel/linux-sgx/blob/master/common/inc/sgx_report.h), with an empty
// signature section. The fake MAA reads the identity from these offsets; it does not (cannot)
// check a quote signature. FakeSgxDevice plays Gramine's /dev/attestation: the quote it returns
// commits to the report data last written, as the real device's does.
import type { AttestationDevice } from '../../../src/seal/azure/gramineAttester.ts';

export interface EnclaveIdentity {
  mrenclave: string;
  mrsigner: string;
  productId: number;
  svn: number;
  debug: boolean;
}

const HEADER = 48;
const BODY = 384;
const SGX_FLAGS_DEBUG = 0x2n;

export function buildQuote(identity: EnclaveIdentity, reportData: Uint8Array): Buffer {
  const quote = Buffer.alloc(HEADER + BODY + 4);
  quote.writeUInt16LE(3, 0); // version 3
  quote.writeUInt16LE(2, 2); // attestation key type: ECDSA-256-with-P-256
  const body = quote.subarray(HEADER, HEADER + BODY);
  body.writeBigUInt64LE(0x1n | 0x4n | (identity.debug ? SGX_FLAGS_DEBUG : 0n), 48); // INITTED | MODE64BIT | DEBUG?
  Buffer.from(identity.mrenclave, 'hex').copy(body, 64);
  Buffer.from(identity.mrsigner, 'hex').copy(body, 128);
  body.writeUInt16LE(identity.productId, 256);
  body.writeUInt16LE(identity.svn, 258);
  Buffer.from(reportData).copy(body, 320, 0, 64);
  quote.writeUInt32LE(0, HEADER + BODY); // signature data length: none in a fake
  return quote;
}

export interface ParsedQuote extends EnclaveIdentity {
  reportData: Buffer;
}

export function parseQuote(quote: Buffer): ParsedQuote {
  if (quote.length < HEADER + BODY) throw new Error(`a quote is at least ${HEADER + BODY} bytes, got ${quote.length}`);
  if (quote.readUInt16LE(0) !== 3) throw new Error('quote version is not 3');
  const body = quote.subarray(HEADER, HEADER + BODY);
  return {
    mrenclave: body.subarray(64, 96).toString('hex'),
    mrsigner: body.subarray(128, 160).toString('hex'),
    productId: body.readUInt16LE(256),
    svn: body.readUInt16LE(258),
    debug: (body.readBigUInt64LE(48) & SGX_FLAGS_DEBUG) !== 0n,
    reportData: Buffer.from(body.subarray(320, 384)),
  };
}

export class FakeSgxDevice implements AttestationDevice {
  reportData: Buffer | undefined;
  /** Set to change the quote after the fact (an attack: a quote over other report data). */
  tamper: ((quote: Buffer) => Buffer) | undefined;
  constructor(public identity: EnclaveIdentity) {}

  async writeUserReportData(data: Uint8Array): Promise<void> {
    if (data.length !== 64) throw new Error(`user_report_data takes 64 bytes, got ${data.length}`);
    this.reportData = Buffer.from(data);
  }

  async readQuote(): Promise<Uint8Array> {
    if (!this.reportData) throw new Error('no report data written');
    const quote = buildQuote(this.identity, this.reportData);
    return this.tamper ? this.tamper(quote) : quote;
  }
}
