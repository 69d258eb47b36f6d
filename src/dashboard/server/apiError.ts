// An error the API answers with a 4xx status: a catalog message plus the HTTP status that fits.
// Anything else that reaches the error handler is a 500 whose details stay on the server.
import { SealedError, type MessageArgs, type MessageCode } from '../../core/index.ts';

export class ApiError<C extends MessageCode = MessageCode> extends SealedError<C> {
  readonly statusCode: number;
  /** Seconds, sent as Retry-After (429 and 503 answers). */
  readonly retryAfter: number | undefined;

  constructor(statusCode: number, code: C, args: MessageArgs<C>, options?: { cause?: unknown; retryAfter?: number }) {
    super(code, args, options);
    this.statusCode = statusCode;
    this.retryAfter = options?.retryAfter;
  }
}
