// The first start sets the password; there is no default one. It comes from SEALED_UI_PASSWORD
// or --password-file, or else a random one is made and printed once on stderr (the only time it
// is ever shown; only its bcrypt hash is kept). Later starts use the stored hash and say so if a
// password was given again, since it is then ignored.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { UsageError } from '../../core/index.ts';
import { readUserFile } from './privateFile.ts';
import { checkNewPassword, hashPassword, PASSWORD_FILE, readPasswordFile, writePasswordFile, type PasswordRecord } from './passwordFile.ts';

export const PASSWORD_ENV = 'SEALED_UI_PASSWORD';
/** 18 random bytes: 24 base64url characters, 144 bits. */
const GENERATED_BYTES = 18;

export interface PasswordSources {
  /** Value of SEALED_UI_PASSWORD, when set. */
  env?: string;
  /** Path given with --password-file. */
  file?: string;
}

export interface EnsurePasswordOptions {
  stateDir: string;
  /** The account name when the password is first set. */
  user: string;
  sources: PasswordSources;
  bcryptCost: number;
  /** Where the generated password and notices go (the terminal's stderr). */
  print: (line: string) => void;
}

export async function ensurePassword(options: EnsurePasswordOptions): Promise<PasswordRecord> {
  const path = join(options.stateDir, PASSWORD_FILE);
  const stored = await readPasswordFile(path, (m) => options.print(`warning: ${m}`));
  const { env, file } = options.sources;
  if (stored) {
    if (env !== undefined || file !== undefined) {
      options.print(`dashboard: a password is already stored in ${path}; the one given by ${env !== undefined ? PASSWORD_ENV : '--password-file'} is ignored (delete ${path} to set a new one)`);
    }
    return stored;
  }
  if (env !== undefined && file !== undefined) throw new UsageError('dashboard.twoPasswordSources', {});
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(options.user)) throw new UsageError('cli.badValue', { option: 'user', value: options.user, expected: '1 to 64 letters, digits or ._@-' });
  const given = env !== undefined ? { password: env, source: PASSWORD_ENV } : file !== undefined ? { password: await readPasswordText(file), source: `--password-file ${file}` } : undefined;
  if (given) checkNewPassword(given.password, given.source);
  const password = given?.password ?? randomBytes(GENERATED_BYTES).toString('base64url');
  const record = { user: options.user, hash: await hashPassword(password, options.bcryptCost) };
  await writePasswordFile(path, record);
  if (!given) {
    options.print(`dashboard: first start: user '${record.user}', generated password: ${password}`);
    options.print(`dashboard: the password is shown only this once; ${path} keeps only its bcrypt hash`);
  }
  return record;
}

/** The file's content without its final line break (editors add one). */
async function readPasswordText(path: string): Promise<string> {
  // A regular file only (a FIFO would hold the start), never chmodded: it is the user's file.
  return (await readUserFile(path)).replace(/\r?\n$/, '');
}
