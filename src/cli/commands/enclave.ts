// `sealed enclave ...`: the enclave runtime's build-time tools (deploy/sgx/README.md).
//   policy --sig FILE --maa URL [--min-svn N] [--allow-debug] [--out FILE]
//       the attestation policy file for the enclave a SIGSTRUCT describes (src/seal/enclave/attestationPolicy.ts),
//       which `sealed keys policy` turns into the Key Vault release policy;
//   check-vars --isvprodid N --isvsvn N --seal-provider P [--keyvault-key-id URL] [--maa-endpoint URL]
//       the gramine-manifest -D values Dockerfile.sgx is about to use, refused unless each has its exact shape;
//   check-manifest FILE
//       a rendered (or signed) manifest against the rules of src/seal/enclave/manifestCheck.ts.
// Each prints what it found; nothing secret is read or printed (a SIGSTRUCT holds a public key only).
import { resolve } from 'node:path';
import type { Command } from 'commander';
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

export function registerEnclaveCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const enclave = program.command('enclave').description('SGX enclave image tools: attestation policy from a signature, manifest checks');
  enclave
    .command('policy')
    .description('attestation policy file for the enclave a SIGSTRUCT (.sig from gramine-sgx-sign) describes')
    .requiredOption('--sig <file>', 'the SIGSTRUCT gramine-sgx-sign wrote (<name>.sig, 1808 bytes)')
    .requiredOption('--maa <url>', 'Azure Attestation instance, https://<name>.<region>.attest.azure.net')
    .option('--min-svn <n>', 'lowest ISVSVN a token may carry (default: the signed ISVSVN)')
    .option('--allow-debug', 'accept a debug-signed enclave (test enclaves only: its memory is readable by the host)')
    .option('--out <file>', 'write the policy here (mode 644, atomically) instead of to stdout')
    .action(async (options: EnclavePolicyOptions) => setExit(await enclavePolicyCommand(options, io)));
  enclave
    .command('check-vars')
    .description('check the gramine-manifest -D values of deploy/sgx/sealed-executor.manifest.template')
    .requiredOption('--isvprodid <n>', 'ISV product id, 0..65535')
    .requiredOption('--isvsvn <n>', 'ISV security version, 0..65535')
    .option('--enclave-size <size>', 'sgx.enclave_size: 2G, 4G, 8G, 16G, 32G or 64G (default 8G)')
    .requiredOption('--seal-provider <name>', 'azure-skr or none')
    .option('--keyvault-key-id <url>', 'Key Vault key URL (azure-skr)')
    .option('--maa-endpoint <url>', 'Azure Attestation URL (azure-skr)')
    .option('--arch-libdir <dir>', `default ${ARCH_LIBDIR}`)
    .action((options: EnclaveVarsOptions) => setExit(enclaveVarsCommand(options, io)));
  enclave
    .command('check-manifest')
    .description('check a rendered or signed Gramine manifest of the executor before it is trusted')
    .argument('<file>', 'sealed-executor.manifest or sealed-executor.manifest.sgx')
    .action(async (file: string) => setExit(await enclaveCheckManifestCommand(file, io)));
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
