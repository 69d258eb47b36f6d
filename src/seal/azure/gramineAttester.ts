// The production Attester for a Node process running inside an SGX enclave under Gramine with
// DCAP remote attestation (`sgx.remote_attestation = "dcap"` in the manifest). Gramine exposes
// attestation as pseudo-files (https://gramine.readthedocs.io/en/stable/attestation.html):
//   /dev/attestation/attestation_type   "dcap"
//   /dev/attestation/user_report_data   write 64 bytes: they become the quote's report_data
//   /dev/attestation/quote              read: an SGX DCAP quote over this enclave and that data
// MAA checks that "the first 32 bytes of the report_data field of the quote contains the SHA256
// hash of the decoded data field of the runtime data", so report_data = SHA-256(runtime data)
// followed by 32 zero bytes. The quote and the runtime data then go to
//   POST {maa}/attest/SgxEnclave?api-version=2022-08-01
//   {"quote":<base64url>,"runtimeData":{"data":<base64url>,"dataType":"JSON"},"nonce":"..."} -> {"token":"<JWT>"}
// ("Attestation - Attest Sgx Enclave": https://learn.microsoft.com/en-us/rest/api/attestation/attestation/attest-sgx-enclave).
// No SGX hardware is available where this project is built and tested: the device code runs
// only inside a Gramine enclave. Tests check the request this sends against the MAA fake, with a
// device stand-in that builds a quote around the report data it is given.
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { excerpt } from '../../core/index.ts';
import { AttestationError } from './attestationErrors.ts';
import type { AttestRequest, Attester } from './attester.ts';
import { authorityOrigin, type AuthorityUrlOptions } from './authorityUrl.ts';
import { httpJson, type HttpJsonOptions } from './httpJson.ts';
import { MAX_TOKEN_BYTES } from './maaToken.ts';

export const MAA_API_VERSION = '2022-08-01';
export const REPORT_DATA_BYTES = 64;
/** A DCAP quote with its certification data is a few KiB; anything near this is not a quote. */
export const MAX_QUOTE_BYTES = 64 * 1024;
const MAX_RUNTIME_BYTES = 64 * 1024;

/** Where report data goes in and the quote comes out. */
export interface AttestationDevice {
  /** Makes the next quote commit to these 64 bytes. */
  writeUserReportData(data: Uint8Array): Promise<void>;
  readQuote(): Promise<Uint8Array>;
}

/** Gramine's /dev/attestation pseudo-files. */
export class GramineAttestationDevice implements AttestationDevice {
  constructor(readonly dir = '/dev/attestation') {}

  async writeUserReportData(data: Uint8Array): Promise<void> {
    if (data.length !== REPORT_DATA_BYTES) throw new AttestationError('attest.deviceFailed', { path: this.dir, reason: `report data must be ${REPORT_DATA_BYTES} bytes, got ${data.length}` });
    const type = await this.#read('attestation_type', 64);
    if (type.toString('utf8').trim() !== 'dcap') {
      throw new AttestationError('attest.deviceFailed', { path: join(this.dir, 'attestation_type'), reason: `is '${excerpt(type.toString('utf8').trim())}', not 'dcap' (set sgx.remote_attestation = "dcap" in the Gramine manifest)` });
    }
    const path = join(this.dir, 'user_report_data');
    try {
      await fsp.writeFile(path, data);
    } catch (e) {
      throw new AttestationError('attest.deviceFailed', { path, reason: (e as NodeJS.ErrnoException).code ?? 'write failed' }, { cause: e });
    }
  }

  async readQuote(): Promise<Uint8Array> {
    return this.#read('quote', MAX_QUOTE_BYTES);
  }

  async #read(name: string, maxBytes: number): Promise<Buffer> {
    const path = join(this.dir, name);
    let fh: fsp.FileHandle | undefined;
    try {
      // Pseudo-files report no size: read up to the limit and refuse anything longer.
      fh = await fsp.open(path, 'r');
      const buf = Buffer.alloc(maxBytes + 1);
      let length = 0;
      while (length < buf.length) {
        const { bytesRead } = await fh.read(buf, length, buf.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      if (length > maxBytes) throw new AttestationError('attest.deviceFailed', { path, reason: `is longer than ${maxBytes} bytes` });
      if (length === 0) throw new AttestationError('attest.deviceFailed', { path, reason: 'is empty' });
      return buf.subarray(0, length);
    } catch (e) {
      if (e instanceof AttestationError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'does not exist (not running inside a Gramine SGX enclave?)' : (code ?? 'read failed');
      throw new AttestationError('attest.deviceFailed', { path, reason }, { cause: e });
    } finally {
      await fh?.close();
    }
  }
}

export interface GramineDcapAttesterOptions extends HttpJsonOptions, AuthorityUrlOptions {
  /** The MAA instance, https://<instance>.attest.azure.net. */
  maaEndpoint: string;
  device?: AttestationDevice;
}

export class GramineDcapAttester implements Attester {
  readonly maaEndpoint: string;
  readonly #device: AttestationDevice;
  readonly #options: GramineDcapAttesterOptions;

  constructor(options: GramineDcapAttesterOptions) {
    this.maaEndpoint = authorityOrigin(options.maaEndpoint, 'MAA endpoint', options);
    this.#device = options.device ?? new GramineAttestationDevice();
    this.#options = options;
  }

  async attest(request: AttestRequest): Promise<string> {
    if (request.runtimeData.length === 0 || request.runtimeData.length > MAX_RUNTIME_BYTES) {
      throw new AttestationError('attest.deviceFailed', { path: 'runtime data', reason: `must be 1 to ${MAX_RUNTIME_BYTES} bytes` });
    }
    const reportData = Buffer.alloc(REPORT_DATA_BYTES);
    createHash('sha256').update(request.runtimeData).digest().copy(reportData, 0);
    await this.#device.writeUserReportData(reportData);
    const quote = await this.#device.readQuote();
    const url = `${this.maaEndpoint}/attest/SgxEnclave?api-version=${MAA_API_VERSION}`;
    const body = {
      quote: Buffer.from(quote).toString('base64url'),
      runtimeData: { data: Buffer.from(request.runtimeData).toString('base64url'), dataType: 'JSON' },
      nonce: request.nonce,
    };
    const answer = await httpJson({ method: 'POST', url, body, what: 'an attestation token', maxBytes: MAX_TOKEN_BYTES + 1024 }, this.#options);
    const token = (answer as { token?: unknown } | null)?.token;
    if (typeof token !== 'string' || token.length === 0) throw new AttestationError('attest.badResponse', { what: 'the attestation answer', url, reason: 'it has no "token"' });
    return token;
  }
}
