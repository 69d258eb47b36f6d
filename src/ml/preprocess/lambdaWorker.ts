// A Yeo-Johnson lambda worker: receives one column's values at a time, answers with the
// maximum-likelihood lambda (the same function, so the same bits, as on the main thread).
import { parentPort } from 'node:worker_threads';
import type { LambdaReply, LambdaRequest } from './parallelLambdas.ts';
import { yeoJohnsonLambda } from './yeoJohnson.ts';

const port = parentPort;
if (port === null) throw new Error('lambdaWorker.ts runs as a worker thread only');
port.on('message', (m: LambdaRequest) => {
  let reply: LambdaReply;
  try {
    reply = { index: m.index, lambda: yeoJohnsonLambda(m.values) };
  } catch (e) {
    reply = { index: m.index, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
