// The scoring service: POST /v1/score (one applicant record, or an array of them; ?explain=true
// adds each score's top reasons) and GET /healthz. Bodies are JSON of at most BODY_LIMIT bytes;
// anything else gets a 4xx with a one-line error naming the record and field. Built on fastify
// (body parsing and limits, routing, graceful close); validation is zod's (applicantRecords.ts).
import Fastify, { type FastifyInstance } from 'fastify';
import { parseScoreBody, RequestError } from './applicantRecords.ts';
import type { LoanScorer } from './loanScorer.ts';

export const BODY_LIMIT = 1 << 20;

export function createScoringServer(scorer: LoanScorer): FastifyInstance {
  const app = Fastify({ bodyLimit: BODY_LIMIT, logger: false, return503OnClosing: true });
  // JSON only: other media types get 415 (fastify would otherwise hand text/plain through).
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((error: { statusCode?: number; message: string }, _req, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    // Never echo internals for server errors.
    void reply.code(status).send({ error: status === 500 ? 'internal error' : error.message });
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.post<{ Querystring: { explain?: string } }>('/v1/score', async (req, reply) => {
    const explainParam = req.query.explain;
    if (explainParam !== undefined && explainParam !== 'true' && explainParam !== 'false') {
      return reply.code(400).send({ error: `query parameter 'explain' must be true or false` });
    }
    const explain = explainParam === 'true';
    if (explain && !scorer.explains) return reply.code(400).send({ error: 'reasons need the trained model (start the service with --run-dir or a JSON model)' });
    let parsed;
    try {
      parsed = parseScoreBody(req.body);
    } catch (e) {
      if (e instanceof RequestError) return reply.code(400).send({ error: e.message });
      throw e;
    }
    const results = scorer.score(parsed.records, explain);
    return parsed.batch ? { results } : results[0];
  });
  return app;
}
