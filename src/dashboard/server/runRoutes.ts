// The run routes of the API (all behind the session guard):
//   GET  /api/runs                      RunSummary[] (newest first)
//   POST /api/runs                      StartRunRequest -> 202 {id} (409 on a dashboard browsing a store)
//   GET  /api/runs/:id                  RunDetail
//   GET  /api/runs/:id/tasks/:task/log  the log, text/plain, last MiB ('' when none yet)
//   GET  /api/runs/:id/metrics          RunMetrics
//   GET  /api/pipeline                  PipelineInfo
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ConfusionSource, PipelineInfo } from '../api/contract.ts';
import { ApiError } from './apiError.ts';
import { sessionUser } from './authRoutes.ts';
import type { FileCache } from './fileCache.ts';
import { READ_DEADLINE_MS, readTimedOut, withDeadline } from './runFiles.ts';
import { runDetail } from './runDetail.ts';
import type { IndexedRun, RunCatalog } from './runSource.ts';
import type { RunLauncher } from './runLauncher.ts';
import { logFileOf, taskOf } from './runLookup.ts';
import { runMetrics } from './runMetrics.ts';
import { parseBody } from './requestInput.ts';
import { pipelineGraphSchema, type PipelineGraph } from './storedRun.ts';
import type { StoredArtifacts } from './storedArtifacts.ts';
import { readLogTail } from './taskLog.ts';

export interface RunRoutesContext {
  runs: RunCatalog;
  /** Starts runs; absent when the dashboard browses runs in an object store (`readOnlyStore`). */
  launcher: RunLauncher | undefined;
  /** The store URL the runs come from, when runs cannot be started here. */
  readOnlyStore?: string;
  pipeline: PipelineInfo;
  confusion: FileCache<ConfusionSource>;
  artifacts: StoredArtifacts;
}

const SPEC_FILE = 'pipeline.json';
const SPEC_LIMIT = 16 * 1024 * 1024;

const startRunBody = z.strictObject({ parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional() });

type RunParams = { Params: { id: string } };
type TaskParams = { Params: { id: string; task: string } };

export function registerRunRoutes(api: FastifyInstance, ctx: RunRoutesContext): void {
  // Runs waiting in the launcher's queue have no folder yet: listed first (they are the newest).
  api.get('/runs', async () => {
    const listed = await ctx.runs.list();
    const ids = new Set(listed.map((r) => r.id));
    return { runs: [...(ctx.launcher?.queued() ?? []).filter((r) => !ids.has(r.id)).reverse(), ...listed] };
  });

  api.post('/runs', async (req, reply) => {
    // A dashboard on a store only reads it: a run started here would need the store's write credentials and a place to run.
    if (!ctx.launcher) throw new ApiError(409, 'dashboard.storeReadOnly', { store: ctx.readOnlyStore ?? 'an object store' });
    const { parameters } = parseBody(startRunBody, req.body);
    const id = await ctx.launcher.start(sessionUser(req), parameters ?? {});
    return reply.code(202).send({ id });
  });

  api.get<RunParams>('/runs/:id', async (req) => {
    const queued = ctx.launcher?.queuedDetail(req.params.id);
    if (queued) return queued;
    const run = await ctx.runs.get(req.params.id);
    const withLog = new Set<string>();
    for (const [name, task] of Object.entries(run.manifest.tasks)) {
      const log = logFileOf(name, task);
      if (log !== undefined && (task.log !== undefined || (await run.files.exists(log)))) withLog.add(name);
    }
    return runDetail(run, await readGraph(run), (name) => withLog.has(name));
  });

  api.get<TaskParams>('/runs/:id/tasks/:task/log', async (req, reply) => {
    const run = await ctx.runs.get(req.params.id);
    const log = logFileOf(req.params.task, taskOf(run, req.params.task));
    void reply.type('text/plain; charset=utf-8');
    if (log === undefined) return '';
    const file = await run.files.open(log).catch((e: unknown) => {
      // A running task that has not logged yet has no file.
      if (e instanceof ApiError && e.code === 'dashboard.notAFile') return undefined;
      throw e;
    });
    if (!file) return '';
    try {
      return await withDeadline(readLogTail(file), READ_DEADLINE_MS, () => readTimedOut(run.id, log));
    } finally {
      await file.close();
    }
  });

  api.get<RunParams>('/runs/:id/metrics', async (req) => runMetrics(await ctx.runs.get(req.params.id), ctx.confusion, ctx.artifacts));

  api.get('/pipeline', async () => ctx.pipeline);
}

/** The task graph from the run's pipeline.json; undefined when it is missing or not a compiled pipeline. */
async function readGraph(run: IndexedRun): Promise<PipelineGraph | undefined> {
  try {
    const parsed = pipelineGraphSchema.safeParse(JSON.parse(await run.files.readText(SPEC_FILE, SPEC_LIMIT)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
