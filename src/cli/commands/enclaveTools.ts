// What `sealed enclave policy | check-vars | check-manifest` do (registered in enclave.ts, which
// describes them); loaded only when one of them runs.
import { resolve } from 'node:path';
import { DataError, IoError, openRegularFile, printable, writeFileAtomic } from '../../core/index.ts';
import { ARCH_LIBDIR, checkManifest, checkManifestVars, MAX_TOML_BYTES, parseSigstruct, parseToml, policyFromIdentity, serializePolicy, SIGSTRUCT_SIZE } from '../../seal/enclave/index.ts';
import type { CliIo } from '../io.ts';
import { parseInteger } from '../parseOptions.ts';

export interface EnclavePolicyOptions {
  sig: string;
  maa: string;
  minSvn?: string;
  allowDebug?: boolean;
  out?: string;
}

export interface EnclaveVarsOptions {
  isvprodid: string;
  isvsvn: string;
  enclaveSize?: string;
  sealProvider: string;
  keyvaultKeyId?: string;
  maaEndpoint?: string;
  archLibdir?: string;
}

export async function enclavePolicyCommand(options: EnclavePolicyOptions, io: CliIo): Promise<number> {
  const path = resolve(io.cwd, options.sig);
  const source = printable(options.sig);
  const bytes = await readBounded(path, SIGSTRUCT_SIZE);
  if (bytes.length > SIGSTRUCT_SIZE) throw new DataError('enclave.badSigstruct', { source, reason: `it is larger than ${SIGSTRUCT_SIZE} bytes, the exact size of a SIGSTRUCT` });
  const identity = parseSigstruct(bytes, source);
  const minSvn = options.minSvn === undefined ? undefined : parseInteger('--min-svn', options.minSvn, { min: 0, max: 0xffff });
  const policy = policyFromIdentity(identity, { maa: options.maa, ...(minSvn !== undefined ? { minSvn } : {}), allowDebug: options.allowDebug === true, source });
  const text = serializePolicy(policy);
  io.stderr.write(`enclave: mrenclave ${identity.mrenclave}, mrsigner ${identity.mrsigner}, isvprodid ${identity.isvProdId}, isvsvn ${identity.isvSvn}${identity.debug ? ', DEBUG' : ''}\n`);
  if (options.out === undefined) {
    io.stdout.write(text);
  } else {
    await writeFileAtomic(resolve(io.cwd, options.out), text, { mode: 0o644 });
    io.stderr.write(`attestation policy written to ${printable(options.out)} (min svn ${policy.enclave.minSvn}, authority ${policy.attestation.authority})\n`);
  }
  return 0;
}

export function enclaveVarsCommand(options: EnclaveVarsOptions, io: CliIo): number {
  const vars = checkManifestVars({
    arch_libdir: options.archLibdir ?? ARCH_LIBDIR,
    isvprodid: options.isvprodid,
    isvsvn: options.isvsvn,
    enclave_size: options.enclaveSize ?? '8G',
    seal_provider: options.sealProvider,
    keyvault_key_id: options.keyvaultKeyId ?? '',
    maa_endpoint: options.maaEndpoint ?? '',
  });
  io.stdout.write(`manifest variables ok: isvprodid ${vars.isvprodid}, isvsvn ${vars.isvsvn}, enclave_size ${vars.enclave_size}, seal_provider ${vars.seal_provider}\n`);
  return 0;
}

export async function enclaveCheckManifestCommand(file: string, io: CliIo): Promise<number> {
  const source = printable(file);
  const bytes = await readBounded(resolve(io.cwd, file), MAX_TOML_BYTES);
  if (bytes.length > MAX_TOML_BYTES) throw new IoError('io.tooLarge', { path: source, limit: MAX_TOML_BYTES });
  const text = bytes.toString('utf8');
  const s = checkManifest(parseToml(text, source), source);
  io.stdout.write(
    `manifest ok: isvprodid ${s.isvProdId}, isvsvn ${s.isvSvn}, enclave_size ${s.enclaveSize}, max_threads ${s.maxThreads}, ` +
      `seal provider ${s.sealProvider}, ${s.trustedFiles} trusted file entries, passthrough ${s.passthrough.join(' ') || 'none'}\n`,
  );
  return 0;
}

/** At most `maxBytes` + 1 bytes of a regular file (core openRegularFile: a FIFO or device is refused at once, never waited on). */
async function readBounded(path: string, maxBytes: number): Promise<Buffer> {
  const fh = await openRegularFile(path);
  try {
    const buf = Buffer.alloc(maxBytes + 1);
    let n = 0;
    while (n < buf.length) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    return buf.subarray(0, n);
  } finally {
    await fh.close();
  }
}
