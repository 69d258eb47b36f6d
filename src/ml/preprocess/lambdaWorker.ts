// A Yeo-Johnson lambda worker: receives one column's values at a time, answers with the
// maximum-likelihood lambda and the column transformed with it (the same function, so the same
// bits, as on the main thread; the transformed column is transferred, not copied).
import { parentPort } from 'node:worker_threads';
import type { LambdaReply, LambdaRequest } from './parallelLambdas.ts';
import { yeoJohnsonSearch } from './yeoJohnson.ts';

const port = parentPort;
if (port === null) throw new Error('lambdaWorker.ts runs as a worker thread only');
port.on('message', (m: LambdaRequest) => {
  let reply: LambdaReply;
  try {
    const { lambda, transformed } = yeoJohnsonSearch(m.values);
    reply = { index: m.index, lambda, transformed };
  } catch (e) {
    reply = { index: m.index, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply, 'transformed' in reply ? [reply.transformed.buffer as ArrayBuffer] : []);
});
