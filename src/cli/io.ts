// The CLI's connection to the outside world, injectable so tests run `main` in-process.
import { availableParallelism } from 'node:os';
import type { PipelineCatalog } from './pipelineCatalog.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  cores: number;
}

export interface MainDeps extends Partial<CliIo> {
  /** Which pipeline `sealed run` and `sealed component` use; defaults to loan-default. */
  catalog?: PipelineCatalog;
  /** Cancels a running pipeline; by default SIGINT does. */
  signal?: AbortSignal;
}

export function defaultIo(deps: MainDeps): CliIo {
  return {
    stdout: deps.stdout ?? process.stdout,
    stderr: deps.stderr ?? process.stderr,
    env: deps.env ?? process.env,
    cwd: deps.cwd ?? process.cwd(),
    cores: deps.cores ?? availableParallelism(),
  };
}
