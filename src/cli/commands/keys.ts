// `sealed keys init --out DIR`: makes a local key folder (src/seal/localKeys.ts) and prints
// where it is and the signing public key's fingerprint. Nothing secret is ever printed.
// `sealed keys policy --policy FILE [--out FILE]`: the Key Vault Secure Key Release policy
// (src/seal/azure/releasePolicy.ts) for an attestation policy file, printed or written atomically.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { printable, writeFileAtomic } from '../../core/index.ts';
import { readAttestationPolicy } from '../../seal/azure/attestationPolicy.ts';
import { buildReleasePolicy } from '../../seal/azure/releasePolicy.ts';
import { initKeyFolder } from '../../seal/localKeys.ts';
import type { CliIo } from '../io.ts';

export interface KeysInitOptions {
  out: string;
}

export interface KeysPolicyOptions {
  policy: string;
  out?: string;
}

export function registerKeysCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const keys = program.command('keys').description('key folders for sealed artifacts');
  keys
    .command('init')
    .description('make a key folder (mode 700): a key-encryption key and an Ed25519 signing key (files 600, signing.pub 644)')
    .requiredOption('--out <dir>', 'folder to create; an existing one must be empty, yours and mode 700')
    .action(async (options: KeysInitOptions) => setExit(await keysInitCommand(options, io)));
  keys
    .command('policy')
    .description('print the Azure Key Vault secure key release policy for an attestation policy file (JSON)')
    .requiredOption('--policy <file>', 'attestation policy file: authority, MRSIGNER/MRENCLAVE, product id, minimum SVN')
    .option('--out <file>', 'write the release policy to this file (atomically) instead of printing it')
    .action(async (options: KeysPolicyOptions) => setExit(await keysPolicyCommand(options, io)));
}

export async function keysPolicyCommand(options: KeysPolicyOptions, io: CliIo): Promise<number> {
  const policy = await readAttestationPolicy(resolve(io.cwd, options.policy));
  const text = JSON.stringify(buildReleasePolicy(policy), null, 2) + '\n';
  if (options.out === undefined) {
    io.stdout.write(text);
    return 0;
  }
  const out = resolve(io.cwd, options.out);
  await writeFileAtomic(out, text, { mode: 0o644 });
  io.stderr.write(`release policy written to ${printable(out)} (${policy.enclave.mrsigner.length} MRSIGNER, authority ${policy.attestation.authority})\n`);
  return 0;
}

export async function keysInitCommand(options: KeysInitOptions, io: CliIo): Promise<number> {
  const info = await initKeyFolder(resolve(io.cwd, options.out));
  io.stdout.write(`key folder: ${printable(info.dir)}\n`);
  io.stdout.write(`key-encryption key id: ${info.kekKeyId}\n`);
  io.stdout.write(`signing public key: ${printable(info.publicKeyFile)} (${info.publicKeyFingerprint})\n`);
  io.stderr.write('keep a backup of this folder where only you can read it: sealed artifacts cannot be opened without it\n');
  return 0;
}
