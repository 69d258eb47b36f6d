// The options every KFP command shares, turned into a client. Credentials never come from the
// command line, where `ps` and shell history would show them: a bearer token from KFP_TOKEN or
// --token-file, a session cookie (name=value) from KFP_COOKIE or --cookie-file; a file beats the
// variable of the same kind, and a token together with a cookie is refused.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { IoError, UsageError } from '../../core/index.ts';
import { bearerToken, KfpClient, loadCaFile, resolveNamespace, sessionCookie, type KfpCredentials } from '../../pipeline/kfp/index.ts';
import type { CliIo } from '../io.ts';
export { addConnectionOptions } from './kfpConnectionOptions.ts';

export interface KfpConnectionFlags {
  host?: string;
  namespace?: string;
  tokenFile?: string;
  cookieFile?: string;
  caFile?: string;
  insecureSkipTlsVerify?: boolean;
}

/** A client for the flags; nothing is sent yet. `command` names the command in messages. */
export async function connectKfp(flags: KfpConnectionFlags, io: CliIo, command: string): Promise<KfpClient> {
  const host = flags.host ?? nonEmpty(io.env.KFP_HOST);
  if (host === undefined) throw new UsageError('cli.missingOption', { option: '--host URL (or env KFP_HOST)', command });
  if (flags.caFile !== undefined && flags.insecureSkipTlsVerify) throw new UsageError('cli.usage', { reason: '--ca-file and --insecure-skip-tls-verify exclude each other' });
  const credentials = await readCredentials(flags, io);
  const caPem = flags.caFile !== undefined ? await loadCaFile(resolve(io.cwd, flags.caFile), flags.caFile) : undefined;
  const { namespace } = await resolveNamespace(flags.namespace, io.env);
  const client = new KfpClient({ host, credentials, caPem, insecureSkipTlsVerify: flags.insecureSkipTlsVerify, namespace });
  if (flags.insecureSkipTlsVerify && client.host.startsWith('https:')) io.stderr.write(`warning: not verifying the TLS certificate of ${client.host}\n`);
  return client;
}

async function readCredentials(flags: KfpConnectionFlags, io: CliIo): Promise<KfpCredentials | undefined> {
  const token = await secretText(flags.tokenFile, '--token-file', 'KFP_TOKEN', io);
  const cookie = await secretText(flags.cookieFile, '--cookie-file', 'KFP_COOKIE', io);
  if (token && cookie) throw new UsageError('kfp.twoCredentials', { token: token.source, cookie: cookie.source });
  if (token) return bearerToken(token.text, token.source);
  if (cookie) return sessionCookie(cookie.text, cookie.source);
  return undefined;
}

/** The text of a credential and where it came from (`--token-file t.txt` or `KFP_TOKEN`). */
async function secretText(file: string | undefined, option: string, variable: string, io: CliIo): Promise<{ text: string; source: string } | undefined> {
  if (file !== undefined) {
    const source = `${option} ${file}`;
    const text = await readFile(resolve(io.cwd, file), 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') throw new IoError('io.notFound', { path: file }, { cause: e });
      throw new IoError('io.readFailed', { path: file, reason: e.message }, { cause: e });
    });
    return { text, source };
  }
  const text = nonEmpty(io.env[variable]);
  return text === undefined ? undefined : { text, source: variable };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
