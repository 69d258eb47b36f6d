// `sealed keys init --out DIR` (registered in keys.ts): makes a local key folder and prints where it
// is and the signing public key's fingerprint. Nothing secret is ever printed.
import { resolve } from 'node:path';
import { printable } from '../../core/index.ts';
import { initKeyFolder } from '../../seal/localKeys.ts';
import type { CliIo } from '../io.ts';

export interface KeysInitOptions {
  out: string;
}

export async function keysInitCommand(options: KeysInitOptions, io: CliIo): Promise<number> {
  const info = await initKeyFolder(resolve(io.cwd, options.out));
  io.stdout.write(`key folder: ${printable(info.dir)}\n`);
  io.stdout.write(`key-encryption key id: ${info.kekKeyId}\n`);
  io.stdout.write(`signing public key: ${printable(info.publicKeyFile)} (${info.publicKeyFingerprint})\n`);
  io.stderr.write('keep a backup of this folder where only you can read it: sealed artifacts cannot be opened without it\n');
  return 0;
}
