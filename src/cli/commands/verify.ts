// `sealed verify RUN [--public-key FILE] [--keys DIR]`: checks a run against its signed manifest
// (src/seal/attest/verifyRun.ts) and prints one line per problem, then a summary line, all on
// stdout. Exit 0 only when everything verifies, 1 when anything is wrong, 2 for usage errors.
// The trusted key comes from the user (--public-key, or signing.pub of --keys), never from the
// run: a signature checked with a key the run carries would prove nothing.
import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { IoError, UsageError, printable, readAllBytes } from '../../core/index.ts';
import { LocalArtifactStore, type ArtifactStore } from '../../pipeline/store/index.ts';
import { verifyRun, type Unsealer, type VerifyReport } from '../../seal/attest/index.ts';
import { PUBLIC_RULE, readKeyFile } from '../../seal/keyFiles.ts';
import { SIGNING_PUB_FILE, verifierFromPublicKey } from '../../seal/localKeys.ts';
import type { CliIo } from '../io.ts';

/** A public key file is a few hundred bytes; more is not one. */
const MAX_PUBLIC_KEY_BYTES = 64 * 1024;

export interface VerifyOptions {
  publicKey?: string;
  keys?: string;
  /** For a run in S3-compatible storage: the endpoint (as `sealed run --s3-endpoint`). */
  s3Endpoint?: string;
}

export interface OpenedRun {
  store: ArtifactStore;
  /** How the run is named in the summary. */
  label: string;
  /** Set for a local folder: symbolic links and special files in it are then reported, never followed. */
  localRoot?: string;
}

/** Ways in for the parts that live elsewhere (remote stores, unsealing); defaults cover a local run folder. */
export interface VerifyHooks {
  /** Opens RUN; default: RUN is a local run folder. */
  openRun?: (run: string, io: CliIo, options: VerifyOptions) => Promise<OpenedRun>;
  /** With --keys: unseals sealed artifacts to check their plaintext digests. */
  unsealerFor?: (keysDir: string, run: OpenedRun) => Promise<Unsealer>;
}

export function registerVerifyCommand(program: Command, io: CliIo, setExit: (code: number) => void, hooks: VerifyHooks = {}): void {
  program
    .command('verify')
    .description("check a run against its signature (run.sig.json): every artifact's digest, nothing missing, extra or swapped")
    .argument('<run>', 'run folder, or the run in object storage (s3://bucket/prefix/<run id>, az://container/prefix/<run id>)')
    .option('--s3-endpoint <url>', 'S3-compatible server for an s3:// run (default AWS)')
    .option('--public-key <file>', 'Ed25519 public key (PEM) the run must be signed with')
    .option('--keys <dir>', 'key folder: its signing.pub is the trusted key (unless --public-key), its keys unseal sealed artifacts')
    .action(async (run: string, options: VerifyOptions) => setExit(await verifyCommand(run, options, io, hooks)));
}

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
