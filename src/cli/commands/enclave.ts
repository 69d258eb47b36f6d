// `sealed enclave ...`: the enclave runtime's build-time tools (deploy/sgx/README.md).
//   policy --sig FILE --maa URL [--min-svn N] [--allow-debug] [--out FILE]
//       the attestation policy file for the enclave a SIGSTRUCT describes (src/seal/enclave/attestationPolicy.ts),
//       which `sealed keys policy` turns into the Key Vault release policy;
//   check-vars --isvprodid N --isvsvn N --seal-provider P [--keyvault-key-id URL] [--maa-endpoint URL]
//       the gramine-manifest -D values Dockerfile.sgx is about to use, refused unless each has its exact shape;
//   check-manifest FILE
//       a rendered (or signed) manifest against the rules of src/seal/enclave/manifestCheck.ts.
// Each prints what it found; nothing secret is read or printed (a SIGSTRUCT holds a public key only).
import type { Command } from 'commander';
import { ARCH_LIBDIR } from '../../seal/enclave/manifestVars.ts';
import type { CliIo } from '../io.ts';
import { lazy } from '../lazyCommand.ts';
import type { EnclavePolicyOptions, EnclaveVarsOptions } from './enclaveTools.ts';

export type { EnclavePolicyOptions, EnclaveVarsOptions } from './enclaveTools.ts';

// Implementations load when a command runs (lazyCommand.ts): enclave tooling is not part of start-up.
const enclavePolicyCommand = lazy(() => import('./enclaveTools.ts'), 'enclavePolicyCommand');
const enclaveVarsCommand = lazy(() => import('./enclaveTools.ts'), 'enclaveVarsCommand');
const enclaveCheckManifestCommand = lazy(() => import('./enclaveTools.ts'), 'enclaveCheckManifestCommand');

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
    .action(async (options: EnclaveVarsOptions) => setExit(await enclaveVarsCommand(options, io)));
  enclave
    .command('check-manifest')
    .description('check a rendered or signed Gramine manifest of the executor before it is trusted')
    .argument('<file>', 'sealed-executor.manifest or sealed-executor.manifest.sgx')
    .action(async (file: string) => setExit(await enclaveCheckManifestCommand(file, io)));
}

