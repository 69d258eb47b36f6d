// Typed errors. Each carries a catalog code, the arguments that produced its message and,
// for problems inside a file, where it happened. The CLI prints `error.message` on one line
// and exits with `exitCode`; nothing else needs to parse messages.
import { formatMessage, type MessageArgs, type MessageCode } from './messages.ts';

/** Where in an input a problem was found. Every field is optional; the message shows what is known. */
export interface Location {
  file?: string;
  line?: number; // 1-based
  column?: number; // 1-based
  field?: string;
}

export function formatLocation(loc: Location | undefined): string {
  if (!loc) return '';
  const parts: string[] = [];
  if (loc.file !== undefined) parts.push(loc.file);
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.column !== undefined) parts.push(`column ${loc.column}`);
  if (loc.field !== undefined) parts.push(`field '${loc.field}'`);
  return parts.join(', ');
}

export class SealedError<C extends MessageCode = MessageCode> extends Error {
  readonly code: C;
  readonly args: MessageArgs<C>;
  readonly location: Location | undefined;
  /** Process exit code the CLI uses for this kind of error. */
  readonly exitCode: number = 1;

  constructor(code: C, args: MessageArgs<C>, options?: { location?: Location; cause?: unknown }) {
    const where = formatLocation(options?.location);
    const text = formatMessage(code, args);
    super(where ? `${where}: ${text}` : text, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.code = code;
    this.args = args;
    this.location = options?.location;
    this.name = new.target.name;
  }
}

/** The user asked for something invalid: a bad option, parameter or argument. */
export class UsageError<C extends MessageCode = MessageCode> extends SealedError<C> {
  override readonly exitCode = 2;
}

/** An input file or download has content we cannot accept. */
export class DataError<C extends MessageCode = MessageCode> extends SealedError<C> {}

/** A model file or model parameters are invalid or unsupported. */
export class ModelError<C extends MessageCode = MessageCode> extends SealedError<C> {}

/** A pipeline definition, IR or run is invalid, or a task failed. */
export class PipelineError<C extends MessageCode = MessageCode> extends SealedError<C> {}

/** Reading or writing a file failed at the OS level. */
export class IoError<C extends MessageCode = MessageCode> extends SealedError<C> {}

export function isSealedError(e: unknown): e is SealedError {
  return e instanceof SealedError;
}

/** Message arguments that quote values read from data (a cell's text, a category); never structure such as column names. */
const DATA_VALUE_ARGS = ['text', 'value'] as const;

/**
 * The same error with the data values it quotes replaced by `<sealed>`: what a sealed run logs and
 * records, so a parse error cannot carry a cell of sealed data into run.json, task logs or pod logs.
 * Anything that is not a SealedError quoting a value is returned as it is.
 */
export function withoutDataValues(e: unknown): unknown {
  if (!isSealedError(e)) return e;
  const args = e.args as Record<string, unknown>;
  if (!DATA_VALUE_ARGS.some((k) => Object.hasOwn(args, k))) return e;
  const hidden = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, (DATA_VALUE_ARGS as readonly string[]).includes(k) ? '<sealed>' : v]));
  const Kind = e.constructor as new (code: MessageCode, args: unknown, options?: { location?: Location }) => SealedError;
  return new Kind(e.code, hidden, e.location ? { location: e.location } : undefined);
}
