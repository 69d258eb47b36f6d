// `sealed serve`: the scoring service (src/serve) on a finished run's artifacts (--run-dir) or on
// a model and a preprocessor given one by one. Listens on 127.0.0.1 unless --host says otherwise;
// stops on SIGINT or SIGTERM after answering the requests in flight.
import { resolve } from 'node:path';
import { UsageError } from '../../core/index.ts';
import { createScoringServer } from '../../serve/scoringServer.ts';
import { LoanScorer, runDirFiles } from '../../serve/loanScorer.ts';
import type { CliIo } from '../io.ts';

export interface ServeOptions {
  runDir?: string;
  model?: string;
  preprocessor?: string;
  host?: string;
  port?: number;
}

export async function serveCommand(options: ServeOptions, io: CliIo, signal: AbortSignal): Promise<number> {
  const byFile = options.model !== undefined || options.preprocessor !== undefined;
  if ((options.runDir !== undefined) === byFile || (byFile && (options.model === undefined || options.preprocessor === undefined))) {
    throw new UsageError('cli.serveInputs', {});
  }
  const files = options.runDir !== undefined ? runDirFiles(resolve(io.cwd, options.runDir)) : { model: resolve(io.cwd, options.model!), preprocessor: resolve(io.cwd, options.preprocessor!) };
  const scorer = await LoanScorer.load(files);
  const app = createScoringServer(scorer);
  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8080 });
  io.stderr.write(`scoring service listening on ${address} (POST /v1/score, GET /healthz)\n`);
  await new Promise<void>((done) => {
    const stop = (): void => done();
    if (signal.aborted) return done();
    signal.addEventListener('abort', stop, { once: true });
    process.once('SIGTERM', stop);
  });
  await app.close();
  scorer.dispose();
  io.stderr.write('scoring service stopped\n');
  return 0;
}
