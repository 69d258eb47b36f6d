// Turns every error into the API's `{error}` body with the right status: ApiErrors carry their
// own, a UsageError (a bad parameter caught by the pipeline's validation) is a 400, fastify's own
// client errors (bad JSON, unsupported media type, body too large) keep theirs. Everything else
// is a 500 with a fixed message; the error itself goes to `onError` (the server output), never
// to the client.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { formatMessage, UsageError } from '../../core/index.ts';
import { API_LIMITS } from '../api/contract.ts';
import { ApiError } from './apiError.ts';

export function errorReply(onError: (error: unknown) => void) {
  return (error: FastifyError | Error, _req: FastifyRequest, reply: FastifyReply): void => {
    const { status, message } = classify(error, onError);
    if (error instanceof ApiError && error.retryAfter !== undefined) void reply.header('retry-after', String(error.retryAfter));
    void reply.code(status).type('application/json; charset=utf-8').send({ error: message });
  };
}

function classify(error: FastifyError | Error, onError: (error: unknown) => void): { status: number; message: string } {
  if (error instanceof ApiError) return { status: error.statusCode, message: error.message };
  if (error instanceof UsageError) return { status: 400, message: error.message };
  const fastifyError = error as FastifyError;
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, message: formatMessage('dashboard.bodyTooLarge', { limit: API_LIMITS.bodyBytes }) };
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) return { status, message: error.message };
  onError(error);
  return { status: 500, message: formatMessage('dashboard.internal', {}) };
}
