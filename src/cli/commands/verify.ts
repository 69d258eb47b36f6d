// `sealed verify RUN [--public-key FILE] [--keys DIR]`: checks a run against its signed manifest
// (src/seal/attest/verifyRun.ts) and prints one line per problem, then a summary line, all on
// stdout. Exit 0 only when everything verifies, 1 when anything is wrong, 2 for usage errors.
// The trusted key comes from the user (--public-key, or signing.pub of --keys), never from the
// run: a signature checked with a key the run carries would prove nothing.
import type { Command } from 'commander';
import type { ArtifactStore } from '../../pipeline/store/index.ts';
import type { Unsealer } from '../../seal/attest/index.ts';
import type { CliIo } from '../io.ts';
import { lazy } from '../lazyCommand.ts';

// The implementation loads when the command runs (lazyCommand.ts): the signature checks are not part of start-up.
const verifyCommand = lazy(() => import('./verifyCommand.ts'), 'verifyCommand');

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
