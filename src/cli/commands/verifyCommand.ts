// What `sealed verify` does (registered in verify.ts, which describes the command): check a run
// against its signed manifest and print one line per problem, then a summary line.
import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import { IoError, UsageError, printable, readAllBytes } from '../../core/index.ts';
import { LocalArtifactStore } from '../../pipeline/store/index.ts';
import { verifyRun, type VerifyReport } from '../../seal/attest/index.ts';
import { PUBLIC_RULE, readKeyFile } from '../../seal/keyFiles.ts';
import { SIGNING_PUB_FILE, verifierFromPublicKey } from '../../seal/localKeys.ts';
import type { CliIo } from '../io.ts';
import type { OpenedRun, VerifyHooks, VerifyOptions } from './verify.ts';

/** A public key file is a few hundred bytes; more is not one. */
const MAX_PUBLIC_KEY_BYTES = 64 * 1024;

async function trustedKeyPem(options: VerifyOptions, io: CliIo): Promise<{ pem: string; source: string }> {
  if (options.publicKey !== undefined) {
    const path = resolve(io.cwd, options.publicKey);
    return { pem: (await readAllBytes(path, MAX_PUBLIC_KEY_BYTES)).toString('utf8'), source: path };
  }
  if (options.keys !== undefined) {
    const path = join(resolve(io.cwd, options.keys), SIGNING_PUB_FILE);
    return { pem: (await readKeyFile(path, PUBLIC_RULE)).toString('utf8'), source: path };
  }
  throw new UsageError('integrity.noKey', {});
}

async function openLocalRun(run: string, io: CliIo): Promise<OpenedRun> {
  const path = resolve(io.cwd, run);
  const stat = await fsp.stat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new UsageError('integrity.notARun', { path: run, reason: 'it does not exist' });
    throw new IoError('io.readFailed', { path: run, reason: e.message }, { cause: e });
  });
  if (!stat.isDirectory()) throw new UsageError('integrity.notARun', { path: run, reason: 'it is not a folder' });
  return { store: new LocalArtifactStore(path), label: run, localRoot: path };
}

export async function verifyCommand(run: string, options: VerifyOptions, io: CliIo, hooks: VerifyHooks = {}): Promise<number> {
  const key = await trustedKeyPem(options, io);
  const opened = await (hooks.openRun ?? openLocalRun)(run, io, options);
  const unsealer = options.keys !== undefined && hooks.unsealerFor ? await hooks.unsealerFor(resolve(io.cwd, options.keys), opened) : undefined;
  const report = await verifyRun(opened.store, {
    verifier: verifierFromPublicKey(key.pem, key.source),
    ...(unsealer ? { unsealer } : {}),
    ...(opened.localRoot !== undefined ? { localRoot: opened.localRoot } : {}),
  });
  io.stdout.write(formatReport(report, opened.label));
  return report.ok ? 0 : 1;
}

/** One line per finding (`kind: detail`), per note, then the summary; everything escaped. */
export function formatReport(report: VerifyReport, label: string): string {
  const lines = report.findings.map((f) => `${f.kind}: ${printable(f.detail)}`);
  for (const note of report.notes) lines.push(`note: ${printable(note)}`);
  const run = report.run ? `run ${printable(report.run.runId)} of ${printable(report.run.pipeline)}` : printable(label);
  if (report.ok) {
    const plain = report.run?.sealed ? `, ${report.plaintextVerified} plaintexts checked` : '';
    lines.push(`verified: ${run}: ${report.verified} of ${report.artifacts} artifacts match, signed by ${report.signedBy ?? '?'}${plain}`);
  } else {
    const n = report.findings.length;
    lines.push(`FAILED: ${run}: ${n} ${n === 1 ? 'problem' : 'problems'}${report.artifacts > 0 ? `, ${report.verified} of ${report.artifacts} artifacts match` : ''}`);
  }
  return lines.join('\n') + '\n';
}
