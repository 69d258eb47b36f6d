// The artifact routes of the API (behind the session guard); task and output names are looked
// up in run.json, the file is opened through runFiles.ts:
//   GET /api/runs/:id/artifacts/:task/:output                     the file, as a download
//   GET /api/runs/:id/artifacts/:task/:output/preview?cursor&limit  CsvPage (CSV outputs)
//   GET /api/runs/:id/artifacts/:task/:output/json                the JSON (JSON outputs, up to 16 MiB)
import { basename } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DataError } from '../../core/index.ts';
import { API_LIMITS, type CsvPage } from '../api/contract.ts';
import { ApiError } from './apiError.ts';
import { fileByteSource } from './byteSource.ts';
import { readCsvHeader, readCsvPage } from './csvPage.ts';
import { countCsvRows } from './csvRowCount.ts';
import type { FileCache } from './fileCache.ts';
import { queryInteger } from './requestInput.ts';
import { openRunFile, READ_DEADLINE_MS, readRunFile, readTimedOut, withDeadline } from './runFiles.ts';
import type { IndexedRun, RunIndex } from './runIndex.ts';
import { JSON_VIEW_LIMIT } from './runMetrics.ts';
import { contentTypeOf, outputOf, viewOf } from './runLookup.ts';
import type { StoredOutput } from './storedRun.ts';

export const DEFAULT_PAGE_ROWS = 100;

export interface ArtifactRoutesContext {
  runs: RunIndex;
  rowCounts: FileCache<number>;
}

type ArtifactParams = { Params: { id: string; task: string; output: string } };
type PreviewQuery = { Querystring: { cursor?: string; limit?: string } };

export function registerArtifactRoutes(api: FastifyInstance, ctx: ArtifactRoutesContext): void {
  const artifact = async (params: ArtifactParams['Params'], view?: 'csv' | 'json'): Promise<{ run: IndexedRun; output: StoredOutput }> => {
    const run = await ctx.runs.get(params.id);
    const output = outputOf(run, params.task, params.output);
    if (view !== undefined && viewOf(output.path) !== view) {
      throw new ApiError(400, 'dashboard.wrongView', { run: run.id, task: params.task, output: params.output, view: view === 'csv' ? 'a CSV file' : 'a JSON file' });
    }
    return { run, output };
  };

  api.get<ArtifactParams>('/runs/:id/artifacts/:task/:output', async (req, reply) => {
    const { run, output } = await artifact(req.params);
    const file = await openRunFile(run.dir, run.id, output.path);
    // Only [A-Za-z0-9._-] in the offered name: nothing that could break out of the header's quotes.
    const name = basename(output.path).replace(/[^A-Za-z0-9._-]/g, '_');
    return reply
      .type(contentTypeOf(output.path))
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('content-length', String(file.size))
      .send(file.handle.createReadStream({ start: 0, autoClose: true }));
  });

  api.get<ArtifactParams & PreviewQuery>('/runs/:id/artifacts/:task/:output/preview', async (req): Promise<CsvPage> => {
    const cursor = queryInteger('cursor', req.query.cursor, 0);
    const limit = Math.min(queryInteger('limit', req.query.limit, DEFAULT_PAGE_ROWS, { min: 1 }), API_LIMITS.pageRows);
    const { run, output } = await artifact(req.params, 'csv');
    const file = await openRunFile(run.dir, run.id, output.path);
    try {
      const source = fileByteSource(file.handle, file.size);
      const header = await withDeadline(readCsvHeader(source), READ_DEADLINE_MS, () => readTimedOut(run.id, output.path));
      const page = await withDeadline(readCsvPage(source, header, cursor, limit), READ_DEADLINE_MS, () => readTimedOut(run.id, output.path));
      // The row count of a large file may take longer; it is cached and shared, so it keeps going after a timeout.
      const totalRows = await withDeadline(
        ctx.rowCounts.get(file.path, file, () => countCsvRows(source, header.dataStart)),
        READ_DEADLINE_MS * 6,
        () => readTimedOut(run.id, output.path, READ_DEADLINE_MS * 6),
      );
      return { ...page, totalRows };
    } catch (e) {
      if (e instanceof DataError) throw new ApiError(422, 'dashboard.badArtifact', { run: run.id, file: output.path, reason: e.message });
      throw e;
    } finally {
      await file.handle.close();
    }
  });

  api.get<ArtifactParams>('/runs/:id/artifacts/:task/:output/json', async (req, reply) => {
    const { run, output } = await artifact(req.params, 'json');
    const text = await readRunFile(run.dir, run.id, output.path, JSON_VIEW_LIMIT);
    try {
      JSON.parse(text);
    } catch (e) {
      throw new ApiError(422, 'dashboard.badArtifact', { run: run.id, file: output.path, reason: `not JSON: ${(e as Error).message}` });
    }
    // Sent as stored: parsing only proved it is JSON.
    return reply.type('application/json; charset=utf-8').send(text);
  });
}
