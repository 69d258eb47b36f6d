// Runs the external tools of a deploy (az, pulumi, kubectl, git, npm) as child processes: argv arrays,
// never a shell (a resource-group or cluster name with `;` or `$(...)` stays one argument), a
// timeout per command (SIGTERM, then SIGKILL), a cap on the output kept (a runaway `kubectl get`
// cannot fill memory), and an environment without this project's own secrets (the dashboard
// password, KFP tokens: az and pulumi have no business seeing them). A pipe of two commands
// (`kubectl kustomize DIR | kubectl apply -f -`) connects the two processes' streams directly.
import { spawn, type ChildProcess } from 'node:child_process';

export type Argv = readonly string[];

export interface RunRequest {
  argv: Argv;
  /** Bytes or text written to stdin, then stdin is closed (stdin is closed at once without it). */
  stdin?: string | Uint8Array;
  cwd?: string;
  /** Extra variables on top of the scrubbed environment (never a secret of ours). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface RunResult {
  /** Exit code; null when killed by a signal (timeout included). */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** An output was cut at the cap. */
  truncated: boolean;
}

export interface CommandRunner {
  run(request: RunRequest): Promise<RunResult>;
  /** `first | second`: first's stdout feeds second's stdin; the result is second's, with first's failure if it failed. */
  pipe(first: RunRequest, second: RunRequest): Promise<RunResult>;
}

export const DEFAULT_TIMEOUT_MS = 10 * 60_000;
export const OUTPUT_CAP_BYTES = 8 * 1024 * 1024;

/**
 * Variables that hold secrets of this project (the dashboard password, KFP tokens and cookies): dropped
 * from every child's environment. Anything else stays, secrets of the user's included: az and pulumi
 * azure-native log in with ARM_OIDC_TOKEN, ARM_OIDC_REQUEST_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN,
 * ARM_CLIENT_CERTIFICATE_PASSWORD, AZURE_CLIENT_CERTIFICATE_PASSWORD, PULUMI_ACCESS_TOKEN..., and a
 * Pulumi backend on S3 or Azure Blob reads AWS_* / AZURE_STORAGE_* (so our store's credentials stay too).
 */
const OUR_SECRET = /^(SEALED_|KFP_)/i;

export function childEnvironment(env: Record<string, string | undefined>, extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (OUR_SECRET.test(k)) continue;
    // Our kubeconfig is passed with --kubeconfig; a KUBECONFIG of the user's would be merged in by kubectl otherwise.
    if (k === 'KUBECONFIG') continue;
    out[k] = v;
  }
  return { ...out, ...extra };
}

export interface RunnerOptions {
  env: Record<string, string | undefined>;
  outputCap?: number;
}

export function processRunner(options: RunnerOptions): CommandRunner {
  const cap = options.outputCap ?? OUTPUT_CAP_BYTES;
  const start = (r: RunRequest): ChildProcess => {
    const [file, ...args] = r.argv;
    if (file === undefined) throw new Error('empty command');
    return spawn(file, args, { cwd: r.cwd, env: childEnvironment(options.env, r.env), shell: false, stdio: ['pipe', 'pipe', 'pipe'] });
  };
  return {
    run: (r) => {
      const child = start(r);
      feed(child, r.stdin);
      return watch(child, r.timeoutMs ?? DEFAULT_TIMEOUT_MS, cap);
    },
    pipe: async (first, second) => {
      const a = start(first);
      const b = start(second);
      a.stdin?.end();
      // stdout of a goes straight into b; a closed stdin of b (EPIPE) just ends a's writes.
      b.stdin?.on('error', () => {});
      a.stdout?.pipe(b.stdin!);
      const [ra, rb] = await Promise.all([watch(a, first.timeoutMs ?? DEFAULT_TIMEOUT_MS, cap, true), watch(b, second.timeoutMs ?? DEFAULT_TIMEOUT_MS, cap)]);
      if (ra.code !== 0) return { ...ra, stdout: rb.stdout, stderr: ra.stderr + rb.stderr };
      return rb;
    },
  };
}

function feed(child: ChildProcess, input: string | Uint8Array | undefined): void {
  child.stdin?.on('error', () => {});
  if (input !== undefined) child.stdin?.end(input);
  else child.stdin?.end();
}

function watch(child: ChildProcess, timeoutMs: number, cap: number, stdoutPiped = false): Promise<RunResult> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let truncated = false;
    let timedOut = false;
    let settled = false;
    const keep = (into: Buffer[], chunk: Buffer, size: number): number => {
      const room = cap - size;
      if (room <= 0) return (truncated = true), size;
      if (chunk.length > room) truncated = true;
      into.push(chunk.subarray(0, room));
      return size + Math.min(room, chunk.length);
    };
    if (!stdoutPiped) child.stdout?.on('data', (c: Buffer) => (outBytes = keep(out, c, outBytes)));
    child.stderr?.on('data', (c: Buffer) => (errBytes = keep(err, c, errBytes)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    }, timeoutMs);
    const finish = (code: number | null, extra = ''): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') + extra, timedOut, truncated });
    };
    // A missing executable is an 'error' event (ENOENT) and no 'close' with a code.
    child.on('error', (e: NodeJS.ErrnoException) => finish(127, e.code === 'ENOENT' ? 'command not found' : e.message));
    child.on('close', (code) => finish(code));
  });
}
