// `sealed keys init --out DIR`: makes a local key folder (src/seal/localKeys.ts) and prints
// where it is and the signing public key's fingerprint. Nothing secret is ever printed.
// `sealed keys policy --policy FILE [--out FILE]`: the Key Vault Secure Key Release policy
// (src/seal/azure/releasePolicy.ts) for an attestation policy file, printed or written atomically.
import type { Command } from 'commander';
import type { CliIo } from '../io.ts';
import { lazy } from '../lazyCommand.ts';
import type { KeysInitOptions } from './keysInit.ts';
import type { KeysPolicyOptions } from './keysPolicy.ts';

export type { KeysInitOptions } from './keysInit.ts';
export type { KeysPolicyOptions } from './keysPolicy.ts';

// Implementations load when a command runs (lazyCommand.ts): key handling and zod are not part of start-up.
const keysInitCommand = lazy(() => import('./keysInit.ts'), 'keysInitCommand');
const keysPolicyCommand = lazy(() => import('./keysPolicy.ts'), 'keysPolicyCommand');

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
