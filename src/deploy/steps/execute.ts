// Runs a list of steps in order against the state folder: a step recorded as done with the same
// fingerprint (its commands and inputs) is skipped, a step whose check finds its result already
// there is recorded without running, any other step runs and is recorded (state file rewritten
// atomically after each step, so a crash loses at most the step in progress). A failing step
// stops the deploy with one line naming the step, the command and how to resume.
import { createHash } from 'node:crypto';
import { excerpt, isSealedError, printable, SealedError } from '../../core/index.ts';
import type { CommandRunner, RunResult } from './runner.ts';
import { readState, writeState } from './state.ts';
import { requestOf, showCommand, type Step, type StepCommand, type StepContext } from './types.ts';

export interface ExecuteOptions {
  steps: readonly Step[];
  stateDir: string;
  runner: CommandRunner;
  /** Progress lines (stderr). */
  progress: (line: string) => void;
  /** The command that resumes after a failure (printed with it). */
  resume: string;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface ExecuteResult {
  outputs: Record<string, Record<string, string>>;
  ran: string[];
  skipped: string[];
}

export function fingerprint(step: Step): string {
  return createHash('sha256').update(JSON.stringify({ commands: step.commands, inputs: step.inputs ?? {} })).digest('hex');
}

export async function executeSteps(options: ExecuteOptions): Promise<ExecuteResult> {
  const state = await readState(options.stateDir);
  const outputs: Record<string, Record<string, string>> = {};
  const ran: string[] = [];
  const skipped: string[] = [];
  const ctx = context(options, outputs);
  for (const [index, step] of options.steps.entries()) {
    const label = `[${index + 1}/${options.steps.length}] ${step.title}`;
    const fp = fingerprint(step);
    const record = state.steps[step.id];
    if (!step.always && record && record.fingerprint === fp) {
      outputs[step.id] = record.outputs;
      skipped.push(step.id);
      options.progress(`${label}: done earlier, skipped`);
      continue;
    }
    try {
      if (!step.always && step.check && (await step.check(ctx))) {
        options.progress(`${label}: already in place`);
        skipped.push(step.id);
        outputs[step.id] = {};
      } else {
        options.progress(`${label} ...`);
        outputs[step.id] = (await step.run(ctx)) ?? {};
        ran.push(step.id);
      }
    } catch (e) {
      // A usage problem (tool missing, not logged in, bad input) is the user's to fix; its own line says how.
      if (isSealedError(e) && e.exitCode === 2) throw e;
      throw new StepFailedError('deploy.stepFailed', { step: step.id, title: step.title, reason: reasonOf(e), resume: options.resume }, { cause: e });
    }
    if (!step.always) {
      state.steps[step.id] = { fingerprint: fp, finishedAt: new Date(ctx.now()).toISOString(), outputs: outputs[step.id] ?? {} };
      await writeState(options.stateDir, state);
    }
  }
  return { outputs, ran, skipped };
}

/** A step failed; the message names it and the command that resumes. */
export class StepFailedError extends SealedError<'deploy.stepFailed'> {}

function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function context(options: ExecuteOptions, outputs: Record<string, Record<string, string>>): StepContext {
  const probe = async (command: StepCommand, stdin?: string): Promise<RunResult> => {
    if ('pipe' in command) {
      const t = command.timeoutMs !== undefined ? { timeoutMs: command.timeoutMs } : {};
      return options.runner.pipe({ argv: command.pipe[0], ...t }, { argv: command.pipe[1], ...t });
    }
    return options.runner.run(requestOf(command, stdin));
  };
  return {
    runner: options.runner,
    outputs,
    progress: options.progress,
    sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    now: options.now ?? Date.now,
    probe: (c) => probe(c),
    exec: async (command, stdin) => {
      const result = await probe(command, stdin);
      if (result.code !== 0) throw new CommandFailedError('deploy.commandFailed', { command: showCommand(command), status: statusOf(result), detail: lastLine(result.stderr || result.stdout) });
      return result;
    },
  };
}

export class CommandFailedError extends SealedError<'deploy.commandFailed'> {}

function statusOf(r: RunResult): string {
  if (r.timedOut) return 'timed out';
  if (r.code === 127 && /command not found/.test(r.stderr)) return 'not found';
  return r.code === null ? 'was killed' : `exited with ${r.code}`;
}

/** The last non-empty line of a tool's output: where az, pulumi and kubectl put the reason. */
export function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  return printable(excerpt(lines.at(-1) ?? '(no output)', 300));
}
