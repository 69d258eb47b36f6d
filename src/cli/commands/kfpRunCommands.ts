// `sealed runs artifacts | retry | archive | delete`: the run calls beyond list/get/watch/
// terminate. Delete cannot be undone, so it asks for --yes.
import { resolve } from 'node:path';
import { UsageError, printable } from '../../core/index.ts';
import { changeRun, downloadArtifacts, listRunArtifacts, type RunAction } from '../../pipeline/kfp/index.ts';
import type { CliIo } from '../io.ts';
import type { KfpConnectionFlags } from './kfpConnection.ts';
import { withClient } from './kfpRuns.ts';

const DONE: Record<RunAction, string> = { retry: 'retrying', archive: 'archived', delete: 'deleted' };

export function runsChangeCommand(runId: string, action: RunAction, flags: KfpConnectionFlags & { yes?: boolean }, io: CliIo, signal: AbortSignal): Promise<number> {
  if (action === 'delete' && flags.yes !== true) throw new UsageError('kfp.needsYes', { what: `deleting run ${printable(runId)}` });
  return withClient(flags, io, `sealed runs ${action}`, async (client) => {
    await changeRun(client, runId, action, signal);
    io.stdout.write(`${DONE[action]} run ${printable(runId)}\n`);
    return 0;
  });
}

export interface ArtifactsFlags extends KfpConnectionFlags {
  out: string;
  maxBytes?: number;
  json?: boolean;
  task?: string;
  output?: string;
  logs?: boolean;
  mlmdUrl?: string;
}

export function runsArtifactsCommand(runId: string, flags: ArtifactsFlags, io: CliIo, signal: AbortSignal): Promise<number> {
  return withClient(flags, io, 'sealed runs artifacts', async (client) => {
    const run = await listRunArtifacts(client, runId, { mlmdUrl: flags.mlmdUrl ?? nonEmpty(io.env.KFP_MLMD_URL), logs: flags.logs, task: flags.task, output: flags.output, signal });
    if (run.artifacts.length === 0) {
      const filter = [flags.task !== undefined ? `task ${printable(flags.task)}` : '', flags.output !== undefined ? `output ${printable(flags.output)}` : ''].filter((s) => s !== '').join(', ');
      io.stderr.write(`run ${printable(runId)} has no output artifacts${filter !== '' ? ` matching ${filter}` : ''} in ML Metadata\n`);
      if (flags.json) io.stdout.write('[]\n');
      return 0;
    }
    const written = await downloadArtifacts(client, run, resolve(io.cwd, flags.out), {
      maxBytes: flags.maxBytes ?? 256 * 1024 * 1024,
      signal,
      report: (line) => io.stderr.write(`${line}\n`),
    });
    io.stdout.write(flags.json ? JSON.stringify(written) + '\n' : written.map((p) => printable(p)).join('\n') + '\n');
    return 0;
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
