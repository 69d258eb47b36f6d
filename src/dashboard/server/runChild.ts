// The child process a dashboard-started run executes in (runLauncher.ts spawns it with
// `node --max-old-space-size=<MiB> --import tsx runChild.ts`, an IPC channel, and
// SEALED_DATA_POLICY in its environment). It runs the run exactly as `sealed run --run-dir DIR`
// does: through runCommand of src/cli/commands/run.ts (the `run` command's action) and the CLI's
// error reporting, so the data-source policy and every other check of `sealed run` apply; only
// the parameters come from the dashboard (already validated there, validated again by
// runCommand) instead of command-line options. (Not main() itself: loading every command would
// cost the start of each run seconds.)
//
// The job arrives as the first IPC message, never on the command line (a data URL may hold
// credentials, and argv is world-readable in /proc). A dashboard started with --keys DIR sends
// the key folder's path with it: the run is sealed as `sealed run --seal --keys DIR` seals it
// (the child opens and checks the folder itself; no key bytes cross the channel). SIGTERM, SIGINT or the loss of the IPC
// channel (the dashboard died) cancel the run, which then records its end as `sealed run` does.
import { pathToFileURL } from 'node:url';
import { SealedError } from '../../core/index.ts';
import { runCommand } from '../../cli/commands/run.ts';
import { defaultIo } from '../../cli/io.ts';
import { reportError } from '../../cli/reportError.ts';
import type { PipelineCatalog, PipelineEntry } from '../../cli/pipelineCatalog.ts';
import type { ParameterValue } from '../../pipeline/index.ts';

/** What the dashboard sends. */
export interface RunChildJob {
  runDir: string;
  parameters: Record<string, ParameterValue>;
  /** A module exporting a PipelineCatalog (tests); absent: `sealed run`'s own default pipeline. */
  catalog?: { module: string; export: string };
  /** The dashboard's key folder (absolute): the run is sealed with it, as `sealed run --seal --keys DIR`. */
  keys?: string;
}

async function loadCatalog(job: RunChildJob): Promise<PipelineCatalog | undefined> {
  if (!job.catalog) return undefined;
  const loaded = (await import(pathToFileURL(job.catalog.module).href)) as Record<string, unknown>;
  const catalog = loaded[job.catalog.export];
  if (typeof catalog !== 'function') throw new Error(`${job.catalog.module} exports no pipeline catalog '${job.catalog.export}'`);
  return catalog as PipelineCatalog;
}

async function runJob(job: RunChildJob): Promise<number> {
  const controller = new AbortController();
  const cancel = (): void => controller.abort();
  process.once('SIGTERM', cancel);
  process.once('SIGINT', cancel);
  process.once('disconnect', cancel);
  const base = await loadCatalog(job);
  const { loanDefaultCatalog } = await import('../../cli/pipelineCatalog.ts');
  const catalog: PipelineCatalog = async (): Promise<PipelineEntry> => ({ ...(await (base ?? loanDefaultCatalog)()), runOptionsToParameters: () => job.parameters });
  const io = defaultIo({});
  try {
    return await runCommand({ runDir: job.runDir, ...(job.keys !== undefined ? { seal: true, keys: job.keys } : {}) }, io, catalog, controller.signal);
  } catch (e) {
    const code = reportError(e, io);
    // A failed task is the run's result (run.json records it; the dashboard shows it), not a
    // failure of this process: the launcher reports non-zero exits as server errors.
    return e instanceof SealedError && e.code === 'cli.runFailed' ? 0 : code;
  }
}

if (typeof process.send === 'function') {
  process.once('message', (message: unknown) => {
    runJob(message as RunChildJob).then(
      (code) => {
        process.exitCode = code;
        process.disconnect?.();
        // A handle left open by a task must not keep a finished run's process (and its slot) alive.
        setTimeout(() => process.exit(), 5000).unref();
      },
      (e: unknown) => {
        process.stderr.write(`sealed: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 1;
        process.disconnect?.();
      },
    );
  });
} else {
  process.stderr.write('sealed: runChild.ts is started by the dashboard, with an IPC channel\n');
  process.exitCode = 2;
}
