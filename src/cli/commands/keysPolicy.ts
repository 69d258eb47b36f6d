// `sealed keys policy --policy FILE [--out FILE]` (registered in keys.ts): the Key Vault Secure Key
// Release policy (src/seal/azure/releasePolicy.ts) for an attestation policy file, printed or written atomically.
import { resolve } from 'node:path';
import { printable, writeFileAtomic } from '../../core/index.ts';
import { readAttestationPolicy } from '../../seal/azure/attestationPolicy.ts';
import { buildReleasePolicy } from '../../seal/azure/releasePolicy.ts';
import type { CliIo } from '../io.ts';

export interface KeysPolicyOptions {
  policy: string;
  out?: string;
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
