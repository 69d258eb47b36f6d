// `sealed pipelines list | get <id-or-name> | versions <pipeline>` and `sealed experiments list`:
// what is on the KFP cluster. Rows to stdout (one JSON array with --json); names from the
// server are escaped before they reach the terminal.
import { printable } from '../../core/index.ts';
import {
  formatTime,
  getPipeline,
  listExperiments,
  listPipelines,
  listVersions,
  checkCluster,
} from '../../pipeline/kfp/index.ts';
import type { CliIo } from '../io.ts';
import type { KfpConnectionFlags } from './kfpConnection.ts';
import { withClient } from './kfpRuns.ts';

export interface ListFlags extends KfpConnectionFlags {
  limit?: number;
  json?: boolean;
}

const row = (...cells: (string | undefined)[]): string => cells.map((c) => printable(c ?? '-')).join('  ');

function print<T>(io: CliIo, flags: ListFlags, items: T[], line: (item: T) => string, none: string): number {
  if (flags.json) io.stdout.write(JSON.stringify(items) + '\n');
  else if (items.length === 0) io.stderr.write(`${none}\n`);
  else io.stdout.write(items.map(line).join('\n') + '\n');
  return 0;
}

export function pipelinesListCommand(flags: ListFlags, io: CliIo, signal: AbortSignal): Promise<number> {
  return withClient(flags, io, 'sealed pipelines list', async (client) => {
    // Without a namespace, multi-user KFP lists the shared pipelines: a valid answer.
    const pipelines = await listPipelines(client, flags.limit ?? 50, signal);
    return print(io, flags, pipelines, (p) => row(p.pipeline_id, formatTime(p.created_at), p.display_name), 'no pipelines');
  });
}

export function pipelinesGetCommand(idOrName: string, flags: ListFlags, io: CliIo, signal: AbortSignal): Promise<number> {
  return withClient(flags, io, 'sealed pipelines get', async (client) => {
    const pipeline = await getPipeline(client, idOrName, signal);
    const [latest] = await listVersions(client, pipeline.pipeline_id, 1, signal);
    if (flags.json) {
      io.stdout.write(JSON.stringify({ ...pipeline, latest_version: latest ?? null }) + '\n');
      return 0;
    }
    const lines = [`pipeline ${printable(pipeline.pipeline_id)} (${printable(pipeline.display_name ?? '')})`];
    if (pipeline.namespace) lines.push(`namespace: ${printable(pipeline.namespace)}`);
    if (pipeline.created_at) lines.push(`created: ${formatTime(pipeline.created_at) ?? '-'}`);
    if (pipeline.description) lines.push(`description: ${printable(pipeline.description)}`);
    if (latest) lines.push(`latest version: ${printable(latest.pipeline_version_id)} (${printable(latest.display_name ?? '')})`);
    io.stdout.write(lines.join('\n') + '\n');
    return 0;
  });
}

export function pipelinesVersionsCommand(idOrName: string, flags: ListFlags, io: CliIo, signal: AbortSignal): Promise<number> {
  return withClient(flags, io, 'sealed pipelines versions', async (client) => {
    const pipeline = await getPipeline(client, idOrName, signal);
    const versions = await listVersions(client, pipeline.pipeline_id, flags.limit ?? 50, signal);
    return print(io, flags, versions, (v) => row(v.pipeline_version_id, formatTime(v.created_at), v.display_name), 'no versions');
  });
}

export function experimentsListCommand(flags: ListFlags, io: CliIo, signal: AbortSignal): Promise<number> {
  return withClient(flags, io, 'sealed experiments list', async (client) => {
    await checkCluster(client, 'sealed experiments list', signal);
    const experiments = await listExperiments(client, flags.limit ?? 50, signal);
    return print(io, flags, experiments, (e) => row(e.experiment_id, formatTime(e.created_at), e.display_name), 'no experiments');
  });
}
