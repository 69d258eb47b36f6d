// The scoring thread: builds the service's scorer from its source once, then answers each job
// (a raw request body) in order. TreeSHAP runs on this thread plus the ContributionsPool's
// threads, large batches on the compiled model's ScorePool; the service's event loop only
// moves bytes. Unexpected failures are answered as 500 (the main thread logs the reason).
import { parentPort, workerData } from 'node:worker_threads';
import { LoanScorer } from './loanScorer.ts';
import { answerScore } from './scoreAnswer.ts';
import type { ScoringThreadInit, ScoringThreadJob, ScoringThreadReply } from './scoringThread.ts';

const init = workerData as ScoringThreadInit;
const scorer = LoanScorer.fromSource(init.source, init.threads);
const settings = { allowUnknownCategories: init.allowUnknownCategories, nthread: init.threads };
const port = parentPort!;

port.on('message', (job: ScoringThreadJob) => {
  answerScore(scorer, Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength).toString('utf8'), job.explain, settings).then(
    (answer) => port.postMessage({ id: job.id, answer } satisfies ScoringThreadReply),
    (e: unknown) => port.postMessage({ id: job.id, failure: e instanceof Error ? e.message : String(e) } satisfies ScoringThreadReply),
  );
});
port.postMessage({ ready: true });
