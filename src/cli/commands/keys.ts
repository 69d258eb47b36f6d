// `sealed keys init --out DIR`: makes a local key folder (src/seal/localKeys.ts) and prints
// where it is and the signing public key's fingerprint. Nothing secret is ever printed.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { printable } from '../../core/index.ts';
import { initKeyFolder } from '../../seal/localKeys.ts';
import type { CliIo } from '../io.ts';

export interface KeysInitOptions {
  out: string;
}

export function registerKeysCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const keys = program.command('keys').description('key folders for sealed artifacts');
  keys
    .command('init')
    .description('make a key folder (mode 700): a key-encryption key and an Ed25519 signing key (files 600, signing.pub 644)')
    .requiredOption('--out <dir>', 'folder to create; an existing one must be empty, yours and mode 700')
    .action(async (options: KeysInitOptions) => setExit(await keysInitCommand(options, io)));
}

export async function keysInitCommand(options: KeysInitOptions, io: CliIo): Promise<number> {
  const info = await initKeyFolder(resolve(io.cwd, options.out));
  io.stdout.write(`key folder: ${printable(info.dir)}\n`);
  io.stdout.write(`key-encryption key id: ${info.kekKeyId}\n`);
  io.stdout.write(`signing public key: ${printable(info.publicKeyFile)} (${info.publicKeyFingerprint})\n`);
  io.stderr.write('keep a backup of this folder where only you can read it: sealed artifacts cannot be opened without it\n');
  return 0;
}
