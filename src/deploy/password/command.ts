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

// One @, a name and a domain, no spaces or control characters: enough to find the name part.
// eslint-disable-next-line no-control-regex
const EMAIL = /^[^\s@\x00-\x1f\x7f]{1,64}@[^\s@\x00-\x1f\x7f]{1,253}$/;

export async function hashPasswordCommand(io: HashPasswordIo, options: HashPasswordOptions = {}): Promise<void> {
  if (options.email !== undefined && !EMAIL.test(options.email)) {
    throw new UsageError('cli.badValue', { option: '--email', value: excerpt(options.email), expected: 'an email address such as ada@example.com' });
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
