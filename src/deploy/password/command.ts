// `sealed deploy hash-password [--out FILE] [--email EMAIL]` (registered by src/cli/commands/deploy.ts):
// reads a new password (twice without echo on a terminal, else one line of stdin), applies the
// password policy and prints only its bcrypt hash on stdout — or, with --out, writes it to FILE
// with mode 0600 and prints nothing on stdout. Every option is checked before the password is
// asked for, so a typo in --out costs nobody a retyped password.
import { UsageError, excerpt } from '../../core/index.ts';
import { hashPassword } from './bcryptHash.ts';
import { checkPasswordPolicy } from './policy.ts';
import { readPasswordNoEcho, type PasswordStdin } from './prompt.ts';
import { checkSecretOutPath, writeSecretFile } from './secretFile.ts';
import { validateEmail } from '../kubeflow/validate.ts';

export interface HashPasswordIo {
  stdin: PasswordStdin;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
}

export interface HashPasswordOptions {
  /** Write the hash to this file (0600) instead of stdout. */
  out?: string;
  /** The Dex user's email: a password containing its name part is refused. */
  email?: string;
}

export async function hashPasswordCommand(io: HashPasswordIo, options: HashPasswordOptions = {}): Promise<void> {
  if (options.email !== undefined) {
    // The same rule as `render --dex-user` (the email this hash is for), so a hash made here is never
    // for an address the overlay then refuses.
    try {
      validateEmail(options.email);
    } catch (e) {
      throw new UsageError('cli.badValue', { option: '--email', value: excerpt(options.email), expected: 'an email address such as ada@example.com' }, { cause: e });
    }
  }
  const out = options.out !== undefined ? await checkSecretOutPath(options.out, io.cwd) : undefined;
  const password = await readPasswordNoEcho({ stdin: io.stdin, stderr: io.stderr });
  const source = io.stdin.isTTY === true ? 'the terminal' : 'stdin';
  checkPasswordPolicy(password, { source, ...(options.email !== undefined ? { email: options.email } : {}) });
  const hash = await hashPassword(password);
  if (out === undefined) {
    io.stdout.write(`${hash}\n`);
    return;
  }
  await writeSecretFile(out, `${hash}\n`);
  io.stderr.write(`wrote the bcrypt hash to ${excerpt(out, 256)} (mode 600)\n`);
}
