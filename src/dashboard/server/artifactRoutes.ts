// The artifact routes of the API (behind the session guard); task and output names are looked
// up in run.json, the file is opened through storedArtifacts.ts (the run's RunFiles underneath:
// runFiles.ts for a runs folder, storeRuns.ts for runs in an object store):
//   GET /api/runs/:id/artifacts/:task/:output                     the file as stored, as a download
//   GET /api/runs/:id/artifacts/:task/:output?plain=1             a sealed artifact decrypted (needs keys)
//   GET /api/runs/:id/artifacts/:task/:output?as=csv              a Parquet output as CSV (sealed: decrypted, needs keys)
//   GET /api/runs/:id/artifacts/:task/:output/preview?cursor&limit  CsvPage (CSV outputs; Parquet: cursor = row index)
//   GET /api/runs/:id/artifacts/:task/:output/json                the JSON (JSON outputs, up to 16 MiB)
//
// Sealed runs (storedArtifacts.ts): the plain download gives the stored envelope, named
// `<file>.sealed` (what `sealed unseal` takes); the plaintext goes out only when asked for by
// `?plain=1` over the authenticated session, and only once the whole artifact has passed its
// checks: up to DOWNLOAD_BUFFER_BYTES it is decrypted into memory and sent with its length;
// a larger one is checked in a first pass (cached per file version) and streamed in a second,
// each segment authenticated again, the connection cut if anything fails then. CSV pages, row
// counts and JSON answer only after the same full check, so a tampered artifact gives a 422
// naming it and never a page of its plaintext.
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { API_LIMITS, type CsvPage } from '../api/contract.ts';
import type { ParquetFile } from '../../data/parquet/index.ts';
import { ApiError } from './apiError.ts';
import { readCsvHeader, readCsvPage } from './csvPage.ts';
import { countCsvRowsIn } from './csvRowCount.ts';
import type { FileCache } from './fileCache.ts';
import { isParquetPath, openParquetContent, parquetCsvStream, parquetPage, ParquetFileCache } from './parquetPage.ts';
import { queryInteger } from './requestInput.ts';
import { READ_DEADLINE_MS, readTimedOut, withDeadline } from './runFiles.ts';
import type { IndexedRun, RunCatalog } from './runSource.ts';
import { JSON_VIEW_LIMIT } from './runMetrics.ts';
import { contentTypeOf, outputOf, viewOf } from './runLookup.ts';
import { asArtifactError, badArtifact, drain, isSealedRun, readWhole, type OpenedArtifact, type StoredArtifacts } from './storedArtifacts.ts';
import type { StoredOutput } from './storedRun.ts';

export const DEFAULT_PAGE_ROWS = 100;
/** Largest decrypted download held in memory until checked; larger ones are checked first, then streamed. */
export const DOWNLOAD_BUFFER_BYTES = 32 * 1024 * 1024;

export interface ArtifactRoutesContext {
  runs: RunCatalog;
  rowCounts: FileCache<number>;
  artifacts: StoredArtifacts;
  /** Sealed artifacts that passed a full check, per file version (large plaintext downloads). */
  verified: FileCache<true>;
  /** Opened Parquet artifacts per file version (bounded in bytes); one is made when not given. */
  parquetFiles?: ParquetFileCache;
  /** DOWNLOAD_BUFFER_BYTES; tests lower it to reach the check-then-stream path. */
  downloadBufferBytes?: number;
}

type ArtifactParams = { Params: { id: string; task: string; output: string } };
type DownloadQuery = { Querystring: { plain?: string; as?: string } };
type PreviewQuery = { Querystring: { cursor?: string; limit?: string } };

/** Only [A-Za-z0-9._-] in an offered file name: nothing that could break out of the header's quotes. */
const fileName = (name: string): string => name.replace(/[^A-Za-z0-9._-]/g, '_');

export function registerArtifactRoutes(api: FastifyInstance, ctx: ArtifactRoutesContext): void {
  const parquetFiles = ctx.parquetFiles ?? new ParquetFileCache();
  /** The artifact's content as an opened Parquet file, cached per version; a sealed one checked whole on its first open. */
  const parquetOf = (run: IndexedRun, output: StoredOutput, opened: OpenedArtifact): Promise<ParquetFile> => {
    const ms = READ_DEADLINE_MS * 6;
    const open = parquetFiles.get(opened.cacheKey, opened.file, () => openParquetContent(() => opened.chunks(), output.path, opened.size));
    return withDeadline(open, ms, () => readTimedOut(run.id, output.path, ms));
  };

  const artifact = async (params: ArtifactParams['Params'], view?: 'csv' | 'json'): Promise<{ run: IndexedRun; output: StoredOutput; at: { task: string; output: string } }> => {
    const run = await ctx.runs.get(params.id);
    const output = outputOf(run, params.task, params.output);
    // The table preview takes CSV and Parquet.
    const found = viewOf(output.path);
    if (view !== undefined && found !== view && !(view === 'csv' && found === 'parquet')) {
      throw new ApiError(400, 'dashboard.wrongView', { run: run.id, task: params.task, output: params.output, view: view === 'csv' ? 'a CSV file' : 'a JSON file' });
    }
    return { run, output, at: { task: params.task, output: params.output } };
  };

  /** Opens, runs `work`, closes; read and check failures become the artifact's 422. */
  const reading = async <T>(run: IndexedRun, output: StoredOutput, at: { task: string; output: string }, work: (a: OpenedArtifact) => Promise<T>): Promise<T> => {
    const opened = await ctx.artifacts.open(run, output, at);
    try {
      return await work(opened).catch(asArtifactError(run, output.path));
    } finally {
      await opened.close();
    }
  };

  api.get<ArtifactParams & DownloadQuery>('/runs/:id/artifacts/:task/:output', async (req, reply) => {
    const plain = req.query.plain;
    if (plain !== undefined && plain !== '1') throw new ApiError(400, 'dashboard.badQuery', { name: 'plain', value: String(plain).slice(0, 20), expected: '1' });
    const as = req.query.as;
    if (as !== undefined && as !== 'csv') throw new ApiError(400, 'dashboard.badQuery', { name: 'as', value: String(as).slice(0, 20), expected: 'csv' });
    const { run, output, at } = await artifact(req.params);
    const name = fileName(basename(output.path));
    const sealed = isSealedRun(run.manifest);
    if (as === 'csv') {
      if (isParquetPath(output.path)) return sendParquetAsCsv(reply, run, output, at, name);
      if (viewOf(output.path) !== 'csv') throw new ApiError(400, 'dashboard.wrongView', { run: run.id, task: at.task, output: at.output, view: 'a table (CSV or Parquet)' });
      // A CSV is already CSV: its plaintext.
      if (sealed) return sendPlaintext(reply, run, output, at, name);
    }
    // ?plain=1 of a plain run's artifact is its file as stored.
    if (plain === '1' && sealed) return sendPlaintext(reply, run, output, at, name);
    const file = await run.files.open(output.path);
    return reply
      .type(sealed ? 'application/octet-stream' : contentTypeOf(output.path))
      .header('content-disposition', `attachment; filename="${sealed ? `${name}.sealed` : name}"`)
      .header('content-length', String(file.size))
      .send(file.stream());
  });

  /** A Parquet artifact converted to CSV (header line, missing values empty), after its checks. */
  const sendParquetAsCsv = async (reply: FastifyReply, run: IndexedRun, output: StoredOutput, at: { task: string; output: string }, name: string): Promise<FastifyReply> => {
    // Opened (cached) and size-checked before any header goes out: those failures are a 422.
    const chunks = await reading(run, output, at, async (opened) => {
      const tooLarge = (limit: number): Error => badArtifact(run, output.path, `more than ${limit} bytes as CSV`);
      return parquetCsvStream(await parquetOf(run, output, opened), tooLarge);
    });
    // Streamed a row group at a time; a failure now (a corrupt group, the output limit) destroys
    // the stream, cutting the chunked reply short.
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name.replace(/\.parquet$/i, '')}.csv"`)
      .send(Readable.from(chunks, { objectMode: false }));
  };

  const sendPlaintext = async (reply: FastifyReply, run: IndexedRun, output: StoredOutput, at: { task: string; output: string }, name: string): Promise<FastifyReply> => {
    const head = (size: number): FastifyReply => reply.type(contentTypeOf(output.path)).header('content-disposition', `attachment; filename="${name}"`).header('content-length', String(size));
    const opened = await ctx.artifacts.open(run, output, at);
    if (opened.size <= (ctx.downloadBufferBytes ?? DOWNLOAD_BUFFER_BYTES)) {
      try {
        const tooLarge = (): Error => new ApiError(422, 'dashboard.badArtifact', { run: run.id, file: output.path, reason: `more than the ${opened.size} bytes its seal record gives` });
        const bytes = await withDeadline(readWhole(opened.chunks(), Math.max(opened.size, 0), tooLarge), READ_DEADLINE_MS * 6, () => readTimedOut(run.id, output.path, READ_DEADLINE_MS * 6)).catch(asArtifactError(run, output.path));
        return head(bytes.length).send(bytes);
      } finally {
        await opened.close();
      }
    }
    try {
      const check = ctx.verified.get(opened.cacheKey, opened.file, async () => {
        await drain(opened.chunks());
        return true as const;
      });
      await withDeadline(check, READ_DEADLINE_MS * 6, () => readTimedOut(run.id, output.path, READ_DEADLINE_MS * 6));
    } catch (e) {
      await opened.close();
      return asArtifactError(run, output.path)(e);
    }
    // Checked: streamed, every segment authenticated again; a failure now (the file changed
    // since) destroys the stream, which cuts the connection short of content-length.
    const fail = asArtifactError(run, output.path);
    const checked = async function* (): AsyncGenerator<Uint8Array> {
      try {
        yield* opened.chunks();
      } catch (e) {
        fail(e);
      }
    };
    const stream = Readable.from(checked(), { objectMode: false });
    stream.once('close', () => void opened.close());
    return head(opened.size).send(stream);
  };

  api.get<ArtifactParams & PreviewQuery>('/runs/:id/artifacts/:task/:output/preview', async (req): Promise<CsvPage> => {
    const cursor = queryInteger('cursor', req.query.cursor, 0);
    const limit = Math.min(queryInteger('limit', req.query.limit, DEFAULT_PAGE_ROWS, { min: 1 }), API_LIMITS.pageRows);
    const { run, output, at } = await artifact(req.params, 'csv');
    return reading(run, output, at, async (opened) => {
      const timedOut = (ms = READ_DEADLINE_MS) => () => readTimedOut(run.id, output.path, ms);
      if (isParquetPath(output.path)) {
        return parquetPage(await parquetOf(run, output, opened), cursor, limit);
      }
      const header = await withDeadline(readCsvHeader(opened.random), READ_DEADLINE_MS, timedOut());
      // The row count reads the whole file (for a sealed one: decrypts and checks it), so it is
      // cached and shared, and it keeps going after a timeout. It comes first for a sealed
      // artifact: no page of it is read before it has passed its checks.
      const counted = withDeadline(
        ctx.rowCounts.get(opened.cacheKey, opened.file, () => countCsvRowsIn(opened.chunks(), header.dataStart)),
        READ_DEADLINE_MS * 6,
        timedOut(READ_DEADLINE_MS * 6),
      );
      // Awaited below, or dropped when the page fails first (no unhandled rejection then).
      counted.catch(() => undefined);
      if (opened.sealed) await counted;
      const page = await withDeadline(readCsvPage(opened.random, header, cursor, limit), READ_DEADLINE_MS, timedOut());
      return { ...page, totalRows: await counted };
    });
  });

  api.get<ArtifactParams>('/runs/:id/artifacts/:task/:output/json', async (req, reply) => {
    const { run, output, at } = await artifact(req.params, 'json');
    const text = await reading(run, output, at, async (opened) => {
      if (opened.size > JSON_VIEW_LIMIT) throw new ApiError(422, 'dashboard.tooLargeToShow', { run: run.id, file: output.path, size: opened.size, limit: JSON_VIEW_LIMIT });
      const tooLarge = (bytes: number): Error => new ApiError(422, 'dashboard.tooLargeToShow', { run: run.id, file: output.path, size: bytes, limit: JSON_VIEW_LIMIT });
      const bytes = await withDeadline(readWhole(opened.chunks(), JSON_VIEW_LIMIT, tooLarge), READ_DEADLINE_MS, () => readTimedOut(run.id, output.path));
      return bytes.toString('utf8');
    });
    try {
      JSON.parse(text);
    } catch (e) {
      throw new ApiError(422, 'dashboard.badArtifact', { run: run.id, file: output.path, reason: `not JSON: ${(e as Error).message}` });
    }
    // Sent as stored (decrypted, for a sealed run): parsing only proved it is JSON.
    return reply.type('application/json; charset=utf-8').send(text);
  });
}
