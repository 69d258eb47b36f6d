// A deploy is a list of steps, each data first: what it is, the exact commands it runs (argv
// arrays, shown by `sealed deploy plan` as they will run), the configuration it applies, a check
// that tells whether it is already done (so a re-run does nothing twice), and the code that runs it.
import type { Argv, CommandRunner, RunRequest, RunResult } from './runner.ts';

/** One command of a step: a plain command, or two joined by a pipe (no shell either way). */
export type StepCommand = { argv: Argv; timeoutMs?: number; env?: Record<string, string> } | { pipe: readonly [Argv, Argv]; timeoutMs?: number };

export interface Step {
  id: string;
  title: string;
  /** Every command the step may run, in order, exactly as run (placeholders only for values learnt on the way, in <angle brackets>). */
  commands: readonly StepCommand[];
  /** Configuration the step applies, for the plan; never a secret (a secret shows as `<redacted>`). */
  applies?: Readonly<Record<string, string>>;
  /** Runs every time (tool and login checks): never recorded as done. */
  always?: boolean;
  /**
   * What the step's result depends on (names, digests): a step recorded as done with other inputs
   * runs again. The commands are part of it automatically.
   */
  inputs?: Readonly<Record<string, string>>;
  /** Asks the world whether the step's result is already there (e.g. the image tag in ACR). */
  check?: (ctx: StepContext) => Promise<boolean>;
  /** Does the step; returns values later steps and the summary read (kept in the state file: nothing secret). */
  run: (ctx: StepContext) => Promise<Record<string, string> | void>;
}

export interface StepContext {
  runner: CommandRunner;
  /** Runs one of the step's commands and fails the step unless it exits 0. */
  exec(command: StepCommand, stdin?: string): Promise<RunResult>;
  /** Same, but returns the result whatever the exit code (for checks and polls). */
  probe(command: StepCommand): Promise<RunResult>;
  /** Outputs recorded by earlier steps, by step id. */
  outputs: Record<string, Record<string, string>>;
  progress(line: string): void;
  sleep(ms: number): Promise<void>;
  now(): number;
}

export function requestOf(c: { argv: Argv; timeoutMs?: number; env?: Record<string, string> }, stdin?: string): RunRequest {
  return { argv: c.argv, ...(c.timeoutMs !== undefined ? { timeoutMs: c.timeoutMs } : {}), ...(c.env ? { env: c.env } : {}), ...(stdin !== undefined ? { stdin } : {}) };
}

/** The command as one display line: each argument quoted when the shell would need it, so it can be copied. */
export function showCommand(c: StepCommand): string {
  if ('pipe' in c) return `${showArgv(c.pipe[0])} | ${showArgv(c.pipe[1])}`;
  const env = c.env ? Object.entries(c.env).map(([k, v]) => `${k}=${quote(v)} `).join('') : '';
  return env + showArgv(c.argv);
}

export function showArgv(argv: Argv): string {
  return argv.map(quote).join(' ');
}

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** A value learnt on the way (`<load balancer IP>`): shown as it is, never run. */
const PLACEHOLDER = /^<[a-z0-9 ._-]+>$/i;

function quote(arg: string): string {
  if (SAFE.test(arg) || PLACEHOLDER.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
